"""factory_boy factories of the routes app."""

import datetime as dt

import factory

from core.dates import academic_year_bounds, current_academic_year
from diagnostics.models import CompetencyGroup
from routes.models import ActivityKind, Comment, RoadmapActivity, Route
from tests.factories import StaffFactory


def _year() -> str:
    return current_academic_year()


class RouteFactory(factory.django.DjangoModelFactory):
    """A complete draft: explanatory note filled in, period = the current academic year."""

    class Meta:
        model = Route

    person = factory.SubFactory(StaffFactory)
    organisation = factory.LazyAttribute(lambda r: r.person.organisation)
    academic_year = factory.LazyFunction(_year)
    status = Route.Status.DRAFT
    topic = "Формирование функциональной грамотности на уроках математики"
    goal = "Освоить приемы формирования математической грамотности"
    tasks_text = "Изучить банк заданий; провести открытые уроки"
    self_education_form = "индивидуальная"
    expected_result = "Рост результатов по функциональной грамотности"
    reporting_form = "выступление на ШМО"
    starts_on = factory.LazyAttribute(lambda r: academic_year_bounds(r.academic_year)[0])
    ends_on = factory.LazyAttribute(lambda r: academic_year_bounds(r.academic_year)[1])


def group(code: str = "subject") -> CompetencyGroup:
    return CompetencyGroup.objects.get(code=code)


def kind(code: str = "seminar") -> ActivityKind:
    return ActivityKind.objects.get(code=code)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadmapActivity

    route = factory.SubFactory(RouteFactory)
    group = factory.LazyFunction(group)
    kind = factory.LazyFunction(kind)
    title = factory.Sequence(lambda n: f"Семинар по функциональной грамотности №{n}")
    deadline = factory.LazyAttribute(lambda a: a.route.starts_on + dt.timedelta(days=60))
    confirming_document = "сертификат"
    order = factory.Sequence(lambda n: n)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    route = factory.SubFactory(RouteFactory)
    text = "Уточните срок"
