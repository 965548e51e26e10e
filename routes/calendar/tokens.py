"""The secret address of a calendar feed: /calendar/<key><signature>.ics.

`key` is 16 random bytes kept in the row (CalendarFeed.key, the lookup); the signature is an HMAC-SHA256
of it under SECRET_KEY, never stored. So a copy of the database gives no working address, while the
page can show the user their address again at any time. A signature made with one of
SECRET_KEY_FALLBACKS still opens the feed, so rotating the secret the Django way keeps subscriptions
working until the old secret is dropped (then every user makes a new link: docs/calendar.md).

The signature is compared in constant time, and an unknown key costs the same comparisons as a known
one: the answer's timing tells nothing about how close a guess was.
"""

import base64
import secrets

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

KEY_BYTES = 16
KEY_LENGTH = 22  # base64url of 16 bytes, no padding
SIGNATURE_LENGTH = 43  # base64url of a SHA-256 digest, no padding
TOKEN_LENGTH = KEY_LENGTH + SIGNATURE_LENGTH
_SALT = "routes.calendar.feed"


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def _signature(key: str, secret: str) -> str:
    digest = salted_hmac(_SALT, key, secret=secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def token_for(key: str) -> str:
    """The token of the feed with this key, as its address carries it."""
    return key + _signature(key, settings.SECRET_KEY)


def split_token(token: str) -> tuple[str, str] | None:
    """(key, signature) of a token of the right shape, else None."""
    if len(token) != TOKEN_LENGTH or not token.isascii():
        return None
    return token[:KEY_LENGTH], token[KEY_LENGTH:]


def signature_matches(key: str, signature: str) -> bool:
    """Whether `signature` is the key's under SECRET_KEY or a fallback; every secret is tried, always."""
    results = [constant_time_compare(_signature(key, secret), signature)
               for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]
    return any(results)
