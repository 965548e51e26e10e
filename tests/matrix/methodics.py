"""methodics: events and attendance, a person's events, mentoring, programmes of help, projects.

Objects: municipal events of municipality A (own) and B (other municipality), events of the own
school A1 and of the sibling school A2; the teacher's attendances (one linked to a finished
route, so unlinking and removal are refused without changing anything); a mentoring pair and a
programme of help in A1 and A2; a project in A and one in B.
"""

import datetime as dt

from django.urls import reverse

from methodics.models import (
    Attendance,
    AttendanceLink,
    HelpActivity,
    HelpDirection,
    HelpPlan,
    ParticipantStep,
    ProjectParticipant,
    ProjectReportText,
)
from routes.models import Route
from schools.models import Organisation
from tests.matrix import Case, everyone
from tests.methodics.factories import AttendanceFactory, EventFactory, PairFactory, ParticipantFactory, ProjectFactory
from tests.routes.factories import ActivityFactory, RouteFactory

VISIBLE = everyone(200)
SIBLING = everyone(404, municipal_methodist=200, regional_methodist=200, admin=200)
OTHER_MUNICIPALITY = everyone(404, regional_methodist=200, admin=200)
METHODIST_MANAGES = everyone(403, municipal_methodist=200, admin=200)
DEPUTY_MANAGES = everyone(403, deputy=200, admin=200)


def _event(attr, municipal):
    def build(w):
        school = getattr(w, attr)
        if municipal:
            return EventFactory(municipality=school.municipality, organisation=None)
        return EventFactory(municipality=school.municipality, organisation=school)

    return lambda w: w.obj(f"event_{attr}_{municipal}", build)


municipal_event = _event("school", True)
other_municipal_event = _event("other_school", True)
school_event = _event("school", False)
sibling_event = _event("sibling_school", False)


def linked_attendance(w):
    """The teacher's attendance confirming an activity of a completed route (unlink is refused)."""

    def build(w):
        attendance = AttendanceFactory(event=municipal_event(w), person=w.teacher_staff)
        route = RouteFactory(person=w.teacher_staff, status=Route.Status.COMPLETED, academic_year="2020-2021")
        AttendanceLink.objects.create(attendance=attendance, activity=ActivityFactory(route=route, is_done=True))
        return attendance

    return w.obj("linked_attendance", build)


def free_attendance(attr):
    return lambda w: w.obj(f"attendance_{attr}", lambda w: AttendanceFactory(
        event=school_event(w), person=getattr(w, attr)))


def attendance_in_period(w):
    """The teacher's attendance of an event held inside their draft's period (a new row, not done)."""

    def build(w):
        route = RouteFactory(person=w.teacher_staff, status=Route.Status.DRAFT)
        event = EventFactory(municipality=w.school.municipality, organisation=w.school,
                             held_on=route.starts_on + dt.timedelta(days=15))
        return AttendanceFactory(event=event, person=w.teacher_staff)

    return w.obj("attendance_in_period", build)


def pair(attr):
    def build(w):
        person = getattr(w, attr)
        mentor = person.__class__.objects.filter(organisation=person.organisation).exclude(pk=person.pk).first()
        if mentor is None:
            from tests.factories import StaffFactory

            mentor = StaffFactory(organisation=person.organisation)
        return PairFactory(mentee=person, mentor=mentor)

    return lambda w: w.obj(f"pair_{attr}", build)


def plan(attr):
    def build(w):
        school = getattr(w, attr)
        plan = HelpPlan.objects.create(organisation=school, academic_year="2025-2026")
        direction = HelpDirection.objects.create(plan=plan, title="Определение затруднений", order=1)
        HelpActivity.objects.create(plan=plan, direction=direction, stage="diagnostics", title="Диагностика",
                                    due_on=dt.date(2026, 4, 30), responsible="Заместители")
        return plan

    return lambda w: w.obj(f"plan_{attr}", build)


def plan_activity(attr):
    return lambda w: plan(attr)(w).activities.first()


def project(attr):
    def build(w):
        project = ProjectFactory(municipality=getattr(w, attr).municipality)
        project.organisations.add(getattr(w, attr))
        return project

    return lambda w: w.obj(f"project_{attr}", build)


def waiting_participant(w):
    """A participant of the own project without a route, who has made one since (the refresh attaches it)."""

    def build(w):
        participant = ParticipantFactory(project=project("school")(w), person=w.colleague)
        RouteFactory(person=w.colleague)
        return participant

    return w.obj("waiting_participant", build)


def project_event(w):
    def build(w):
        event = municipal_event(w)
        project("school")(w).events.add(event)
        return event

    return w.obj("project_event", build)


def participant(attr):
    return lambda w: w.obj(f"participant_{attr}", lambda w: ParticipantFactory(
        project=project(attr)(w), person=getattr(w, "teacher_staff" if attr == "school" else "other_staff")))


def step(attr):
    return lambda w: w.obj(f"step_{attr}", lambda w: ParticipantStep.objects.create(
        participant=participant(attr)(w), step="defended", done_on=dt.date(2025, 11, 20), place="ШМО"))


def url(name, build):
    return lambda w: reverse(name, args=[build(w).pk])


def plain(name):
    return lambda w: reverse(name)


CASES = [
    Case("methodics:index", plain("methodics:index"), VISIBLE),
    # events
    Case("methodics:event_list", plain("methodics:event_list"), VISIBLE),
    Case("methodics:event_create", plain("methodics:event_create"),
         everyone(403, deputy=200, municipal_methodist=200, admin=200)),
    Case("methodics:event_detail", url("methodics:event_detail", municipal_event), VISIBLE, label="municipal"),
    Case("methodics:event_detail", url("methodics:event_detail", school_event), VISIBLE, label="own_school"),
    Case("methodics:event_detail", url("methodics:event_detail", sibling_event), SIBLING, label="sibling"),
    Case("methodics:event_detail", url("methodics:event_detail", other_municipal_event), OTHER_MUNICIPALITY,
         label="other_municipality"),
    Case("methodics:event_edit", url("methodics:event_edit", municipal_event), METHODIST_MANAGES, label="municipal"),
    Case("methodics:event_edit", url("methodics:event_edit", school_event), DEPUTY_MANAGES, label="own_school"),
    Case("methodics:event_edit", url("methodics:event_edit", sibling_event),
         everyone(404, municipal_methodist=403, regional_methodist=403, admin=200), label="sibling"),
    Case("methodics:event_edit", url("methodics:event_edit", other_municipal_event),
         everyone(404, regional_methodist=403, admin=200), label="other_municipality"),
    # deleting an event of a project is refused: the manager is redirected back with a message
    Case("methodics:event_delete", url("methodics:event_delete", project_event),
         everyone(403, municipal_methodist=302, admin=302), method="post",
         noop="the event belongs to a project: the service refuses to delete it"),
    Case("methodics:attendance_add", url("methodics:attendance_add", municipal_event),
         everyone(403, municipal_methodist=302, admin=302), method="post",
         data=lambda w: {"person": [w.colleague.pk]}, touches=(Attendance,)),
    Case("methodics:attendance_add", url("methodics:attendance_add", school_event),
         everyone(403, deputy=302, admin=302), label="own_school", method="post",
         data=lambda w: {"person": [w.colleague.pk]}, touches=(Attendance,)),
    Case("methodics:attendance_add", url("methodics:attendance_add", sibling_event),
         everyone(404, municipal_methodist=403, regional_methodist=403, admin=302), label="sibling", method="post",
         data=lambda w: {"person": [w.sibling_staff.pk]}, touches=(Attendance,)),
    Case("methodics:attendance_search", url("methodics:attendance_search", municipal_event), METHODIST_MANAGES),
    Case("methodics:attendance_search", url("methodics:attendance_search", school_event), DEPUTY_MANAGES,
         label="own_school"),
    Case("methodics:attendance_import", url("methodics:attendance_import", municipal_event), METHODIST_MANAGES),
    Case("methodics:attendance_import", url("methodics:attendance_import", sibling_event),
         everyone(404, municipal_methodist=403, regional_methodist=403, admin=200), label="sibling"),
    # removing an attendance that confirms a roadmap activity is refused (redirect with a message)
    Case("methodics:attendance_remove", url("methodics:attendance_remove", linked_attendance),
         everyone(403, municipal_methodist=302, admin=302), method="post",
         noop="the attendance confirms an activity of a completed route: the service refuses"),
    Case("methodics:attendance_link", url("methodics:attendance_link", free_attendance("teacher_staff")),
         everyone(403, teacher=200), label="own"),
    Case("methodics:attendance_link", url("methodics:attendance_link", free_attendance("colleague")),
         everyone(403, teacher=404), label="colleague"),
    # an attended event as a new row of the teacher's roadmap: the attendee only
    Case("methodics:attendance_add_row", url("methodics:attendance_add_row", attendance_in_period),
         everyone(403, teacher=302), method="post", touches=("routes.RoadmapActivity",)),
    Case("methodics:attendance_add_row", url("methodics:attendance_add_row", free_attendance("colleague")),
         everyone(403, teacher=404), method="post", label="colleague"),
    # unlinking on a completed route is refused for the owner (redirect with a message)
    Case("methodics:attendance_unlink",
         lambda w: reverse("methodics:attendance_unlink", args=[linked_attendance(w).links.get().pk]),
         everyone(403, teacher=302), method="post",
         noop="the route is completed: the service refuses to unlink"),
    Case("methodics:my_events", plain("methodics:my_events"), VISIBLE),
    Case("methodics:person_events", url("methodics:person_events", lambda w: w.teacher_staff), VISIBLE,
         label="self"),
    Case("methodics:person_events", url("methodics:person_events", lambda w: w.colleague),
         everyone(200, teacher=404), label="colleague"),
    Case("methodics:person_events", url("methodics:person_events", lambda w: w.sibling_staff), SIBLING,
         label="sibling"),
    # mentoring
    Case("methodics:mentoring", plain("methodics:mentoring"), everyone(200, teacher=403)),
    Case("methodics:pair_create", lambda w: reverse("methodics:pair_create", args=[w.school.pk]), DEPUTY_MANAGES),
    Case("methodics:pair_create", lambda w: reverse("methodics:pair_create", args=[w.sibling_school.pk]),
         everyone(403, deputy=404, admin=200), label="sibling"),
    Case("methodics:pair_end", url("methodics:pair_end", pair("colleague")),
         everyone(403, teacher=404, deputy=200, admin=200)),
    Case("methodics:pair_end", url("methodics:pair_end", pair("sibling_staff")),
         everyone(404, municipal_methodist=403, regional_methodist=403, admin=200), label="sibling"),
    Case("methodics:young_mentors", lambda w: reverse("methodics:young_mentors", args=[w.school.pk]),
         everyone(403, deputy=302, admin=302), method="post", data=lambda w: {"allowed": "on"},
         touches=(Organisation,)),
    Case("methodics:young_mentors", lambda w: reverse("methodics:young_mentors", args=[w.sibling_school.pk]),
         everyone(403, deputy=404, admin=302), label="sibling", method="post", data=lambda w: {"allowed": "on"},
         touches=(Organisation,)),
    # programmes of help
    Case("methodics:plan_list", plain("methodics:plan_list"), VISIBLE),
    Case("methodics:plan_create", plain("methodics:plan_create"), DEPUTY_MANAGES),
    Case("methodics:plan_detail", url("methodics:plan_detail", plan("school")), VISIBLE),
    Case("methodics:plan_detail", url("methodics:plan_detail", plan("sibling_school")), SIBLING, label="sibling"),
    Case("methodics:plan_pdf", url("methodics:plan_pdf", plan("school")), VISIBLE),
    Case("methodics:plan_pdf", url("methodics:plan_pdf", plan("sibling_school")), SIBLING, label="sibling"),
    Case("methodics:plan_edit", url("methodics:plan_edit", plan("school")), DEPUTY_MANAGES),
    Case("methodics:plan_edit", url("methodics:plan_edit", plan("sibling_school")),
         everyone(404, municipal_methodist=403, regional_methodist=403, admin=200), label="sibling"),
    Case("methodics:direction_create", url("methodics:direction_create", plan("school")), DEPUTY_MANAGES),
    Case("methodics:plan_activity_create", url("methodics:plan_activity_create", plan("school")), DEPUTY_MANAGES),
    Case("methodics:plan_activity_edit", url("methodics:plan_activity_edit", plan_activity("school")),
         DEPUTY_MANAGES),
    Case("methodics:plan_activity_edit", url("methodics:plan_activity_edit", plan_activity("sibling_school")),
         everyone(404, municipal_methodist=403, regional_methodist=403, admin=200), label="sibling"),
    Case("methodics:plan_activity_toggle", url("methodics:plan_activity_toggle", plan_activity("school")),
         everyone(403, deputy=302, admin=302), method="post", touches=(HelpActivity,)),
    # Deletions are checked where the role allowed to delete comes last in ROLES (the administrator);
    # deleting in the own scope by the deputy or the methodist is tested in tests/methodics.
    Case("methodics:plan_activity_delete", url("methodics:plan_activity_delete", plan_activity("sibling_school")),
         everyone(404, municipal_methodist=403, regional_methodist=403, admin=302), label="sibling", method="post",
         touches=(HelpActivity,)),
    # municipal projects
    Case("methodics:project_list", plain("methodics:project_list"), VISIBLE),
    Case("methodics:project_create", plain("methodics:project_create"), METHODIST_MANAGES),
    Case("methodics:project_detail", url("methodics:project_detail", project("school")), VISIBLE),
    Case("methodics:project_detail", url("methodics:project_detail", project("other_school")), OTHER_MUNICIPALITY,
         label="other_municipality"),
    Case("methodics:project_edit", url("methodics:project_edit", project("school")), METHODIST_MANAGES),
    Case("methodics:project_edit", url("methodics:project_edit", project("other_school")),
         everyone(404, regional_methodist=403, admin=200), label="other_municipality"),
    Case("methodics:project_texts", url("methodics:project_texts", project("school")), METHODIST_MANAGES),
    Case("methodics:project_texts", url("methodics:project_texts", project("other_school")),
         everyone(404, regional_methodist=403, admin=200), label="other_municipality"),
    Case("methodics:project_texts", url("methodics:project_texts", project("school")),
         everyone(403, municipal_methodist=302, admin=302), label="save", method="post",
         data=lambda w: {"version": "0", "problem": "Проблема проекта"}, touches=(ProjectReportText,)),
    Case("methodics:participant_search", url("methodics:participant_search", project("school")), METHODIST_MANAGES),
    Case("methodics:participant_add", url("methodics:participant_add", project("school")),
         everyone(403, municipal_methodist=302, admin=302), method="post",
         data=lambda w: {"person": w.colleague.pk}, touches=(ProjectParticipant,)),
    Case("methodics:participant_add", url("methodics:participant_add", project("other_school")),
         everyone(404, regional_methodist=403, admin=302), label="other_municipality", method="post",
         data=lambda w: {"person": w.other_staff.pk}, touches=(ProjectParticipant,)),
    Case("methodics:project_refresh", url("methodics:project_refresh", lambda w: waiting_participant(w).project),
         everyone(403, municipal_methodist=302, admin=302), method="post", touches=(ProjectParticipant,)),
    Case("methodics:participant_steps", url("methodics:participant_steps", participant("school")), VISIBLE),
    Case("methodics:participant_steps", url("methodics:participant_steps", participant("other_school")),
         OTHER_MUNICIPALITY, label="other_municipality"),
    Case("methodics:participant_remove", url("methodics:participant_remove", participant("other_school")),
         everyone(404, regional_methodist=403, admin=302), label="other_municipality", method="post",
         touches=(ProjectParticipant,)),
    Case("methodics:step_delete", url("methodics:step_delete", step("other_school")),
         everyone(404, regional_methodist=403, admin=302), label="other_municipality", method="post",
         touches=(ParticipantStep,)),
]
