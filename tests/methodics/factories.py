"""factory_boy factories of the methodics app."""

import datetime as dt

import factory

from methodics.models import Attendance, Event, MentoringPair, Project, ProjectParticipant
from routes.models import Level
from tests.factories import MunicipalityFactory, StaffFactory


class EventFactory(factory.django.DjangoModelFactory):
    """A municipal event by default; pass organisation= for a school's event."""

    class Meta:
        model = Event

    municipality = factory.LazyAttribute(
        lambda e: e.organisation.municipality if e.organisation else MunicipalityFactory()
    )
    organisation = None
    kind = Event.Kind.PRACTICUM
    level = Level.MUNICIPAL
    title = factory.Sequence(lambda n: f"Проектирование ИОМ педагога №{n}")
    held_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=10))


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(StaffFactory)


class PairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringPair

    mentee = factory.SubFactory(StaffFactory)
    organisation = factory.LazyAttribute(lambda p: p.mentee.organisation)
    mentor = factory.SubFactory(StaffFactory, organisation=factory.SelfAttribute("..organisation"))
    reason = MentoringPair.Reason.YOUNG_SPECIALIST
    starts_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=30))


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    municipality = factory.SubFactory(MunicipalityFactory)
    title = "ИОМ в действии"
    starts_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=200))
    ends_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=100))


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectParticipant

    project = factory.SubFactory(ProjectFactory)
    person = factory.SubFactory(StaffFactory)
