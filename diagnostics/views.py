from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from core.forms import run_service
from diagnostics import selectors, services
from diagnostics.charts import profile_chart
from diagnostics.forms import (
    SCALE_HELP,
    AssessmentForm,
    DeficitAddForm,
    DeficitDismissForm,
    InstrumentChoiceForm,
    SelfAssessmentForm,
)
from diagnostics.models import Deficit
from schools.access import can, capability_required, get_for, organisations_for


def _person_context(request, person, *, own: bool) -> dict:
    rows = selectors.profile(person)
    deficits = list(selectors.deficit_list_for(request.user, person=person))
    return {
        "person": person,
        "own": own,
        "profile_rows": rows,
        "chart": profile_chart(rows),
        "open_deficits": [d for d in deficits if d.is_open],
        "closed_deficits": [d for d in deficits if not d.is_open],
        "detected_count": sum(1 for d in deficits if d.status == Deficit.Status.DETECTED),
        # drafting takes every open deficit: one still «в работе» after a route's final diagnostics is offered again
        "draftable_count": sum(1 for d in deficits if d.is_open),
        "assessments": selectors.assessment_list_for(request.user, person=person)[:20],
        "can_assess": can(request.user, "diagnostics.assess", person.organisation),
        "self_instruments": selectors.self_assessment_instruments() if own else [],
        # a deputy or a director opening their own page goes on to their school's deficits from here
        "school_links": list(organisations_for(request.user, "diagnostics.view")[:5]) if own else [],
    }


def my_diagnostics(request):
    person = selectors.own_person(request.user)
    if person is None:
        raise PermissionDenied("Страница доступна педагогам, у которых есть карточка сотрудника.")
    return render(request, "diagnostics/person.html", _person_context(request, person, own=True))


def person_diagnostics(request, pk: int):
    person = selectors.person_get_for(request.user, pk)
    own = person.user_id == request.user.pk
    return render(request, "diagnostics/person.html", _person_context(request, person, own=own))


def framework(request):
    return render(request, "diagnostics/framework.html", {
        "groups": selectors.framework(),
        "instruments": selectors.instrument_list(),
    })


def self_assessment(request, pk: int):
    person = selectors.own_person(request.user)
    if person is None:
        raise PermissionDenied("Самооценку проходят педагоги, у которых есть карточка сотрудника.")
    instrument = selectors.self_assessment_instrument_get(pk)
    statements = selectors.questionnaire(instrument)
    form = SelfAssessmentForm(request.POST or None, statements=statements)
    if request.method == "POST":
        if form.is_valid():
            def saved(outcome) -> str:
                _, detected, overcome = outcome
                return f"Самооценка сохранена. Выявлено дефицитов: {len(detected)}." + (
                    f" Преодолено: {len(overcome)}." if overcome else "")

            if done := run_service(
                request, lambda: services.self_assessment_submit(
                    actor=request.user, instrument=instrument, answers=form.answers()),
                form=form, refusal_on_form=False, success_message=saved, redirect_to="diagnostics:my",
            ):
                return done
        else:
            messages.error(request, f"Ответьте на все утверждения: без ответа осталось {len(form.errors)}.")
    return render(request, "diagnostics/self_assessment.html", {
        "instrument": instrument, "form": form, "scale_help": SCALE_HELP,
    })


def assessment_detail(request, pk: int):
    assessment = selectors.assessment_get_for(request.user, pk)
    return render(request, "diagnostics/assessment_detail.html", {"assessment": assessment})


@capability_required("diagnostics.assess")
def assessment_create(request, pk: int):
    person = get_for(request.user, selectors.people_visible_for(request.user), pk, need="diagnostics.assess",
                     denied="Вносить результаты диагностики может заместитель директора этой организации.")
    instruments = selectors.assessable_instruments()
    chooser = InstrumentChoiceForm(request.GET or None, instruments=instruments)
    instrument = chooser.cleaned_data["instrument"] if chooser.is_valid() else None
    form = None
    if instrument is not None:
        competencies = list(instrument.competencies.all())
        form = AssessmentForm(request.POST or None, competencies=competencies)

        def saved(outcome) -> str:
            _, detected, overcome = outcome
            return f"Результаты сохранены. Выявлено дефицитов: {len(detected)}, преодолено: {len(overcome)}."

        if request.method == "POST" and form.is_valid() and (done := run_service(
            request, lambda: services.assessment_record(
                actor=request.user, person=person, instrument=instrument, taken_on=form.cleaned_data["taken_on"],
                scores=form.scores(), note=form.cleaned_data["note"],
            ), form=form, success_message=saved, redirect_to=reverse("diagnostics:person", args=[person.pk]),
        )):
            return done
    return render(request, "diagnostics/assessment_form.html", {
        "person": person, "chooser": chooser, "instrument": instrument, "form": form,
    })


@capability_required("diagnostics.assess")
def deficit_add(request, pk: int):
    person = get_for(request.user, selectors.people_visible_for(request.user), pk, need="diagnostics.assess",
                     denied="Добавлять дефициты может заместитель директора этой организации.")
    form = DeficitAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (done := run_service(
        request, lambda: services.deficit_add(actor=request.user, person=person,
                                              competency=form.cleaned_data["competency"],
                                              reason=form.cleaned_data["reason"]),
        form=form, success_message="Дефицит добавлен.", redirect_to=reverse("diagnostics:person", args=[person.pk]),
    )):
        return done
    return render(request, "diagnostics/deficit_add.html", {"person": person, "form": form})


@capability_required("diagnostics.assess")
def deficit_dismiss(request, pk: int):
    deficit = get_for(request.user, Deficit, pk, need="diagnostics.assess",
                      denied="Снимать дефициты может заместитель директора этой организации.")
    form = DeficitDismissForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (done := run_service(
        request, lambda: services.deficit_dismiss(actor=request.user, deficit=deficit, reason=form.cleaned_data["reason"]),
        form=form, success_message="Дефицит снят.", redirect_to=reverse("diagnostics:person", args=[deficit.person_id]),
    )):
        return done
    return render(request, "diagnostics/deficit_dismiss.html", {"deficit": deficit, "form": form})


@capability_required("diagnostics.view")
def overview(request):
    page = Paginator(selectors.organisation_overview_for(request.user), 50).get_page(request.GET.get("page"))
    page.object_list = selectors.with_overview_counts(page.object_list)
    return render(request, "diagnostics/overview.html", {"page": page})


@capability_required("diagnostics.view")
def school(request, pk: int):
    organisation = selectors.organisation_get_for(request.user, pk)
    deficits = selectors.deficit_list_for(request.user, organisation=organisation)
    return render(request, "diagnostics/school.html", {
        "organisation": organisation,
        "people": selectors.school_people(organisation),
        "deficits": deficits,
        "by_competency": selectors.school_deficits_by_competency(organisation),
        "can_assess": can(request.user, "diagnostics.assess", organisation),
    })
