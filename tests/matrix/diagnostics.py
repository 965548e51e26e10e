"""Permission matrix of the diagnostics pages (and of drafting a route from diagnostics)."""

import datetime as dt

from django.urls import reverse

from diagnostics.models import Assessment, Competency, Deficit, Instrument
from tests.matrix import Case, everyone

STAFF_ROLES = dict(teacher=200, deputy=200, director=200)
SEERS = dict(deputy=200, director=200, municipal_methodist=200, regional_methodist=200, admin=200)
ASSESSORS = dict(deputy=200, admin=200)


def _assessment(attr):
    def make(w):
        return w.obj(f"assessment:{attr}", lambda w: Assessment.objects.create(
            person=getattr(w, attr), instrument=Instrument.objects.get(name="Наблюдение урока заместителем директора"),
            taken_on=dt.date(2025, 10, 1), source=Assessment.Source.DEPUTY,
        ))
    return make


def _deficit(attr):
    def make(w):
        return w.obj(f"deficit:{attr}", lambda w: Deficit.objects.create(
            person=getattr(w, attr), competency=Competency.objects.get(code="М4"), detected_on=dt.date(2025, 10, 1),
            reason="по итогам посещения урока",
        ))
    return make


def url(name, make):
    return lambda w: reverse(name, args=[make(w).pk])


def person(attr):
    return lambda w: getattr(w, attr)


def self_instrument(w):
    return Instrument.objects.get(is_self_assessment=True)


def other_instrument(w):
    return Instrument.objects.get(name="Наблюдение урока заместителем директора")


# Whose records, and who sees them: own school (colleague), the teacher's own, sibling school, far region.
SCOPES = [
    ("colleague", "own", everyone(200, teacher=404)),
    ("teacher_staff", "self", everyone(200)),
    ("sibling_staff", "sibling", everyone(404, municipal_methodist=200, regional_methodist=200, admin=200)),
    ("other_staff", "other_municipality", everyone(404, regional_methodist=200, admin=200)),
    ("far_staff", "other_region", everyone(404, admin=200)),
]

CASES = [
    Case("diagnostics:my", lambda w: reverse("diagnostics:my"), everyone(403, **STAFF_ROLES)),
    Case("diagnostics:framework", lambda w: reverse("diagnostics:framework"), everyone(200)),
    Case("diagnostics:self_assessment", url("diagnostics:self_assessment", self_instrument), everyone(403, **STAFF_ROLES)),
    Case("diagnostics:self_assessment", url("diagnostics:self_assessment", other_instrument),
         everyone(403, teacher=404, deputy=404, director=404), label="not_a_questionnaire"),
    Case("diagnostics:self_assessment", url("diagnostics:self_assessment", self_instrument),
         everyone(403, teacher=200, deputy=200, director=200), label="unanswered_post", method="post",
         data=lambda w: {}, noop="an unanswered questionnaire is shown again with its errors"),
    Case("diagnostics:overview", lambda w: reverse("diagnostics:overview"), everyone(403, **SEERS)),
    Case("diagnostics:school", url("diagnostics:school", lambda w: w.school), everyone(403, **SEERS)),
    Case("diagnostics:school", url("diagnostics:school", lambda w: w.sibling_school),
         everyone(403, deputy=404, director=404, municipal_methodist=200, regional_methodist=200, admin=200),
         label="sibling"),
    Case("diagnostics:school", url("diagnostics:school", lambda w: w.far_school),
         everyone(403, deputy=404, director=404, municipal_methodist=404, regional_methodist=404, admin=200),
         label="other_region"),
    # a deputy records assessments and adds deficits for their own school only
    Case("diagnostics:assessment_create", url("diagnostics:assessment_create", person("colleague")),
         everyone(403, **ASSESSORS)),
    Case("diagnostics:assessment_create",
         lambda w: reverse("diagnostics:assessment_create", args=[w.colleague.pk]) + f"?instrument={other_instrument(w).pk}",
         everyone(403, **ASSESSORS), label="own_with_instrument"),
    Case("diagnostics:assessment_create", url("diagnostics:assessment_create", person("sibling_staff")),
         everyone(403, deputy=404, admin=200), label="sibling"),
    Case("diagnostics:assessment_create", url("diagnostics:assessment_create", person("teacher_staff")),
         everyone(403, **ASSESSORS), label="self"),
    Case("diagnostics:deficit_add", url("diagnostics:deficit_add", person("colleague")), everyone(403, **ASSESSORS)),
    Case("diagnostics:deficit_add", url("diagnostics:deficit_add", person("far_staff")),
         everyone(403, deputy=404, admin=200), label="other_region"),
    Case("diagnostics:deficit_dismiss", url("diagnostics:deficit_dismiss", _deficit("colleague")),
         everyone(403, **ASSESSORS)),
    Case("diagnostics:deficit_dismiss", url("diagnostics:deficit_dismiss", _deficit("sibling_staff")),
         everyone(403, deputy=404, admin=200), label="sibling"),
    # Each role posts on the World as built (the matrix rolls every request back): the deputy and
    # the administrator both dismiss the open deficit.
    Case("diagnostics:deficit_dismiss", url("diagnostics:deficit_dismiss", _deficit("teacher_staff")),
         everyone(403, deputy=302, admin=302), label="self_post", method="post",
         data=lambda w: {"reason": "Выявлен ошибочно"}, touches=(Deficit,)),
    # drafting a route from diagnostics: for oneself, by people with a staff card
    Case("drafting:new", lambda w: reverse("drafting:new"), everyone(403, **STAFF_ROLES)),
]

for attr, label, expect in SCOPES:
    CASES.append(Case("diagnostics:assessment_detail", url("diagnostics:assessment_detail", _assessment(attr)),
                      expect, label=label))
    CASES.append(Case("diagnostics:person", url("diagnostics:person", person(attr)), expect, label=label))
