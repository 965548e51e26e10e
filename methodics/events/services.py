"""Writes of events and attendance: an event of a school or of the municipal centre, its attendees
(marked by hand or from a file), and a teacher's link from an attendance to a roadmap activity.

Keyword-only and atomic. A school's event is kept by the holders of events.manage over the school,
the centre's by the holders of events.manage_municipal over the municipality. A refusal is a
MethodicsError or a ValidationError; a row deleted meanwhile is AlreadyDeleted (methodics.services).
Attendees are notified after commit.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from core import words
from core.dates import format_date
from core.imports.reading import UnreadableFile, read_table
from core.imports.values import fold, to_text
from core.links import absolute_url
from core.services import notify
from methodics.events.selectors import attendance_candidates, can_manage_event
from methodics.models import Attendance, AttendanceLink, Event
from methodics.services import GONE, MethodicsError, locked, stored, written_or_gone
from routes.models import Evidence, RoadmapActivity, Route
from routes.roadmap import services as route_services
from schools.access import require
from schools.models import Municipality, Organisation, StaffMember

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
    with written_or_gone(Event.competencies.through):
        event.competencies.set(competencies)
    return event


@transaction.atomic
def event_update(*, actor, event: Event, data: dict, competencies=None) -> Event:
    event = stored(Event, event)
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
        with written_or_gone(Event.competencies.through):
            event.competencies.set(competencies)
    return event


@transaction.atomic
def event_delete(*, actor, event: Event) -> None:
    locked(Event, event.pk)
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
            text=f"Вы отмечены участником: {words.lower_first(event.display_title)}, "
                 f"{format_date(event.held_on)}. Участие можно отметить в дорожной карте ИОМ.",
            url=reverse("methodics:my_events"),
        )


@transaction.atomic
def attendance_add(*, actor, event: Event, people: list[StaffMember],
                   source: str = Attendance.Source.MANUAL) -> tuple[int, int]:
    """Mark people as attendees; returns (added, already marked). Only staff the event may have are accepted."""
    locked(Event, event.pk)
    _require_event_manager(actor, event)
    allowed = set(attendance_candidates(event).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
    strangers = [p for p in people if p.pk not in allowed]
    if strangers:
        names = ", ".join(p.short_name for p in strangers[:5])
        raise MethodicsError(f"Эти сотрудники не могут быть участниками этого мероприятия: {names}.")
    existing = set(event.attendances.values_list("person_id", flat=True))
    new = [p for p in {p.pk: p for p in people}.values() if p.pk not in existing]
    with written_or_gone(Attendance, message=GONE[Event] + " Участники не отмечены.", model=Event):
        Attendance.objects.bulk_create(
            [Attendance(event=event, person=p, source=source, added_by=actor) for p in new]
        )
    _tell_attendees(event, new)
    return len(new), len(people) - len(new)


@transaction.atomic
def attendance_remove(*, actor, attendance: Attendance) -> None:
    locked(Event, attendance.event_id)
    locked(Attendance, attendance.pk)
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
    locked(Event, event.pk)
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
    return absolute_url(event_url(event))


@transaction.atomic
def attendance_link(*, actor, attendance: Attendance, activity: RoadmapActivity) -> AttendanceLink:
    """The teacher confirms a roadmap activity with an event they attended: the activity is marked done
    on the event's date, with a link to the event as its evidence."""
    # The lock order of routes (route, then its activities) avoids a deadlock with a roadmap edit.
    locked(Attendance, attendance.pk)
    locked(Route, activity.route_id)
    locked(RoadmapActivity, activity.pk)
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
        evidence.original_name = words.shorten(
            f"Участие: {words.lower_first(event.display_title)}, {format_date(event.held_on)}", 255)
        evidence.save(update_fields=["original_name"])
    with written_or_gone(AttendanceLink, message=GONE[Attendance], model=Attendance):
        link = AttendanceLink.objects.create(
            attendance=attendance, activity=activity, evidence=evidence, marked_done=True, linked_by=actor
        )
    return link


def route_for_attendance(attendance: Attendance) -> Route | None:
    """The attendee's route the event can become a new row of: one under way (the row is then marked done
    by the event) or one still being written, whose period holds the event's date."""
    held_on = attendance.event.held_on
    return (Route.objects.filter(person_id=attendance.person_id, starts_on__lte=held_on, ends_on__gte=held_on,
                                 status__in=(Route.Status.IN_PROGRESS, *Route.EDITABLE_STATUSES))
            .order_by("-starts_on", "-pk").first())


def attendance_row(attendance: Attendance, route: Route) -> dict:
    """The roadmap row an attended event becomes: its form as the kind, its date, its topic and level."""
    from diagnostics.models import CompetencyGroup
    from routes.models import ActivityKind

    event = attendance.event
    codes = sorted(Event.ACTIVITY_KINDS.get(event.kind, set()))
    kind = ActivityKind.objects.filter(code__in=codes).order_by("order", "pk").first() \
        or ActivityKind.objects.get(code="seminar")
    competencies = list(event.competencies.select_related("group__roadmap_section"))
    task = (route.tasks.filter(deficit__competency__in=competencies).order_by("order").first()
            if competencies else None)
    section = (task.deficit.competency.group.section if task else competencies[0].group.section if competencies
               else CompetencyGroup.objects.filter(in_roadmap=True).order_by("order").first())
    hours = f", {event.hours} ч" if event.hours else ""
    return {
        "task": task, "group": section, "kind": kind, "level": event.level, "title": event.display_title[:500],
        "deadline": event.held_on,
        "expected_result": words.shorten(f"Участие: {words.lower_first(event.display_title)}{hours}; "
                                         "приемы применены в работе", 500),
        "confirming_document": "Отметка об участии в портале (ссылка на мероприятие)",
        "note": words.shorten(event.organiser_label, 500),
    }


@transaction.atomic
def attendance_add_row(*, actor, attendance: Attendance) -> RoadmapActivity:
    """An attended event as a new row of the teacher's roadmap (activity_add: its rights and checks); in a
    route under way the row is marked done by the event at once, as attendance_link does; in a draft the
    row waits for the route's approval and is marked done as any other."""
    locked(Attendance, attendance.pk)
    person = attendance.person
    if person.user_id is None or person.user_id != actor.pk:
        raise PermissionDenied("Добавить участие в ИОМ может только сам педагог.")
    if attendance.links.exists():
        raise MethodicsError("Это участие уже подтверждает мероприятие дорожной карты.")
    route = route_for_attendance(attendance)
    if route is None:
        raise MethodicsError(
            f"Нет ИОМ, в период которого входит {format_date(attendance.event.held_on)} и в который можно "
            "добавить строку (ИОМ должен реализовываться или быть черновиком).")
    route_services.lock_route(route)
    activity = route_services.activity_add(actor=actor, route=route, data=attendance_row(attendance, route),
                                           expected_version=route.version)
    if route.status == Route.Status.IN_PROGRESS:
        attendance_link(actor=actor, attendance=attendance, activity=activity)
    else:
        # A route still being written: the row is not done yet, but the attendance is used (not added twice);
        # deleting the row deletes the link.
        with written_or_gone(AttendanceLink, message=GONE[Attendance], model=Attendance):
            AttendanceLink.objects.create(attendance=attendance, activity=activity, marked_done=False,
                                          linked_by=actor)
    return activity


@transaction.atomic
def attendance_unlink(*, actor, link: AttendanceLink) -> None:
    """Undo a link: the evidence it wrote is removed and the activity is no longer done."""
    locked(Route, link.activity.route_id)  # routes' lock order: the route before what hangs on it
    locked(AttendanceLink, link.pk)
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
