"""The demo's live routes: every role finds something, Table 1 stays as in seed 000."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.dates import current_academic_year, last_completed_academic_years
from devdata.demo import load_demo
from devdata.table1 import MUNICIPALITY, TABLE1
from routes import selectors
from routes.models import Route, Transition
from schools.models import Organisation

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_demo_routes_give_every_role_something_and_keep_table_1(client):
    load_demo()
    year = current_academic_year()
    teacher, deputy, regional = (User.objects.get(username=u) for u in ("teacher", "deputy", "regional"))

    draft = Route.objects.get(person__user=teacher, academic_year=year)
    assert draft.status == Route.Status.DRAFT and draft.activities.count() == 6
    queue = selectors.review_queue(deputy)
    assert sum(r.status == Route.Status.SUBMITTED for r in queue) == 3
    assert sum(r.status == Route.Status.RESULTS_SUBMITTED for r in queue) == 1
    assert len(selectors.credit_queue(regional)) == 1
    live = Route.objects.filter(academic_year=year)
    assert Transition.objects.filter(route__in=live, action="approve").count() == 4  # logged by the services

    first, second = last_completed_academic_years(2)
    for year_, column in ((first, "credited_first"), (second, "credited_second")):
        expected = sum(sum(getattr(row, column)) for row in TABLE1)
        table_1 = Route.objects.filter(organisation__municipality__name=MUNICIPALITY,
                                       organisation__kind__in=Organisation.SCHOOL_KINDS)
        assert table_1.filter(academic_year=year_, credited_on__isnull=False).count() == expected

    client.force_login(teacher)
    assert "Изучение открытого банка заданий" in client.get(reverse("routes:route_detail", args=[draft.pk])).content.decode()
    client.force_login(deputy)
    assert client.get(reverse("routes:monitor")).content.decode().count('class="row-overdue"') >= 1
