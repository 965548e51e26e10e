import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iom_portal.settings")

app = Celery("iom_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _collect_beat_schedules(sender, **kwargs) -> None:
    """Each app may list periodic tasks in `<app>/schedule.py` as BEAT_SCHEDULE (plain data, no models).

    Collected once the app is finalized: the settings (INSTALLED_APPS) are loaded by then, whereas
    this module itself is imported while the settings module is being read.
    """
    from core.registry import contributions

    sender.conf.beat_schedule = {**(sender.conf.beat_schedule or {}), **dict(contributions("schedule", "BEAT_SCHEDULE"))}
