from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import health
from core.links import is_local_path
from core.models import Notification


def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user)[:100]
    return render(request, "core/notifications.html", {"notifications": notifications})


@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    # Notifications are written by the portal with local paths; anything else (an absolute or a
    # scheme-relative address) is not followed, whoever managed to store it.
    return redirect(notification.url if is_local_path(notification.url) else "notifications")


@require_POST
def notification_read_all(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications")


@login_not_required
def healthz_queue(request):
    """For the monitoring (docs/operations.md): 503 while queued work waits longer than
    QUEUE_DELAY_MINUTES (the worker is down) or the broker does not answer; counts only, no data."""
    report = health.queue_report()
    lines = [report.summary, *report.lines]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8",
                        status=200 if report.ok else 503)
