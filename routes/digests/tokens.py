"""The unsubscribe link of a digest: /digests/off/<token>/, a django.core.signing token of (user id, which digest).

Signed with SECRET_KEY (its fallbacks still open old links), never stored: it only turns digests off, for the
user it names, so it needs no expiry; the path is masked in the security log (core.logging.redact_path).
"""

from django.core import signing

_SALT = "routes.digests.unsubscribe"
KINDS = ("weekly", "monthly", "all")


def token_for(user, kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(kind)
    return signing.dumps([user.pk, kind], salt=_SALT, compress=False)


def read_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) of a valid token, else None (forged, malformed, signed with an unknown secret)."""
    try:
        value = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if (not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], int)
            or value[1] not in KINDS):
        return None
    return value[0], value[1]
