"""Pages of mentoring: the pairs and young specialists of a scope (a wide scope chooses the
municipality, then the organisation), a new pair and its end, the school's rule on young mentors.

The staff card (methodics/staff_card.py) links to the same pair_create and pair_end with `card=<staff id>`:
the same forms, services and rights, and the user comes back to the card."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core import figures
from core.figures import Period
from core.forms import run_service
from core.ids import parse_id
from methodics.mentoring import selectors, services
from methodics.mentoring.forms import PairEndForm, PairForm
from methodics.models import MentoringPair
from schools.access import can, capability_required, get_for
from schools.models import Municipality, Organisation, StaffMember
from schools.selectors import attach_current_mentors
from schools.timezones import local_today


@capability_required("staff.view")
def mentoring(request):
    scope = selectors.mentoring_organisations_for(request.user)
    # A scope of several municipalities chooses the municipality first: a region's organisations
    # are never listed in one <select>.
    municipalities = list(Municipality.objects.filter(pk__in=scope.values("municipality")).order_by("name"))
    wide = len(municipalities) > 1
    wanted = parse_id(request.GET.get("organisation"))
    selected = scope.filter(pk=wanted).first() if wanted else None
    municipality = next((m for m in municipalities if str(m.pk) == request.GET.get("municipality", "")), None)
    if selected is not None and municipality is not None and selected.municipality_id != municipality.pk:
        selected = None  # the municipality was changed: its organisations are listed afresh
    elif selected is not None:
        municipality = next((m for m in municipalities if m.pk == selected.municipality_id), None)
    if wide:
        organisations = list(scope.filter(municipality_id=municipality.pk if municipality else None))
    else:
        organisations = list(scope)
        selected = selected or (organisations[0] if len(organisations) == 1 else None)
    pairs = selectors.pair_list_for(request.user, selected)
    if selected is None and municipality is not None:
        pairs = pairs.filter(organisation__municipality=municipality)
    today = local_today(selected)  # the organisation's own day, as its dashboard reads the mentoring figures
    young = attach_current_mentors(list(selectors.young_specialists(selected, today))) if selected else None
    return render(request, "methodics/mentoring/mentoring.html", {
        "organisations": organisations,
        "municipalities": municipalities if wide else [],
        "municipality": municipality,
        "choose": wide or len(organisations) > 1,
        "selected": selected,
        "pairs": Paginator(pairs, 50).get_page(request.GET.get("page")),
        "young": young,
        # Left by a dismissed mentor (schools.services.staff_dismiss): highlighted until a new pair starts.
        "needing_mentor": (needing := list(selectors.mentees_needing_mentor(selected, today)) if selected else []),
        "needing_ids": {person.pk for person in needing},
        # The registry's figure over the chosen organisation, as the dashboards and the indicators report show it.
        "supported": figures.read("young_supported_share", Organisation.objects.filter(pk=selected.pk),
                                  Period.day(today)) if selected else None,
        "can_manage": selected is not None and can(request.user, "mentoring.manage", selected),
    })


def _back_to(card: int | None, people: set[int], organisation_pk: int) -> str:
    """The staff card the user came from (`card`, one of the pair's people), else the «Наставничество» page."""
    if card is not None and card in people:
        return reverse("staff_detail", args=[card])
    return f"{reverse('methodics:mentoring')}?organisation={organisation_pk}"


@capability_required("mentoring.manage")
def pair_create(request, organisation_pk: int):
    organisation = get_for(request.user, Organisation, organisation_pk, need="mentoring.manage",
                           denied="Наставников назначает заместитель директора этой организации.")
    staff = StaffMember.objects.filter(organisation=organisation, status=StaffMember.Status.WORKING)
    initial = {}
    mentee, mentor, card = (parse_id(request.GET.get(key)) for key in ("mentee", "mentor", "card"))
    if mentee:
        initial["mentee"] = mentee
        initial["reason"] = "young_specialist"
    if mentor:
        initial["mentor"] = mentor
    form = PairForm(request.POST or None, staff=staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if done := run_service(
            request, lambda: services.pair_start(actor=request.user, mentee=data["mentee"], mentor=data["mentor"],
                                                 reason=data["reason"], starts_on=data["starts_on"], note=data["note"]),
            form=form, success_message="Наставническая пара создана.",
            redirect_to=lambda pair: _back_to(card, {pair.mentee_id, pair.mentor_id}, organisation.pk),
        ):
            return done
    return render(request, "methodics/mentoring/pair_form.html", {
        "form": form, "organisation": organisation,
        "cancel": _back_to(card, {mentee, mentor}, organisation.pk),
    })


def pair_end(request, pk: int):
    pair = get_for(request.user, MentoringPair, pk, need="mentoring.manage",
                   denied="Завершить наставничество может заместитель директора этой организации.")
    form = PairEndForm(request.POST or None)
    back = _back_to(parse_id(request.GET.get("card")), {pair.mentee_id, pair.mentor_id}, pair.organisation_id)
    if request.method == "POST" and form.is_valid() and (done := run_service(
        request, lambda: services.pair_end(actor=request.user, pair=pair, ends_on=form.cleaned_data["ends_on"],
                                           end_note=form.cleaned_data["end_note"]),
        form=form, success_message="Наставничество завершено.", redirect_to=back, on_deleted=back,
    )):
        return done
    return render(request, "methodics/mentoring/pair_end.html", {"form": form, "pair": pair, "cancel": back})


@require_POST
@capability_required("mentoring.manage")
def young_mentors(request, organisation_pk: int):
    """The school allows young specialists to mentor, or withdraws it (a checkbox on «Наставничество»)."""
    organisation = get_for(request.user, Organisation, organisation_pk, need="mentoring.manage",
                           denied="Это решение принимает заместитель директора этой организации.")
    allowed = request.POST.get("allowed") == "on"
    run_service(request, lambda: services.young_mentors_allow(actor=request.user, organisation=organisation,
                                                              allowed=allowed),
                success_message="Молодые специалисты могут быть наставниками." if allowed
                else "Молодые специалисты больше не назначаются наставниками.")
    return redirect(f"{reverse('methodics:mentoring')}?organisation={organisation.pk}")
