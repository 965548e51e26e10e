import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iom_portal.settings")

app = Celery("iom_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _collect_beat_schedules() -> dict:
    """Each app may list periodic tasks in `<app>/schedule.py` as BEAT_SCHEDULE (plain data, no models)."""
    from importlib import import_module

    schedule = {}
    for name in ("core", "schools", "diagnostics", "routes", "methodics", "reports"):
        try:
            module = import_module(f"{name}.schedule")
        except ModuleNotFoundError:
            continue
        schedule.update(getattr(module, "BEAT_SCHEDULE", {}))
    return schedule


app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **_collect_beat_schedules()}


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
