import pytest

from core.imports import get_kind, run_import
from routes.models import CatalogResource
from tests.world import World

pytestmark = pytest.mark.django_db

HEADER = "Тип;Наименование;Организатор;Часов;Федеральный реестр;Уровень;Компетенции"


def run(text, user=None):
    return run_import(get_kind("catalog"), text.encode("utf-8"), "catalog.csv", user=user)


def test_a_valid_catalog_file_creates_resources_and_a_second_run_changes_nothing():
    text = (f"{HEADER}\n"
            "Курс (КПК/ДПП);Оценивание без отметок;ИПК;36;да;Региональный;М3, М4\n"
            "Мероприятие;Семинар по ВПР;ММЦ;;нет;Муниципальный;М5\n")
    first = run(text)
    assert first.written, first.error_lines()
    course = CatalogResource.objects.get(title="Оценивание без отметок")
    assert course.in_federal_registry and course.hours == 36 and course.activity_kind.code == "course"
    assert set(course.competencies.values_list("code", flat=True)) == {"М3", "М4"}
    assert CatalogResource.objects.get(title="Семинар по ВПР").activity_kind.code == "seminar"
    second = run(text)
    assert second.counts["unchanged"] == 2 and CatalogResource.objects.count() == 2


def test_catalog_rows_with_errors_write_nothing():
    result = run(f"{HEADER}\n"
                 "Курс (КПК/ДПП);Курс без часов;ИПК;;нет;Региональный;М3\n"
                 "Литература;Книга;Автор;;да;Федеральный;Х1\n"
                 "Мероприятие;Семинар;ММЦ;;нет;Муниципальный;М5\n"
                 "Мероприятие;Семинар;ММЦ;;нет;Муниципальный;М5\n")
    lines = result.error_lines()
    assert "row 2: Часов: для курса укажите объем в часах" in lines
    assert "row 3: Компетенции: нет компетенции с кодом «Х1»" in lines
    assert any(line.startswith("row 5: Наименование: повторяет строку 4") for line in lines)
    assert not CatalogResource.objects.exists()


def test_only_catalog_keepers_may_import_the_catalog():
    from core.imports import kinds_for

    w = World()
    assert "catalog" not in {k.code for k in kinds_for(w.user("deputy"))}
    assert "catalog" in {k.code for k in kinds_for(w.user("municipal_methodist"))}
