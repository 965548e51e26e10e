"""Writes of methodics: events and attendance, mentoring pairs, programmes of help, municipal projects.

Every function is keyword-only and atomic, checks the actor's right through schools.access (an
organisation's records or a municipality's own), raises MethodicsError (a DomainError: the message
is shown as is) or ValidationError, and notifies people after commit.
"""

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from core.dates import academic_year_bounds, format_date
from core.errors import DomainError, RowDeleted
from core.imports.reading import UnreadableFile, read_table
from core.imports.values import fold, to_text
from core.services import notify
from methodics import programme_template
from methodics.models import (
    Attendance,
    AttendanceLink,
    Event,
    HelpActivity,
    HelpDirection,
    HelpPlan,
    MentoringPair,
    ParticipantStep,
    Project,
    ProjectParticipant,
    Step,
)
from methodics.selectors import (
    attendance_candidates,
    can_manage_event,
    project_route_for,
    route_step,
)
from routes.models import Evidence, RoadmapActivity, Route
from routes.roadmap import services as route_services
from schools.access import require
from schools.cache import bump_organisations_on_commit
from schools.models import Municipality, Organisation, StaffMember
from schools.services import staff_assign_mentor


class MethodicsError(DomainError):
    """A refused action of methodical support; the message is shown to the user."""


class AlreadyDeleted(MethodicsError, RowDeleted):
    """The row an action of methodical support is about was deleted meanwhile (see core.errors.RowDeleted)."""


GONE = {
    Event: "Мероприятие уже удалено.",
    Attendance: "Участник уже удален из списка мероприятия.",
    AttendanceLink: "Связь с ИОМ уже снята.",
    Route: "ИОМ уже удален.",
    RoadmapActivity: "Мероприятие дорожной карты уже удалено из ИОМ.",
    StaffMember: "Сотрудник уже удален.",
    MentoringPair: "Наставническая пара уже удалена.",
    HelpPlan: "Программа помощи уже удалена.",
    HelpActivity: "Мероприятие программы уже удалено.",
    Project: "Проект уже удален.",
    ProjectParticipant: "Участник уже исключен из проекта.",
    ParticipantStep: "Отметка уже удалена.",
}


def _locked(model, pk):
    """Re-read the row inside the transaction and lock it (SELECT ... FOR UPDATE on PostgreSQL) until commit:
    a concurrent delete either finished before (AlreadyDeleted) or waits for this write."""
    row = model.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        raise AlreadyDeleted(GONE.get(model, "Запись уже удалена."), model=model)
    return row


def _stored(model, row):
    """The row as stored, locked: what an update compares the posted values with and checks the right on.

    Not the object the view passes in: a ModelForm bound to it has already copied the posted values
    into it while validating, so comparing with it finds nothing changed and saves nothing."""
    return _locked(model, row.pk)


def _locked_all(model, rows) -> None:
    """Lock the chosen rows (e.g. a project's events); one of them deleted meanwhile is AlreadyDeleted."""
    pks = {row.pk for row in rows}
    if pks and len(list(model.objects.select_for_update().filter(pk__in=pks).values_list("pk", flat=True))) != len(pks):
        raise AlreadyDeleted(GONE.get(model, "Запись уже удалена.") + " Обновите страницу и выберите заново.",
                             model=model)


@contextmanager
def _written_or_gone(*models, message: str = "Запись уже удалена: обновите страницу.", model=None):
    """Last resort around an insert whose referenced row nobody locked (deleted in the admin, by another app):
    Django creates foreign keys deferred, so they are checked right here, and a refusal of the database
    (IntegrityError) becomes AlreadyDeleted instead of a 500 at commit. Nothing of the block is kept."""
    try:
        with transaction.atomic():
            yield
            connection.check_constraints(table_names=[m._meta.db_table for m in models])
    except IntegrityError as exc:
        raise AlreadyDeleted(message, model=model) from exc


def _today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- events

EVENT_FIELDS = ["kind", "level", "title", "held_on", "place", "hours", "description"]


def _require_event_manager(actor, event: Event) -> None:
    if not can_manage_event(actor, event):
        raise PermissionDenied(
            "Мероприятия школы ведет ее заместитель директора, мероприятия ММЦ — методист муниципалитета."
        )


@transaction.atomic
def event_create(*, actor, municipality: Municipality, organisation: Organisation | None, data: dict,
                 competencies=()) -> Event:
    if organisation is not None:
        require(actor, "events.manage", organisation)
        municipality = organisation.municipality
    else:
        require(actor, "events.manage_municipal", municipality)
    event = Event(municipality=municipality, organisation=organisation, created_by=actor,
                  **{k: data[k] for k in EVENT_FIELDS if k in data})
    event.full_clean()
    event._history_user = actor
    event.save()
    with _written_or_gone(Event.competencies.through):
        event.competencies.set(competencies)
    return event


@transaction.atomic
def event_update(*, actor, event: Event, data: dict, competencies=None) -> Event:
    event = _stored(Event, event)
    _require_event_manager(actor, event)
    changed = [k for k in EVENT_FIELDS if k in data and getattr(event, k) != data[k]]
    for key in changed:
        setattr(event, key, data[key])
    if "held_on" in changed and AttendanceLink.objects.filter(attendance__event=event).exists():
        raise MethodicsError(
            "Дату нельзя изменить: участие в мероприятии уже подтверждает выполнение мероприятий ИОМ."
        )
    event.full_clean()
    if changed:
        event._history_user = actor
        event.save(update_fields=[*changed, "updated_at"])
    if competencies is not None:
        with _written_or_gone(Event.competencies.through):
            event.competencies.set(competencies)
    return event


@transaction.atomic
def event_delete(*, actor, event: Event) -> None:
    _locked(Event, event.pk)
    _require_event_manager(actor, event)
    if AttendanceLink.objects.filter(attendance__event=event).exists():
        raise MethodicsError("Мероприятие нельзя удалить: участие в нем подтверждает выполнение мероприятий ИОМ.")
    if event.projects.exists():
        raise MethodicsError("Мероприятие нельзя удалить: оно входит в муниципальный проект.")
    event.attendances.all().delete()
    event.delete()


def event_url(event: Event) -> str:
    return reverse("methodics:event_detail", args=[event.pk])


def _tell_attendees(event: Event, people: list[StaffMember]) -> None:
    users = [p.user for p in people if p.user_id]
    if users:
        notify(
            users=users,
            text=f"Вы отмечены участником: {event.get_kind_display().lower()} «{event.title}», "
                 f"{format_date(event.held_on)}. Участие можно отметить в дорожной карте ИОМ.",
            url=reverse("methodics:my_events"),
        )


@transaction.atomic
def attendance_add(*, actor, event: Event, people: list[StaffMember],
                   source: str = Attendance.Source.MANUAL) -> tuple[int, int]:
    """Mark people as attendees; returns (added, already marked). Only staff the event may have are accepted."""
    _locked(Event, event.pk)
    _require_event_manager(actor, event)
    allowed = set(attendance_candidates(event).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
    strangers = [p for p in people if p.pk not in allowed]
    if strangers:
        names = ", ".join(p.short_name for p in strangers[:5])
        raise MethodicsError(f"Эти сотрудники не могут быть участниками этого мероприятия: {names}.")
    existing = set(event.attendances.values_list("person_id", flat=True))
    new = [p for p in {p.pk: p for p in people}.values() if p.pk not in existing]
    with _written_or_gone(Attendance, message=GONE[Event] + " Участники не отмечены.", model=Event):
        Attendance.objects.bulk_create(
            [Attendance(event=event, person=p, source=source, added_by=actor) for p in new]
        )
    _tell_attendees(event, new)
    return len(new), len(people) - len(new)


@transaction.atomic
def attendance_remove(*, actor, attendance: Attendance) -> None:
    _locked(Event, attendance.event_id)
    _locked(Attendance, attendance.pk)
    _require_event_manager(actor, attendance.event)
    if attendance.links.exists():
        raise MethodicsError(
            f"{attendance.person.short_name}: участие уже подтверждает мероприятие ИОМ. "
            "Сначала педагог должен снять эту связь."
        )
    attendance.delete()


REQUIRED_COLUMNS = ["ОО", "Фамилия", "Имя"]
OPTIONAL_COLUMNS = ["Отчество"]


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)  # "строка N: колонка: сообщение"
    rows: int = 0
    added: int = 0
    already: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _import_people(event: Event, data: bytes, filename: str, result: ImportResult) -> list[StaffMember]:
    try:
        table = read_table(data, filename)
    except UnreadableFile as exc:
        result.errors.append(str(exc))
        return []
    columns = {fold(title): i for i, title in enumerate(table.header) if title.strip()}
    missing = [c for c in REQUIRED_COLUMNS if fold(c) not in columns]
    if missing:
        result.errors.append(
            "В строке заголовков нет колонок: " + ", ".join(missing) + ". Нужны колонки: ОО, Фамилия, Имя, Отчество."
        )
        return []
    if not table.rows:
        result.errors.append("В файле нет строк с участниками.")
        return []
    organisations = {}
    for org in Organisation.objects.filter(
        **({"pk": event.organisation_id} if event.organisation_id else {"municipality_id": event.municipality_id})
    ):
        organisations[fold(org.short_name)] = org
        organisations[fold(org.name)] = org
    index: dict[tuple, list[StaffMember]] = {}
    for person in attendance_candidates(event):
        key = (person.organisation_id, fold(person.last_name), fold(person.first_name), fold(person.middle_name))
        index.setdefault(key, []).append(person)

    def cell(row, title):
        i = columns.get(fold(title))
        return to_text(row[i]) if i is not None and i < len(row) else ""

    people, seen = [], {}
    for number, row in enumerate(table.rows, start=2):
        result.rows += 1
        org_name, last, first, middle = (cell(row, c) for c in ("ОО", "Фамилия", "Имя", "Отчество"))
        row_errors = [f"строка {number}: {c}: обязательное поле не заполнено"
                      for c, v in (("ОО", org_name), ("Фамилия", last), ("Имя", first)) if not v]
        org = organisations.get(fold(org_name)) if org_name else None
        if org_name and org is None:
            where = "организатора мероприятия" if event.organisation_id else "муниципалитета"
            row_errors.append(f"строка {number}: ОО: «{org_name}» — нет такой организации у {where}")
        if row_errors:
            result.errors.extend(row_errors)
            continue
        key = (org.pk, fold(last), fold(first), fold(middle))
        found = index.get(key, [])
        full = " ".join(p for p in (last, first, middle) if p)
        if not found:
            result.errors.append(
                f"строка {number}: Фамилия: {full} — не найден среди работающих сотрудников {org.short_name}"
            )
        elif len(found) > 1:
            result.errors.append(
                f"строка {number}: Фамилия: {full} — в {org.short_name} несколько сотрудников с таким ФИО, "
                "отметьте нужного вручную"
            )
        elif key in seen:
            result.errors.append(f"строка {number}: Фамилия: {full} — повтор строки {seen[key]}")
        else:
            seen[key] = number
            people.append(found[0])
    return people


@transaction.atomic
def attendance_import(*, actor, event: Event, data: bytes, filename: str) -> ImportResult:
    """Attendance from a file with columns ОО, Фамилия, Имя, Отчество: all rows valid, or nothing is written."""
    _locked(Event, event.pk)
    _require_event_manager(actor, event)
    result = ImportResult()
    people = _import_people(event, data, filename, result)
    if result.errors:
        return result
    result.added, result.already = attendance_add(
        actor=actor, event=event, people=people, source=Attendance.Source.IMPORT
    )
    return result


def _evidence_url(event: Event) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + event_url(event)


@transaction.atomic
def attendance_link(*, actor, attendance: Attendance, activity: RoadmapActivity) -> AttendanceLink:
    """The teacher confirms a roadmap activity with an event they attended: the activity is marked done
    on the event's date, with a link to the event as its evidence."""
    # The lock order of routes (route, then its activities) avoids a deadlock with a roadmap edit.
    _locked(Attendance, attendance.pk)
    _locked(Route, activity.route_id)
    _locked(RoadmapActivity, activity.pk)
    person = attendance.person
    if person.user_id is None or person.user_id != actor.pk:
        raise PermissionDenied("Связать участие с ИОМ может только сам педагог.")
    if activity.route.person_id != person.pk:
        raise MethodicsError("Это мероприятие из ИОМ другого педагога.")
    if AttendanceLink.objects.filter(activity=activity).exists():
        raise MethodicsError("Это мероприятие дорожной карты уже подтверждено участием в другом событии.")
    if activity.is_done:
        raise MethodicsError("Это мероприятие дорожной карты уже отмечено выполненным.")
    event = attendance.event
    url = _evidence_url(event)
    route_services.activity_mark_done(
        actor=actor, activity=activity, done_on=event.held_on, evidence_kind=Evidence.Kind.LINK, url=url,
    )
    evidence = activity.evidence.filter(url=url).order_by("-pk").first()
    if evidence is not None:
        evidence.original_name = f"Участие: {event.get_kind_display().lower()} «{event.title}», " \
                                 f"{format_date(event.held_on)}"[:255]
        evidence.save(update_fields=["original_name"])
    with _written_or_gone(AttendanceLink, message=GONE[Attendance], model=Attendance):
        link = AttendanceLink.objects.create(
            attendance=attendance, activity=activity, evidence=evidence, marked_done=True, linked_by=actor
        )
    return link


@transaction.atomic
def attendance_unlink(*, actor, link: AttendanceLink) -> None:
    """Undo a link: the evidence it wrote is removed and the activity is no longer done."""
    _locked(Route, link.activity.route_id)  # routes' lock order: the route before what hangs on it
    _locked(AttendanceLink, link.pk)
    if link.attendance.person.user_id != actor.pk:
        raise PermissionDenied("Снять связь может только сам педагог.")
    activity = link.activity
    if activity.route.status != Route.Status.IN_PROGRESS:
        raise MethodicsError("Связь можно снять, только пока ИОМ реализуется.")
    evidence = link.evidence
    link.delete()
    if evidence is not None:
        route_services.evidence_delete(actor=actor, evidence=evidence)
    if link.marked_done and activity.is_done:
        route_services.activity_unmark_done(actor=actor, activity=activity)


# ---------------------------------------------------------------- mentoring


@transaction.atomic
def pair_start(*, actor, mentee: StaffMember, mentor: StaffMember, reason: str, starts_on: dt.date,
               note: str = "") -> MentoringPair:
    require(actor, "mentoring.manage", mentee.organisation)
    fresh_mentee = _locked(StaffMember, mentee.pk)
    if MentoringPair.objects.select_for_update().filter(mentee=mentee, ends_on__isnull=True).exists():
        raise MethodicsError(f"У сотрудника {mentee.short_name} уже есть действующая пара: сначала завершите ее.")
    if fresh_mentee.status != StaffMember.Status.WORKING:
        raise MethodicsError("Наставника назначают только работающему сотруднику.")
    if starts_on > _today() + dt.timedelta(days=366):
        raise ValidationError({"starts_on": "Дата начала слишком далеко в будущем."})
    # staff_assign_mentor checks the pair itself (same school, working mentor, not oneself).
    staff_assign_mentor(actor=actor, staff=mentee, mentor=mentor)
    pair = MentoringPair(
        organisation=mentee.organisation, mentor=mentor, mentee=mentee, reason=reason, starts_on=starts_on,
        note=note, created_by=actor,
    )
    pair.full_clean()
    pair._history_user = actor
    with _written_or_gone(MentoringPair):
        pair.save()
    bump_organisations_on_commit(pair.organisation_id)  # the mentoring indicators of the dashboards
    notify(
        users=[p.user for p in (mentor, mentee) if p.user_id],
        text=f"Наставническая пара: {mentor.short_name} — наставник, {mentee.short_name} — наставляемый, "
             f"с {format_date(starts_on)}.",
        url=reverse("methodics:mentoring"),
    )
    return pair


@transaction.atomic
def pair_end(*, actor, pair: MentoringPair, ends_on: dt.date, end_note: str = "") -> MentoringPair:
    require(actor, "mentoring.manage", pair.organisation)
    pair.ends_on = _locked(MentoringPair, pair.pk).ends_on  # a pair ended meanwhile is not ended twice
    if pair.ends_on is not None:
        raise MethodicsError("Эта пара уже завершена.")
    if ends_on < pair.starts_on:
        raise ValidationError({"ends_on": f"Дата окончания раньше начала ({format_date(pair.starts_on)})."})
    if ends_on > _today():
        raise ValidationError({"ends_on": "Дата окончания не может быть в будущем."})
    pair.ends_on, pair.end_note = ends_on, end_note
    pair._history_user = actor
    pair.save(update_fields=["ends_on", "end_note"])
    bump_organisations_on_commit(pair.organisation_id)
    mentee = StaffMember.objects.select_related("organisation").filter(pk=pair.mentee_id).first()
    if mentee is not None and mentee.mentor_id == pair.mentor_id:
        staff_assign_mentor(actor=actor, staff=mentee, mentor=None)
    return pair


# ---------------------------------------------------------------- programmes of help

PLAN_FIELDS = ["title", "programme_period", "goal"]
ACTIVITY_FIELDS = ["direction", "stage", "title", "due_on", "timing", "responsible", "responsible_person", "note"]


def _check_year(academic_year: str) -> None:
    try:
        academic_year_bounds(academic_year)
    except ValueError:
        raise ValidationError({"academic_year": "Учебный год указывается как 2025-2026."}) from None


@transaction.atomic
def plan_create(*, actor, organisation: Organisation, academic_year: str, from_template: bool = True) -> HelpPlan:
    require(actor, "plans.manage", organisation)
    _check_year(academic_year)
    if HelpPlan.objects.filter(organisation=organisation, academic_year=academic_year).exists():
        raise MethodicsError(f"Программа помощи {organisation.short_name} на {academic_year} уже есть.")
    start = int(academic_year[:4])
    plan = HelpPlan(organisation=organisation, academic_year=academic_year, created_by=actor,
                    programme_period=f"{start}-{start + 5}", goal=programme_template.GOAL)
    plan.full_clean()
    plan._history_user = actor
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:  # the same programme created by a concurrent request
        raise MethodicsError(f"Программа помощи {organisation.short_name} на {academic_year} уже есть.") from None
    if from_template:
        for order, (title, aim, activities) in enumerate(programme_template.DIRECTIONS, start=1):
            direction = HelpDirection.objects.create(plan=plan, title=title, aim=aim, order=order)
            HelpActivity.objects.bulk_create(
                HelpActivity(
                    plan=plan, direction=direction, stage=stage, title=text, order=i, timing=timing,
                    due_on=programme_template.due_date(academic_year, month), responsible=responsible,
                )
                for i, (stage, text, month, timing, responsible) in enumerate(activities, start=1)
            )
    return plan


@transaction.atomic
def plan_update(*, actor, plan: HelpPlan, data: dict) -> HelpPlan:
    plan = _stored(HelpPlan, plan)
    require(actor, "plans.manage", plan.organisation)
    changed = [k for k in PLAN_FIELDS if k in data and getattr(plan, k) != data[k]]
    for key in changed:
        setattr(plan, key, data[key])
    plan.full_clean()
    if changed:
        plan._history_user = actor
        plan.save(update_fields=[*changed, "updated_at"])
    return plan


@transaction.atomic
def direction_add(*, actor, plan: HelpPlan, title: str, aim: str = "") -> HelpDirection:
    _locked(HelpPlan, plan.pk)
    require(actor, "plans.manage", plan.organisation)
    order = (plan.directions.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    direction = HelpDirection(plan=plan, title=title, aim=aim, order=order)
    direction.full_clean()
    with _written_or_gone(HelpDirection, message=GONE[HelpPlan], model=HelpPlan):
        direction.save()
    return direction


def _check_activity(plan: HelpPlan, activity: HelpActivity) -> None:
    if activity.direction.plan_id != plan.pk:
        raise ValidationError({"direction": "Выберите направление этой программы."})
    if activity.responsible_person and activity.responsible_person.organisation_id != plan.organisation_id:
        raise ValidationError({"responsible_person": "Ответственный должен работать в этой организации."})
    if not activity.due_on and not activity.timing:
        raise ValidationError({"due_on": "Укажите срок: дату или словами (например, «в течение года»)."})
    if activity.due_on:
        start, end = academic_year_bounds(plan.academic_year)
        if not start <= activity.due_on <= end:
            raise ValidationError(
                {"due_on": f"Срок должен быть в {plan.academic_year} учебном году "
                           f"({format_date(start)} — {format_date(end)})."}
            )


@transaction.atomic
def plan_activity_add(*, actor, plan: HelpPlan, data: dict) -> HelpActivity:
    _locked(HelpPlan, plan.pk)
    require(actor, "plans.manage", plan.organisation)
    activity = HelpActivity(plan=plan, **{k: data[k] for k in ACTIVITY_FIELDS if k in data})
    _check_activity(plan, activity)
    activity.order = (plan.activities.filter(direction=activity.direction).count()) + 1
    activity.full_clean()
    activity._history_user = actor
    with _written_or_gone(HelpActivity):
        activity.save()
    return activity


@transaction.atomic
def plan_activity_update(*, actor, activity: HelpActivity, data: dict) -> HelpActivity:
    activity = _stored(HelpActivity, activity)
    require(actor, "plans.manage", activity.plan.organisation)
    changed = [k for k in ACTIVITY_FIELDS if k in data and getattr(activity, k) != data[k]]
    for key in changed:
        setattr(activity, key, data[key])
    _check_activity(activity.plan, activity)
    activity.full_clean()
    if changed:
        activity._history_user = actor
        with _written_or_gone(HelpActivity):
            activity.save(update_fields=changed)
    return activity


@transaction.atomic
def plan_activity_delete(*, actor, activity: HelpActivity) -> None:
    _locked(HelpActivity, activity.pk)
    require(actor, "plans.manage", activity.plan.organisation)
    activity.delete()


@transaction.atomic
def plan_activity_set_done(*, actor, activity: HelpActivity, done: bool, done_on: dt.date | None = None) -> HelpActivity:
    _locked(HelpActivity, activity.pk)
    require(actor, "plans.manage", activity.plan.organisation)
    done_on = done_on or _today()
    if done and done_on > _today():
        raise ValidationError({"done_on": "Дата выполнения не может быть в будущем."})
    activity.is_done, activity.done_on = done, (done_on if done else None)
    activity._history_user = actor
    activity.save(update_fields=["is_done", "done_on"])
    return activity


# ---------------------------------------------------------------- municipal projects

PROJECT_FIELDS = ["title", "goal", "starts_on", "ends_on"]


def _check_project_links(project: Project, organisations, events) -> None:
    strangers = [o.short_name for o in organisations if o.municipality_id != project.municipality_id]
    if strangers:
        raise ValidationError({"organisations": "Организации другого муниципалитета: " + ", ".join(strangers)})
    outside = [e.title for e in events if e.municipality_id != project.municipality_id
               or not project.starts_on <= e.held_on <= project.ends_on]
    if outside:
        raise ValidationError({"events": "Мероприятия вне муниципалитета или сроков проекта: " + "; ".join(outside)})


@transaction.atomic
def project_create(*, actor, municipality: Municipality, data: dict, organisations=(), events=()) -> Project:
    require(actor, "projects.manage", municipality)
    project = Project(municipality=municipality, created_by=actor, **{k: data[k] for k in PROJECT_FIELDS if k in data})
    project.full_clean()
    _check_project_links(project, organisations, events)
    _locked_all(Event, events)
    project._history_user = actor
    project.save()
    with _written_or_gone(Project.organisations.through, Project.events.through):
        project.organisations.set(organisations)
        project.events.set(events)
    return project


@transaction.atomic
def project_update(*, actor, project: Project, data: dict, organisations=None, events=None) -> Project:
    project = _stored(Project, project)
    require(actor, "projects.manage", project.municipality)
    changed = [k for k in PROJECT_FIELDS if k in data and getattr(project, k) != data[k]]
    for key in changed:
        setattr(project, key, data[key])
    project.full_clean()
    organisations = list(project.organisations.all()) if organisations is None else list(organisations)
    events = list(project.events.all()) if events is None else list(events)
    _check_project_links(project, organisations, events)
    _locked_all(Event, events)
    if changed:
        project._history_user = actor
        project.save(update_fields=changed)
    with _written_or_gone(Project.organisations.through, Project.events.through):
        project.organisations.set(organisations)
        project.events.set(events)
    return project


@transaction.atomic
def participant_add(*, actor, project: Project, person: StaffMember) -> ProjectParticipant:
    _locked(Project, project.pk)
    require(actor, "projects.manage", project.municipality)
    if person.organisation.municipality_id != project.municipality_id:
        raise MethodicsError("Участник должен работать в муниципалитете проекта.")
    if project.participants.filter(person=person).exists():
        raise MethodicsError(f"{person.short_name} уже участник проекта.")
    participant = ProjectParticipant(project=project, person=person, route=project_route_for(project, person))
    with _written_or_gone(ProjectParticipant, Project.organisations.through):
        participant.save()
        if person.organisation_id not in set(project.organisations.values_list("pk", flat=True)):
            project.organisations.add(person.organisation)
    return participant


@transaction.atomic
def participant_remove(*, actor, participant: ProjectParticipant) -> None:
    _locked(ProjectParticipant, participant.pk)
    require(actor, "projects.manage", participant.project.municipality)
    participant.delete()


@transaction.atomic
def project_refresh_routes(*, actor, project: Project) -> int:
    """Attach to participants without a route the route they have made since; returns how many were found."""
    _locked(Project, project.pk)
    require(actor, "projects.manage", project.municipality)
    found = 0
    waiting = project.participants.select_for_update(of=("self",)).filter(route__isnull=True).select_related("person")
    for participant in waiting:
        route = project_route_for(project, participant.person)
        if route is not None:
            participant.route = route
            with _written_or_gone(ProjectParticipant, message="ИОМ участника уже удален: обновите страницу."):
                participant.save(update_fields=["route"])
            found += 1
    return found


@transaction.atomic
def participant_step_record(*, actor, participant: ProjectParticipant, step: str, done_on: dt.date,
                            place: str = "", note: str = "") -> ParticipantStep:
    """Record a step the participant's route holds no data for (e.g. a defence at the ШМО before the portal)."""
    _locked(ProjectParticipant, participant.pk)
    require(actor, "projects.manage", participant.project.municipality)
    if step not in Step.values:
        raise ValidationError({"step": "Выберите шаг."})
    if route_step(participant.route, step)[0]:
        raise MethodicsError(f"«{Step(step).label}» уже следует из ИОМ участника: отдельная отметка не нужна.")
    if done_on > _today():
        raise ValidationError({"done_on": "Дата не может быть в будущем."})
    if step == Step.DEFENDED and not place:
        raise ValidationError({"place": "Укажите, где защищен ИОМ (ШМО, педсовет, РМО…)."})
    with _written_or_gone(ParticipantStep, message=GONE[ProjectParticipant], model=ProjectParticipant):
        record, _ = ParticipantStep.objects.update_or_create(
            participant=participant, step=step,
            defaults={"done_on": done_on, "place": place, "note": note, "recorded_by": actor},
        )
    return record


@transaction.atomic
def participant_step_delete(*, actor, record: ParticipantStep) -> None:
    _locked(ParticipantStep, record.pk)
    require(actor, "projects.manage", record.participant.project.municipality)
    record.delete()
