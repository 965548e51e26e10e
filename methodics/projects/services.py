"""Writes of municipal projects: the project, its participants and their steps (seed 002).

Keyword-only and atomic; the actor needs projects.manage over the project's municipality. A refusal
is a MethodicsError or a ValidationError; a row deleted meanwhile is AlreadyDeleted (methodics.services).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from methodics.models import Event, ParticipantStep, Project, ProjectParticipant, ProjectReportText, Step
from methodics.projects.selectors import project_route_for, route_step
from methodics.services import GONE, MethodicsError, locked, locked_all, stored, written_or_gone
from schools.access import require
from schools.models import Municipality, StaffMember
from schools.timezones import local_now, zone_of_municipality

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
    locked_all(Event, events)
    project._history_user = actor
    project.save()
    with written_or_gone(Project.organisations.through, Project.events.through):
        project.organisations.set(organisations)
        project.events.set(events)
    return project


@transaction.atomic
def project_update(*, actor, project: Project, data: dict, organisations=None, events=None) -> Project:
    project = stored(Project, project)
    require(actor, "projects.manage", project.municipality)
    changed = [k for k in PROJECT_FIELDS if k in data and getattr(project, k) != data[k]]
    for key in changed:
        setattr(project, key, data[key])
    project.full_clean()
    organisations = list(project.organisations.all()) if organisations is None else list(organisations)
    events = list(project.events.all()) if events is None else list(events)
    _check_project_links(project, organisations, events)
    locked_all(Event, events)
    if changed:
        project._history_user = actor
        project.save(update_fields=changed)
    with written_or_gone(Project.organisations.through, Project.events.through):
        project.organisations.set(organisations)
        project.events.set(events)
    return project


@transaction.atomic
def participant_add(*, actor, project: Project, person: StaffMember) -> ProjectParticipant:
    locked(Project, project.pk)
    require(actor, "projects.manage", project.municipality)
    if person.organisation.municipality_id != project.municipality_id:
        raise MethodicsError("Участник должен работать в муниципалитете проекта.")
    if project.participants.filter(person=person).exists():
        raise MethodicsError(f"{person.short_name} уже участник проекта.")
    participant = ProjectParticipant(project=project, person=person, route=project_route_for(project, person))
    with written_or_gone(ProjectParticipant, Project.organisations.through):
        participant.save()
        if person.organisation_id not in set(project.organisations.values_list("pk", flat=True)):
            project.organisations.add(person.organisation)
    return participant


@transaction.atomic
def participant_remove(*, actor, participant: ProjectParticipant) -> None:
    locked(ProjectParticipant, participant.pk)
    require(actor, "projects.manage", participant.project.municipality)
    participant.delete()


@transaction.atomic
def project_refresh_routes(*, actor, project: Project) -> int:
    """Attach to participants without a route the route they have made since; returns how many were found."""
    locked(Project, project.pk)
    require(actor, "projects.manage", project.municipality)
    found = 0
    waiting = project.participants.select_for_update(of=("self",)).filter(route__isnull=True).select_related("person")
    for participant in waiting:
        route = project_route_for(project, participant.person)
        if route is not None:
            participant.route = route
            with written_or_gone(ProjectParticipant, message="ИОМ участника уже удален: обновите страницу."):
                participant.save(update_fields=["route"])
            found += 1
    return found


@transaction.atomic
def participant_step_record(*, actor, participant: ProjectParticipant, step: str, done_on: dt.date,
                            place: str = "", note: str = "") -> ParticipantStep:
    """Record a step the participant's route holds no data for (e.g. a defence at the ШМО before the portal)."""
    locked(ProjectParticipant, participant.pk)
    require(actor, "projects.manage", participant.project.municipality)
    if step not in Step.values:
        raise ValidationError({"step": "Выберите шаг."})
    if route_step(participant.route, step)[0]:
        raise MethodicsError(f"«{Step(step).label}» уже следует из ИОМ участника: отдельная отметка не нужна.")
    if done_on > local_now(zone_of_municipality(participant.project.municipality)).date():
        raise ValidationError({"done_on": "Дата не может быть в будущем."})
    if step == Step.DEFENDED and not place:
        raise ValidationError({"place": "Укажите, где защищен ИОМ (ШМО, педсовет, РМО…)."})
    with written_or_gone(ParticipantStep, message=GONE[ProjectParticipant], model=ProjectParticipant):
        record, _ = ParticipantStep.objects.update_or_create(
            participant=participant, step=step,
            defaults={"done_on": done_on, "place": place, "note": note, "recorded_by": actor},
        )
    return record


@transaction.atomic
def participant_step_delete(*, actor, record: ParticipantStep) -> None:
    locked(ParticipantStep, record.pk)
    require(actor, "projects.manage", record.participant.project.municipality)
    record.delete()


# --------------------------------------------------------------------------- the report's narrative (seed 002)

@transaction.atomic
def project_text_save(*, actor, project: Project, data: dict, version: int) -> ProjectReportText:
    """The methodist's narrative of the project's report; `version` is the one the form was opened with,
    so two methodists editing at once do not overwrite each other."""
    project = locked(Project, project.pk)
    require(actor, "projects.manage", project.municipality)
    text = ProjectReportText.objects.select_for_update().filter(project=project).first()
    if text is None:
        text = ProjectReportText(project=project, version=0)
    elif text.version != version:
        raise MethodicsError("Тексты уже изменил другой пользователь. Обновите страницу: ваши правки показаны "
                             "ниже, перенесите их заново.")
    for name in ProjectReportText.SECTIONS:
        setattr(text, name, (data.get(name) or "").strip())
    text.updated_by = actor
    text.version += 1
    text.save()
    return text


@transaction.atomic
def project_text_restore(*, actor, project: Project) -> None:
    """Back to the defaults written from the project's data: the methodist's texts are dropped."""
    project = locked(Project, project.pk)
    require(actor, "projects.manage", project.municipality)
    ProjectReportText.objects.filter(project=project).delete()
