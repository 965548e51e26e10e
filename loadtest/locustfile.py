"""A working day of the portal at regional scale, for `make loadtest` (loadtest/run.py starts it).

Teachers open their route and mark an activity done (then take the mark back, so the data
stays as generated); deputies open their review queue and a route waiting for them;
methodists open the dashboards. Accounts and URLs come from the JSON file the runner wrote
(LOADTEST_PLAN), with a session opened for each. Request names start with the class the
targets are checked on: "teacher:", "deputy:", "dashboard:" ("start" has no target).
"""

import itertools
import json
import os
import random
import threading

from locust import HttpUser, LoadTestShape, between, events, task

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"], encoding="utf-8").read())  # noqa: SIM115
_lock = threading.Lock()
# With LOADTEST_SAMPLES (the fault run, loadtest/run.py --fault): every request's time, name, duration
# and failure, so the runner can give the figures before, during and after the outage.
_samples: list = []
SAMPLES = os.environ.get("LOADTEST_SAMPLES")


if SAMPLES:
    @events.request.add_listener
    def _record(request_type, name, response_time, response_length, exception=None, start_time=None, **kwargs):
        import time

        _samples.append((time.time(), name, response_time, exception is not None))

    @events.quitting.add_listener
    def _save(environment, **kwargs):
        with open(SAMPLES, "w", encoding="utf-8") as f:
            json.dump(_samples, f)
_counters = {role: itertools.count() for role in ("teachers", "deputies", "methodists")}
# With LOADTEST_STEPS (loadtest/run.py --steps): "20,40,80,160" users, each level held
# LOADTEST_STEP_SECONDS; the wall time each level began is written to LOADTEST_STEP_MARKS.
STEPS = [int(n) for n in os.environ.get("LOADTEST_STEPS", "").split(",") if n]
KINDS = {"teachers": "teacher", "deputies": "deputy", "methodists": "dashboard"}


if STEPS:
    class StepShape(LoadTestShape):
        """One level after another; a new level's users are started within a few seconds."""

        seconds = float(os.environ.get("LOADTEST_STEP_SECONDS", 50))
        marks: list = []

        def tick(self):
            import time

            index = int(self.get_run_time() // self.seconds)
            if index >= len(STEPS):
                with open(os.environ["LOADTEST_STEP_MARKS"], "w", encoding="utf-8") as f:
                    json.dump(self.marks + [[0, time.time()]], f)
                return None
            if len(self.marks) <= index:
                self.marks.append([STEPS[index], time.time()])
            added = STEPS[index] - (STEPS[index - 1] if index else 0)
            return STEPS[index], max(4.0, added / 4)


def _next(role: str) -> dict:
    """Accounts are dealt in turn, so no two simulated users share a session or a route."""
    with _lock:
        accounts = PLAN[role]
        return accounts[next(_counters[role]) % len(accounts)]


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self):
        # The runner opened a session for the account (see loadtest/run.py); the first page
        # sets the CSRF cookie that the POSTs send back.
        self.account = _next(self.role)
        self.client.cookies.set("sessionid", self.account["session"], domain="127.0.0.1", path="/")
        # The class of every request, for the CPU time the stepped run's gunicorn hook records.
        self.client.headers["X-Loadtest-Kind"] = KINDS[self.role]
        self.client.get("/", name="start", headers={"X-Loadtest-Kind": "start"})

    def post(self, path: str, name: str, data: dict | None = None):
        return self.client.post(path, name=name, data=data or {}, allow_redirects=False,
                                headers={"X-CSRFToken": self.client.cookies.get("csrftoken", "")})


class Teacher(PortalUser):
    weight = 6
    role = "teachers"

    @task(4)
    def route(self):
        self.client.get(self.account["route_url"], name="teacher: ИОМ")

    @task(1)
    def my_routes(self):
        self.client.get("/routes/my/", name="teacher: мои ИОМ")

    @task(1)
    def home(self):
        self.client.get("/", name="teacher: главная")

    @task(2)
    def mark_activity(self):
        activity = random.choice(self.account["activities"])  # noqa: S311  (load pattern, not security)
        response = self.post(f"/routes/activities/{activity}/done/", "teacher: отметить выполнение", {
            "done_on": PLAN["today"], "evidence_kind": "certificate", "url": "https://example.org/certificate.pdf",
            "note": "нагрузочный тест",
        })
        if response.status_code in (200, 302):
            self.post(f"/routes/activities/{activity}/undone/", "teacher: снять отметку")


class Deputy(PortalUser):
    weight = 2
    role = "deputies"

    @task(3)
    def queue(self):
        self.client.get("/routes/review/", name="deputy: очередь согласования")

    @task(2)
    def review(self):
        if self.account.get("review_url"):
            self.client.get(self.account["review_url"], name="deputy: ИОМ на согласовании")

    @task(1)
    def school(self):
        if self.account.get("school_url"):
            self.client.get(self.account["school_url"], name="deputy: школа")


class Methodist(PortalUser):
    weight = 2
    role = "methodists"

    @task
    def dashboard(self):
        path, label = random.choice(self.account["dashboards"])  # noqa: S311
        self.client.get(path, name=f"dashboard: {label}")
