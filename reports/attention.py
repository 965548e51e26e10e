from django.urls import reverse
from django.utils import timezone

from core.attention import Item
from reports.models import ReportJob


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


PROVIDERS = [report_jobs]
