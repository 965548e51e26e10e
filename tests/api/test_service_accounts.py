"""A token's service account holds real memberships (api/__init__.py says why). The rules that ask *who*
holds a role over a route (routes.selectors.route_reviewers, reviews_q; schools.access.holders_of) must
not count it as a person: a director's token at a school without a director would take the review of
its deputies' routes from the municipal methodist, and the route would wait for an account that never
reviews. The api app registers its accounts with schools.access.register_service_accounts; the rules ask
only people (schools.access.people_q).
"""

import pytest

from routes.models import Route
from routes.selectors import route_reviewers
from schools.access import holders_of
from tests.api.helpers import make_token
from tests.factories import MembershipFactory, StaffFactory, UserFactory
from tests.routes.factories import RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def _deputys_route_in_a_school_without_a_director(world) -> Route:
    account = UserFactory(username="deputy-a2")
    deputy = StaffFactory(organisation=world.sibling_school, position="заместитель директора", user=account)
    MembershipFactory(user=account, role="deputy", organisation=world.sibling_school)
    return RouteFactory(person=deputy, status=Route.Status.SUBMITTED)


def test_without_tokens_the_methodist_reviews_a_deputys_route_where_the_school_has_no_director():
    world = World()
    route = _deputys_route_in_a_school_without_a_director(world)
    assert route_reviewers(route, "approve") == [world.user("municipal_methodist")]


def test_a_directors_token_does_not_take_over_the_review():
    world = World()
    route = _deputys_route_in_a_school_without_a_director(world)
    token, _ = make_token(("director", {"organisation": world.sibling_school}))
    assert route_reviewers(route, "approve") == [world.user("municipal_methodist")]
    assert token.account not in route_reviewers(route, "approve")


def test_a_deputys_token_is_not_told_what_the_schools_deputies_are_told():
    world = World()
    token, _ = make_token(("deputy", {"organisation": world.school}))
    assert token.account not in holders_of("diagnostics.assess", world.school, local=True)
