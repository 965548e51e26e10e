import json
import logging

# Attributes every LogRecord has; everything else passed through `extra=` is event data.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
_SECRET_KEYS = {"password", "password1", "password2", "sessionid", "session_key", "csrfmiddlewaretoken", "token"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, event and its fields, secrets dropped."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key.lower() in _SECRET_KEYS:
                continue
            data[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        return json.dumps(data, ensure_ascii=False)


security_log = logging.getLogger("iom.security")


def log_security_event(event: str, request=None, **fields) -> None:
    """Record a security-relevant event (login, refusal, upload, export, role change)."""
    if request is not None:
        user = getattr(request, "user", None)
        fields.setdefault("user_id", user.pk if user is not None and user.is_authenticated else None)
        fields.setdefault("ip", request.META.get("REMOTE_ADDR"))
        fields.setdefault("path", request.path)
    security_log.info(event, extra=fields)
