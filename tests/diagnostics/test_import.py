import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.imports import get_kind, run_import
from diagnostics.models import Assessment, Deficit, Score
from tests.world import World

pytestmark = pytest.mark.django_db

TOOL = "Предметно-методическое тестирование (ЦНППМ)"
HEADER = "ОО;Фамилия;Имя;Отчество;Дата;Инструмент;П1;М4;П3"


@pytest.fixture
def w():
    return World()


def person_cells(staff):
    return f"{staff.organisation.short_name};{staff.last_name};{staff.first_name};{staff.middle_name}"


def run(text: str, user=None, dry_run=False):
    return run_import(get_kind("diagnostics"), text.encode("utf-8"), "results.csv", user=user, dry_run=dry_run)


def nothing_written():
    return not Assessment.objects.exists() and not Score.objects.exists() and not Deficit.objects.exists()


def test_a_valid_file_stores_the_scores_and_reveals_deficits_below_the_threshold(w):
    result = run(f"{HEADER}\n{person_cells(w.colleague)};10.10.2025;{TOOL};55;80;\n")
    assert result.is_valid and result.written, result.error_lines()
    assessment = Assessment.objects.get()
    assert assessment.source == Assessment.Source.IMPORT and assessment.taken_on == dt.date(2025, 10, 10)
    assert dict(assessment.scores.values_list("competency__code", "value")) == {"П1": 55, "М4": 80}
    assert list(Deficit.objects.values_list("competency__code", flat=True)) == ["П1"]


def test_importing_the_same_file_twice_changes_nothing(w):
    text = f"{HEADER}\n{person_cells(w.colleague)};10.10.2025;{TOOL};55;80;\n"
    run(text)
    second = run(text)
    assert second.counts["unchanged"] == 1 and second.counts["new"] == 0
    assert Assessment.objects.count() == 1 and Deficit.objects.count() == 1


def test_an_unknown_competency_code_refuses_the_whole_file(w):
    result = run(f"ОО;Фамилия;Имя;Отчество;Дата;Инструмент;П1;Х99\n{person_cells(w.colleague)};10.10.2025;{TOOL};55;40\n")
    assert not result.is_valid
    assert any(column == "Х99" and "неизвестный столбец" in message for _, column, message in result.errors)
    assert nothing_written()


def test_a_score_out_of_range_is_an_error_with_its_row_and_column(w):
    result = run(f"{HEADER}\n{person_cells(w.colleague)};10.10.2025;{TOOL};55;80;\n"
                 f"{person_cells(w.teacher_staff)};10.10.2025;{TOOL};101;80;\n")
    assert (3, "П1", "ожидается число от 0 до 100, указано 101") in result.errors
    assert nothing_written()


def test_an_unknown_person_is_an_error(w):
    result = run(f"{HEADER}\n{w.school.short_name};Несуществующая;Анна;Ивановна;10.10.2025;{TOOL};55;;\n")
    assert any(n == 2 and column == "Фамилия" and "нет сотрудника" in m for n, column, m in result.errors)
    assert nothing_written()


def test_a_duplicate_row_is_an_error_naming_the_first(w):
    line = f"{person_cells(w.colleague)};10.10.2025;{TOOL};55;80;"
    result = run(f"{HEADER}\n{line}\n{line}\n")
    assert any(n == 3 and "повторяет строку 2" in m for n, _, m in result.errors)
    assert nothing_written()


def test_unknown_instrument_future_date_and_unmeasured_competency_are_errors(w):
    future = (timezone.localdate() + dt.timedelta(days=3)).strftime("%d.%m.%Y")
    result = run(
        "ОО;Фамилия;Имя;Отчество;Дата;Инструмент;П1;ПЛ1\n"
        f"{person_cells(w.colleague)};10.10.2025;Гадание на кофе;55;\n"
        f"{person_cells(w.colleague)};{future};{TOOL};55;\n"
        f"{person_cells(w.colleague)};11.10.2025;{TOOL};55;70\n"
    )
    messages = {(n, c): m for n, c, m in result.errors}
    assert "нет такого диагностического инструмента" in messages[(2, "Инструмент")]
    assert "в будущем" in messages[(3, "Дата")]
    assert "не измеряет" in messages[(4, "ПЛ1")]
    assert nothing_written()


def test_a_deputy_imports_only_people_of_their_school(w):
    result = run(f"{HEADER}\n{person_cells(w.sibling_staff)};10.10.2025;{TOOL};55;80;\n", user=w.user("deputy"))
    assert not result.is_valid
    assert nothing_written()
    ok = run(f"{HEADER}\n{person_cells(w.colleague)};10.10.2025;{TOOL};55;80;\n", user=w.user("deputy"))
    assert ok.written


def test_the_command_prints_every_error_and_exits_1_writing_nothing(w, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(f"{HEADER}\n{person_cells(w.colleague)};10.10.2025;{TOOL};-5;80;\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_data", "diagnostics", str(path), stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert "row 2: П1:" in out.getvalue() + err.getvalue()
    assert nothing_written()


def test_the_command_dry_run_writes_nothing(w, tmp_path):
    path = tmp_path / "good.csv"
    path.write_text(f"{HEADER}\n{person_cells(w.colleague)};10.10.2025;{TOOL};55;80;\n", encoding="utf-8")
    call_command("import_data", "diagnostics", str(path), "--dry-run", stdout=io.StringIO())
    assert nothing_written()
