"""`manage.py import_data KIND FILE [--dry-run]`: its output and exit statuses (docs/spec/import-formats.md)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from schools.models import Municipality, Organisation, Region
from tests.factories import MunicipalityFactory, OrganisationFactory
from tests.imports.factories import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db
ORG_HEADER = ["Регион", "Муниципалитет", "Наименование", "Краткое наименование", "Тип"]


def command(*args):
    """Run the command, returning (exit status, stdout)."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_data", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_valid_file_prints_counts_and_exits_0(tmp_path):
    rows = [["Курганская область", "г. Шадринск", "Средняя школа №1 полное", "СОШ №1", "СОШ"],
            ["Курганская область", "г. Шадринск", "Гимназия №9 полное", "Гимназия №9", "Гимназия"]]
    path = write(tmp_path, "orgs.xlsx", xlsx_bytes(ORG_HEADER, rows))
    assert command("organizations", path) == (0, "created: 2, updated: 0, unchanged: 0\n")
    assert Region.objects.get().name == "Курганская область"
    assert Municipality.objects.get().name == "г. Шадринск"
    assert command("organizations", path) == (0, "created: 0, updated: 0, unchanged: 2\n")


def test_invalid_file_prints_every_error_exits_1_and_writes_nothing(tmp_path):
    rows = [["Курганская область", "г. Шадринск", "Школа", "СОШ №1", "СОШ"],
            ["Курганская область", "", "Школа 2", "СОШ №2", "Колледж"],
            ["Курганская область", "г. Шадринск", "Школа 3", "СОШ №1", "ООШ"]]
    path = write(tmp_path, "orgs.csv", csv_bytes(ORG_HEADER, rows, encoding="cp1251", delimiter=","))
    status, out = command("organizations", path)
    assert status == 1
    assert out.splitlines() == [
        "row 3: Муниципалитет: обязательное поле не заполнено",
        "row 3: Тип: недопустимое значение «Колледж»; допустимы: СОШ / ООШ / Лицей / Гимназия / ДОО / УДО / Иное",
        "row 4: Краткое наименование: повторяет строку 2: та же запись указана дважды",
    ]
    assert not Organisation.objects.exists() and not Region.objects.exists()


def test_dry_run_checks_and_writes_nothing(tmp_path):
    path = write(tmp_path, "orgs.csv", csv_bytes(ORG_HEADER, [["Р", "М", "Школа", "СОШ №1", "СОШ"]]))
    assert command("organizations", path, "--dry-run") == (
        0, "dry run, nothing written: would be created: 1, updated: 0, unchanged: 0\n")
    assert not Organisation.objects.exists()


def test_organisation_is_updated_when_found_by_full_name(tmp_path):
    municipality = MunicipalityFactory(name="г. Шадринск", region__name="Курганская область")
    org = OrganisationFactory(municipality=municipality, short_name="Школа 1", name="МБОУ Школа №1 г. Шадринска")
    path = write(tmp_path, "orgs.csv", csv_bytes(ORG_HEADER, [
        ["курганская  область", "Г. ШАДРИНСК", "МБОУ Школа №1 г. Шадринска", "МБОУ СОШ №1", "СОШ"]]))
    assert command("organizations", path)[1] == "created: 0, updated: 1, unchanged: 0\n"
    org.refresh_from_db()
    assert org.short_name == "МБОУ СОШ №1"


def test_missing_column_is_reported_on_row_1(tmp_path):
    path = write(tmp_path, "orgs.csv", csv_bytes(ORG_HEADER[:-1], [["Р", "М", "Школа", "СОШ №1"]]))
    assert command("organizations", path) == (1, "row 1: Тип: нет обязательного столбца\n")


def test_unknown_kind_and_missing_file_are_command_errors(tmp_path):
    with pytest.raises(CommandError, match="unknown kind 'teachers'"):
        call_command("import_data", "teachers", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="file not found"):
        call_command("import_data", "staff", str(tmp_path / "x.csv"))


def test_command_runs_as_a_process_with_its_exit_status(tmp_path, django_db_blocker):
    """The real process: what a municipality's administrator types (embedded SQLite database)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "SECRET_KEY": "test"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True)
    bad = write(tmp_path, "bad.csv", csv_bytes(ORG_HEADER, [["Р", "М", "Школа", "СОШ №1", "Колледж"]]))
    done = subprocess.run([sys.executable, "manage.py", "import_data", "organizations", bad], cwd=root, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stdout.startswith("row 2: Тип: недопустимое значение «Колледж»")
    good = write(tmp_path, "good.csv", csv_bytes(ORG_HEADER, [["Р", "М", "Школа", "СОШ №1", "СОШ"]]))
    done = subprocess.run([sys.executable, "manage.py", "import_data", "organizations", good], cwd=root, env=env,
                          capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "created: 1, updated: 0, unchanged: 0\n")


def test_methodist_cannot_create_municipalities_or_touch_another():
    from core.imports import get_kind, run_import
    from tests.world import World

    w = World()
    data = csv_bytes(ORG_HEADER, [
        [w.region.name, w.municipality.name, "Новая школа полное", "Новая школа", "СОШ"],
        [w.region.name, w.other_municipality.name, "Чужая", "Чужая", "СОШ"],
        [w.region.name, "Новый район", "Школа", "Школа", "СОШ"],
    ])
    result = run_import(get_kind("organizations"), data, "o.csv", user=w.user("municipal_methodist"))
    assert result.error_lines() == [
        f"row 3: Муниципалитет: нет прав загружать организации муниципалитета «{w.other_municipality.name}»",
        f"row 4: Муниципалитет: муниципалитет «Новый район» ({w.region.name}) не найден; новые муниципалитеты "
        "добавляет администратор",
    ]
