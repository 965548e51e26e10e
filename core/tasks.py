from celery import shared_task

from core.imports.tasks import run_import_job  # noqa: F401  (registered for the worker: core.imports is no app)
from core.services import send_email_now


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(to: str, subject: str, body: str, url: str = "") -> None:
    send_email_now(to=to, subject=subject, body=body, url=url)
