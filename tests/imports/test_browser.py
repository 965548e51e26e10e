"""The deputy moves the staff list in through the browser: errors first, then a clean file."""

import pytest

from schools.models import StaffMember
from tests.imports.factories import STAFF_HEADER, csv_bytes, staff_row, xlsx_bytes
from tests.world import World

pytestmark = pytest.mark.browser


def test_deputy_sees_every_error_fixes_the_file_and_confirms(portal, browser_page, tmp_path):
    world = World()
    school = world.school.short_name
    bad = tmp_path / "сотрудники.xlsx"
    bad.write_bytes(xlsx_bytes(STAFF_HEADER, [
        staff_row(school, "Соколова"),
        staff_row(world.sibling_school.short_name, "Чужая"),
        staff_row(school, "Морозова", **{"Дата рождения": "31.02.1985", "Статус": "в отпуске"}),
        staff_row(school, "Волкова", **{"Статус": "уволен"}),
        staff_row(school, "Соколова"),
    ]))
    page = browser_page("deputy")
    page.get_by_role("link", name="Загрузка данных").click()
    portal.shot(page, "index")
    portal.check_accessibility(page)
    page.get_by_role("row", name="Педагогические работники").get_by_role("link", name="Загрузить файл").click()
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Проверить файл").click()
    page.wait_for_url("**/imports/staff/*-*/")
    assert "Ошибок в файле: 5. Ничего не записано." in page.content()
    assert page.locator(".import-cell-error").count() >= 4
    portal.shot(page, "preview-with-errors")
    portal.check_accessibility(page)
    assert not StaffMember.objects.filter(last_name="Соколова").exists()

    good = tmp_path / "сотрудники.csv"
    good.write_bytes(csv_bytes(STAFF_HEADER, [staff_row(school, "Соколова"), staff_row(school, "Морозова")],
                               encoding="cp1251"))
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="Проверить снова").click()
    page.wait_for_selector("text=Подтвердить загрузку")
    portal.shot(page, "preview-valid")
    page.get_by_role("button", name="Подтвердить загрузку: создать 2, обновить 0").click()
    page.wait_for_selector("text=создано: 2")
    portal.shot(page, "done")
    assert StaffMember.objects.filter(organisation=world.school, last_name__in=["Соколова", "Морозова"]).count() == 2
