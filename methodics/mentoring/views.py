"""Pages of mentoring: the pairs and young specialists of a scope (a wide scope chooses the
municipality, then the organisation), a new pair and its end."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from core.forms import run_service
from core.ids import parse_id
from methodics.mentoring import selectors, services
from methodics.mentoring.forms import PairEndForm, PairForm
from methodics.models import MentoringPair
from schools.access import can, capability_required, get_for
from schools.models import Municipality, Organisation, StaffMember


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
    young = selectors.young_specialists(selected) if selected else None
    return render(request, "methodics/mentoring/mentoring.html", {
        "organisations": organisations,
        "municipalities": municipalities if wide else [],
        "municipality": municipality,
        "choose": wide or len(organisations) > 1,
        "selected": selected,
        "pairs": Paginator(pairs, 50).get_page(request.GET.get("page")),
        "young": young,
        "can_manage": selected is not None and can(request.user, "mentoring.manage", selected),
    })


@capability_required("mentoring.manage")
def pair_create(request, organisation_pk: int):
    organisation = get_for(request.user, Organisation, organisation_pk, need="mentoring.manage",
                           denied="Наставников назначает заместитель директора этой организации.")
    staff = StaffMember.objects.filter(organisation=organisation, status=StaffMember.Status.WORKING)
    initial = {}
    mentee = parse_id(request.GET.get("mentee"))
    if mentee:
        initial["mentee"] = mentee
        initial["reason"] = "young_specialist"
    form = PairForm(request.POST or None, staff=staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if done := run_service(
            request, lambda: services.pair_start(actor=request.user, mentee=data["mentee"], mentor=data["mentor"],
                                                 reason=data["reason"], starts_on=data["starts_on"], note=data["note"]),
            form=form, success_message="Наставническая пара создана; наставник указан в карточке сотрудника.",
            redirect_to=f"{reverse('methodics:mentoring')}?organisation={organisation.pk}",
        ):
            return done
    return render(request, "methodics/mentoring/pair_form.html", {"form": form, "organisation": organisation})


def pair_end(request, pk: int):
    pair = get_for(request.user, MentoringPair, pk, need="mentoring.manage",
                   denied="Завершить наставничество может заместитель директора этой организации.")
    form = PairEndForm(request.POST or None)
    mentoring_page = f"{reverse('methodics:mentoring')}?organisation={pair.organisation_id}"
    if request.method == "POST" and form.is_valid() and (done := run_service(
        request, lambda: services.pair_end(actor=request.user, pair=pair, ends_on=form.cleaned_data["ends_on"],
                                           end_note=form.cleaned_data["end_note"]),
        form=form, success_message="Наставничество завершено.", redirect_to=mentoring_page, on_deleted=mentoring_page,
    )):
        return done
    return render(request, "methodics/mentoring/pair_end.html", {"form": form, "pair": pair})
