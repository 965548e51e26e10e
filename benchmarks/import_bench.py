"""Import speed: 10,000 staff rows and 50,000 roadmap activity rows from .xlsx files.

    .venv/bin/python -m benchmarks.import_bench          # SQLite file in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iom .venv/bin/python -m benchmarks.import_bench

Runs in a throw-away test database (`test_<name>` on PostgreSQL), never in the portal's own.
For each file it times, in the same run and from the same bytes:
- the import (read, clean, resolve, diff, bulk write with history) — `run_import`;
- a plain `bulk_create` of the same rows (read with the same reader, instances built with
  no checks, no history), rolled back afterwards;
- the second import of the same file (everything unchanged).
It prints rows per second of each, their ratio (target: the import within 3× of the plain
bulk_create) and the process's peak memory (target: under 500 MB). Staff rows have no e-mail:
accounts and invitations are per person by design and are not what is measured here.
"""

import datetime as dt
import io
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

STAFF_ROWS = 10_000
ACTIVITY_ROWS = 50_000
ORGANISATIONS = 50
TARGET_RATIO = 3.0
TARGET_MEMORY_MB = 500
SURNAMES = ["Иванова", "Петрова", "Сидорова", "Кузнецова", "Смирнова", "Попова", "Васильева", "Соколова", "Михайлова",
            "Новикова", "Федорова", "Морозова", "Волкова", "Алексеева", "Лебедева", "Семенова", "Егорова", "Павлова"]
NAMES = ["Анна", "Мария", "Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана", "Юлия", "Галина"]
PATRONYMICS = ["Сергеевна", "Ивановна", "Петровна", "Александровна", "Викторовна", "Николаевна", "Юрьевна"]
POSITIONS = ["учитель математики", "учитель русского языка", "учитель начальных классов", "учитель физики",
             "заместитель директора по УВР", "педагог-психолог", "воспитатель", "учитель истории"]
YEAR = "2024-2025"


def _setup_django(tmp: Path) -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("PORTAL_BASE_URL", "http://127.0.0.1:8000")
    os.environ["DEBUG"] = "false"  # no query log growing in memory
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'portal.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "iom_portal.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "sqlite":
        settings.DATABASES["default"]["TEST"]["NAME"] = str(tmp / "bench.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def _xlsx(header: list[str], rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Данные")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _people(rng: random.Random) -> list[tuple]:
    people, seen = [], set()
    while len(people) < STAFF_ROWS:
        org = f"Школа {rng.randrange(ORGANISATIONS) + 1}"
        person = (org, f"{rng.choice(SURNAMES)}{rng.randrange(1000)}", rng.choice(NAMES), rng.choice(PATRONYMICS))
        if person[:4] not in seen:
            seen.add(person[:4])
            people.append(person)
    return people


def _staff_file(people, rng) -> bytes:
    header = ["ОО", "Фамилия", "Имя", "Отчество", "Дата рождения", "Должность", "Предмет", "Основная должность",
              "Статус", "Квалификационная категория", "Дата аттестации", "Педагогический стаж", "Образование"]
    rows = []
    for org, last, first, middle in people:
        born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(15000))
        rows.append([org, last, first, middle, born.strftime("%d.%m.%Y"), rng.choice(POSITIONS), "математика", "да",
                     "работает", rng.choice(["первая", "высшая", "без категории"]),
                     dt.datetime(2020, 1, 1) + dt.timedelta(days=rng.randrange(1500)), rng.randrange(40),
                     "высшее"])
    return _xlsx(header, rows)


def _activity_file(people, rng) -> bytes:
    header = ["ОО", "Фамилия", "Имя", "Отчество", "Учебный год", "Направление", "Вид", "Наименование", "Срок",
              "Выполнено", "Дата выполнения", "Подтверждающий документ"]
    groups = ["Предметные", "Методические", "Психолого-педагогические", "Профессионально-личностные"]
    kinds = ["Семинар", "Вебинар", "Курсы повышения квалификации (КПК)", "Открытый урок", "Публикация", "rmo"]
    per_person = ACTIVITY_ROWS // len(people)
    rows = []
    for org, last, first, middle in people:
        for n in range(per_person):
            deadline = dt.date(2024, 9, 15) + dt.timedelta(days=30 * n + rng.randrange(20))
            done = rng.random() < 0.5
            rows.append([org, last, first, middle, YEAR, rng.choice(groups), rng.choice(kinds),
                         f"Мероприятие {n + 1}", deadline.strftime("%d.%m.%Y"), "да" if done else "нет",
                         (deadline - dt.timedelta(days=2)).strftime("%d.%m.%Y") if done else "",
                         "Сертификат" if done else ""])
    return _xlsx(header, rows)


def _plain_staff(data: bytes, orgs: dict):
    from core.imports.reading import read_table
    from schools.models import StaffMember

    table = read_table(data, "staff.xlsx")
    objs = []
    for r in table.rows:
        objs.append(StaffMember(
            organisation_id=orgs[r[0]], last_name=r[1], first_name=r[2], middle_name=r[3],
            birth_date=dt.datetime.strptime(r[4], "%d.%m.%Y").date(), position=r[5], position_category="teacher",
            subject=r[6], is_main_position=True, status="working", qualification_category="first",
            attested_on=r[10].date(), experience_years=r[11], education=r[12]))
    StaffMember.objects.bulk_create(objs, batch_size=1000)
    return len(objs)


def _plain_activities(data: bytes, routes: dict, groups: dict, kinds: dict):
    from core.imports.reading import read_table
    from routes.models import RoadmapActivity

    table = read_table(data, "activities.xlsx")
    objs = []
    for r in table.rows:
        objs.append(RoadmapActivity(
            route_id=routes[(r[0], r[1], r[2], r[3])], group_id=groups[r[5]], kind_id=kinds[r[6]], title=r[7],
            deadline=dt.datetime.strptime(r[8], "%d.%m.%Y").date(), is_done=r[9] == "да",
            done_on=dt.datetime.strptime(r[10], "%d.%m.%Y").date() if r[10] else None, confirming_document=r[11] or ""))
    RoadmapActivity.objects.bulk_create(objs, batch_size=1000)
    return len(objs)


def _timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def _rolled_back(fn):
    from django.db import transaction

    with transaction.atomic():
        value, seconds = _timed(fn)
        transaction.set_rollback(True)
    return value, seconds


def _report(label: str, rows: int, imported: float, plain: float, again: float) -> bool:
    ratio = imported / plain
    ok = ratio <= TARGET_RATIO
    print(f"{label}: {rows} строк")
    print(f"  импорт:               {imported:7.2f} с  {rows / imported:9,.0f} строк/с".replace(",", " "))
    print(f"  простой bulk_create:  {plain:7.2f} с  {rows / plain:9,.0f} строк/с".replace(",", " "))
    print(f"  повторный импорт:     {again:7.2f} с  {rows / again:9,.0f} строк/с (всё без изменений)".replace(",", " "))
    print(f"  импорт / bulk_create: {ratio:.2f}× (цель ≤ {TARGET_RATIO:.0f}×) {'ok' if ok else 'НЕ ВЫПОЛНЕНО'}")
    return ok


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="iom-import-bench-"))
    _setup_django(tmp)
    from django.db import connection

    from core.imports import get_kind, run_import
    from diagnostics.models import CompetencyGroup
    from routes.models import ActivityKind, Route
    from schools.models import Municipality, Organisation, Region, StaffMember

    print(f"База: {connection.vendor} ({connection.settings_dict['NAME']}), Python {sys.version.split()[0]}")
    rng = random.Random(20261123)
    region = Region.objects.create(name="Курганская область")
    municipality = Municipality.objects.create(region=region, name="г. Шадринск", credit_mode="none")
    Organisation.objects.bulk_create([Organisation(municipality=municipality, name=f"МБОУ «Школа {n}»",
                                                   short_name=f"Школа {n}", kind="СОШ")
                                      for n in range(1, ORGANISATIONS + 1)])
    orgs = dict(Organisation.objects.values_list("short_name", "pk"))
    people = _people(rng)
    staff_data, activity_data = _staff_file(people, rng), _activity_file(people, rng)
    print(f"Файлы: сотрудники {len(staff_data) / 1e6:.1f} МБ, мероприятия {len(activity_data) / 1e6:.1f} МБ")
    ok = True
    try:
        staff_kind, activity_kind = get_kind("staff"), get_kind("activities")
        _, plain = _rolled_back(lambda: _plain_staff(staff_data, orgs))
        result, imported = _timed(lambda: run_import(staff_kind, staff_data, "staff.xlsx"))
        assert result.written and result.counts["new"] == STAFF_ROWS, result.error_lines()[:5]
        again_result, again = _timed(lambda: run_import(staff_kind, staff_data, "staff.xlsx"))
        assert again_result.counts["unchanged"] == STAFF_ROWS
        ok &= _report("Сотрудники", STAFF_ROWS, imported, plain, again)

        staff = StaffMember.objects.values_list("pk", "organisation__short_name", "last_name", "first_name",
                                                "middle_name")
        Route.objects.bulk_create([Route(person_id=pk, organisation_id=orgs[org], academic_year=YEAR,
                                         status="in_progress", approved_on=dt.date(2024, 9, 20),
                                         credited_on=dt.date(2024, 9, 20)) for pk, org, *_ in staff], batch_size=1000)
        routes = {(org, last, first, middle): route for route, org, last, first, middle in Route.objects.values_list(
            "pk", "organisation__short_name", "person__last_name", "person__first_name", "person__middle_name")}
        groups = dict(CompetencyGroup.objects.values_list("name", "pk"))
        kinds = dict(ActivityKind.objects.values_list("name", "pk")) | dict(ActivityKind.objects.values_list("code", "pk"))
        rows, plain = _rolled_back(lambda: _plain_activities(activity_data, routes, groups, kinds))
        result, imported = _timed(lambda: run_import(activity_kind, activity_data, "activities.xlsx"))
        assert result.written and result.counts["new"] == rows, result.error_lines()[:5]
        again_result, again = _timed(lambda: run_import(activity_kind, activity_data, "activities.xlsx"))
        assert again_result.counts["unchanged"] == rows
        ok &= _report("Мероприятия", rows, imported, plain, again)
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    memory_ok = peak_mb < TARGET_MEMORY_MB
    print(f"Пиковая память процесса: {peak_mb:.0f} МБ (цель < {TARGET_MEMORY_MB} МБ) "
          f"{'ok' if memory_ok else 'НЕ ВЫПОЛНЕНО'}")
    return 0 if ok and memory_ok else 1


if __name__ == "__main__":
    sys.exit(main())
