"""Routes with a roadmap, for the ИОМ document tests."""

import datetime as dt

import factory

from diagnostics.models import CompetencyGroup
from routes.models import ActivityKind, RoadmapActivity, Route, RouteTask
from tests.factories import StaffFactory

ROADMAP_GROUPS = ["subject", "methodical", "psycho_pedagogical", "professional_personal"]
KINDS = ["course", "seminar", "webinar", "open_lesson", "self_education", "publication", "master_class", "rmo"]
# Short enough to stay on one line of the roadmap column, so `pdftotext -layout` keeps each whole.
TITLES = {
    "course": "КПК «Оценивание» №{n}", "seminar": "Семинар РМО №{n}", "webinar": "Вебинар ЦНППМ №{n}",
    "open_lesson": "Открытый урок №{n}", "self_education": "Изучение ФГОС №{n}", "publication": "Статья в сборнике №{n}",
    "master_class": "Мастер-класс №{n}", "rmo": "Выступление на ШМО №{n}",
}


class RouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Route

    person = factory.SubFactory(StaffFactory)
    organisation = factory.LazyAttribute(lambda o: o.person.organisation)
    academic_year = "2025-2026"
    city = "с. Кыра"
    topic = "Формирование функциональной грамотности на уроках математики"
    goal = "Освоить приемы формирования читательской и математической грамотности"
    tasks_text = "Изучить литературу; провести открытый урок; обобщить опыт"
    self_education_form = "Индивидуальная"
    expected_result = "Методическая разработка серии уроков"
    starts_on = dt.date(2025, 9, 1)
    ends_on = dt.date(2026, 5, 31)
    reporting_form = "Выступление на ШМО"
    diagnostics_summary = "Самодиагностика и анкетирование (апрель 2025): дефицит в оценивании"


class RouteTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RouteTask

    route = factory.SubFactory(RouteFactory)
    problem = factory.Sequence(lambda n: f"Дефицит {n}: объективность оценивания")
    educational_task = factory.Sequence(lambda n: f"Образовательная задача {n}: освоить критериальное оценивание")
    order = factory.Sequence(int)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadmapActivity

    route = factory.SubFactory(RouteFactory)
    group = factory.LazyFunction(lambda: CompetencyGroup.objects.get(code="subject"))
    kind = factory.LazyFunction(lambda: ActivityKind.objects.get(code="seminar"))
    title = factory.Sequence(lambda n: f"Мероприятие дорожной карты №{n}")
    deadline = factory.Sequence(lambda n: dt.date(2025, 10, 1) + dt.timedelta(days=9 * n % 200))
    confirming_document = "Сертификат участника"
    order = factory.Sequence(int)


def route_with_roadmap(activities: int = 15, **route_fields) -> Route:
    """A route with `activities` rows spread over the four roadmap groups and several kinds."""
    route = RouteFactory(**route_fields)
    groups = {g.code: g for g in CompetencyGroup.objects.filter(code__in=ROADMAP_GROUPS)}
    kinds = {k.code: k for k in ActivityKind.objects.filter(code__in=KINDS)}
    for i in range(activities):
        ActivityFactory(
            route=route, group=groups[ROADMAP_GROUPS[i % 4]], kind=kinds[KINDS[i % len(KINDS)]],
            title=TITLES[KINDS[i % len(KINDS)]].format(n=f"{i + 1:02d}"),
            deadline=dt.date(2025, 10, 1) + dt.timedelta(days=12 * i),
            is_done=i % 3 == 0, done_on=dt.date(2025, 10, 1) + dt.timedelta(days=12 * i) if i % 3 == 0 else None,
            note="Очно" if i % 5 == 0 else "",
        )
    RouteTaskFactory(route=route)
    RouteTaskFactory(route=route)
    return route
