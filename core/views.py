from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from core import health, metrics
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


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """For the monitoring (docs/operations.md): 200 when the database, the cache, the broker, a worker
    and the media storage answer, 503 naming those that do not. Anyone reads the parts and their state;
    why a part fails (the error, the seconds it took) only the monitoring (core.metrics.monitoring_allowed)."""
    parts = health.check_parts()
    failing = [part.name for part in parts if part.status == health.FAIL]
    status = 503 if failing else 200
    details = metrics.monitoring_allowed(request)
    accept = request.headers.get("Accept", "")
    if request.GET.get("format") == "text" or ("text/plain" in accept and "json" not in accept):
        return HttpResponse("\n".join(health.summary_lines(parts, details=details)) + "\n",
                            content_type="text/plain; charset=utf-8", status=status)

    def described(part):
        answer = {"status": part.status, "text": part.text}
        if details:
            answer |= {"seconds": round(part.seconds, 3)} | ({"detail": part.detail} if part.detail else {})
        return answer

    return JsonResponse({"status": "fail" if failing else "ok", "failing": failing,
                         "parts": {part.name: described(part) for part in parts}},
                        status=status, json_dumps_params={"ensure_ascii": False})


@login_not_required
@never_cache
def healthz_live(request):
    """The web process answers (docker compose's check of the web container): nothing else is asked."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@never_cache
@require_safe
def metrics_view(request):
    """Prometheus metrics (core/metrics.py), for the monitoring only: METRICS_TOKEN or METRICS_ALLOWED_IPS."""
    from prometheus_client import CONTENT_TYPE_LATEST

    if not metrics.monitoring_allowed(request):
        return HttpResponse("Forbidden\n", content_type="text/plain", status=403)
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)


def figure_definitions(request):
    """«Как считаются показатели»: every figure of the registry (core.figures) with its definition.

    Open to every signed-in user: a definition is no secret, and every role that sees a figure links here.
    """
    from core.figures import PERIOD_KINDS, UNITS, all_figures

    rows = [{"code": f.code, "name": f.name, "definition": f.definition, "differs_from": f.differs_from,
             "unit_label": UNITS[f.unit], "period_label": PERIOD_KINDS[f.period_kind]} for f in all_figures()]
    return render(request, "core/figures.html", {"figures": rows})
