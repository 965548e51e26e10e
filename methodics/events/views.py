"""Pages of events and attendance: the event list and an event with its attendees (marked through
the search, by an organisation's checklist or from a file), a teacher's own events and their links
to the roadmap, and the events a person attended."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core import words
from core.forms import run_service
from core.ids import parse_id
from methodics.events import selectors, services
from methodics.events.filters import EventFilter
from methodics.events.forms import AttendanceImportForm, EventForm, LinkForm
from methodics.forms import PersonSearchForm
from methodics.models import Attendance, AttendanceLink, Event
from methodics.services import AlreadyDeleted
from methodics.views import gone, gone_to
from routes.models import Route
from schools.access import capability_required, get_for, organisations_for
from schools.choosers import choose_municipality, municipalities_of
from schools.models import Municipality, Organisation
from schools.selectors import staff_get_for


@capability_required("methodics.view")
def event_list(request):
    filters = EventFilter(request.GET or None, queryset=selectors.event_list_for(request.user))
    page = Paginator(filters.qs, 30).get_page(request.GET.get("page"))
    return render(request, "methodics/events/event_list.html", {
        "filters": filters, "page": page, "can_create": selectors.can_create_events(request.user),
    })


def _organiser(value: str):
    kind, _, pk = value.partition(":")
    if kind == "m":
        municipality = Municipality.objects.filter(pk=pk).first()
        if municipality is None:
            raise Http404("Муниципалитет не найден.")
        return municipality, None
    organisation = Organisation.objects.select_related("municipality").filter(pk=pk).first()
    if organisation is None:
        raise Http404("Организация не найдена.")
    return organisation.municipality, organisation


def event_create(request):
    if not selectors.can_create_events(request.user):
        raise PermissionDenied("Мероприятия создают методисты ММЦ и заместители директоров.")
    scope = organisations_for(request.user, "events.manage")
    choice = choose_municipality(municipalities_of(scope), request.GET.get("municipality"))
    organisations = choice.organisations_of(scope)
    organisers = selectors.organiser_choices(request.user, organisations=organisations)
    form = EventForm(request.POST or None, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        municipality, organisation = _organiser(form.cleaned_data["organiser"])
        if done := run_service(
            request, lambda: services.event_create(
                actor=request.user, municipality=municipality, organisation=organisation, data=form.cleaned_data,
                competencies=form.cleaned_data["competencies"],
            ), form=form, success_message="Мероприятие создано. Отметьте участников.",
            redirect_to=lambda event: reverse("methodics:event_detail", args=[event.pk]),
        ):
            return done
    return render(request, "methodics/events/event_form.html", {
        "form": form, "municipality_choice": choice,
    })


def event_detail(request, pk: int):
    event = selectors.event_get_for(request.user, pk)
    can_manage = selectors.can_manage_event(request.user, event)
    organisation_pk = request.GET.get("organisation")
    checklist, checklist_org = [], None
    organisations = list(selectors.checklist_organisations(event)) if can_manage else []
    if can_manage and organisations:
        checklist_org = next((o for o in organisations if str(o.pk) == organisation_pk), organisations[0])
        checklist = selectors.attendance_candidates(event).filter(organisation=checklist_org).exclude(
            attendances__event=event
        )
    return render(request, "methodics/events/event_detail.html", {
        "event": event,
        "attendances": selectors.event_attendances(event),
        "competencies": event.competencies.select_related("group"),
        "can_manage": can_manage,
        "organisations": organisations,
        "checklist_org": checklist_org,
        "checklist": checklist,
        "search_form": PersonSearchForm(),
        "projects": event.projects.all(),
    })


def _managed_event(request, pk: int) -> Event:
    return get_for(request.user, Event, pk, obj_rule="event.keep",
                   denied="Мероприятия школы ведет ее заместитель директора, мероприятия ММЦ — методист муниципалитета.")


def event_edit(request, pk: int):
    event = _managed_event(request, pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid() and (done := run_service(
        request, lambda: services.event_update(actor=request.user, event=event, data=form.cleaned_data,
                                               competencies=form.cleaned_data["competencies"]),
        form=form, success_message="Изменения сохранены.",
        redirect_to=reverse("methodics:event_detail", args=[event.pk]),
        on_deleted=gone_to(("methodics:event_detail", Event, event.pk), "methodics:event_list"),
    )):
        return done
    return render(request, "methodics/events/event_form.html", {"form": form, "event": event})


@require_POST
def event_delete(request, pk: int):
    event = _managed_event(request, pk)
    return run_service(
        request, lambda: services.event_delete(actor=request.user, event=event),
        success_message="Мероприятие удалено.", redirect_to="methodics:event_list",
        on_deleted=gone_to(("methodics:event_detail", Event, event.pk), "methodics:event_list"),
    ) or redirect("methodics:event_detail", pk=event.pk)


@require_POST
def attendance_add(request, pk: int):
    event = _managed_event(request, pk)
    ids = [pk for pk in map(parse_id, request.POST.getlist("person")) if pk is not None]
    people = list(selectors.attendance_candidates(event).filter(pk__in=ids))
    if len(people) != len(set(ids)):
        raise Http404("Сотрудник не найден среди возможных участников.")

    def marked(counts: tuple[int, int]) -> str:
        added, already = counts
        return f"Отмечено участников: {added}." + (f" Уже были в списке: {already}." if already else "")

    if not people:
        messages.warning(request, "Никто не выбран.")
    elif gone := run_service(
        request, lambda: services.attendance_add(actor=request.user, event=event, people=people),
        success_message=marked, on_deleted=gone_to(("methodics:event_detail", Event, event.pk), "methodics:event_list"),
    ):
        return gone
    url = reverse("methodics:event_detail", args=[event.pk])
    target = parse_id(request.POST.get("organisation"))
    return redirect(f"{url}?organisation={target}#attendance" if target else f"{url}#attendance")


def attendance_search(request, pk: int):
    event = _managed_event(request, pk)
    form = PersonSearchForm(request.GET)
    found = selectors.search_candidates(event, form.cleaned_data["q"]) if form.is_valid() else []
    return render(request, "methodics/events/_attendance_search.html", {
        "event": event, "found": found, "query": form.data.get("q", ""),
    })


def attendance_import(request, pk: int):
    event = _managed_event(request, pk)
    form = AttendanceImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            form.add_error("file", f"Файл больше {settings.IMPORT_MAX_BYTES // (1024 * 1024)} МБ.")
        else:
            try:
                result = services.attendance_import(actor=request.user, event=event, data=upload.read(),
                                                    filename=upload.name)
            except AlreadyDeleted as exc:
                return gone(request, exc, ("methodics:event_detail", Event, event.pk), "methodics:event_list")
            if result.ok:
                messages.success(request, f"Загружено строк: {result.rows}. Отмечено участников: {result.added}"
                                          + (f", уже были в списке: {result.already}." if result.already else "."))
                return redirect("methodics:event_detail", pk=event.pk)
    return render(request, "methodics/events/attendance_import.html", {"event": event, "form": form, "result": result})


@require_POST
def attendance_remove(request, pk: int):
    attendance = _attendance_of_visible_event(request, pk)
    event = _managed_event(request, attendance.event_id)
    return run_service(
        request, lambda: services.attendance_remove(actor=request.user, attendance=attendance),
        success_message=f"{attendance.person.short_name} удален(а) из списка участников.",
        on_deleted=gone_to(("methodics:event_detail", Event, event.pk), "methodics:event_list"),
    ) or redirect("methodics:event_detail", pk=event.pk)


def _attendance_of_visible_event(request, pk: int) -> Attendance:
    try:
        attendance = Attendance.objects.select_related("person").get(pk=pk)
    except Attendance.DoesNotExist:
        raise Http404("Запись об участии не найдена.") from None
    selectors.event_get_for(request.user, attendance.event_id)  # 404 outside the user's scope
    return attendance


def my_events(request):
    ids = selectors.own_staff_ids(request.user)
    return render(request, "methodics/events/my_events.html", {
        "attendances": selectors.attendances_of(ids),
        "has_staff_record": bool(ids),
    })


def person_events(request, pk: int):
    person = staff_get_for(request.user, pk)
    return render(request, "methodics/events/person_events.html", {
        "person": person,
        "attendances": selectors.attendances_of([person.pk]),
        "is_self": person.user_id == request.user.pk,
    })


def attendance_link(request, pk: int):
    attendance = get_for(request.user, Attendance, pk, obj_rule="own",
                         denied="Связать участие с ИОМ может только сам педагог.")
    activities = selectors.linkable_activities(attendance)
    form = LinkForm(request.POST or None, activities=activities)
    if request.method == "POST" and form.is_valid() and (done := run_service(
        request, lambda: services.attendance_link(actor=request.user, attendance=attendance,
                                                  activity=form.cleaned_data["activity"]),
        form=form, success_message="Мероприятие дорожной карты отмечено выполненным; подтверждение — участие "
                                   "в событии.",
        redirect_to="methodics:my_events", on_deleted="methodics:my_events",
    )):
        return done
    return render(request, "methodics/events/attendance_link.html", {
        "attendance": attendance, "form": form, "activities": activities,
        "new_row_route": services.route_for_attendance(attendance),
    })


@require_POST
def attendance_add_row(request, pk: int):
    """An attended event as a new row of the teacher's own roadmap (done at once in a route under way)."""
    attendance = get_for(request.user, Attendance, pk, obj_rule="own",
                         denied="Добавить участие в ИОМ может только сам педагог.")
    run_service(request, lambda: services.attendance_add_row(actor=request.user, attendance=attendance),
                success_message=lambda activity: (
                    f"В дорожную карту ИОМ добавлена строка {words.quote(activity.title)}"
                    + (", отмечена выполненной." if activity.route.status == Route.Status.IN_PROGRESS else ".")),
                on_deleted="methodics:my_events")
    return redirect("methodics:my_events")


@require_POST
def attendance_unlink(request, pk: int):
    try:
        link = AttendanceLink.objects.select_related("activity__route", "evidence").get(pk=pk)
    except AttendanceLink.DoesNotExist:
        raise Http404("Связь не найдена.") from None
    attendance = selectors.attendance_get_for(request.user, link.attendance_id)
    link.attendance = attendance
    run_service(request, lambda: services.attendance_unlink(actor=request.user, link=link),
                success_message="Связь снята: мероприятие дорожной карты больше не отмечено выполненным.")
    return redirect("methodics:my_events")
