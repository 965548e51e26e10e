"""Where media lives: MEDIA_ROOT on local disk, or an S3-compatible bucket when MEDIA_S3_BUCKET is set
(iom_portal/settings.py, django-storages). The code reads and writes through Django's storage API only
(no `.path`), so evidence, report files and import uploads work on either.

What differs is how each fails: the disk raises OSError (ENOSPC, EIO), boto3 raises its own errors,
which are not OSError. `STORAGE_ERRORS` is both, for code that turns a failed write into the Russian
«хранилище недоступно» message (core.uploads.store_file); `is_unavailable` says whether an error
while serving a file means the storage is away (the portal's 503 page) rather than a bug.
"""

from django.core.files.storage import Storage

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # the embedded default may run without boto3 installed
    BotoCoreError = ClientError = None

STORAGE_ERRORS: tuple[type[BaseException], ...] = (OSError,) + tuple(
    error for error in (BotoCoreError, ClientError) if error is not None)


def is_unavailable(exc: BaseException) -> bool:
    """True for "the storage does not answer or refuses to work now", not for a missing file."""
    if BotoCoreError is not None and isinstance(exc, BotoCoreError):
        return True  # no connection, a timeout, a dropped connection: the endpoint is away
    if ClientError is not None and isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return status >= 500 or exc.response.get("Error", {}).get("Code") in {"SlowDown", "NoSuchBucket"}
    return isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError)


def s3_bucket(storage: Storage):
    """(boto3 Bucket, key prefix ending in "/" or "") of an S3 storage; None for any other storage."""
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:
        return None
    if not isinstance(storage, S3Storage):  # a LazyObject (default_storage) passes for what it wraps
        return None
    location = (storage.location or "").strip("/")
    return storage.bucket, f"{location}/" if location else ""


def describe(storage: Storage) -> str:
    """For logs and the administrator: «s3://bucket/prefix» or the media folder."""
    found = s3_bucket(storage)
    if found is None:
        return str(getattr(storage, "location", ""))
    bucket, prefix = found
    return f"s3://{bucket.name}/{prefix}"
