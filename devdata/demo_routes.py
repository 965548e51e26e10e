"""Live demo routes of the current academic year, made through the services as teachers make them.

Each colleague takes the self-assessment (diagnostics.services.self_assessment_submit), drafts the route
from its deficits (routes.drafting: tasks and catalog activities per deficit), writes their own theme
(no two in a school alike) and walks the lifecycle to a stage of the deputy's queue: a fresh submission, a
resubmission after a return with comments, approved routes waiting for credit, routes under implementation
(some under 50 % with an overdue activity). The services stamp today; the timeline is then set back to the
autumn in causal order (self-assessment < submission < approval < credit < defence < first mark), as if
the portal had run since September. The demo teacher has only the self-assessment: «Составить ИОМ по
результатам диагностики» works at once.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.dates import academic_year_bounds, current_academic_year
from devdata.demo_chains import expected, safe_day, spread
from devdata.demo_diagnostics import THEMES, Theme
from diagnostics.models import Instrument
from diagnostics.services import self_assessment_submit
from routes.drafting.services import draft_route_from_deficits
from routes.models import ExpressReview, RoadmapActivity, Route, Transition
from routes.roadmap import services as roadmap
from routes.workflow import services as workflow
from schools.models import Organisation, StaffMember

User = get_user_model()

SCORES = {code: 2 for code, _ in ExpressReview.CRITERIA}
# The stages of a school's colleagues, the most needed first (a school with fewer colleagues gets the first).
PLAN = ["submitted", "resubmitted", "awaiting_credit", "in_progress_low", "in_progress", "submitted",
        "awaiting_credit", "in_progress_low", "in_progress"]
RETURN_COMMENT = ("Сроки открытого урока и выступления на ШМО совпадают с итоговыми работами: перенесите их и "
                  "уточните ожидаемый результат курса.")
TEACHER_THEME = Theme("Современный урок: проектирование и самоанализ", "", ("М1", "ПЛ2", "ИКТ1"),
                      "Самооценка профессиональных компетенций")


def self_assess(user, person: StaffMember, codes, taken_on: dt.date):
    """The person's own questionnaire: «2» on the statements of `codes` (a score of 25), «4»–«5» elsewhere."""
    instrument = Instrument.objects.get(is_self_assessment=True, is_active=True)
    answers = {s.pk: 2 if s.competency.code in codes else 4 + (s.pk + person.pk) % 2
               for s in instrument.statements.select_related("competency")}
    return self_assessment_submit(actor=user, instrument=instrument, answers=answers, taken_on=taken_on)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 15)))


def _backdate(route: Route, days: list[dt.date]) -> None:
    """The route's transitions, in the order they were taken, on these days; its dates follow them."""
    transitions = list(route.transitions.order_by("pk"))
    assert len(transitions) == len(days), (route.pk, [t.action for t in transitions])
    for t, day in zip(transitions, days, strict=True):
        t.at = _at(day, 9 + t.pk % 8)
        if t.action == "submit":
            route.submitted_at = t.at
        elif t.action == "approve":
            route.approved_on = day
        elif t.action == "credit":
            route.credited_on = day
        elif t.action == "return":
            route.comments.update(created_at=_at(day, 15))
    Transition.objects.bulk_update(transitions, ["at"])
    fields = ["submitted_at", "approved_on", "credited_on"]
    if route.credited_on:
        route.defended_on = safe_day(route.credited_on + dt.timedelta(days=5))
        route.defended_place = "ШМО" if route.pk % 2 else "методический совет"
        fields += ["defended_on", "defended_place"]
    Route.objects.filter(pk=route.pk).update(**{f: getattr(route, f) for f in fields})


def live_route(person: StaffMember, theme: Theme, stage: str, k: int, *, deputy, creditor, city: str,
               today: dt.date) -> Route:
    """One colleague's route of the current year taken to `stage` through the services, then backdated."""
    user = person.user
    start, _end = academic_year_bounds(current_academic_year(today))
    ends_on = dt.date(start.year + 1, 5, 31)
    late = stage in ("submitted", "resubmitted", "awaiting_credit")
    assessed = safe_day(dt.date(start.year, 11 if late else 9, 2 + 2 * k))
    if stage == "submitted":
        assessed = safe_day(today - dt.timedelta(days=12 + k))
    self_assess(user, person, theme.codes, assessed)
    route = draft_route_from_deficits(actor=user, person=person, starts_on=start, ends_on=ends_on)
    # the teacher's own words over the drafted note, and deadlines on school days from October to May
    route = roadmap.route_update_note(actor=user, route=route, expected_version=route.version, data={
        "topic": theme.topic, "goal": theme.goal, "city": city,
        "expected_result": theme.goal + "; материалы в методической копилке, открытый урок, выступление на ШМО",
        "reporting_form": "выступление на ШМО, открытый урок",
    })
    activities = list(route.activities.select_related("kind", "task__deficit__competency").order_by("order"))
    for activity, deadline in zip(activities, spread(len(activities), dt.date(start.year, 10, 5),
                                                    dt.date(start.year + 1, 5, 15), person.pk), strict=True):
        activity.deadline = deadline
        if activity.task_id:
            activity.expected_result = expected(activity.kind.code, activity.task.deficit.competency.name)
    RoadmapActivity.objects.bulk_update(activities, ["deadline", "expected_result"])
    days = [assessed]  # create
    workflow.route_submit(actor=user, route=route)
    if stage == "submitted":
        _backdate(route, days + [today - dt.timedelta(days=2 + k)])
        return route
    if stage == "resubmitted":
        first = activities[-1]
        roadmap.comment_add(actor=deputy, route=route, activity=first,
                            text="Перенесите срок: в мае итоговые работы, урок лучше провести в апреле.")
        workflow.route_return(actor=deputy, route=route, comment=RETURN_COMMENT)
        route.refresh_from_db()
        roadmap.activity_update(actor=user, activity=first, expected_version=route.version, data={
            "deadline": safe_day(dt.date(start.year + 1, 4, 14))})
        roadmap.comment_add(actor=user, route=route, text="Сроки перенесла, ожидаемые результаты уточнила.")
        workflow.route_submit(actor=user, route=route)
        _backdate(route, days + [assessed + dt.timedelta(days=4), assessed + dt.timedelta(days=9),
                                 today - dt.timedelta(days=1)])
        return route
    workflow.route_approve(actor=deputy, route=route, scores=SCORES, comment="Маршрут реалистичен, сроки выполнимы")
    submitted = safe_day(assessed + dt.timedelta(days=5))
    approved = safe_day(submitted + dt.timedelta(days=4))
    route.refresh_from_db()
    if route.status == Route.Status.AWAITING_CREDIT and stage == "awaiting_credit":
        _backdate(route, days + [submitted, approved])
        return route
    if route.status == Route.Status.AWAITING_CREDIT:
        workflow.route_credit(actor=creditor, route=route)
        credited = safe_day(approved + dt.timedelta(days=6))
        _backdate(route, days + [submitted, approved, credited])
    else:
        credited = approved
        _backdate(route, days + [submitted, approved])
    # marks with evidence: every past-due activity, or under half of them for a route behind schedule
    due = [a for a in route.activities.order_by("deadline", "pk") if a.deadline <= today and a.deadline > credited]
    if stage == "in_progress_low":
        due = due[: max(0, len(list(route.activities.all())) // 2 - 1)][:1]
    for activity in due:
        roadmap.activity_mark_done(actor=user, activity=activity, done_on=activity.deadline,
                                   url=f"https://docs.example.org/iom/{route.pk}/{activity.pk}",
                                   evidence_kind="certificate" if activity.kind.code != "self_education" else "link")
    return route


def load_demo_routes(school: Organisation, *, deputy_username: str = "deputy", creditor_username: str = "regional",
                     city: str = "с. Новоселово", skip_usernames=("teacher",), theme_offset: int = 0) -> list[Route]:
    """The current year's routes of the school's colleagues (PLAN), each with its own theme."""
    today = timezone.localdate()
    year = current_academic_year(today)
    deputy = User.objects.get(username=deputy_username)
    creditor = User.objects.get(username=creditor_username)
    colleagues = list(
        StaffMember.objects.filter(organisation=school, position_category="teacher", user__isnull=False,
                                   status=StaffMember.Status.WORKING)
        .exclude(user__username__in=skip_usernames).exclude(routes__academic_year=year)
        .select_related("user", "organisation").order_by("pk")
    )
    return [live_route(person, THEMES[(theme_offset + k) % len(THEMES)], stage, k, deputy=deputy, creditor=creditor,
                       city=city, today=today)
            for k, (person, stage) in enumerate(zip(colleagues, PLAN, strict=False))]


def load_demo_teacher() -> None:
    """The demo teacher's self-assessment of last week: deficits to draft a route from, and no route yet."""
    teacher = User.objects.get(username="teacher")
    person = StaffMember.objects.get(user=teacher)
    self_assess(teacher, person, TEACHER_THEME.codes, safe_day(timezone.localdate() - dt.timedelta(days=6)))


def late_results(school: Organisation) -> Route | None:
    """One route of last year that ran out without results gets them late (the deputy has results to accept);
    the others stay «Срок истек» (expired by the period-end task)."""
    route = (Route.objects.filter(organisation=school, status=Route.Status.EXPIRED, person__user__isnull=False)
             .exclude(person__user__username__in=["teacher", "deputy"]).order_by("pk").first())
    if route is None:
        return None
    user = route.person.user
    reasons = {a.pk: "Мероприятие перенесено: в срок не проведено из-за болезни, перенесу в ИОМ этого года."
               for a in route.activities.filter(is_done=False)}
    # the final diagnostics: the instrument's statements repeated per deficit, the first one grown, the rest not yet
    from routes.workflow.final_diagnostics import final_items

    reassessment = {item.deficit.pk: {s.pk: 5 if k == 0 else 3 for s in item.statements}
                    for k, item in enumerate(final_items(route)) if item.statements}
    workflow.route_submit_results(actor=user, route=route, outcome_proposed="partial", not_done_reasons=reasons,
                                  reassessment=reassessment,
                                  reflection=f"По теме «{route.topic}» освоила основные приемы и применяю их; "
                                             "открытый урок и публикацию перенесла в ИОМ этого года.")
    last = route.transitions.order_by("-pk").first()
    Transition.objects.filter(pk=last.pk).update(at=_at(safe_day(timezone.localdate() - dt.timedelta(days=3))))
    return route

