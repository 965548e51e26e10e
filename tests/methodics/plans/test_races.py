"""Programmes of help: a plan, a direction's plan or an activity deleted by a concurrent request
(tests/methodics/races.py says how the race is made)."""

import pytest
from django.urls import reverse

from methodics.models import HelpActivity, HelpDirection, HelpPlan
from methodics.plans import services
from methodics.services import AlreadyDeleted
from tests.methodics.races import YEAR, deleted_before, page_after
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


@pytest.fixture
def plan(w):
    return services.plan_create(actor=w.user("deputy"), organisation=w.school, academic_year=YEAR)


def test_toggling_a_plan_activity_deleted_meanwhile_redirects_htmx_to_the_plan_with_a_message(
        w, client, plan, monkeypatch):
    activity = plan.activities.first()
    deleted_before(monkeypatch, services, "plan_activity_set_done", HelpActivity.objects.filter(pk=activity.pk))
    client.force_login(w.user("deputy"))
    url = reverse("methodics:plan_activity_toggle", args=[activity.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("methodics:plan_detail", args=[plan.pk])
    page = client.get(response["HX-Redirect"]).content.decode()
    assert "Мероприятие программы уже удалено." in page
    assert not HelpActivity.objects.filter(pk=activity.pk).exists()
    assert not HelpActivity.objects.filter(is_done=True).exists()


def test_toggling_or_deleting_a_plan_activity_deleted_right_before_is_a_404(w, client, plan):
    activity = plan.activities.first()
    HelpActivity.objects.filter(pk=activity.pk).delete()
    client.force_login(w.user("deputy"))
    for name in ("plan_activity_toggle", "plan_activity_delete"):
        assert client.post(reverse(f"methodics:{name}", args=[activity.pk])).status_code == 404
    assert not HelpActivity.objects.filter(is_done=True).exists()


def test_toggling_an_activity_of_a_plan_deleted_meanwhile_goes_to_the_plan_list(w, client, plan, monkeypatch):
    activity = plan.activities.first()
    deleted_before(monkeypatch, services, "plan_activity_set_done", HelpPlan.objects.filter(pk=plan.pk))
    client.force_login(w.user("deputy"))
    response = client.post(reverse("methodics:plan_activity_toggle", args=[activity.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("methodics:plan_list")
    assert "Мероприятие программы уже удалено." in response.content.decode()
    assert not HelpPlan.objects.exists() and not HelpActivity.objects.exists()


def test_deleting_a_plan_activity_twice_says_it_is_already_deleted(w, client, plan, monkeypatch):
    activity = plan.activities.first()
    count = plan.activities.count()
    deleted_before(monkeypatch, services, "plan_activity_delete", HelpActivity.objects.filter(pk=activity.pk))
    client.force_login(w.user("deputy"))
    page = page_after(client, reverse("methodics:plan_activity_delete", args=[activity.pk]))
    assert "Мероприятие программы уже удалено." in page
    assert plan.activities.count() == count - 1


def test_plan_writes_with_a_stale_plan_or_activity_refuse_and_write_nothing(w, plan):
    activity = plan.activities.select_related("plan__organisation", "direction").first()
    direction = activity.direction
    deputy = w.user("deputy")
    HelpPlan.objects.filter(pk=plan.pk).delete()
    with pytest.raises(AlreadyDeleted, match="Программа помощи уже удалена"):
        services.direction_add(actor=deputy, plan=plan, title="Новое направление")
    with pytest.raises(AlreadyDeleted, match="Программа помощи уже удалена"):
        services.plan_activity_add(actor=deputy, plan=plan, data={
            "direction": direction, "stage": activity.stage, "title": "Новое", "timing": "в течение года"})
    with pytest.raises(AlreadyDeleted, match="Программа помощи уже удалена"):
        services.plan_update(actor=deputy, plan=plan, data={"title": "Другое"})
    with pytest.raises(AlreadyDeleted, match="Мероприятие программы уже удалено"):
        services.plan_activity_update(actor=deputy, activity=activity, data={"title": "Другое"})
    assert not HelpDirection.objects.exists() and not HelpActivity.objects.exists()


def test_adding_a_direction_to_a_plan_deleted_meanwhile_goes_to_the_plan_list(w, client, plan, monkeypatch):
    deleted_before(monkeypatch, services, "direction_add", HelpPlan.objects.filter(pk=plan.pk))
    client.force_login(w.user("deputy"))
    page = page_after(client, reverse("methodics:direction_create", args=[plan.pk]),
                      {"title": "Новое направление", "aim": ""})
    assert "Программа помощи уже удалена." in page and not HelpDirection.objects.exists()
