"""Celery beat entries of the routes app (collected by iom_portal.celery; no Django import here)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "routes-daily-reminders": {"task": "routes.tasks.send_reminders", "schedule": crontab(hour=7, minute=0)},
    # hourly: Russia's zones reach a new date at different hours, each school's routes expire soon after its midnight
    # the escalation steps (each once: routes.models.Escalation), after the day's reminders
    "routes-escalation": {"task": "routes.tasks.escalate", "schedule": crontab(hour=7, minute=30)},
    # the digests (routes/digests): what waits, on Monday mornings; the key figures, on the 1st
    "routes-weekly-digests": {"task": "routes.digests.tasks.send_weekly_digests",
                              "schedule": crontab(day_of_week=1, hour=5, minute=0)},
    "routes-monthly-digests": {"task": "routes.digests.tasks.send_monthly_digests",
                               "schedule": crontab(day_of_month=1, hour=5, minute=30)},
    "routes-expire-periods": {"task": "routes.tasks.expire_routes", "schedule": crontab(minute=5)},
}
