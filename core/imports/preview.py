"""The preview of an uploaded file, kept between the upload and the confirmation.

The uploaded bytes and the checked outcome of every row are stored under imports/<token>/ in
the default storage; the token lives in the uploader's session, so nobody else can open it. A
large file is stored first and checked by a job (core/imports/jobs.py), which writes the
checked rows there when it is done: until then the upload has no preview.json.
"""

import json
import time
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.imports.engine import OUTCOME_LABELS, ImportResult

FOLDER = "imports"
SESSION_KEY = "imports"
MAX_AGE_SECONDS = 24 * 3600


def save(request, result: ImportResult, data: bytes) -> str:
    token = save_upload(request, result.kind.code, result.filename, data)
    store_result(token, result)
    return token


def save_upload(request, kind_code: str, filename: str, data: bytes) -> str:
    """Keep the uploaded bytes under a new token in the uploader's session; the rows are checked later."""
    _remove_stale()
    token = str(uuid.uuid4())
    suffix = suffix_of(filename)
    default_storage.save(f"{FOLDER}/{token}/upload{suffix}", ContentFile(data))
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {"kind": kind_code, "filename": filename, "suffix": suffix}
    request.session[SESSION_KEY] = uploads
    return token


def suffix_of(filename: str) -> str:
    return ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"


def is_checked(token: str) -> bool:
    return default_storage.exists(f"{FOLDER}/{token}/preview.json")


def store_result(token: str, result: ImportResult) -> None:
    payload = {
        "columns": [c.title for c in result.present_columns],
        "counts": result.counts,
        "file_errors": result.file_errors,
        "rows": [[row.number, row.outcome, result.cells_of(row), row.errors] for row in result.rows],
    }
    path = f"{FOLDER}/{token}/preview.json"
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(json.dumps(payload, ensure_ascii=False, default=str).encode()))


def upload_of(request, kind_code: str, token: str, *, checked: bool = True) -> dict | None:
    """The uploader's entry of this token (None for anyone else's), with its rows checked unless `checked=False`."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None or entry["kind"] != kind_code:
        return None
    if checked and not is_checked(token):
        return None
    return entry


def load_result(token: str) -> dict:
    with default_storage.open(f"{FOLDER}/{token}/preview.json") as handle:
        return json.load(handle)


def load_upload(token: str, entry: dict) -> bytes:
    with default_storage.open(f"{FOLDER}/{token}/upload{entry['suffix']}") as handle:
        return handle.read()


def discard(request, token: str) -> None:
    remove_files(token)
    forget(request, token)


def forget(request, token: str) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads


def remove_files(token: str) -> None:
    try:
        names = default_storage.listdir(f"{FOLDER}/{token}")[1]
    except FileNotFoundError:
        return
    for name in names:
        default_storage.delete(f"{FOLDER}/{token}/{name}")


def display_rows(payload: dict, rows: list) -> list[dict]:
    """What the preview table shows for one page of rows: cells marked where they have an error."""
    shown = []
    for number, outcome, cells, errors in rows:
        wrong = {column for column, _ in errors}
        shown.append({
            "number": number,
            "outcome": outcome,
            "outcome_label": OUTCOME_LABELS[outcome],
            "cells": [(text, title in wrong) for text, title in zip(cells, payload["columns"], strict=True)],
            "errors": [f"{column}: {message}" for column, message in errors],
        })
    return shown


def _remove_stale() -> None:
    """Abandoned previews are removed after a day.

    A folder is listed, never asked whether it exists: a bucket (MEDIA_S3_BUCKET) has keys, not
    folders, so `exists("imports")` is always false there."""
    try:
        tokens = default_storage.listdir(FOLDER)[0]
    except FileNotFoundError:  # local disk, nothing uploaded yet
        return
    now = time.time()
    for token in tokens:
        names = default_storage.listdir(f"{FOLDER}/{token}")[1]
        try:
            age = now - default_storage.get_modified_time(f"{FOLDER}/{token}/{names[0]}").timestamp() if names else \
                MAX_AGE_SECONDS + 1
        except (OSError, NotImplementedError):
            continue
        if age > MAX_AGE_SECONDS:
            for name in names:
                default_storage.delete(f"{FOLDER}/{token}/{name}")
