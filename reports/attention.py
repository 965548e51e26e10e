from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.attention import Item
from reports.models import ReportJob
from schools.access import has_capability


def report_jobs(user) -> list[Item]:
    """Reports ready in the last day, and reports that failed (they can be restarted)."""
    since = timezone.now() - timezone.timedelta(days=1)
    jobs = ReportJob.objects.filter(requester=user, finished_at__gte=since).only("status", "kind", "finished_at")
    ready = sum(1 for j in jobs if j.status == ReportJob.Status.DONE)
    failed = sum(1 for j in jobs if j.status == ReportJob.Status.FAILED)
    items = []
    url = reverse("reports:index")
    if ready:
        items.append(Item(title="Отчеты готовы к скачиванию", url=url, count=ready, level="success",
                          detail="Файлы хранятся ограниченное время."))
    if failed:
        items.append(Item(title="Отчеты не сформированы", url=url, count=failed, level="danger",
                          detail="Откройте список, чтобы увидеть причину и перезапустить."))
    return items


def operations(user) -> list[Item]:
    """For the administrator: queued work that waits too long (the worker is down), mail not delivered."""
    if not has_capability(user, "operations.view"):
        return []
    from core.health import queue_report

    report = queue_report(check_broker=False)
    items = []
    delayed = sum(report.delayed_jobs.values()) + report.delayed_emails
    if delayed:
        items.append(Item(title="Очередь задерживается", url=reverse("healthz_queue"), count=delayed, level="danger",
                          detail=f"Задания и письма ждут дольше {settings.QUEUE_DELAY_MINUTES} мин: проверьте, "
                                 "работает ли исполнитель заданий (Celery) и Redis (docs/operations.md)."))
    if report.failed_emails:
        items.append(Item(title="Письма не доставлены", count=report.failed_emails, level="warning",
                          url=reverse("admin:core_outgoingemail_changelist") + "?status__exact=failed",
                          detail="Почтовый сервер отказал во всех попытках. Отметьте письма и выберите "
                                 "«Отправить снова»."))
    return items


PROVIDERS = [report_jobs, operations]
