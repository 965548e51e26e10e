"""Permission matrix of the routes app (the ИОМ lifecycle pages).

Routes of the World: the teacher's own (school A1) in several states, a colleague's in A1, and
one in each farther scope (A2 sibling school, B1 other municipality, C1 other region).
"""

from django.core.files.base import ContentFile
from django.urls import reverse

from routes.models import Comment, Evidence, RoadmapActivity, Route
from tests.matrix import Case, everyone

S = Route.Status


def _route(w, person, status, key):
    from tests.routes.factories import ActivityFactory, RouteFactory

    def build(w):
        route = RouteFactory(person=person, status=status)
        ActivityFactory(route=route)
        return route

    return w.obj(key, build)


def own(status):
    return lambda w: _route(w, w.teacher_staff, status, f"route-own-{status}")


def deputy_own(status):
    """The deputy's own ИОМ: the director reviews it, never the deputy (docs/spec/workflow.md, Rules)."""
    return lambda w: _route(w, w.deputy_staff, status, f"route-deputy-{status}")


def colleague(w):
    return _route(w, w.colleague, S.SUBMITTED, "route-colleague")


def sibling(w):
    return _route(w, w.sibling_staff, S.SUBMITTED, "route-sibling")


def other(w):
    return _route(w, w.other_staff, S.SUBMITTED, "route-other")


def far(w):
    return _route(w, w.far_staff, S.SUBMITTED, "route-far")


def evidence_of(route_getter, key):
    def build(w):
        activity = route_getter(w).activities.first()
        evidence = Evidence(activity=activity, kind="certificate", original_name="сертификат.pdf",
                            content_type="application/pdf", size=9)
        evidence.file.save("сертификат.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        return evidence

    return lambda w: w.obj(key, build)


def two_activities(w):
    """The own draft, with a second activity in the first one's section for the first to move down to."""
    from tests.routes.factories import ActivityFactory

    route = own(S.DRAFT)(w)
    w.obj("second-activity", lambda w: ActivityFactory(route=route, group=route.activities.first().group))
    return route


def done_activity(w):
    """A done activity of the own route in progress (unmarking one that is not done writes nothing)."""
    from tests.routes.factories import ActivityFactory

    return w.obj("done-activity", lambda w: ActivityFactory(route=own(S.IN_PROGRESS)(w), is_done=True,
                                                            done_on=own(S.IN_PROGRESS)(w).starts_on))


def version(getter, **data):
    """POST data with the route's version (a form of an older version is an edit conflict, refused)."""
    return lambda w: {**data, "version": getter(w).version}


def deputy_comment(w):
    return w.obj("comment", lambda w: Comment.objects.create(
        route=own(S.SUBMITTED)(w), author=w.user("deputy"), text="Уточните срок"))


def url(name, getter, *extra):
    return lambda w: reverse(f"routes:{name}", args=[getter(w).pk, *extra])


def activity_url(name, getter):
    return lambda w: reverse(f"routes:{name}", args=[getter(w).activities.first().pk])


SEE_ALL = everyone(200)
SEE_SCHOOL = everyone(200, teacher=404)
SEE_SIBLING = everyone(404, municipal_methodist=200, regional_methodist=200, admin=200)
SEE_OTHER_MUNICIPALITY = everyone(404, regional_methodist=200, admin=200)
SEE_FAR = everyone(404, admin=200)
OWNER_ONLY = everyone(403, teacher=200)
OWNER_POST = everyone(403, teacher=302)
METHODISTS = dict(municipal_methodist=200, regional_methodist=200)

CASES = [
    # the teacher's pages
    Case("routes:my_routes", lambda w: reverse("routes:my_routes"),
         everyone(403, teacher=200, deputy=200, director=200)),
    Case("routes:route_create", lambda w: reverse("routes:route_create"),
         everyone(403, teacher=302, deputy=302, director=302), method="post", touches=(Route,)),
    # the route page and its history, in every scope
    Case("routes:route_detail", url("route_detail", own(S.SUBMITTED)), SEE_ALL),
    Case("routes:route_detail", url("route_detail", colleague), SEE_SCHOOL, label="colleague"),
    Case("routes:route_detail", url("route_detail", sibling), SEE_SIBLING, label="sibling"),
    Case("routes:route_detail", url("route_detail", other), SEE_OTHER_MUNICIPALITY, label="other_municipality"),
    Case("routes:route_detail", url("route_detail", far), SEE_FAR, label="other_region"),
    Case("routes:route_history", url("route_history", own(S.SUBMITTED)), SEE_ALL),
    Case("routes:route_history", url("route_history", sibling), SEE_SIBLING, label="sibling"),
    Case("routes:route_history", url("route_history", other), SEE_OTHER_MUNICIPALITY, label="other_municipality"),
    # editing: the owner only; others who see the route get 403, the rest 404
    Case("routes:route_note", url("route_note", own(S.DRAFT)), OWNER_ONLY),
    Case("routes:route_note", url("route_note", sibling), everyone(404, municipal_methodist=403, regional_methodist=403, admin=403),
         label="sibling"),
    Case("routes:activity_add", url("activity_add", own(S.DRAFT)), OWNER_ONLY),
    Case("routes:activity_add", url("activity_add", colleague), everyone(403, teacher=404), label="colleague"),
    Case("routes:activity_catalog", url("activity_catalog", own(S.DRAFT)), OWNER_ONLY),
    Case("routes:activity_catalog", url("activity_catalog", colleague), everyone(403, teacher=404), label="colleague"),
    Case("routes:activity_edit", activity_url("activity_edit", own(S.DRAFT)), OWNER_ONLY),
    Case("routes:activity_edit", activity_url("activity_edit", other),
         everyone(404, regional_methodist=403, admin=403), label="other_municipality"),
    Case("routes:activity_delete", activity_url("activity_delete", own(S.DRAFT)), OWNER_POST, method="post",
         data=version(own(S.DRAFT)), touches=(RoadmapActivity,)),
    Case("routes:activity_move", activity_url("activity_move", two_activities), OWNER_POST, method="post",
         data=version(own(S.DRAFT), direction="down"), touches=(RoadmapActivity,)),
    Case("routes:activity_done", activity_url("activity_done", own(S.IN_PROGRESS)), OWNER_ONLY),
    Case("routes:activity_done", activity_url("activity_done", sibling),
         everyone(404, municipal_methodist=403, regional_methodist=403, admin=403), label="sibling"),
    Case("routes:activity_undone", lambda w: reverse("routes:activity_undone", args=[done_activity(w).pk]), OWNER_POST,
         method="post", touches=(RoadmapActivity,)),
    Case("routes:evidence_add", activity_url("evidence_add", own(S.IN_PROGRESS)), OWNER_POST, method="post",
         data=lambda w: {"kind": "link", "url": "https://example.org/certificate"}, touches=(Evidence,)),
    # evidence files: whoever sees the route downloads them; outside the scope 404
    Case("routes:evidence_download", lambda w: reverse("routes:evidence_download", args=[
        evidence_of(own(S.IN_PROGRESS), "ev-own")(w).pk]), SEE_ALL),
    Case("routes:evidence_download", lambda w: reverse("routes:evidence_download", args=[
        evidence_of(sibling, "ev-sibling")(w).pk]), SEE_SIBLING, label="sibling"),
    Case("routes:evidence_download", lambda w: reverse("routes:evidence_download", args=[
        evidence_of(other, "ev-other")(w).pk]), SEE_OTHER_MUNICIPALITY, label="other_municipality"),
    # the owner's attempt on a submitted route is refused (302 back with a message), the file stays
    Case("routes:evidence_delete", lambda w: reverse("routes:evidence_delete", args=[
        evidence_of(own(S.SUBMITTED), "ev-submitted")(w).pk]), OWNER_POST, method="post",
         noop="the route is submitted: the service refuses to delete its evidence"),
    # comments
    Case("routes:comment_add", url("comment_add", own(S.SUBMITTED)), everyone(403, teacher=302, deputy=302),
         method="post", data=lambda w: {"text": "Комментарий"}, touches=(Comment,)),
    Case("routes:comment_resolve", lambda w: reverse("routes:comment_resolve", args=[deputy_comment(w).pk]),
         everyone(403, teacher=302, deputy=302), method="post", touches=(Comment,)),
    # transitions: the page of each action answers 200 to those who hold the right
    Case("routes:route_action", url("route_action", own(S.DRAFT), "submit"), OWNER_ONLY, label="submit"),
    Case("routes:route_action", url("route_action", own(S.SUBMITTED), "approve"), everyone(403, deputy=200),
         label="approve"),
    Case("routes:route_action", url("route_action", deputy_own(S.SUBMITTED), "approve"),
         everyone(403, teacher=404, director=200), label="approve-deputy_own"),
    Case("routes:route_action", url("route_action", deputy_own(S.RESULTS_SUBMITTED), "accept_results"),
         everyone(403, teacher=404, director=200), label="accept_results-deputy_own"),
    Case("routes:route_action", url("route_action", sibling, "approve"),
         everyone(404, municipal_methodist=403, regional_methodist=403, admin=403), label="approve-sibling"),
    Case("routes:route_action", url("route_action", own(S.AWAITING_CREDIT), "credit"),
         everyone(403, regional_methodist=200), label="credit"),
    Case("routes:route_action", url("route_action", lambda w: _route(w, w.other_staff, S.AWAITING_CREDIT,
                                                                     "route-other-credit"), "credit"),
         everyone(404, regional_methodist=200, admin=403), label="credit-other_municipality"),
    Case("routes:route_action", url("route_action", own(S.IN_PROGRESS), "withdraw"),
         everyone(200, teacher=403, director=403), label="withdraw"),
    Case("routes:route_action", url("route_action", own(S.SUBMITTED), "no-such-action"), everyone(404),
         label="unknown"),
    # deputy and methodists
    Case("routes:route_review", url("route_review", own(S.SUBMITTED)), everyone(403, deputy=200)),
    Case("routes:route_review", url("route_review", deputy_own(S.SUBMITTED)),
         everyone(403, teacher=404, director=200), label="deputy_own"),
    Case("routes:route_review", url("route_review", sibling),
         everyone(404, municipal_methodist=403, regional_methodist=403, admin=403), label="sibling"),
    # The director and the municipal methodist review a deputy's own ИОМ (routes.selectors.route_reviewers).
    Case("routes:review_queue", lambda w: reverse("routes:review_queue"),
         everyone(403, deputy=200, director=200, municipal_methodist=200)),
    Case("routes:credit_queue", lambda w: reverse("routes:credit_queue"), everyone(403, **METHODISTS)),
    # «Зачесть» for several routes: a GET goes back to the queue; the POST shows the confirmation, the confirmed
    # POST credits. The regional methodist credits municipality A (credit_mode «regional»); for the municipal
    # methodist the route is none of theirs to credit, and the queue says so.
    Case("routes:credit_bulk", lambda w: reverse("routes:credit_bulk"),
         everyone(403, municipal_methodist=302, regional_methodist=302)),
    Case("routes:credit_bulk", lambda w: reverse("routes:credit_bulk"),
         everyone(403, municipal_methodist=302, regional_methodist=200), label="confirm_page", method="post",
         data=lambda w: {"route": own(S.AWAITING_CREDIT)(w).pk},
         noop="the confirmation page writes nothing; the municipal methodist is told the route is not theirs"),
    Case("routes:credit_bulk", lambda w: reverse("routes:credit_bulk"),
         everyone(403, municipal_methodist=302, regional_methodist=302), label="confirmed", method="post",
         data=lambda w: {"route": own(S.AWAITING_CREDIT)(w).pk, "confirm": "1"}, touches=(Route,),
         noop={"municipal_methodist": "the route is none of theirs to credit: the queue says so, nothing changes"}),
    Case("routes:monitor", lambda w: reverse("routes:monitor"), everyone(200, teacher=403)),
    # a person's overdue rows behind the monitor's count: the routes of the scope, 404 beyond it
    Case("routes:monitor_overdue", url("monitor_overdue", own(S.IN_PROGRESS)), everyone(200, teacher=403)),
    Case("routes:monitor_overdue", url("monitor_overdue", sibling),
         everyone(200, teacher=403, deputy=404, director=404), label="sibling"),
    # «Напомнить»: the teacher of school A1, within every monitoring scope of the World but the teacher's own
    Case("routes:monitor_remind", lambda w: reverse("routes:monitor_remind"), everyone(302, teacher=403),
         method="post", data=lambda w: {"staff": [w.teacher_staff.pk]}, touches=("routes.Reminder",)),
]
