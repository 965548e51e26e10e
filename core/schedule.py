"""Celery beat entries of core (collected by iom_portal.celery; no Django import here).

Entries named *-requeue also run once when a worker starts (iom_portal.celery).
"""

BEAT_SCHEDULE = {
    "core-emails-requeue": {"task": "core.tasks.requeue_emails", "schedule": 60.0},
    "core-imports-requeue": {"task": "core.imports.tasks.requeue_import_jobs", "schedule": 60.0},
}
