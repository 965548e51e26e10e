"""Import speed: 10,000 staff rows and 50,000 roadmap activity rows from .xlsx files.

    .venv/bin/python -m benchmarks.import_bench          # SQLite file in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iom .venv/bin/python -m benchmarks.import_bench

Runs in a throw-away test database (`test_<name>` on PostgreSQL), never in the portal's own.
For each file it times, in the same run and from the same bytes:
- the import (read, clean, resolve, diff, bulk write with history) — `run_import`;
- the floor: the file read by the fastest reader there is (calamine, which the portal's reader
  also uses for files whose grid it has checked) and the same rows written with no checks and no
  history by COPY on PostgreSQL (a plain `bulk_create` on SQLite, which has no COPY), rolled back;
- the reading alone, by calamine and by openpyxl (the reader the portal falls back to);
- the second import of the same file (everything unchanged).
It prints rows per second of each, the import's ratio to the floor (target: within 3×) and the
process's peak memory (target: under 500 MB). Staff rows have no e-mail: accounts and invitations
are per person by design and are not what is measured here.
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


def _fast_rows(data: bytes) -> list:
    """The data rows as the fastest reader gives them (calamine, the whole grid at once)."""
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()[1:]


def _slow_rows(data: bytes) -> list:
    """The data rows as openpyxl's streaming reader gives them."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    sheet.reset_dimensions()
    return list(sheet.iter_rows(min_row=2, values_only=True))


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _insert(model, objs) -> None:
    """COPY on PostgreSQL (the fastest insert there is), bulk_create elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=1000)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    for obj in objs:
        for f in fields:  # what save() would fill in: defaults and auto dates
            if f.has_default() and getattr(obj, f.attname) is None:
                setattr(obj, f.attname, f.get_default())
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                f.pre_save(obj, add=True)
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            copy.write_row([f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields])


def _plain_staff(data: bytes, orgs: dict):
    from schools.models import StaffMember

    objs = []
    for r in _fast_rows(data):
        objs.append(StaffMember(
            organisation_id=orgs[r[0]], last_name=r[1], first_name=r[2], middle_name=r[3],
            birth_date=dt.datetime.strptime(r[4], "%d.%m.%Y").date(), position=r[5], position_category="teacher",
            subject=r[6], is_main_position=True, status="working", qualification_category="first",
            attested_on=_day(r[10]), experience_years=int(r[11]), education=r[12]))
    _insert(StaffMember, objs)
    return len(objs)


def _plain_activities(data: bytes, routes: dict, groups: dict, kinds: dict):
    from routes.models import RoadmapActivity

    objs = []
    for r in _fast_rows(data):
        objs.append(RoadmapActivity(
            route_id=routes[(r[0], r[1], r[2], r[3])], group_id=groups[r[5]], kind_id=kinds[r[6]], title=r[7],
            deadline=dt.datetime.strptime(r[8], "%d.%m.%Y").date(), is_done=r[9] == "да",
            done_on=dt.datetime.strptime(r[10], "%d.%m.%Y").date() if r[10] else None, confirming_document=r[11] or ""))
    _insert(RoadmapActivity, objs)
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


def _report(label: str, rows: int, data: bytes, imported: float, plain: float, again: float) -> bool:
    from django.db import connection

    ratio = imported / plain
    ok = ratio <= TARGET_RATIO
    _, fast = _timed(lambda: _fast_rows(data))
    _, slow = _timed(lambda: _slow_rows(data))
    floor = "calamine + COPY" if connection.vendor == "postgresql" else "calamine + bulk_create"
    print(f"{label}: {rows} строк")
    print(f"  импорт:               {imported:7.2f} с  {rows / imported:9,.0f} строк/с".replace(",", " "))
    print(f"  нижняя граница ({floor}): {plain:7.2f} с  {rows / plain:9,.0f} строк/с".replace(",", " "))
    print(f"  чтение calamine:      {fast:7.2f} с; чтение openpyxl: {slow:.2f} с")
    print(f"  повторный импорт:     {again:7.2f} с  {rows / again:9,.0f} строк/с (всё без изменений)".replace(",", " "))
    print(f"  импорт / нижняя граница: {ratio:.2f}× (цель ≤ {TARGET_RATIO:.0f}×) {'ok' if ok else 'НЕ ВЫПОЛНЕНО'}")
    return ok


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="iom-import-bench-"))
    _setup_django(tmp)
    from django.db import connection
    from django.utils import timezone

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
        ok &= _report("Сотрудники", STAFF_ROWS, staff_data, imported, plain, again)

        staff = StaffMember.objects.values_list("pk", "organisation__short_name", "last_name", "first_name",
                                                "middle_name")
        Route.objects.bulk_create([Route(person_id=pk, organisation_id=orgs[org], academic_year=YEAR,
                                         status="in_progress", approved_on=dt.date(2024, 9, 20),
                                         credited_on=dt.date(2024, 9, 20), imported_at=timezone.now(), imported_from="registry.xlsx")
                                   for pk, org, *_ in staff], batch_size=1000)  # roadmaps load into imported routes
        routes = {(org, last, first, middle): route for route, org, last, first, middle in Route.objects.values_list(
            "pk", "organisation__short_name", "person__last_name", "person__first_name", "person__middle_name")}
        groups = dict(CompetencyGroup.objects.values_list("name", "pk"))
        kinds = dict(ActivityKind.objects.values_list("name", "pk")) | dict(ActivityKind.objects.values_list("code", "pk"))
        rows, plain = _rolled_back(lambda: _plain_activities(activity_data, routes, groups, kinds))
        result, imported = _timed(lambda: run_import(activity_kind, activity_data, "activities.xlsx"))
        assert result.written and result.counts["new"] == rows, result.error_lines()[:5]
        again_result, again = _timed(lambda: run_import(activity_kind, activity_data, "activities.xlsx"))
        assert again_result.counts["unchanged"] == rows
        ok &= _report("Мероприятия", rows, activity_data, imported, plain, again)
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    memory_ok = peak_mb < TARGET_MEMORY_MB
    print(f"Пиковая память процесса: {peak_mb:.0f} МБ (цель < {TARGET_MEMORY_MB} МБ) "
          f"{'ok' if memory_ok else 'НЕ ВЫПОЛНЕНО'}")
    return 0 if ok and memory_ok else 1


if __name__ == "__main__":
    sys.exit(main())
