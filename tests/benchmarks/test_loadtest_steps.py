"""loadtest/run.py --steps: the per-level table, the knee and the ratio to the machine's limit,
computed from what locust, the gunicorn hook and /proc recorded (here: made-up recordings)."""

import os
import sys

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT))
from loadtest.run import _cpu_at, knee, steps_table, worker_cpu_seconds  # noqa: E402


def _level(begin, users, per_second, teacher_ms, dashboard_ms, cpu_ms, failures=0):
    """50 s of requests from `begin`: teacher and dashboard pages alternating, `per_second` a second."""
    samples, cpu = [], []
    for i in range(50 * per_second):
        moment = begin + i / per_second
        kind, ms = ("teacher", teacher_ms) if i % 2 else ("dashboard", dashboard_ms)
        samples.append((moment, f"{kind}: page", ms, i < failures))
        cpu.append((moment, kind, cpu_ms))
    return samples, cpu


def test_the_knee_is_the_first_level_over_a_target_and_its_throughput_is_set_against_the_cpu_limit():
    samples, cpu_log = [], []
    for begin, users, rate, teacher, dashboard in ((0, 20, 10, 120, 300), (50, 40, 20, 250, 500),
                                                   (100, 80, 30, 420, 900)):
        s, c = _level(begin, users, rate, teacher, dashboard, cpu_ms=50)
        samples += s + [(begin + 1, "start", 5000, False)]  # a user's first page: not measured
        cpu_log += c
    marks = [[20, 0], [40, 50], [80, 100], [0, 150]]
    # the workers' CPU: 0.05 s per request, read once a second
    cpu_samples = [(t, sum(0.05 for m, *_ in cpu_log if m < t)) for t in range(0, 151)]
    steps = steps_table(samples, marks, cpu_log, cpu_samples, settle=10)

    assert [s["users"] for s in steps] == [20, 40, 80]
    first = steps[0]
    assert first["seconds"] == 40 and first["requests"] == 400 and first["rps"] == 10
    assert first["kinds"]["teacher"]["p95"] == 120 and first["kinds"]["dashboard"]["p95"] == 300
    assert first["kinds"]["teacher"]["cpu_ms"] == 50 and abs(first["workers_cpu_ms"] - 50) < 1
    assert first["over"] == [] and steps[1]["over"] == []
    assert steps[2]["over"] == ["teacher", "dashboard"]

    result = knee(steps, cores=2)
    # 2 cores ÷ 50 ms = 40 requests/s; the knee runs at 30
    assert result["reached"] and result["users"] == 80 and result["last_within"] == 40
    assert result["limit_rps"] == 40 and result["rps"] == 30 and result["ratio"] == 0.75


def test_errors_alone_make_a_knee_and_no_crossing_reports_the_top_level():
    s1, c1 = _level(0, 20, 10, 100, 100, cpu_ms=20)
    s2, c2 = _level(50, 40, 10, 100, 100, cpu_ms=20, failures=3)
    cpu_samples = [(t, t * 0.2) for t in range(0, 101)]
    steps = steps_table(s1 + s2, [[20, 0], [40, 50], [0, 100]], c1 + c2, cpu_samples, settle=0)
    assert steps[1]["over"] == ["ошибки"] and knee(steps, cores=2)["users"] == 40

    calm = knee(steps[:1], cores=2)
    assert calm["reached"] is False and calm["users"] == 20 and calm["last_within"] is None


def test_the_cpu_reading_follows_proc_and_interpolates():
    assert _cpu_at([(0, 1.0), (10, 3.0)], 5) == 2.0 and _cpu_at([(0, 1.0)], 5) == 1.0
    # this test's own process has a parent; the parent's children include it, with some CPU used
    assert worker_cpu_seconds(os.getppid()) > 0
