"""What every benchmark shares: the PostgreSQL bench databases, timing, memory, the results table.

A benchmark module exposes `run(bench: Bench) -> None` and reports with `bench.add(...)`;
`benchmarks/__main__.py` calls `main([...module names...])`. Usage of the pieces:

    from benchmarks.common import Bench, median_time, peak_memory, use_size

    def run(bench: Bench) -> None:
        use_size("L")                       # bench DB of size L (generated once, then reused)
        t = median_time(lambda: figure(), runs=bench.runs)
        bench.add("selectors", "Таблица 1, муниципалитет", "L, мс", t.ms, target="≤ 2× SQL", ok=...)

Databases: one per size, `iom_bench_s`, `iom_bench_m`, `iom_bench_l`, on 127.0.0.1 as
postgres (BENCH_PG_URL overrides host/user). Each holds a marker table `bench_marker` with the
generator version and seed; a database whose marker matches is reused (only `migrate` runs),
any other is dropped and regenerated with `generate_data` (history included). `--fresh`
regenerates all. Sizes are separate databases on purpose: a page measured at S must not read
tables that hold L's rows, or an unindexed scan would look equally slow at both sizes.

Timing is the median of N warm runs after warm-up runs (wall clock, perf_counter). Memory is
the peak of Python allocations under tracemalloc, measured in a separate run (tracemalloc
slows the code it watches). Results are printed as one table and saved to
bench-results/<timestamp>.json; the previous JSON, if any, is compared row by row.
"""

import argparse
import datetime as dt
import gc
import importlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import traceback
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench-results"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SIZES = ("S", "M", "L")
SEED = 1


def db_name(size: str) -> str:
    return f"iom_bench_{size.lower()}"


# --------------------------------------------------------------------------- services

def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def ensure_postgres() -> None:
    """Start this machine's PostgreSQL cluster when nothing answers on the bench URL."""
    if _reachable(PG_URL, 5432):
        return
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if versions and shutil.which("pg_ctlcluster"):
        print(f"PostgreSQL не отвечает: запускаю кластер {versions[-1]}/main", flush=True)
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"], check=False)
        for _ in range(30):
            if _reachable(PG_URL, 5432):
                return
            time.sleep(1)
    raise SystemExit(f"PostgreSQL недоступен по {PG_URL}: замеры идут только на PostgreSQL.")


def configure(size: str = "S") -> None:
    """Point Django at the bench database of `size` and set it up (call before importing models)."""
    ensure_postgres()
    env = os.environ
    env["DATABASE_URL"] = f"{PG_URL}/{db_name(size)}"
    env.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
    env.setdefault("PORTAL_BASE_URL", "http://127.0.0.1:8000")
    # Production settings (DEBUG off: no query log, manifest static files) but plain HTTP for the
    # in-process test client and the load test's gunicorn on 127.0.0.1.
    env["DEBUG"] = "false"
    env["SECURE_SSL_REDIRECT"] = "false"
    env["SECURE_COOKIES"] = "false"
    env["SECURE_HSTS_SECONDS"] = "0"
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    env["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    if _reachable(REDIS_URL, 6379):
        env["REDIS_URL"] = REDIS_URL
    else:
        env.pop("REDIS_URL", None)
        print("Redis недоступен: кэш в памяти процесса, задачи Celery выполняются сразу.", flush=True)
    import django

    django.setup()
    from django.conf import settings

    if not Path(settings.STATIC_ROOT).joinpath("css").exists():
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)


def _admin_connection():
    import psycopg

    return psycopg.connect(f"{PG_URL}/postgres", autocommit=True)


def _database_exists(name: str) -> bool:
    with _admin_connection() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def drop_database(name: str) -> None:
    from psycopg import sql

    with _admin_connection() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def create_database(name: str) -> None:
    from psycopg import sql

    with _admin_connection() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def switch_database(name: str) -> None:
    """Make Django's default connection (and so the test client) use database `name`."""
    from django.core.cache import cache
    from django.db import connection, connections

    connections.close_all()
    connection.settings_dict["NAME"] = name
    cache.clear()  # figures cached per municipality id must not leak from one bench DB to another


def _marker(version: str) -> dict | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_marker')")
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute("SELECT size, version, seed, seconds, created_at FROM bench_marker LIMIT 1")
        row = cursor.fetchone()
    if row is None:
        return None
    return {"size": row[0], "version": row[1], "seed": row[2], "seconds": row[3], "created_at": row[4]}


_ready: dict[str, dict] = {}
FRESH = False


def use_size(size: str) -> dict:
    """Switch to the bench database of `size`, creating and loading it the first time.

    Returns the marker: {"size", "version", "seed", "seconds" (how long generation took)}.
    """
    from django.core.management import call_command
    from django.db import connection

    from devdata.generator import GENERATOR_VERSION, generate

    name = db_name(size)
    if size in _ready:
        switch_database(name)
        return _ready[size]
    if FRESH or not _database_exists(name):
        drop_database(name)
        create_database(name)
    switch_database(name)
    call_command("migrate", interactive=False, verbosity=0)
    marker = _marker(GENERATOR_VERSION)
    if marker is None or marker["version"] != GENERATOR_VERSION or marker["seed"] != SEED or marker["size"] != size:
        if marker is not None or _has_rows():
            switch_database("postgres")
            drop_database(name)
            create_database(name)
            switch_database(name)
            call_command("migrate", interactive=False, verbosity=0)
        print(f"Генерирую данные размера {size} в {name}…", flush=True)
        result = generate(size, seed=SEED, history=True, log=lambda m: print(f"  {m}", flush=True))
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_marker (size text, version text, seed int, seconds float, "
                           "created_at timestamptz DEFAULT now())")
            cursor.execute("INSERT INTO bench_marker (size, version, seed, seconds) VALUES (%s, %s, %s, %s)",
                           [size, GENERATOR_VERSION, SEED, result.seconds])
        print(f"  готово за {result.seconds:.0f} с", flush=True)
        marker = _marker(GENERATOR_VERSION)
    _ready[size] = marker
    return marker


def _has_rows() -> bool:
    from schools.models import Region

    return Region.objects.exists()


# --------------------------------------------------------------------------- measuring

@dataclass
class Timing:
    median: float  # seconds
    runs: list[float]

    @property
    def ms(self) -> float:
        return round(self.median * 1000, 1)


def median_time(fn: Callable[[], object], runs: int = 20, warmup: int = 2) -> Timing:
    """Median wall time of `runs` calls after `warmup` calls (caches, connections, plans warm)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return Timing(statistics.median(samples), samples)


def peak_memory(fn: Callable[[], object]) -> float:
    """Peak of Python allocations while `fn` runs, in MB (tracemalloc; run separately from timing)."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / 1024 / 1024, 1)


def count_queries(fn: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


# --------------------------------------------------------------------------- results

@dataclass
class Row:
    section: str
    item: str
    metric: str  # what `value` is: "S/L мс", "запросов S/M", "стр./с" …
    value: float | None
    detail: str = ""  # the figures behind value, for the reader
    target: str = ""
    ok: bool | None = None  # None: no target
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.section} | {self.item} | {self.metric}"


class Bench:
    def __init__(self, runs: int = 20, sizes: tuple[str, ...] = SIZES):
        self.runs = runs
        self.sizes = sizes
        self.rows: list[Row] = []
        self.notes: list[str] = []
        self.started = dt.datetime.now()

    def add(self, section: str, item: str, metric: str, value, *, detail: str = "", target: str = "",
            ok: bool | None = None, **extra) -> Row:
        row = Row(section, item, metric, value, detail, target, ok, extra)
        self.rows.append(row)
        mark = {True: "ok", False: "НЕ ВЫПОЛНЕНО", None: ""}[ok]
        print(f"  {section} · {item}: {metric} = {value} {detail} {target} {mark}".rstrip(), flush=True)
        return row

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  примечание: {text}", flush=True)

    # ------------------------------------------------------------------ output
    def previous(self) -> dict[str, dict]:
        files = sorted(RESULTS_DIR.glob("[0-9]*.json")) if RESULTS_DIR.exists() else []  # not loadtest-*
        if not files:
            return {}
        data = json.loads(files[-1].read_text())
        return {f"{r['section']} | {r['item']} | {r['metric']}": r for r in data.get("rows", [])
                if {"section", "item", "metric"} <= r.keys()} | {"__file__": {"name": files[-1].name}}

    def report(self) -> Path:
        previous = self.previous()
        headers = ["раздел", "что", "мера", "значение", "подробно", "цель", "итог", "было"]
        lines = []
        for r in self.rows:
            before = previous.get(r.key)
            change = ""
            if before and isinstance(before.get("value"), (int, float)) and isinstance(r.value, (int, float)):
                change = f"{before['value']}" + (f" ({(r.value / before['value'] - 1) * 100:+.0f} %)"
                                                  if before["value"] else "")
            status = {True: "ok", False: "НЕТ", None: ""}[r.ok]
            lines.append([r.section, r.item, r.metric, "—" if r.value is None else str(r.value), r.detail,
                          r.target, status, change])
        widths = [min(max(len(h), *(len(line[i]) for line in lines)) if lines else len(h), 60)
                  for i, h in enumerate(headers)]
        print()
        print(" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
        print("-+-".join("-" * w for w in widths))
        for line in lines:
            print(" | ".join(c[:w].ljust(w) for c, w in zip(line, widths, strict=True)))
        failed = [r for r in self.rows if r.ok is False]
        print()
        print(f"Строк: {len(self.rows)}, с целью: {sum(r.ok is not None for r in self.rows)}, "
              f"не выполнено: {len(failed)}")
        for text in self.notes:
            print(f"* {text}")
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / f"{self.started:%Y%m%d-%H%M%S}.json"
        path.write_text(json.dumps({
            "started": self.started.isoformat(timespec="seconds"),
            "runs": self.runs,
            "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
            "compared_with": previous.get("__file__", {}).get("name"),
            "rows": [asdict(r) for r in self.rows],
            "notes": self.notes,
        }, ensure_ascii=False, indent=1, default=str))
        print(f"Результаты: {path.relative_to(ROOT)}"
              + (f" (сравнение с {previous['__file__']['name']})" if "__file__" in previous else ""))
        return path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="Замеры скорости портала на PostgreSQL.")
    parser.add_argument("--only", default="", help="через запятую: части имен модулей (pages,selectors,…)")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 20)),
                        help="прогонов на замер (медиана), по умолчанию 20")
    parser.add_argument("--fresh", action="store_true", help="пересоздать базы стенда и данные")
    return parser.parse_args(argv)


def main(modules: list[str], argv: list[str] | None = None) -> int:
    """Run the benchmark modules (each `run(bench)`), print one table, save JSON. Exit 0 unless one crashed."""
    global FRESH
    args = parse_args(argv)
    FRESH = args.fresh
    configure("S")
    bench = Bench(runs=args.runs)
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    crashed = []
    for name in modules:
        if wanted and not any(w in name for w in wanted):
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                bench.note(f"{name}: модуля еще нет, пропущен")
                continue
            raise
        print(f"\n== {name}", flush=True)
        started = time.perf_counter()
        try:
            module.run(bench)
        except Exception:
            traceback.print_exc()
            crashed.append(name)
            bench.add(name.rsplit(".", 1)[-1], "модуль упал", "ошибка", None, detail="см. трассировку выше", ok=False)
        print(f"   ({time.perf_counter() - started:.0f} с)", flush=True)
    bench.report()
    return 1 if crashed else 0
