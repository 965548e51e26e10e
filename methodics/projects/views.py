"""Pages of municipal projects: the list, the project with its participants' steps and figures
(seed 002), its form, the participant search, and a participant's steps."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.forms import run_service
from core.ids import parse_id
from methodics.figures import project_values
from methodics.forms import PersonSearchForm
from methodics.models import ParticipantStep, Project, ProjectParticipant, Step
from methodics.projects import selectors, services, texts
from methodics.projects.forms import ProjectForm, ProjectTextForm, StepForm
from methodics.views import gone_to
from schools.access import can, capability_required, get_for, has_capability, manageable_municipalities
from schools.choosers import choose_municipality

PROJECT_KEEPER = "Муниципальные проекты ведет методист муниципалитета."


@capability_required("methodics.view")
def project_list(request):
    return render(request, "methodics/projects/project_list.html", {
        "projects": selectors.project_list_for(request.user),
        "can_create": has_capability(request.user, "projects.manage"),
    })


@capability_required("projects.manage")
def project_create(request):
    # A project belongs to one municipality: a wide scope chooses it first, and the form offers
    # that municipality's organisations and events only.
    choice = choose_municipality(manageable_municipalities(request.user, "projects.manage"),
                                 request.GET.get("municipality"))
    form = ProjectForm(request.POST or None, municipalities=choice.offered)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # A refusal here is an event or organisation chosen in the form and deleted meanwhile: on the form.
        if done := run_service(
            request, lambda: services.project_create(
                actor=request.user, municipality=data["municipality"], data=data,
                organisations=data["organisations"], events=data["events"],
            ), form=form, success_message="Проект создан. Добавьте участников.",
            redirect_to=lambda project: reverse("methodics:project_detail", args=[project.pk]),
        ):
            return done
    return render(request, "methodics/projects/project_form.html", {
        "form": form, "municipality_choice": choice,
    })


def project_detail(request, pk: int):
    project = selectors.project_get_for(request.user, pk)
    participants = selectors.project_participants(project)
    figures = selectors.project_figures(project, participants)
    return render(request, "methodics/projects/project_detail.html", {
        "project": project,
        "participants": participants,
        "figures": figures,
        "values": project_values(project, figures),
        "organisations": project.organisations.all(),
        "can_manage": can(request.user, "projects.manage", project.municipality),
        "search_form": PersonSearchForm(),
    })


def _managed_project(request, pk: int) -> Project:
    return get_for(request.user, Project, pk, need="projects.manage", denied=PROJECT_KEEPER)


def project_edit(request, pk: int):
    project = _managed_project(request, pk)
    form = ProjectForm(request.POST or None, instance=project, municipalities=[project.municipality])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project_gone = gone_to(("methodics:project_detail", Project, project.pk), "methodics:project_list")
        if done := run_service(
            request, lambda: services.project_update(actor=request.user, project=project, data=data,
                                                     organisations=data["organisations"], events=data["events"]),
            form=form, success_message="Изменения сохранены.",
            redirect_to=reverse("methodics:project_detail", args=[project.pk]),
            # an event or organisation chosen in the form and deleted meanwhile is said on the form
            on_deleted=lambda exc: project_gone(exc) if exc.model is Project else None,
        ):
            return done
    return render(request, "methodics/projects/project_form.html", {"form": form, "project": project})


def participant_search(request, pk: int):
    project = _managed_project(request, pk)
    form = PersonSearchForm(request.GET)
    found = selectors.search_participant_candidates(project, form.cleaned_data["q"]) if form.is_valid() else []
    return render(request, "methodics/projects/_participant_search.html", {"project": project, "found": found})


@require_POST
def participant_add(request, pk: int):
    project = _managed_project(request, pk)
    person_id = parse_id(request.POST.get("person"))
    person = selectors.participant_candidates(project).filter(pk=person_id).first() if person_id else None
    if person is None:
        raise Http404("Сотрудник не найден среди возможных участников.")
    def added(participant) -> str:
        found = f"ИОМ {participant.route.academic_year}" if participant.route else "ИОМ пока не найден"
        return f"{person.short_name} добавлен(а) в проект ({found})."

    return run_service(
        request, lambda: services.participant_add(actor=request.user, project=project, person=person),
        success_message=added,
        on_deleted=gone_to(("methodics:project_detail", Project, project.pk), "methodics:project_list"),
    ) or redirect("methodics:project_detail", pk=project.pk)


@require_POST
def project_refresh(request, pk: int):
    project = _managed_project(request, pk)
    return run_service(
        request, lambda: services.project_refresh_routes(actor=request.user, project=project),
        success_message=lambda found: f"Найдено ИОМ участников: {found}.",
        on_deleted=gone_to(("methodics:project_detail", Project, project.pk), "methodics:project_list"),
    ) or redirect("methodics:project_detail", pk=project.pk)


def participant_steps(request, pk: int):
    participant = selectors.participant_get_for(request.user, pk)
    can_manage = can(request.user, "projects.manage", participant.project.municipality)
    records = list(participant.steps.all())
    state = selectors.steps_of(participant, records)
    missing = [s.step for s in state.steps if s.source != "route"]
    form = StepForm(request.POST or None, steps=missing, initial={"done_on": timezone.localdate()})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Шаги участников отмечает методист муниципалитета.")
        if form.is_valid():
            data = form.cleaned_data
            if done := run_service(
                request, lambda: services.participant_step_record(
                    actor=request.user, participant=participant, step=data["step"], done_on=data["done_on"],
                    place=data["place"], note=data["note"]),
                form=form, success_message=f"Отмечено: {Step(data['step']).label}.",
                redirect_to=reverse("methodics:participant_steps", args=[participant.pk]),
                on_deleted=gone_to(("methodics:project_detail", Project, participant.project_id),
                                    "methodics:project_list"),
            ):
                return done
    return render(request, "methodics/projects/participant_steps.html", {
        "participant": participant, "state": state, "records": records, "form": form if missing else None,
        "can_manage": can_manage,
    })


@require_POST
def participant_remove(request, pk: int):
    participant = get_for(request.user, ProjectParticipant, pk, need="projects.manage", denied=PROJECT_KEEPER)
    project = participant.project
    return run_service(
        request, lambda: services.participant_remove(actor=request.user, participant=participant),
        success_message=f"{participant.person.short_name} исключен(а) из проекта.",
        on_deleted=gone_to(("methodics:project_detail", Project, project.pk), "methodics:project_list"),
    ) or redirect("methodics:project_detail", pk=project.pk)


@require_POST
def step_delete(request, pk: int):
    try:
        record = ParticipantStep.objects.get(pk=pk)
    except ParticipantStep.DoesNotExist:
        raise Http404("Отметка не найдена.") from None
    participant = get_for(request.user, ProjectParticipant, record.participant_id, need="projects.manage",
                          denied=PROJECT_KEEPER)
    record.participant = participant
    return run_service(
        request, lambda: services.participant_step_delete(actor=request.user, record=record),
        success_message="Отметка удалена.",
        on_deleted=gone_to(("methodics:participant_steps", ProjectParticipant, participant.pk),
                            "methodics:project_list"),
    ) or redirect("methodics:participant_steps", pk=participant.pk)


def project_texts(request, pk: int):
    """The narrative of the project's report (seed 002): each section prefilled with the saved text or its
    default from the project's data; «Восстановить текст по умолчанию» drops the saved texts."""
    project = _managed_project(request, pk)
    redirect_to = reverse("methodics:project_texts", args=[project.pk])
    if request.method == "POST" and "restore" in request.POST:
        return run_service(
            request, lambda: services.project_text_restore(actor=request.user, project=project),
            success_message="Восстановлены тексты по умолчанию, составленные по данным проекта.",
            redirect_to=redirect_to,
        ) or redirect(redirect_to)
    figures = selectors.project_figures(project, selectors.project_participants(project))
    saved = texts.saved_text(project)
    initial = {"version": saved.version if saved else 0, **texts.project_texts(project, figures)}
    form = ProjectTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and (done := run_service(
        request, lambda: services.project_text_save(actor=request.user, project=project, data=form.cleaned_data,
                                                    version=form.cleaned_data["version"]),
        form=form, refusal_on_form=False, success_message="Тексты справки по проекту сохранены.",
        redirect_to=redirect_to,
    )):
        return done
    return render(request, "methodics/projects/project_texts.html", {
        "project": project, "form": form, "is_default": saved is None,
    })
