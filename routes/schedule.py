"""Celery beat entries of the routes app (collected by iom_portal.celery; no Django import here)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "routes-daily-reminders": {"task": "routes.tasks.send_reminders", "schedule": crontab(hour=7, minute=0)},
}
