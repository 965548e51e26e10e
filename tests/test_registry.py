"""core.registry: the apps' menus, home-page items and periodic tasks, found without naming the apps."""

import pytest

from core.registry import contributions, project_apps
from iom_portal.celery import app as celery_app


def test_the_project_apps_are_found_in_their_installed_order():
    assert project_apps() == ["core", "schools", "diagnostics", "routes", "methodics", "reports", "api", "devdata"]


def test_every_app_with_a_menu_contributes_it():
    links = contributions("nav", "NAV")
    assert len({link.url_name for link in links}) == len(links)
    assert {"Организации", "Мой ИОМ", "Методическая работа", "Отчеты"} <= {link.label for link in links}
    assert links[0].url_name.startswith("organisation") or links[0].label == "Организации"  # schools first


def test_the_beat_schedule_holds_every_apps_periodic_tasks():
    celery_app.finalize()
    assert {"routes-daily-reminders", "reports-nightly-snapshot"} <= set(celery_app.conf.beat_schedule)


def test_a_broken_contribution_fails_loudly_instead_of_dropping_a_menu(monkeypatch, tmp_path, settings):
    package = tmp_path / "brokenapp"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "nav.py").write_text("import module_that_does_not_exist\nNAV = []\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.BASE_DIR = tmp_path
    settings.INSTALLED_APPS = ["brokenapp"]
    contributions.cache_clear()
    try:
        with pytest.raises(ModuleNotFoundError, match="module_that_does_not_exist"):
            contributions("nav", "NAV")
    finally:
        contributions.cache_clear()
