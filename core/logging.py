"""The security log: one JSON object per line on the `iom.security` logger.

Events: login, logout, login_failed, locked_out, session_expired, refused, not_found,
upload, export, role_granted / membership_created / membership_deleted, account_changed,
invitation_sent, calendar_feed_created / calendar_feed_revoked / calendar_feed_read. Each carries
user_id, ip and path when a request is known.

Secrets never enter it: fields named like passwords, sessions, tokens, secrets or CSRF values
are dropped, and the token part of password-reset, invitation and calendar-feed links is masked
in paths.
"""

import json
import logging
import re

# Attributes every LogRecord has; everything else passed through `extra=` is event data.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
_SECRET_PARTS = ("password", "passwd", "session", "token", "secret", "csrf", "cookie", "authorization")
# /accounts/reset/<uidb64>/<token>/, /accounts/invitation/<uidb64>/<token>/ and a calendar feed's
# /calendar/<token>.ics, a digest's unsubscribe link /digests/off/<token>/
_TOKEN_PATH = re.compile(r"(/(?:reset|invitation)/[^/]+/)[^/]+|(/calendar/)[^/]+(?=\.ics$)|(/digests/off/)[^/]+")


def is_secret_key(key: str) -> bool:
    key = key.lower()
    return any(part in key for part in _SECRET_PARTS)


def redact_path(path: str) -> str:
    return _TOKEN_PATH.sub(lambda m: (m.group(1) or m.group(2) or m.group(3)) + "***", path) if path else path


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, event and its fields, secrets dropped."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or is_secret_key(key):
                continue
            data[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        return json.dumps(data, ensure_ascii=False)


security_log = logging.getLogger("iom.security")
# The operations log: services down and back (core/outages.py), jobs re-queued, mail given up on.
# Same JSON lines as the security log, its own logger so an administrator can follow it alone.
operations_log = logging.getLogger("iom.operations")


def log_security_event(event: str, request=None, **fields) -> None:
    """Record a security-relevant event (login, refusal, upload, export, role change)."""
    if request is not None:
        # core.middleware.SecurityAuditMiddleware logs uploads and downloads of every view; an app
        # that logged the event itself, with more detail, is not logged twice.
        logged = getattr(request, "_iom_logged_events", None)
        if logged is None:
            logged = request._iom_logged_events = set()
        logged.add(event)
        user = getattr(request, "user", None)
        fields.setdefault("user_id", user.pk if user is not None and user.is_authenticated else None)
        from core.lockout import client_address  # axes' models: not importable while logging is configured

        # behind nginx REMOTE_ADDR is the proxy's: the same address the login limits believe
        fields.setdefault("ip", client_address(request))
        fields.setdefault("path", request.path)
    if "path" in fields:
        fields["path"] = redact_path(fields["path"])
    # Secrets are dropped here too, so records seen by any handler (not only the JSON one) are clean;
    # a field named like a LogRecord attribute ("name", "msg") is renamed rather than refused.
    clean = {(f"x_{key}" if key in _STANDARD else key): value
             for key, value in fields.items() if not is_secret_key(key)}
    security_log.info(event, extra=clean)
