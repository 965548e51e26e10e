"""Permission matrix of the integration API (/api/v1/, api/).

Each role is a token: its service account holds the memberships of the World's user of that role
(the deputy's: deputy and teacher of school A1) and lists every API capability those roles hold
(api.permissions.capabilities_of_role). The teacher's role holds none: its token is valid but may use
nothing beyond the lists of codes. Anonymous sends no token: 401. Outside the token's scope 404,
seen but not allowed 403, as in the browser.
"""

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.imports.models import ImportJob
from tests.matrix import Case

ROLES = ["anonymous", "teacher", "deputy", "director", "municipal_methodist", "regional_methodist", "admin"]


def token_of(w, role):
    """The role's token (memoised in the World, so a URL can name the account its client acts as)."""
    from tests.api.helpers import like

    return w.obj(f"api-token-{role}", lambda w: like(w.user(role)))


def token_client(w, role):
    from tests.api.helpers import token_client as client

    return client(token_of(w, role)[1] if role != "anonymous" else None)


def expect(default: int, **overrides) -> dict:
    """`default` for every token, with overrides; anonymous (no token) 401."""
    statuses = {role: default for role in ROLES}
    statuses["anonymous"] = 401
    statuses.update(overrides)
    return statuses


def api(name: str, url, statuses: dict, **kwargs) -> Case:
    return Case(f"api:{name}", url, statuses, client=token_client, **kwargs)


def detail(name: str, attr: str):
    return lambda w: reverse(f"api:{name}", args=[getattr(w, attr).pk])


def obj_detail(name: str, build):
    return lambda w: reverse(f"api:{name}", args=[build(w).pk])


# Who holds the read capabilities (org.view, staff.view, route.view, diagnostics.view, report.school):
# everybody but the teacher; their scopes: the school A1, municipality A, region R, everything.
OWN = expect(200, teacher=403)
SIBLING = expect(200, teacher=403, deputy=404, director=404)
OTHER_MUNICIPALITY = expect(200, teacher=403, deputy=404, director=404, municipal_methodist=404)
OTHER_REGION = expect(404, teacher=403, admin=200)
SCOPES = [("own", "school", OWN), ("sibling", "sibling_school", SIBLING),
          ("other_municipality", "other_school", OTHER_MUNICIPALITY), ("other_region", "far_school", OTHER_REGION)]
PEOPLE = {"own": "colleague", "sibling": "sibling_staff", "other_municipality": "other_staff",
          "other_region": "far_staff"}


def route_of(attr):
    def build(w):
        from tests.routes.factories import ActivityFactory, RouteFactory

        def make(w):
            route = RouteFactory(person=getattr(w, attr))
            ActivityFactory(route=route)
            return route

        return w.obj(f"api-route-{attr}", make)

    return build


def deficit_of(attr):
    def build(w):
        from tests.diagnostics.factories import DeficitFactory

        return w.obj(f"api-deficit-{attr}", lambda w: DeficitFactory(person=getattr(w, attr)))

    return build


def figure(query):
    return lambda w: reverse("api:figure_detail", args=["iom_share"]) + "?" + query(w)


def job_of(role):
    """A finished check of a file by the role's token: only that token's account sees it."""
    def build(w):
        account = token_of(w, role)[0].account
        job = w.obj(f"api-job-{role}", lambda w: ImportJob.objects.create(
            requester=account, kind="staff", token=uuid.uuid4(), filename="staff.csv", phase=ImportJob.Phase.CHECK,
            status=ImportJob.Status.DONE, counts={"new": 1, "update": 0, "unchanged": 0, "error": 0}))
        return reverse("api:import_job", args=[job.pk])

    return build


class Upload(SimpleUploadedFile):
    """The same file for every role's request (the test client reads the file to encode it)."""

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


def staff_file(school_attr):
    def data(w):
        from tests.imports.factories import STAFF_HEADER, csv_bytes, staff_row

        school = getattr(w, school_attr)
        content = csv_bytes(STAFF_HEADER, [staff_row(school.short_name, "Загруженная", **{"Дата рождения": "03.04.1985"})])
        return {"file": Upload("staff.csv", content, content_type="text/csv")}

    return data


def dry_run(data):
    return lambda w: {**data(w), "dry_run": "true"}


UPLOAD = "import_upload"


def upload_url(kind):
    return lambda w: reverse("api:import_upload", args=[kind])


CASES = [
    # lists of the scope
    api("organisation-list", lambda w: reverse("api:organisation-list"), OWN),
    api("staff-list", lambda w: reverse("api:staff-list"), OWN),
    api("route-list", lambda w: reverse("api:route-list"), OWN),
    api("deficit-list", lambda w: reverse("api:deficit-list"), OWN),
    # one record, in each scope of the World
    *[api("organisation-detail", detail("organisation-detail", attr), statuses, label=label)
      for label, attr, statuses in SCOPES],
    *[api("staff-detail", detail("staff-detail", PEOPLE[label]), statuses, label=label)
      for label, _, statuses in SCOPES],
    *[api("route-detail", obj_detail("route-detail", route_of(PEOPLE[label])), statuses, label=label)
      for label, _, statuses in SCOPES],
    *[api("deficit-detail", obj_detail("deficit-detail", deficit_of(PEOPLE[label])), statuses, label=label)
      for label, _, statuses in SCOPES],
    api("staff-detail", lambda w: reverse("api:staff-detail", args=[2**63]), expect(404, teacher=403),
        label="out_of_range"),
    # figures: the codes for every token; a school's figure (report.school), a municipality's
    # (report.municipal: methodists, administrators), the whole regional scope (report.regional)
    api("figure_list", lambda w: reverse("api:figure_list"), expect(200)),
    *[api("figure_detail", figure(lambda w, attr=attr: f"organisation={getattr(w, attr).pk}"), statuses,
          label=f"school_{label}") for label, attr, statuses in SCOPES],
    api("figure_detail", figure(lambda w: f"municipality={w.municipality.pk}"),
        expect(200, teacher=403, deputy=403, director=403), label="municipality_own"),
    api("figure_detail", figure(lambda w: f"municipality={w.other_municipality.pk}"),
        expect(200, teacher=403, deputy=403, director=403, municipal_methodist=404), label="municipality_other"),
    api("figure_detail", figure(lambda w: f"municipality={w.far_municipality.pk}"),
        expect(404, teacher=403, deputy=403, director=403, admin=200), label="municipality_other_region"),
    api("figure_detail", figure(lambda w: "year=2024-2025"),
        expect(403, regional_methodist=200, admin=200), label="region"),
    api("figure_detail", lambda w: reverse("api:figure_detail", args=["no_such_figure"]) + f"?organisation={w.school.pk}",
        expect(404, teacher=403), label="unknown_code"),
    # imports: the kinds the token may load; a staff file (staff.import: the deputy of the school, the
    # administrator), written, or only checked; a row of another school is that row's error (422)
    api("import_kinds", lambda w: reverse("api:import_kinds"), expect(200)),
    api(UPLOAD, upload_url("staff"), expect(403, deputy=200, admin=200),
        method="post", data=staff_file("school"), touches=("schools.StaffMember",)),
    api(UPLOAD, upload_url("staff"), expect(403, deputy=200, admin=200),
        method="post", data=dry_run(staff_file("school")), label="dry_run",
        noop="dry_run: the file is checked, nothing is written"),
    api(UPLOAD, upload_url("staff"), expect(403, deputy=422, admin=200),
        method="post", data=staff_file("sibling_school"), label="sibling", touches=("schools.StaffMember",)),
    api(UPLOAD, upload_url("routes"),
        expect(403, municipal_methodist=422, regional_methodist=422, admin=422), method="post",
        data=staff_file("school"), label="routes_kind_wrong_columns"),
    api(UPLOAD, upload_url("nonsense"), expect(404), method="post",
        data=staff_file("school"), label="unknown_kind"),
    api(UPLOAD, upload_url("staff"), expect(403, deputy=405, admin=405), label="get"),
    # a job is its token's alone
    api("import_job", job_of("deputy"), expect(404, deputy=200)),
    api("import_job", lambda w: reverse("api:import_job", args=[uuid.uuid4()]), expect(404), label="unknown"),
    # the schema: any valid token
    api("schema", lambda w: reverse("api:schema"), expect(200)),
    # any other address under /api/v1/: a JSON 404 for everybody, token or not
    api("not_found", lambda w: "/api/v1/no-such-endpoint/", expect(404, anonymous=404)),
]
