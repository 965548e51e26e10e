"""The browser flow: upload → preview marking every row → confirm; templates; the staff export."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.imports import get_kind, run_import
from schools.models import StaffMember
from tests.factories import StaffFactory
from tests.imports.factories import STAFF_HEADER, csv_bytes, staff_row, xlsx_bytes
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def upload(client, kind, data, name="staff.xlsx"):
    return client.post(reverse("import_upload", args=[kind]), {"file": SimpleUploadedFile(name, data)})


def test_preview_marks_every_row_and_confirm_writes(client, world):
    StaffFactory(organisation=world.school, last_name="Старая", first_name="Анна", middle_name="Сергеевна",
                 birth_date=None, position="учитель физики")
    client.force_login(world.user("deputy"))
    data = xlsx_bytes(STAFF_HEADER, [
        staff_row(world.school.short_name, "Новая"),
        staff_row(world.school.short_name, "Старая", **{"Дата рождения": ""}),
    ])
    response = upload(client, "staff", data)
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url)
    html = page.content.decode()
    assert "Новых: 1" in html and "Изменений: 1" in html and "С ошибками: 0" in html
    assert html.count("import-outcome-new") >= 2 and "import-outcome-update" in html
    assert not StaffMember.objects.filter(last_name="Новая").exists()  # the preview writes nothing
    confirm = re.search(r'action="([^"]+/confirm/)"', html).group(1)
    done = client.post(confirm, follow=True)
    assert "создано: 1, обновлено: 1" in done.content.decode().lower()
    assert StaffMember.objects.filter(last_name="Новая", organisation=world.school).exists()
    assert client.get(preview_url)["Location"] == reverse("import_upload", args=["staff"])  # a confirmed upload is gone


def test_preview_with_errors_lists_them_and_offers_no_confirmation(client, world):
    client.force_login(world.user("deputy"))
    data = csv_bytes(STAFF_HEADER, [
        staff_row(world.school.short_name, "Верная"),
        staff_row(world.sibling_school.short_name, "Чужая"),
        staff_row(world.school.short_name, "Ошибка", **{"Дата рождения": "1980"}),
    ], encoding="cp1251")
    page = client.get(upload(client, "staff", data, "staff.csv")["Location"])
    html = page.content.decode()
    assert "Ошибок в файле: 2. Ничего не записано." in html
    assert f"Строка 3, «ОО»: нет прав загружать данные организации «{world.sibling_school.short_name}»" in html
    assert "Строка 4, «Дата рождения»: ожидается дата в виде ДД.ММ.ГГГГ, указано «1980»" in html
    assert "import-cell-error" in html and "/confirm/" not in html
    only_errors = client.get(page.request["PATH_INFO"] + "?show=error").content.decode()
    assert "Верная" not in only_errors and "Чужая" in only_errors


def test_another_users_preview_is_not_shown(client, world):
    client.force_login(world.user("deputy"))
    preview_url = upload(client, "staff", xlsx_bytes(STAFF_HEADER, [staff_row(world.school.short_name, "А")]))["Location"]
    client.force_login(world.user("admin"))
    response = client.get(preview_url, follow=True)
    assert "Проверка этого файла не найдена" in response.content.decode()
    assert "Новых" not in response.content.decode()


def test_a_file_of_another_type_is_refused_by_the_form(client, world):
    client.force_login(world.user("deputy"))
    response = upload(client, "staff", b"%PDF-1.4", "list.pdf")
    assert response.status_code == 200
    assert "Загрузите файл .xlsx или .csv" in response.content.decode()


def test_template_has_headers_example_and_descriptions(client, world):
    client.force_login(world.user("admin"))
    for kind in ("organizations", "staff", "routes", "activities"):
        response = client.get(reverse("import_template", args=[kind]))
        book = load_workbook(io.BytesIO(response.content))
        data, about = book.worksheets
        titles = [c.title for c in get_kind(kind).columns]
        assert [cell.value for cell in data[1]] == titles
        assert any(cell.value for cell in data[2])  # the example row
        described = {row[0].value: row[2].value for row in about.iter_rows(min_row=2) if row[0].value}
        assert all(described.get(title) for title in titles)


def test_staff_template_example_row_imports_cleanly(world):
    """The example row of the template is a valid row once its organisation exists."""
    kind = get_kind("staff")
    world.school.short_name = "МБОУ СОШ №1"
    world.school.save()
    from core.imports.files import template_xlsx

    result = run_import(kind, template_xlsx(kind), "template.xlsx", dry_run=True)
    assert result.is_valid, result.error_lines()


def test_staff_export_then_import_changes_nothing(client, world):
    StaffFactory(organisation=world.school, last_name="=Формула", birth_date=None, subject="химия",
                 qualification_category="highest", experience_years=7, status="maternity")
    StaffFactory(organisation=world.school, last_name="Уволенная", status="dismissed",
                 dismissed_on="2024-05-31", is_main_position=False)
    client.force_login(world.user("deputy"))
    response = client.get(reverse("import_export", args=["staff"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    before = list(StaffMember.objects.order_by("pk").values())
    result = run_import(get_kind("staff"), response.content, "export.xlsx", user=world.user("deputy"))
    assert result.is_valid, result.error_lines()
    assert result.counts["unchanged"] == StaffMember.objects.filter(organisation=world.school).count()
    assert result.counts["new"] == result.counts["update"] == 0
    assert list(StaffMember.objects.order_by("pk").values()) == before


def test_export_holds_only_the_users_scope(client, world):
    client.force_login(world.user("deputy"))
    book = load_workbook(io.BytesIO(client.get(reverse("import_export", args=["staff"])).content))
    surnames = {row[1].value for row in book.worksheets[0].iter_rows(min_row=2)}
    assert world.colleague.last_name in surnames and world.sibling_staff.last_name not in surnames


def test_export_of_a_region_names_schools_with_shared_short_names_in_full(client, world):
    world.sibling_school.short_name = world.other_school.short_name = "МБОУ СОШ №1"
    world.sibling_school.save()
    world.other_school.save()
    client.force_login(world.user("admin"))
    content = client.get(reverse("import_export", args=["staff"])).content
    result = run_import(get_kind("staff"), content, "export.xlsx", dry_run=True)
    assert result.is_valid, result.error_lines()
    assert result.counts["unchanged"] == StaffMember.objects.count()


def test_index_lists_the_kinds_the_user_may_import(client, world):
    def offered(kind):
        return f'href="{reverse("import_upload", args=[kind])}"' in html

    client.force_login(world.user("deputy"))
    html = client.get(reverse("import_index")).content.decode()
    assert offered("staff") and offered("diagnostics")
    assert not offered("organizations") and not offered("routes")  # history is loaded by the methodist
    client.force_login(world.user("municipal_methodist"))
    html = client.get(reverse("import_index")).content.decode()
    assert offered("organizations") and offered("routes") and offered("activities")
    assert not offered("diagnostics")  # results are recorded by the school, as in the portal


def test_export_makes_the_same_queries_for_few_and_many_rows(client, world):
    client.force_login(world.user("deputy"))
    url = reverse("import_export", args=["staff"])
    client.get(url)  # warm the session

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return [q["sql"] for q in captured.captured_queries]

    few = queries()
    StaffFactory.create_batch(40, organisation=world.school)
    many = queries()
    assert len(few) == len(many)
    # the staff rows and their organisations come in one query, whatever their number
    assert sum('FROM "schools_staffmember"' in sql for sql in many) == 1
