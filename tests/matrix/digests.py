"""«Рассылки» (routes/digests/urls.py): the page belongs to those who receive a digest (deputy, director, both
methodists); the unsubscribe link answers anyone with a valid token (an e-mail's reader has no session) and 404
for a forged or malformed one."""

from django.urls import reverse

from core.models import DigestPreference
from routes.digests.tokens import token_for
from tests.matrix import Case, everyone

RECEIVERS = ("deputy", "director", "municipal_methodist", "regional_methodist")


def _unsubscribe_url(w, *, forge: bool = False) -> str:
    token = token_for(w.user("deputy"), "weekly")
    if forge:
        token = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    return reverse("digests:unsubscribe", args=[token])


ANYONE = {role: 200 for role in everyone(200)}
NOBODY = {role: 404 for role in everyone(404)}

CASES = [
    Case("digests:page", lambda w: reverse("digests:page"), everyone(403, **dict.fromkeys(RECEIVERS, 200))),
    Case("digests:page", lambda w: reverse("digests:page"), everyone(403, **dict.fromkeys(RECEIVERS, 302)),
         method="post", data=lambda w: {"weekly": "on"}, touches=(DigestPreference,)),
    Case("digests:unsubscribe", _unsubscribe_url, ANYONE, public=True),
    Case("digests:unsubscribe", _unsubscribe_url, ANYONE, label="post", method="post", public=True,
         touches=(DigestPreference,)),
    Case("digests:unsubscribe", lambda w: _unsubscribe_url(w, forge=True), NOBODY, label="forged", public=True),
    Case("digests:unsubscribe", lambda w: reverse("digests:unsubscribe", args=["not-a-token"]), NOBODY,
         label="malformed", public=True),
]
