import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tests.world import World

pytestmark = pytest.mark.django_db


def active_labels(user, path):
    request = RequestFactory().get(path)
    request.user = user
    template = Template("{% load portal %}{% nav_links as links %}{% for l in links %}{% if l.active %}{{ l.label }};{% endif %}{% endfor %}")
    return template.render(Context({"request": request})).strip(";").split(";")


def test_only_the_most_specific_menu_entry_is_active():
    w = World()
    methodist = w.user("municipal_methodist")
    assert active_labels(methodist, "/reports/registry/") == ["Реестр ИОМ"]
    assert active_labels(methodist, "/reports/") == ["Отчеты"]


def test_the_dashboards_light_statistics_not_reports():
    w = World()
    methodist = w.user("municipal_methodist")
    regional = w.user("regional_methodist")
    assert active_labels(methodist, f"/reports/municipality/{w.municipality.pk}/") == ["Статистика"]
    assert active_labels(methodist, f"/reports/school/{w.school.pk}/") == ["Статистика"]
    assert active_labels(regional, f"/reports/region/{w.region.pk}/") == ["Статистика"]
    assert active_labels(regional, f"/reports/region/{w.region.pk}/export/") == ["Статистика"]
    assert active_labels(methodist, f"/reports/municipality/{w.municipality.pk}/texts/") == ["Отчеты"]
