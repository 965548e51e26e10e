"""In the browser, on the demo data: each dashboard, ordering the analytical report, the registry."""

import pytest

from devdata.demo import DEMO_PASSWORD, load_demo
from reports.models import ReportJob

# Reference data (activity kinds, indicators) come from data migrations: put them back after the flush.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


# One test on one demo load: the demo is large, and every step reads the same records.
def test_every_role_reads_its_dashboard_orders_reports_and_exports_the_registry(portal, browser_page):
    load_demo()
    methodist_reads_table_1_orders_the_report_and_downloads_it(portal, browser_page)
    deputy_sees_the_school_dashboard(portal, browser_page)
    regional_methodist_compares_municipalities(portal, browser_page)
    registry_filters_sorts_and_exports(portal, browser_page)
    methodist_edits_the_reports_texts(portal, browser_page)


def methodist_reads_table_1_orders_the_report_and_downloads_it(portal, browser_page):
    page = browser_page("methodist", DEMO_PASSWORD)
    page.goto(portal.url + "/reports/dashboard/")
    assert "Таблица 1" in page.content()
    assert "39,9" in page.locator("tfoot").inner_text()
    portal.shot(page, "municipality-dashboard")
    portal.check_accessibility(page)

    page.click("text=Доля с ИОМ, %")
    first = page.locator("table.table-t1 tbody tr").first.inner_text()
    assert "Игрышенская" in first  # 93,3 % on top when sorted by share, descending
    portal.shot(page, "municipality-sorted-by-share")

    page.goto(portal.url + "/reports/")
    page.select_option("#id_kind", "coverage")
    page.select_option("#id_format", "pdf")
    page.click("button:has-text('Сформировать')")
    page.wait_for_selector("text=Скачать")
    portal.shot(page, "reports-page")
    portal.check_accessibility(page)
    with page.expect_download() as download:
        page.click("text=Скачать")
    assert download.value.suggested_filename.endswith(".pdf")
    assert ReportJob.objects.get().status == ReportJob.Status.DONE


def deputy_sees_the_school_dashboard(portal, browser_page):
    page = browser_page("deputy", DEMO_PASSWORD)
    page.goto(portal.url + "/reports/dashboard/")
    assert "Анашенская" in page.locator("h1").inner_text()
    portal.shot(page, "school-dashboard")
    portal.check_accessibility(page)


def regional_methodist_compares_municipalities(portal, browser_page):
    page = browser_page("regional", DEMO_PASSWORD)
    page.goto(portal.url + "/reports/dashboard/")
    assert "Новоселовский район" in page.content()
    portal.shot(page, "region-dashboard")
    portal.check_accessibility(page)


def registry_filters_sorts_and_exports(portal, browser_page):
    page = browser_page("methodist", DEMO_PASSWORD)
    page.goto(portal.url + "/reports/registry/")
    page.select_option("#id_status", "not_credited")
    page.click("button:has-text('Показать')")
    assert "Найдено: 4" in page.content()
    page.click("thead >> text=ОО")
    portal.shot(page, "registry-filtered")
    portal.check_accessibility(page)
    page.click("button:has-text('XLSX')")
    page.wait_for_selector("text=Скачать")
    portal.shot(page, "registry-export-ready")


def methodist_edits_the_reports_texts(portal, browser_page):
    page = browser_page("methodist", DEMO_PASSWORD)
    page.goto(portal.url + "/reports/dashboard/")
    page.click("text=Тексты справки")
    assert "Директорам школ:" in page.locator("#id_recommendations").input_value()
    portal.shot(page, "report-texts")
    portal.check_accessibility(page)
