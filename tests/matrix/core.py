from django.urls import reverse

from tests.matrix import Case, everyone


def _notification(w):
    from core.models import Notification

    return Notification.objects.create(recipient=w.user("teacher"), text="Ваш ИОМ утвержден", url="/")


CASES = [
    Case("home", lambda w: reverse("home"), everyone(200)),
    Case("help", lambda w: reverse("help"), everyone(200)),
    Case("help_guide", lambda w: reverse("help_guide", args=["teacher"]), everyone(200)),
    Case("help_guide", lambda w: reverse("help_guide", args=["nobody"]), everyone(404), label="unknown"),
    Case("healthz", lambda w: reverse("healthz"), everyone(200, anonymous=200), public=True),
    Case("notifications", lambda w: reverse("notifications"), everyone(200)),
    Case("notification_read", lambda w: reverse("notification_read", args=[w.obj("n", _notification).pk]),
         everyone(404, teacher=302), method="post"),
    Case("notification_read_all", lambda w: reverse("notification_read_all"), everyone(302), method="post"),
]
