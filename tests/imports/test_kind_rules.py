"""Every import kind against the rule of security finding 2: an import may not do what the importing
user could not do in the browser (diagnostics results and the catalog; routes: test_route_rules.py)."""

import datetime as dt

import pytest

from core.imports import get_kind, kinds_for, run_import
from diagnostics.models import Assessment, Instrument
from routes.models import CatalogResource
from tests.world import World

pytestmark = pytest.mark.django_db

TOOL = "Предметно-методическое тестирование (ЦНППМ)"
RESULTS_HEADER = "ОО;Фамилия;Имя;Отчество;Дата;Инструмент;П1;М4"
CATALOG_HEADER = "Тип;Наименование;Организатор;Часов;Ссылка;Компетенции"


@pytest.fixture
def w():
    return World()


def results(w, staff, user, instrument=TOOL):
    text = (f"{RESULTS_HEADER}\n{staff.organisation.short_name};{staff.last_name};{staff.first_name};"
            f"{staff.middle_name};10.10.2025;{instrument};55;80\n")
    return run_import(get_kind("diagnostics"), text.encode(), "results.csv", user=user)


def test_methodist_cannot_import_diagnostics_results_they_cannot_record_in_the_browser(w):
    """Results by others are recorded by the school's deputy (diagnostics.assess), not by the municipality."""
    result = results(w, w.colleague, w.user("municipal_methodist"))
    assert result.error_lines() == ["row 1: файл: загрузка «Результаты диагностики» недоступна для вашей роли"]
    assert not Assessment.objects.exists()
    assert "diagnostics" not in {kind.code for kind in kinds_for(w.user("municipal_methodist"))}
    assert results(w, w.colleague, w.user("deputy")).written  # the deputy records them, as in the portal
    assert results(w, w.other_staff, w.user("admin")).written


def test_results_of_an_instrument_out_of_use_are_refused_as_in_the_browser(w):
    Instrument.objects.filter(name=TOOL).update(is_active=False)
    result = results(w, w.colleague, w.user("deputy"))
    assert result.error_lines() == [
        f"row 2: Инструмент: инструмент «{TOOL}» больше не используется: результаты по нему не вносятся"]
    assert not Assessment.objects.exists()


def test_results_of_people_outside_the_deputys_school_are_refused(w):
    result = results(w, w.sibling_staff, w.user("deputy"))
    assert result.error_lines() == [f"row 2: ОО: нет прав загружать данные организации «{w.sibling_school.short_name}»:"
                                    " она вне вашей области"]


def catalog(text, user):
    return run_import(get_kind("catalog"), text.encode(), "catalog.csv", user=user)


def test_catalog_import_needs_the_catalog_right_even_outside_the_browser(w):
    text = f"{CATALOG_HEADER}\nКурс (КПК/ДПП);Формирующее оценивание;ИРО;36;https://example.org/c;М3\n"
    refused = catalog(text, w.user("deputy"))  # no catalog.manage: the browser offers no form either
    assert refused.error_lines() == ["row 1: файл: загрузка «Каталог ресурсов» недоступна для вашей роли"]
    assert not CatalogResource.objects.filter(title="Формирующее оценивание").exists()
    assert catalog(text, w.user("regional_methodist")).written


def test_a_catalog_link_longer_than_its_field_is_a_row_error(w):
    link = "https://example.org/" + "a" * 200
    result = catalog(f"{CATALOG_HEADER}\nКурс (КПК/ДПП);Длинный;ИРО;36;{link};М3\n", w.user("admin"))
    assert result.error_lines() == [
        f"row 2: Ссылка: слишком длинная ссылка: {len(link)} символов, допускается не больше 200"]


def test_the_command_line_still_loads_every_kind(w):
    assert results(w, w.far_staff, None).written
    assert Assessment.objects.get().taken_on == dt.date(2025, 10, 10)
