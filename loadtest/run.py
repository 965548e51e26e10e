"""`make loadtest`: gunicorn (4 workers) on the L bench database, locust headless on 127.0.0.1.

1. The L database of the bench (benchmarks/common.py) is made or reused.
2. A plan is written: accounts of teachers with a route being implemented (and the ids of a
   few of its activities), deputies with a route waiting in their queue, municipal and
   regional methodists with the dashboards that answer 200 to them; a session is opened for
   each account beforehand (a login is a deliberate ~0.5 s PBKDF2 hash, not a measured page).
3. gunicorn serves the portal with production settings (DEBUG off, Redis cache) on
   127.0.0.1; locust runs headless for the given time (2 minutes by default) and stops;
   statistics are reset once every simulated user has started (steady state only).
4. One table: requests per second, p50/p95/p99 and errors per request name, the target of
   its class (teacher and deputy pages ≤ 300 ms at p95, dashboards ≤ 800 ms), and a verdict.
   Saved as bench-results/loadtest-<timestamp>.json beside locust's CSV files.

With `--fault redis` (`make loadtest FAULT=redis`) gunicorn uses a Redis server of this run's own on
a free port (the machine's shared Redis is never touched), which is stopped for 30 seconds in the
middle of the run and started again with its data, as production's appendonly Redis comes back.
A second table gives requests, errors and p50/p95 per class before, during and after the outage
(issue 21: errors 0, docs/operations.md).

With `--steps` (`make loadtest STEPS=1`) the load rises in levels (20, 40, 80, 160 users by default,
`--step-users`), each held `--step-seconds` (50 s; the first third of a level is its settling time and
is not measured). gunicorn then runs with loadtest/gunicorn_cpu.py, which logs each request's CPU time
in the worker. Per level: throughput, p50/p95/p99 per class, the CPU time per request of each class
and of the workers as a whole (utime + stime from /proc/<pid>/stat); the knee is the first level
where a class's p95 passes its target (or errors appear). The knee's throughput is compared with
the machine's limit for the portal's Python, cores ÷ mean CPU time per request (target ≥ 0.8).

Only 127.0.0.1 is ever contacted. Every process started here is stopped here.
"""

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import PG_URL, RESULTS_DIR, configure, db_name, use_size  # noqa: E402

TARGETS_MS = {"teacher": 300, "deputy": 300, "dashboard": 800}
BIN = Path(sys.executable).parent


def plan(max_accounts: int) -> dict:
    """Accounts and URLs for the locustfile, chosen from the L data."""
    from django.conf import settings
    from django.db.models import Exists, OuterRef
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from benchmarks.pages_bench import DASHBOARD_HINTS, argless_names
    from core.dates import current_academic_year
    from devdata.generator import BENCH_PASSWORD
    from routes.models import RoadmapActivity, Route
    from schools.models import Membership

    year = current_academic_year()
    today = timezone.localdate()
    teachers = []
    routes = (Route.objects.filter(academic_year=year, status=Route.Status.IN_PROGRESS, person__user__isnull=False,
                                   starts_on__lte=today)
              .exclude(person__user__memberships__role__in=["deputy", "director"])
              .select_related("person__user").order_by("pk")[:max_accounts])
    for route in routes:
        activities = list(RoadmapActivity.objects.filter(route=route, is_done=False).order_by("pk")
                          .values_list("pk", flat=True)[:5])
        if activities:
            teachers.append({"username": route.person.user.username,
                             "route_url": reverse("routes:route_detail", args=[route.pk]),
                             "activities": activities})
    deputies = []
    waiting = Route.objects.filter(organisation=OuterRef("organisation"), academic_year=year,
                                   status=Route.Status.SUBMITTED)
    for membership in (Membership.objects.filter(role="deputy").filter(Exists(waiting))
                       .select_related("user").order_by("user__username")[:max_accounts]):
        route = Route.objects.filter(organisation_id=membership.organisation_id, academic_year=year,
                                     status=Route.Status.SUBMITTED).order_by("pk").first()
        deputies.append({"username": membership.user.username,
                         "review_url": reverse("routes:route_review", args=[route.pk]),
                         "school_url": reverse("organisation_detail", args=[membership.organisation_id])})

    candidates = [n for n in argless_names() if any(h in n for h in DASHBOARD_HINTS)
                  or n in ("organisation_list", "routes:credit_queue")]
    methodists = []
    for role, limit in (("municipal_methodist", max(1, max_accounts // 4)), ("regional_methodist", 2)):
        memberships = list(Membership.objects.filter(role=role).select_related("user")
                           .order_by("user__username")[:limit])
        if not memberships:
            continue
        client = Client()
        client.force_login(memberships[0].user)
        dashboards = []
        for name in candidates:
            try:
                path = reverse(name)
            except NoReverseMatch:
                continue
            response = client.get(path)
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                dashboards.append((path, f"{name} ({'регион' if role == 'regional_methodist' else 'ММЦ'})"))
        methodists += [{"username": m.user.username, "dashboards": dashboards} for m in memberships if dashboards]
    # Sessions are opened here, before the clock starts: a login costs a full PBKDF2 hash
    # (~0.5 s of CPU by design), and thirty of them at once would hold both cores for the
    # first quarter of the run. The login page itself is not what this test measures.
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk(
        [a["username"] for a in teachers + deputies + methodists], field_name="username")
    for account in teachers + deputies + methodists:
        client = Client()
        client.force_login(users[account["username"]])
        account["session"] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"password": BENCH_PASSWORD, "today": today.strftime("%d.%m.%Y"),
            "teachers": teachers, "deputies": deputies, "methodists": methodists}


def wait_for(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310  (127.0.0.1 only)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn не ответил на {url} за {seconds} с")


def summarize(stats_csv: Path, failures_csv: Path) -> tuple[list[dict], dict]:
    rows = []
    with stats_csv.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append({
                "name": r["Name"] if r["Name"] != "Aggregated" else "всего",
                "requests": int(r["Request Count"]), "failures": int(r["Failure Count"]),
                "rps": round(float(r["Requests/s"]), 1),
                "p50": _num(r["50%"]), "p95": _num(r["95%"]), "p99": _num(r["99%"]),
            })
    failures = []
    if failures_csv.exists():
        with failures_csv.open(encoding="utf-8") as f:
            failures = [{"name": r["Name"], "error": r["Error"], "count": int(r["Occurrences"])}
                        for r in csv.DictReader(f)]
    for row in rows:
        kind = row["name"].split(":", 1)[0]
        row["target_ms"] = TARGETS_MS.get(kind)
        row["ok"] = None if row["target_ms"] is None else (row["p95"] <= row["target_ms"] and row["failures"] == 0)
    total = next(r for r in rows if r["name"] == "всего")
    return rows, {"failures": failures, "total": total}


class OwnRedis:
    """redis-server on a free port for the fault run; stop() keeps its data for start()."""

    def __init__(self, directory: Path):
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redis

        executable = shutil.which("redis-server")
        if executable is None:
            raise SystemExit("--fault redis: нет redis-server (пакет Debian redis-server, его ставит Makefile)")
        self.process = subprocess.Popen(  # noqa: S603
            [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory), "--loglevel", "warning"], stdout=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        for _ in range(100):
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.1)
        raise SystemExit("redis-server для --fault redis не запустился")

    def stop(self) -> None:
        import redis

        if self.process is None:
            return
        try:
            redis.Redis(port=self.port, socket_connect_timeout=1).shutdown(save=True)
        except redis.RedisError:
            pass
        self.process.wait(timeout=30)
        self.process = None


def outage(redis_server: OwnRedis, start_after: float, seconds: float, marks: dict) -> None:
    """In a thread: Redis stopped `start_after` seconds from now, started again `seconds` later."""
    time.sleep(start_after)
    marks["down"] = time.time()
    redis_server.stop()
    print(f"  Redis остановлен на {seconds:.0f} с", flush=True)
    time.sleep(seconds)
    redis_server.start()
    marks["up"] = time.time()
    print("  Redis снова работает", flush=True)


def phases_table(samples: list, marks: dict) -> list[dict]:
    """Per phase (before / during / after the outage) and class: requests, errors, p50, p95."""
    bounds = [("до сбоя", marks["steady"], marks["down"]), ("Redis остановлен", marks["down"], marks["up"]),
              ("после сбоя", marks["up"], float("inf"))]
    rows = []
    for phase, start, end in bounds:
        chosen = [s for s in samples if start <= s[0] < end and s[1] != "start"]
        for kind in ("teacher", "deputy", "dashboard", "всего"):
            picked = [s for s in chosen if kind == "всего" or s[1].startswith(kind + ":")]
            times = sorted(s[2] for s in picked)
            rows.append({"phase": phase, "kind": kind, "requests": len(picked), "failures": sum(s[3] for s in picked),
                         "p50": _percentile(times, 50), "p95": _percentile(times, 95),
                         "target_ms": TARGETS_MS.get(kind)})
    return rows


KINDS = ("teacher", "deputy", "dashboard")


def worker_cpu_seconds(master_pid: int) -> float:
    """utime + stime of gunicorn's workers (the master's children), from /proc/<pid>/stat."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == master_pid:  # fields[1]: ppid (field 4 of stat)
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / ticks


def sample_cpu(master_pid: int, samples: list, stop) -> None:
    """In a thread: (wall time, workers' CPU seconds) every second until `stop` is set."""
    while not stop.is_set():
        samples.append((time.time(), worker_cpu_seconds(master_pid)))
        stop.wait(1)


def _cpu_at(samples: list, moment: float) -> float:
    """The workers' CPU seconds at `moment`, interpolated between the samples around it."""
    before = [s for s in samples if s[0] <= moment]
    after = [s for s in samples if s[0] >= moment]
    if not before or not after:
        return (before or after)[-1 if before else 0][1]
    (t0, c0), (t1, c1) = before[-1], after[0]
    return c0 if t1 == t0 else c0 + (c1 - c0) * (moment - t0) / (t1 - t0)


def steps_table(samples: list, marks: list, cpu_log: list, cpu_samples: list, settle: float) -> list[dict]:
    """Per level: its measured window (after `settle` seconds), throughput, p50/p95/p99 and errors
    per class, CPU ms per request per class (gunicorn hook) and for the workers as a whole (/proc)."""
    steps = []
    for (users, begin), (_next_users, end) in zip(marks, marks[1:], strict=False):
        start = begin + settle
        seconds = max(end - start, 1e-9)
        chosen = [s for s in samples if start <= s[0] < end and s[1] != "start"]
        cpu_rows = [c for c in cpu_log if start <= c[0] < end and c[1] != "start"]
        step = {"users": users, "seconds": round(seconds, 1), "requests": len(chosen),
                "rps": round(len(chosen) / seconds, 1), "failures": sum(s[3] for s in chosen), "kinds": {}}
        for kind in (*KINDS, "всего"):
            picked = [s for s in chosen if kind == "всего" or s[1].startswith(kind + ":")]
            times = sorted(s[2] for s in picked)
            cpu = [c[2] for c in cpu_rows if kind == "всего" or c[1] == kind]
            step["kinds"][kind] = {
                "requests": len(picked), "rps": round(len(picked) / seconds, 1),
                "failures": sum(s[3] for s in picked),
                "p50": _percentile(times, 50), "p95": _percentile(times, 95), "p99": _percentile(times, 99),
                "cpu_ms": round(sum(cpu) / len(cpu), 1) if cpu else None, "target_ms": TARGETS_MS.get(kind)}
        served = len(cpu_rows)
        workers = _cpu_at(cpu_samples, end) - _cpu_at(cpu_samples, start)
        step["workers_cpu_ms"] = round(workers * 1000 / served, 1) if served else None
        step["workers_busy"] = round(workers / seconds, 2)  # cores' worth of the workers' CPU
        step["over"] = [k for k in KINDS if step["kinds"][k]["requests"]
                        and step["kinds"][k]["p95"] > TARGETS_MS[k]] + (["ошибки"] if step["failures"] else [])
        steps.append(step)
    return steps


def knee(steps: list[dict], cores: int) -> dict:
    """The first level over a target; its throughput against cores ÷ mean CPU time per request."""
    index = next((i for i, s in enumerate(steps) if s["over"]), None)
    chosen = steps[index] if index is not None else (steps[-1] if steps else None)
    if chosen is None:
        return {"reached": False}
    cpu_ms = chosen["workers_cpu_ms"] or chosen["kinds"]["всего"]["cpu_ms"]
    limit = cores * 1000 / cpu_ms if cpu_ms else None
    return {"reached": index is not None, "users": chosen["users"], "rps": chosen["rps"], "over": chosen["over"],
            "last_within": steps[index - 1]["users"] if index else None,
            "cpu_ms": cpu_ms, "cores": cores, "limit_rps": round(limit, 1) if limit else None,
            "ratio": round(chosen["rps"] / limit, 2) if limit else None}


def print_steps(steps: list[dict], the_knee: dict) -> None:
    print(f"\n{'польз.':>6} {'класс':<10} {'запр.':>6} {'rps':>6} {'ошиб.':>6} {'p50':>6} {'p95':>6} {'p99':>6} "
          f"{'ЦП мс':>6}  цель p95")
    for step in steps:
        for kind, r in step["kinds"].items():
            target = f"≤ {r['target_ms']} мс{' ПРЕВЫШЕНА' if kind in step['over'] else ''}" if r["target_ms"] else ""
            cpu = f"{r['cpu_ms']:>6.1f}" if r["cpu_ms"] is not None else f"{'—':>6}"
            print(f"{step['users']:>6} {kind:<10} {r['requests']:>6} {r['rps']:>6} {r['failures']:>6} {r['p50']:>6.0f} "
                  f"{r['p95']:>6.0f} {r['p99']:>6.0f} {cpu}  {target}")
        print(f"{'':>6} воркеры: ЦП {step['workers_cpu_ms']} мс на запрос (по /proc), заняты {step['workers_busy']} "
              f"ядра из {os.cpu_count()}, окно {step['seconds']} с")
    if not steps:
        print("Уровни нагрузки не записаны.")
        return
    head = (f"Колено: {the_knee['users']} пользователей (превышено: {', '.join(the_knee['over'])})"
            if the_knee["reached"] else f"Колено не достигнуто: цели выполнены и при {the_knee['users']} пользователях")
    print(f"\n{head}; {the_knee['rps']} запросов/с.")
    if the_knee.get("limit_rps"):
        print(f"Предел машины для Python портала: {the_knee['cores']} ядра ÷ {the_knee['cpu_ms']} мс ЦП на запрос = "
              f"{the_knee['limit_rps']} запросов/с; колено/предел = {the_knee['ratio']} (цель ≥ 0.8).")


def _percentile(values: list[float], q: int) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, max(0, round(q / 100 * len(values) + 0.5) - 1))]


def _num(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description="Нагрузочный тест портала на данных размера L.")
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOADTEST_USERS", 40)))
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--duration", default=os.environ.get("LOADTEST_DURATION", "2m"),
                        help="длительность, не больше 2m по умолчанию")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--fault", choices=["redis"], default=os.environ.get("LOADTEST_FAULT") or None,
                        help="redis: остановить Redis на 30 с в середине прогона")
    parser.add_argument("--outage-seconds", type=float, default=30)
    parser.add_argument("--size", choices=["S", "M", "L"], default="L",
                        help="данные стенда; L — область, S и M — только для проверки самого прогона")
    parser.add_argument("--steps", action="store_true",
                        help="ступени нагрузки (--step-users) до колена, где p95 превышает цели")
    parser.add_argument("--step-users", default="20,40,80,160")
    parser.add_argument("--step-seconds", type=float, default=50, help="длительность ступени, с")
    args = parser.parse_args()
    step_users = [int(n) for n in args.step_users.split(",") if n.strip()]
    if args.steps and args.fault:
        parser.error("--steps и --fault — разные прогоны: выберите один")
    if args.steps and (not step_users or len(step_users) * args.step_seconds > 6 * 60):
        parser.error("ступеней × --step-seconds — не больше 6 минут")

    configure(args.size)
    use_size(args.size)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    RESULTS_DIR.mkdir(exist_ok=True)
    plan_path = RESULTS_DIR / f"loadtest-{stamp}-plan.json"
    the_plan = plan(max(max(step_users) if args.steps else args.users, 10))
    plan_path.write_text(json.dumps(the_plan, ensure_ascii=False))
    print(f"План: педагогов {len(the_plan['teachers'])}, заместителей {len(the_plan['deputies'])}, "
          f"методистов {len(the_plan['methodists'])}; сводки: "
          f"{', '.join(label for _p, label in (the_plan['methodists'][0]['dashboards'] if the_plan['methodists'] else []))}",
          flush=True)
    from django.db import connections

    connections.close_all()

    env = dict(os.environ)
    env["DATABASE_URL"] = f"{PG_URL}/{db_name(args.size)}"
    host = f"http://127.0.0.1:{args.port}"
    own_redis = marks = samples_path = None
    if args.fault == "redis":
        import tempfile
        import threading

        own_redis = OwnRedis(Path(tempfile.mkdtemp(prefix="loadtest-redis-")))
        own_redis.start()
        env["REDIS_URL"] = own_redis.url
        samples_path = RESULTS_DIR / f"loadtest-{stamp}-samples.json"
        marks = {}
        print(f"Сбой: Redis {own_redis.url} будет остановлен на {args.outage_seconds:.0f} с в середине прогона",
              flush=True)
    step_files = cpu_samples = stop_sampling = None
    gunicorn_config = []
    if args.steps:
        import threading

        step_files = {"samples": RESULTS_DIR / f"loadtest-{stamp}-samples.json",
                      "marks": RESULTS_DIR / f"loadtest-{stamp}-steps.json",
                      "cpu": RESULTS_DIR / f"loadtest-{stamp}-cpu.log"}
        env["LOADTEST_CPU_LOG"] = str(step_files["cpu"])
        gunicorn_config = ["-c", str(ROOT / "loadtest" / "gunicorn_cpu.py")]
        cpu_samples, stop_sampling = [], threading.Event()
    gunicorn = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "iom_portal.wsgi", *gunicorn_config, "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{args.port}", "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        wait_for(f"{host}/healthz/live")  # the process; /healthz would also want a worker
        prefix = RESULTS_DIR / f"loadtest-{stamp}"
        locust_env = dict(env, LOADTEST_PLAN=str(plan_path))
        if samples_path:
            locust_env["LOADTEST_SAMPLES"] = str(samples_path)
            total = _seconds(args.duration)
            spawn = args.users / args.spawn_rate
            marks["steady"] = time.time() + spawn
            start_after = spawn + (total - spawn - args.outage_seconds) / 2
            threading.Thread(target=outage, args=(own_redis, start_after, args.outage_seconds, marks),
                             daemon=True).start()
        if args.steps:
            return run_steps(args, step_users, step_files, locust_env, prefix, host, gunicorn.pid, cpu_samples,
                             stop_sampling, stamp)
        print(f"locust: {args.users} пользователей, {args.duration}, {host}", flush=True)
        subprocess.run(  # noqa: S603
            [str(BIN / "locust"), "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless",
             "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.duration, "--stop-timeout", "10",
             "--host", host, "--csv", str(prefix), "--only-summary", "--reset-stats", "--loglevel", "WARNING"],
            cwd=ROOT, env=locust_env, timeout=600, check=False,
        )
    finally:
        if stop_sampling is not None:
            stop_sampling.set()
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
        if own_redis is not None:
            own_redis.stop()

    rows, extra = summarize(Path(f"{prefix}_stats.csv"), Path(f"{prefix}_failures.csv"))
    print()
    print(f"{'запрос':<52} {'запр.':>6} {'ошиб.':>6} {'rps':>6} {'p50':>6} {'p95':>6} {'p99':>6}  цель p95")
    for r in rows:
        verdict = "" if r["ok"] is None else ("ok" if r["ok"] else "НЕ ВЫПОЛНЕНО")
        target = f"≤ {r['target_ms']} мс {verdict}" if r["target_ms"] else ""
        print(f"{r['name'][:52]:<52} {r['requests']:>6} {r['failures']:>6} {r['rps']:>6} {r['p50']:>6.0f} "
              f"{r['p95']:>6.0f} {r['p99']:>6.0f}  {target}")
    total = extra["total"]
    print(f"\nВсего: {total['rps']} запросов/с, ошибок {total['failures']} из {total['requests']}.")
    for f in extra["failures"]:
        print(f"  ошибка: {f['name']}: {f['error']} × {f['count']}")
    failed = [r for r in rows if r["ok"] is False]
    result = {"started": stamp, "users": args.users, "duration": args.duration, "workers": args.workers,
              "rows": rows, "failures": extra["failures"], "targets_met": not failed and total["failures"] == 0}
    if samples_path:
        if "up" not in marks or not samples_path.exists():
            print("Сбой не состоялся (прогон короче сбоя?) или locust не записал запросы.")
            result["targets_met"] = False
        else:
            phases = phases_table(json.loads(samples_path.read_text()), marks)
            print(f"\nRedis остановлен на {args.outage_seconds:.0f} с:")
            print(f"{'фаза':<18} {'класс':<10} {'запр.':>6} {'ошиб.':>6} {'p50':>6} {'p95':>6}  цель p95")
            for r in phases:
                target = f"≤ {r['target_ms']} мс" if r["target_ms"] else ""
                print(f"{r['phase']:<18} {r['kind']:<10} {r['requests']:>6} {r['failures']:>6} {r['p50']:>6.0f} "
                      f"{r['p95']:>6.0f}  {target}")
            errors = sum(r["failures"] for r in phases if r["kind"] == "всего")
            print(f"Ошибок за прогон со сбоем: {errors}.")
            result["fault"] = {"kind": "redis", "seconds": args.outage_seconds, "phases": phases}
            result["targets_met"] = result["targets_met"] and errors == 0
    out = RESULTS_DIR / f"loadtest-{stamp}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"Цели {'выполнены' if result['targets_met'] else 'НЕ выполнены'}. Результаты: {out.relative_to(ROOT)}")
    return 0


def run_steps(args, step_users, files, locust_env, prefix, host, master_pid, cpu_samples, stop_sampling,
              stamp) -> int:
    """The stepped run (gunicorn is up): locust with the StepShape of the locustfile, then the table."""
    import threading

    settle = min(15.0, args.step_seconds / 3)
    locust_env = dict(locust_env, LOADTEST_SAMPLES=str(files["samples"]), LOADTEST_STEP_MARKS=str(files["marks"]),
                      LOADTEST_STEPS=",".join(map(str, step_users)), LOADTEST_STEP_SECONDS=str(args.step_seconds))
    threading.Thread(target=sample_cpu, args=(master_pid, cpu_samples, stop_sampling), daemon=True).start()
    total = len(step_users) * args.step_seconds
    print(f"locust: ступени {', '.join(map(str, step_users))} пользователей по {args.step_seconds:.0f} с "
          f"(первые {settle:.0f} с ступени не измеряются), {host}", flush=True)
    subprocess.run(  # noqa: S603
        [str(BIN / "locust"), "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless", "--stop-timeout", "10",
         "--host", host, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
        cwd=ROOT, env=locust_env, timeout=total + 180, check=False,
    )
    stop_sampling.set()
    if not files["marks"].exists() or not files["samples"].exists():
        print("locust не записал ступени или запросы: таблицы нет.")
        return 1
    cpu_log = []
    if files["cpu"].exists():
        for line in files["cpu"].read_text(encoding="utf-8").splitlines():
            moment, kind, cpu_ms = line.split()
            cpu_log.append((float(moment), kind, float(cpu_ms)))
    steps = steps_table(json.loads(files["samples"].read_text()), json.loads(files["marks"].read_text()), cpu_log,
                        cpu_samples, settle)
    the_knee = knee(steps, os.cpu_count() or 1)
    print_steps(steps, the_knee)
    out = RESULTS_DIR / f"loadtest-{stamp}.json"
    out.write_text(json.dumps({"started": stamp, "mode": "steps", "step_users": step_users,
                               "step_seconds": args.step_seconds, "settle_seconds": settle, "workers": args.workers,
                               "steps": steps, "knee": the_knee}, ensure_ascii=False, indent=1))
    print(f"Результаты: {out.relative_to(ROOT)}")
    return 0


def _seconds(duration: str) -> float:
    """locust's -t: 90, 90s, 2m, 1h30m."""
    import re

    parts = re.findall(r"(\d+)([hms]?)", duration)
    return sum(int(n) * {"h": 3600, "m": 60, "s": 1, "": 1}[unit] for n, unit in parts)


if __name__ == "__main__":
    sys.exit(main())
