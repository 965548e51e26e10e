"""gunicorn configuration of the stepped load test (loadtest/run.py --steps): the CPU time of each request.

A sync worker handles one request at a time in one thread, so the thread's CPU clock from
pre_request to post_request (the response written) is that request's CPU time in Python: Django,
templates, the database driver (the database server's own CPU is not in it). One line per request
is appended to LOADTEST_CPU_LOG: wall time, the class locust named in X-Loadtest-Kind, CPU ms.
"""

import os
import time

_log_path = os.environ["LOADTEST_CPU_LOG"]
_state = {}


def post_fork(server, worker):
    _state["log"] = open(_log_path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 (lives as long as the worker)


def pre_request(worker, req):
    _state["cpu"] = time.thread_time()


def post_request(worker, req, environ, resp):
    cpu_ms = (time.thread_time() - _state.get("cpu", time.thread_time())) * 1000
    kind = next((value for name, value in req.headers if name == "X-LOADTEST-KIND"), "other")
    _state["log"].write(f"{time.time():.3f} {kind} {cpu_ms:.2f}\n")
