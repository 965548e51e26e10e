"""Live demo routes of the current academic year at the demo school, made through the services.

So that every demo account sees something on first opening: the teacher a draft to edit, the
deputy a queue of submitted routes and results, the regional methodist a route awaiting credit,
the monitor routes under implementation (one with an overdue activity). The routes belong to
the current year, so Table 1 (the last two completed years) is unchanged.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.dates import academic_year_bounds, current_academic_year
from diagnostics.models import CompetencyGroup
from routes import services
from routes.models import ActivityKind, ExpressReview, Route
from routes.roadmap import services as roadmap
from routes.workflow import services as workflow
from schools.models import Organisation, StaffMember

User = get_user_model()

# (group code, kind code, level, title, month offset from the start, confirming document)
ROADMAP = [
    ("subject", "course", "regional", "КПК «Формирование функциональной грамотности обучающихся»", 2,
     "удостоверение о повышении квалификации"),
    ("subject", "self_education", "school", "Изучение открытого банка заданий PISA по своему предмету", 1,
     "подборка заданий в методической копилке"),
    ("methodical", "open_lesson", "school", "Открытый урок с заданиями на функциональную грамотность", 5,
     "конспект урока, лист наблюдения"),
    ("methodical", "rmo", "municipal", "Выступление на РМО учителей-предметников", 6, "справка РМО"),
    ("psycho_pedagogical", "webinar", "federal", "Вебинар «Мотивация обучающихся подросткового возраста»", 4,
     "сертификат участника"),
    ("professional_personal", "publication", "municipal", "Публикация методической разработки на сайте ММЦ", 8,
     "ссылка на публикацию"),
]
NOTE = {
    "topic": "Формирование функциональной грамотности на уроках",
    "diagnostics_summary": "Самооценка по профстандарту и наблюдение уроков: дефицит в методах формирования "
                           "функциональной грамотности и в оценивании метапредметных результатов.",
    "goal": "Освоить и применять на уроках приемы формирования функциональной грамотности",
    "tasks_text": "1. Пройти КПК по функциональной грамотности.\n2. Разработать серию заданий.\n"
                  "3. Провести открытый урок и представить опыт на РМО.",
    "self_education_form": "индивидуальная",
    "expected_result": "Банк заданий по предмету, открытый урок, выступление на РМО",
    "reporting_form": "выступление на ШМО, открытый урок",
    "city": "с. Новоселово",
}
SCORES = {code: 2 for code, _ in ExpressReview.CRITERIA}


def _month(start: dt.date, offset: int) -> dt.date:
    return services.add_months(start, offset).replace(day=15)


def _draft(person: StaffMember, user, *, activities: int = 6) -> Route:
    route = roadmap.route_create(actor=user, person=person)
    start, end = academic_year_bounds(route.academic_year)
    roadmap.route_update_note(actor=user, route=route, data={**NOTE, "starts_on": start, "ends_on": end},
                               expected_version=route.version)
    groups = {g.code: g for g in CompetencyGroup.objects.all()}
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    for group, kind, level, title, offset, document in ROADMAP[:activities]:
        roadmap.activity_add(actor=user, route=route, expected_version=route.version, data={
            "group": groups[group], "kind": kinds[kind], "level": level, "title": title,
            "deadline": _month(start, offset), "expected_result": document, "confirming_document": document,
        })
    return route


def load_demo_routes(school: Organisation) -> None:
    today = timezone.localdate()
    year = current_academic_year(today)
    teacher = User.objects.get(username="teacher")
    deputy = User.objects.get(username="deputy")
    regional = User.objects.get(username="regional")
    _draft(StaffMember.objects.get(user=teacher), teacher)
    colleagues = list(
        StaffMember.objects.filter(organisation=school, position_category="teacher", user__isnull=False,
                                   status=StaffMember.Status.WORKING)
        .exclude(user=teacher).exclude(routes__academic_year=year).select_related("user").order_by("pk")[:7]
    )
    plan = ["submitted", "submitted", "submitted", "awaiting_credit", "in_progress", "in_progress",
            "results_submitted"]
    for i, (person, target) in enumerate(zip(colleagues, plan, strict=False)):
        user = person.user
        route = _draft(person, user, activities=4 + i % 3)
        workflow.route_submit(actor=user, route=route)
        if target == "submitted":
            continue
        workflow.route_approve(actor=deputy, route=route, scores=SCORES, comment="Маршрут реалистичен")
        if target == "awaiting_credit":
            continue
        workflow.route_credit(actor=regional, route=route)
        # The earliest activity is done; a later past-due one is left overdue for the monitor.
        for activity in list(route.activities.order_by("deadline"))[:1]:
            if activity.deadline <= today:
                roadmap.activity_mark_done(actor=user, activity=activity, done_on=activity.deadline,
                                            url="https://example.org/certificate", evidence_kind="certificate")
        if target == "results_submitted":
            for activity in route.activities.filter(is_done=False, deadline__lte=today):
                roadmap.activity_mark_done(actor=user, activity=activity, done_on=activity.deadline,
                                            url="https://example.org/report", evidence_kind="statement")
            # the rest are not done yet: the results say why (routes.workflow.services.route_submit_results)
            reasons = {a.pk: "Итоги подведены раньше срока: мероприятие переносится в ИОМ следующего года."
                       for a in route.activities.filter(is_done=False)}
            workflow.route_submit_results(actor=user, route=route, outcome_proposed="partial", not_done_reasons=reasons,
                                          reflection="Освоила приемы работы с заданиями PISA, провела открытый урок.")
