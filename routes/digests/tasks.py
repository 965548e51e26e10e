"""Celery tasks of «Рассылки» (registered through routes.tasks; scheduled in routes/schedule.py)."""

from celery import shared_task

from routes.digests.services import Kind, send_digests


@shared_task
def send_weekly_digests() -> int:
    """Mondays: each deputy and methodist hears what waits for them in their scope (nothing waits: no e-mail)."""
    return send_digests(Kind.WEEKLY)


@shared_task
def send_monthly_digests() -> int:
    """On the 1st: methodists and directors get the key figures of their scope with a link to their dashboard."""
    return send_digests(Kind.MONTHLY)
