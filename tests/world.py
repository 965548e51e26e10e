"""A small world for access tests: two municipalities of one region, and a second region.

    region R ─ municipality A ─ school A1 (own scope of the school roles), school A2
             └ municipality B ─ school B1
    region S ─ municipality C ─ school C1

Users: one per role, scoped to A1 / A / R, plus an administrator. `w.user(role)` returns them,
`w.obj(key, factory)` memoises any further object an app's matrix needs.
"""

from schools.models import Membership, StaffMember
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    StaffFactory,
    UserFactory,
)

ROLES = ["anonymous", "teacher", "deputy", "director", "municipal_methodist", "regional_methodist", "admin"]


class World:
    def __init__(self):
        self.region = RegionFactory(name="Регион R")
        self.other_region = RegionFactory(name="Регион S")
        self.municipality = MunicipalityFactory(region=self.region, name="Муниципалитет A")
        self.other_municipality = MunicipalityFactory(region=self.region, name="Муниципалитет B")
        self.far_municipality = MunicipalityFactory(region=self.other_region, name="Муниципалитет C")
        self.school = OrganisationFactory(municipality=self.municipality, short_name="Школа A1")
        self.sibling_school = OrganisationFactory(municipality=self.municipality, short_name="Школа A2")
        self.other_school = OrganisationFactory(municipality=self.other_municipality, short_name="Школа B1")
        self.far_school = OrganisationFactory(municipality=self.far_municipality, short_name="Школа C1")
        self._users = {}
        self._objects = {}
        # staff with accounts in the own school
        self.teacher_staff = self._staff_user("teacher", self.school, "учитель математики", ["teacher"])
        self.deputy_staff = self._staff_user("deputy", self.school, "заместитель директора по УВР", ["deputy", "teacher"])
        self.director_staff = self._staff_user("director", self.school, "директор", ["director"])
        self._users["municipal_methodist"] = self._scoped_user("methodist", "municipal_methodist", municipality=self.municipality)
        self._users["regional_methodist"] = self._scoped_user("regional", "regional_methodist", region=self.region)
        self._users["admin"] = self._scoped_user("admin", "admin")
        # people elsewhere, for "other scope" cases
        self.colleague = StaffFactory(organisation=self.school, position="учитель физики")
        self.sibling_staff = StaffFactory(organisation=self.sibling_school)
        self.other_staff = StaffFactory(organisation=self.other_school)
        self.far_staff = StaffFactory(organisation=self.far_school)

    def _staff_user(self, username, organisation, position, roles) -> StaffMember:
        user = UserFactory(username=username)
        staff = StaffFactory(organisation=organisation, position=position, user=user, email=f"{username}@example.org")
        for role in roles:
            MembershipFactory(user=user, role=role, organisation=organisation)
        self._users[roles[0]] = user
        return staff

    def _scoped_user(self, username, role, **scope):
        user = UserFactory(username=username)
        MembershipFactory(user=user, role=role, **scope)
        return user

    def user(self, role: str):
        return self._users.get(role)

    def obj(self, key: str, factory):
        if key not in self._objects:
            self._objects[key] = factory(self)
        return self._objects[key]


def grant(user, role: str, **scope) -> Membership:
    """The membership, created unless the user already holds it (PostgreSQL's unique constraint
    treats the empty scope columns as equal; SQLite does not)."""
    existing = Membership.objects.filter(user=user, role=role, **scope).first() if scope else None
    return existing or MembershipFactory(user=user, role=role, **scope)
