import os

from celery import Celery

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
