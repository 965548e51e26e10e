import os

from celery import Celery
from celery.signals import worker_ready

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


@worker_ready.connect
def _requeue_waiting_work(sender=None, **kwargs):
    """A worker that starts (after an outage of the worker or of Redis) hands over at once what waits in
    the database: the beat entries named *-requeue run here, in the worker's main process, without
    waiting for beat. Each job claims its row, so work that is also still in the broker runs once."""
    import logging

    for name, entry in app.conf.beat_schedule.items():
        if not name.endswith("-requeue"):
            continue
        try:
            app.tasks[entry["task"]].run()
        except Exception:  # the database may not answer yet: beat's next run does it
            logging.getLogger(__name__).warning("%s at worker start failed", name, exc_info=True)
    from django.db import connections

    connections.close_all()  # the main process does no other work: children open their own
