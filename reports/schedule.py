"""Celery beat entries of the reports app (collected by iom_portal.celery; no Django import here)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "reports-nightly-snapshot": {"task": "reports.tasks.take_snapshots", "schedule": crontab(hour=2, minute=30)},
    "reports-delete-expired-files": {"task": "reports.tasks.delete_expired_files", "schedule": crontab(minute=15)},
    # entries named *-requeue also run when a worker starts (iom_portal.celery)
    "reports-jobs-requeue": {"task": "reports.tasks.requeue_report_jobs", "schedule": 60.0},
}
