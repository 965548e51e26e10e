from django.urls import reverse

from core.models import Notification
from tests.matrix import Case, everyone


def _notification(w):
    return Notification.objects.create(recipient=w.user("teacher"), text="Ваш ИОМ утвержден", url="/")


def _read_all_url(w):
    """Every logged-in role has an unread notification, so "read all" has one to mark."""
    from tests.world import ROLES

    w.obj("unread", lambda w: [Notification.objects.create(recipient=w.user(role), text="Новый комментарий", url="/")
                               for role in ROLES if w.user(role) is not None])
    return reverse("notification_read_all")


CASES = [
    Case("home", lambda w: reverse("home"), everyone(200)),
    Case("help", lambda w: reverse("help"), everyone(200)),
    Case("help_guide", lambda w: reverse("help_guide", args=["teacher"]), everyone(200)),
    Case("help_guide", lambda w: reverse("help_guide", args=["nobody"]), everyone(404), label="unknown"),
    Case("healthz", lambda w: reverse("healthz"), everyone(200, anonymous=200), public=True),
    Case("healthz_queue", lambda w: reverse("healthz_queue"), everyone(200, anonymous=200), public=True),
    Case("healthz_live", lambda w: reverse("healthz_live"), everyone(200, anonymous=200), public=True),
    # the monitoring's own: a bearer token or an allowed address, never a login (none is set here)
    Case("metrics", lambda w: reverse("metrics"), everyone(403, anonymous=403), public=True),
    Case("notifications", lambda w: reverse("notifications"), everyone(200)),
    # «Как считаются показатели»: every signed-in role that sees a figure links here; a definition is no secret
    Case("figures", lambda w: reverse("figures"), everyone(200)),
    Case("notification_read", lambda w: reverse("notification_read", args=[w.obj("n", _notification).pk]),
         everyone(404, teacher=302), method="post", touches=(Notification,)),
    Case("notification_read_all", _read_all_url, everyone(302), method="post", touches=(Notification,)),
]
