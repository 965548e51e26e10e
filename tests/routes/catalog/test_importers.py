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


# --------------------------------------------------------------------------- what the importer keeps
# A file does only what its user could do in the browser (routes.catalog.services.may_keep / can_edit).

def _item(title, *, level="federal", registry=False, municipality=None) -> CatalogResource:
    from diagnostics.models import Competency
    from routes.models import ActivityKind

    resource = CatalogResource.objects.create(
        kind="course", title=title, provider="ИПК", hours=72, level=level, in_federal_registry=registry,
        municipality=municipality, activity_kind=ActivityKind.objects.get(code="course"),
    )
    resource.competencies.set(Competency.objects.filter(code="М3"))
    return resource


def _stored(resource) -> tuple:
    row = CatalogResource.objects.get(pk=resource.pk)
    return row.provider, row.hours, row.level, row.in_federal_registry, row.municipality_id


def test_a_municipal_methodist_cannot_overwrite_a_federal_item_from_a_file():
    w = World()
    federal = _item("Оценивание без отметок", registry=True)
    before = _stored(federal)
    result = run(f"{HEADER}\nКурс (КПК/ДПП);Оценивание без отметок;ММЦ;8;нет;Муниципальный;М3\n",
                 user=w.user("municipal_methodist"))
    assert not result.written
    assert any(line.startswith("row 2: Наименование: такой ресурс уже есть в каталоге, его ведет регион")
               for line in result.error_lines()), result.error_lines()
    assert _stored(federal) == before


def test_a_municipal_methodist_cannot_overwrite_another_municipalitys_item_from_a_file():
    w = World()
    theirs = _item("Курс соседей", level="municipal", municipality=w.other_municipality)
    before = _stored(theirs)
    result = run(f"{HEADER}\nКурс (КПК/ДПП);Курс соседей;ММЦ;8;нет;Муниципальный;М3\n",
                 user=w.user("municipal_methodist"))
    assert not result.written
    assert any("его ведет методист муниципалитета «Муниципалитет B»" in line for line in result.error_lines())
    assert _stored(theirs) == before


@pytest.mark.parametrize("row", [
    "Курс (КПК/ДПП);Краевой курс;ИПК;36;нет;Региональный;М3",
    "Курс (КПК/ДПП);Федеральный курс;ИПК;36;нет;Федеральный;М3",
    "Курс (КПК/ДПП);Курс реестра;ИПК;36;да;Муниципальный;М3",
], ids=["regional", "federal", "federal_registry"])
def test_a_municipal_methodist_cannot_load_items_of_the_region_or_the_federation(row):
    w = World()
    result = run(f"{HEADER}\n{row}\n", user=w.user("municipal_methodist"))
    assert not result.written
    assert any(line.startswith("row 2: Уровень: федеральные и региональные ресурсы") for line in result.error_lines())
    assert not CatalogResource.objects.exists()


def test_a_municipal_methodist_cannot_raise_their_own_item_to_the_region_from_a_file():
    w = World()
    own = _item("Свой курс", level="municipal", municipality=w.municipality)
    before = _stored(own)
    result = run(f"{HEADER}\nКурс (КПК/ДПП);Свой курс;ИПК;72;да;Региональный;М3\n", user=w.user("municipal_methodist"))
    assert not result.written
    assert _stored(own) == before


def test_items_a_municipal_methodist_loads_belong_to_their_municipality_and_stay_theirs_to_edit():
    from routes.catalog import services

    w = World()
    own = _item("Свой курс", level="municipal", municipality=w.municipality)
    methodist = w.user("municipal_methodist")
    result = run(f"{HEADER}\n"
                 "Мероприятие;Семинар ММЦ;ММЦ;;нет;Муниципальный;М5\n"
                 "Курс (КПК/ДПП);Свой курс;ММЦ;24;нет;Школьный;М3\n", user=methodist)
    assert result.written, result.error_lines()
    seminar = CatalogResource.objects.get(title="Семинар ММЦ")
    assert seminar.municipality_id == w.municipality.pk and services.can_edit(methodist, seminar)
    assert _stored(own) == ("ММЦ", 24, "school", False, w.municipality.pk)


def test_a_regional_methodist_loads_federal_items_as_items_of_the_region():
    w = World()
    result = run(f"{HEADER}\nКурс (КПК/ДПП);Федеральный курс;ИПК;36;да;Федеральный;М3\n",
                 user=w.user("regional_methodist"))
    assert result.written, result.error_lines()
    course = CatalogResource.objects.get(title="Федеральный курс")
    assert course.in_federal_registry and course.municipality_id is None
