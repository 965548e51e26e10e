"""The audit letter (seed 001): its sentences for none, one and several items, the order of its
problems, the organisations' share over general-education organisations, the letterhead, the
school audit's wording, and the methodist's texts with their defaults restorable."""

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from diagnostics.models import CompetencyGroup
from reports.models import AuditLetterText
from reports.selectors.audit import AUDIT_GROUPS, AuditFigures, LowImplementer
from reports.selectors.common import Figure
from reports.texts import (
    audit_addressed,
    audit_cohort,
    audit_findings,
    audit_implementation,
    audit_problems,
    problems_sentence,
)
from routes.models import ActivityKind, RoadmapActivity, Route
from schools.models import Membership, Organisation
from tests.factories import MembershipFactory, MunicipalityFactory, OrganisationFactory, StaffFactory, UserFactory
from tests.reports.helpers import build_file, data_sheet

COHORT = "2022-2023"


def figures(*, developed=10, dismissed=0, shares=None, low=(), buckets=None, orgs=(3, 3)) -> AuditFigures:
    base = developed - dismissed
    shares = shares or {}
    groups = [Figure(code, label, shares.get(code, base), base) for code, label, _ in AUDIT_GROUPS]
    buckets = buckets or {"impl_100": base}
    low_orgs = sorted({p.organisation for p in low})
    return AuditFigures(
        cohort=COHORT, developed=developed, dismissed=dismissed, groups=groups,
        buckets=[Figure(c, c, buckets.get(c, 0), base, names=low_orgs if c == "impl_lt50" else [])
                 for c in ("impl_100", "impl_70", "impl_50", "impl_lt50")],
        organisations_implementing=orgs[0], organisations_total=orgs[1], low=list(low),
    )


# --------------------------------------------------------------------------- sentences

@pytest.mark.parametrize(("dismissed", "said"), [
    (0, "Уволенных с тех пор нет."),
    (1, "С тех пор уволен 1 педагог."),
    (3, "С тех пор уволены 3 педагога."),
    (5, "С тех пор уволено 5 педагогов."),
])
def test_the_dismissed_are_said_in_words_for_none_one_several(dismissed, said):
    text = audit_cohort(figures(developed=21, dismissed=dismissed), COHORT)
    assert said in text
    assert "уволено 0" not in text


def test_one_teacher_developed_is_singular():
    assert "ИОМ разработал 1 педагог." in audit_cohort(figures(developed=1), COHORT)


def test_no_cohort_routes_says_so_and_lists_nothing():
    a = figures(developed=0)
    assert "нет" in audit_cohort(a, COHORT)
    assert audit_findings(a) == [] and audit_implementation(a) == [] and audit_problems(a) == []


def test_a_group_nobody_took_part_in_is_said_in_words():
    lines = audit_findings(figures(shares={"attestation": 0}))
    assert "аттестацию не прошел ни один педагог;" in lines
    assert not any(line.startswith("0,0 %") for line in lines)


def test_problems_are_the_two_lowest_shares_lowest_first():
    a = figures(developed=100, shares={"courses": 79, "events": 99, "attestation": 26, "experience": 89,
                                       "contests": 31, "publications": 38, "mentoring": 51, "expert": 40})
    assert problems_sentence(audit_problems(a)) == (
        "Проблемными вопросами остаются участие педагогов в аттестационных процедурах и участие педагогов "
        "в профессиональных конкурсах.")


def test_problem_ties_follow_the_documented_order_not_the_codes_alphabet():
    # expert < publications < contests alphabetically; the fixed order puts contests first.
    a = figures(developed=100, shares={"contests": 20, "publications": 20, "expert": 20})
    assert audit_problems(a) == ["участие педагогов в профессиональных конкурсах",
                                 "публикация педагогами методических материалов"]


def test_one_problem_and_none_are_grammatical():
    assert problems_sentence(["экспертная деятельность педагогов"]) == \
        "Проблемным вопросом остается экспертная деятельность педагогов."
    assert problems_sentence(audit_problems(figures())) == \
        "Направлений, где доля педагогов ниже 50 %, аудит не выявил."


def test_addressed_recommendations_decline_one_and_several_schools():
    one = figures(low=[LowImplementer("Иванова А.И.", "МБОУ Дивненская СОШ №2", 1, 4)], buckets={"impl_lt50": 1})
    assert audit_addressed(one, for_school=False).startswith("Руководителю МБОУ Дивненской СОШ №2 обеспечить")
    several = figures(low=[LowImplementer("Иванова А.И.", "МБОУ гимназия № 1", 1, 4),
                           LowImplementer("Петров П.П.", "МБОУ лицей № 7", 1, 4)], buckets={"impl_lt50": 2})
    assert audit_addressed(several, for_school=False).startswith(
        "Руководителям МБОУ гимназии № 1, МБОУ лицея № 7 обеспечить")
    assert audit_addressed(figures(), for_school=False) == ""
    assert audit_addressed(one, for_school=True).endswith(
        "педагогом, выполнившим менее 50 % мероприятий: Иванова А.И.")  # one full stop after the initials


def test_the_organisations_line_speaks_of_all_or_some_and_not_for_one_school():
    assert audit_findings(figures(orgs=(12, 12)))[0].startswith(
        "во всех муниципальных общеобразовательных организациях (100,0 %, 12 организаций)")
    assert audit_findings(figures(orgs=(3, 4)))[0].startswith("в 75,0 % муниципальных общеобразовательных "
                                                              "организаций (3 из 4)")
    assert not any("организаций" in line for line in audit_findings(figures(orgs=(1, 1)), for_school=True))


# --------------------------------------------------------------------------- with records

def _route(person, status, done: int, total: int):
    route = Route.objects.create(person=person, organisation=person.organisation, academic_year=COHORT,
                                 status=status, approved_on=dt.date(2022, 10, 3))
    kind = ActivityKind.objects.get(code="course")
    group = CompetencyGroup.objects.filter(in_roadmap=True).first()
    for i in range(total):
        RoadmapActivity.objects.create(route=route, kind=kind, group=group, title=f"КПК {i}", deadline=dt.date(2023, 4, 1),
                                       is_done=i < done, done_on=dt.date(2023, 3, 1) if i < done else None)
    return route


@pytest.fixture
def city(db):
    m = MunicipalityFactory(
        name="город Минусинск", methodical_centre="МКУ «Центр развития образования»", head_name="Мартынова Ольга Викторовна",
        head_position="Директор Центра", executor_name="Левачева Таисия Ивановна", executor_phone="(39132) 3-47-05",
        addressee_position="Начальник управления образования", addressee_name="Мирчук Тамара Владимировна")
    school = OrganisationFactory(municipality=m, short_name="МБОУ Дивненская СОШ №2", kind=Organisation.Kind.SOSH)
    other = OrganisationFactory(municipality=m, short_name="МБОУ лицей № 7", kind=Organisation.Kind.LYCEUM)
    kindergarten = OrganisationFactory(municipality=m, short_name="МАДОУ детский сад №3", kind=Organisation.Kind.DOO)
    StaffFactory(organisation=school, last_name="Шевчук", first_name="Олег", middle_name="Петрович",
                 position="Директор")
    _route(StaffFactory(organisation=school, last_name="Белых", first_name="Анна", middle_name="Петровна"),
           Route.Status.IN_PROGRESS, 1, 4)
    _route(StaffFactory(organisation=school, last_name="Черных", first_name="Иван", middle_name="Ильич"),
           Route.Status.AWAITING_CREDIT, 0, 4)
    _route(StaffFactory(organisation=school, last_name="Кравец", first_name="Андрей", middle_name="Юрьевич"),
           Route.Status.NOT_CREDITED, 0, 4)
    _route(StaffFactory(organisation=kindergarten), Route.Status.IN_PROGRESS, 4, 4)
    return m, school, other


def _pdf_text(content: bytes) -> str:
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())


def test_the_share_of_organisations_is_over_general_education_ones(city):
    m, _school, _other = city
    rows = {r["Код"]: r for r in data_sheet(build_file("audit", municipality_id=m.pk, cohort=COHORT))}
    # the ДОО implements a route but is neither counted nor in the base: 1 of the 2 schools
    assert (rows["orgs_implementing"]["Количество"], rows["orgs_implementing"]["База"]) == (1, 2)
    assert rows["orgs_implementing"]["Доля, %"] == 50.0


def test_routes_awaiting_or_refused_credit_are_not_audited(city):
    m, _school, _other = city
    rows = {r["Код"]: r for r in data_sheet(build_file("audit", municipality_id=m.pk, cohort=COHORT))}
    assert rows["developed"]["Количество"] == 2  # Белых (in progress) and the kindergarten's teacher


def test_the_municipal_letter_has_letterhead_addressee_salutation_signatory_executor(city):
    m, _school, _other = city
    AuditLetterText.objects.create(municipality=m, cohort=COHORT, number="01-12/347")
    flat = _pdf_text(build_file("audit", "pdf", municipality_id=m.pk, cohort=COHORT))
    for expected in ["МКУ «ЦЕНТР РАЗВИТИЯ ОБРАЗОВАНИЯ»", "Начальнику управления образования", "Мирчук Т.В.",
                     "Уважаемая Тамара Владимировна!", "№ 01-12/347", "Приложение: в электронном виде.",
                     "Директор Центра", "О.В. Мартынова", "Левачева Таисия Ивановна (39132) 3-47-05",
                     "Руководителю МБОУ Дивненской СОШ №2 обеспечить контроль"]:
        assert expected in flat, expected


def test_a_letter_without_letterhead_still_builds_and_says_nothing_of_the_gap(db):
    m = MunicipalityFactory(name="Новоселовский район")
    school = OrganisationFactory(municipality=m, kind=Organisation.Kind.SOSH)
    _route(StaffFactory(organisation=school), Route.Status.IN_PROGRESS, 2, 2)
    flat = _pdf_text(build_file("audit", "pdf", municipality_id=m.pk, cohort=COHORT))
    assert "Уважаемые коллеги!" in flat
    assert "не заполнено" not in flat.lower() and "реквизит" not in flat.lower()
    build_file("audit", "docx", municipality_id=m.pk, cohort=COHORT)


def test_the_school_audit_speaks_of_one_school_to_its_director(city):
    _m, school, _other = city
    flat = _pdf_text(build_file("audit", "pdf", organisation_id=school.pk, cohort=COHORT))
    assert "Директору МБОУ Дивненской СОШ №2" in flat
    assert "Шевчуку О.П." in flat and "Уважаемый Олег Петрович!" in flat
    assert "в МБОУ Дивненской СОШ №2 проведен внутренний аудит" in flat
    assert "рекомендовано администрации МБОУ Дивненской СОШ №2" in flat
    assert "организаций (1 из 1)" not in flat and "100,0 % организаций" not in flat
    assert "руководителям общеобразовательных организаций" not in flat
    assert "Белых А.П." in flat  # under 50 %, in progress: named
    assert "Черных" not in flat and "Кравец" not in flat  # awaiting or refused credit: not audited


def test_the_order_page_names_the_settings_page_when_the_letterhead_is_incomplete(client, db):
    m = MunicipalityFactory(name="Новоселовский район")
    OrganisationFactory(municipality=m)
    user = UserFactory()
    MembershipFactory(user=user, role=Membership.Role.MUNICIPAL_METHODIST, municipality=m, organisation=None)
    client.force_login(user)
    page = client.get(reverse("reports:index")).content.decode()
    assert reverse("municipality_letterhead", args=[m.pk]) in page
    assert "Реквизиты писем" in page


# --------------------------------------------------------------------------- texts and settings pages

@pytest.fixture
def methodist(city, client):
    m = city[0]
    user = UserFactory()
    MembershipFactory(user=user, role=Membership.Role.MUNICIPAL_METHODIST, municipality=m, organisation=None)
    client.force_login(user)
    return user


def test_saved_texts_go_into_the_letter_and_the_defaults_come_back(city, client, methodist):
    m = city[0]
    url = reverse("reports:audit_texts", args=[m.pk]) + f"?year={COHORT}"
    page = client.get(url).content.decode()
    assert "проведен внутренний аудит" in page  # the default shown to edit
    client.post(url, {"number": "7", "basis": "Во исполнение приказа № 221 проведен аудит.", "conclusion": "Вывод.",
                      "recommendations": "Первая.\nВторая.", "version": 0})
    text = AuditLetterText.objects.get(municipality=m, cohort=COHORT)
    assert (text.number, text.recommendations) == ("7", "Первая.\nВторая.")
    flat = _pdf_text(build_file("audit", "pdf", municipality_id=m.pk, cohort=COHORT))
    assert "Во исполнение приказа № 221 проведен аудит." in flat and "Вторая." in flat
    client.post(url, {"number": "7", "basis": "x", "conclusion": "y", "recommendations": "z",
                      "version": text.version, "restore": "1"})
    text.refresh_from_db()
    assert (text.number, text.basis, text.conclusion, text.recommendations) == ("7", "", "", "")
    assert "проведен внутренний аудит" in _pdf_text(build_file("audit", "pdf", municipality_id=m.pk, cohort=COHORT))


def test_the_letterhead_is_saved_by_the_municipalitys_methodist(city, client, methodist):
    m = city[0]
    data = {f: getattr(m, f) for f in m.LETTERHEAD_FIELDS} | {"addressee_name": "Соколова Наталья Ильинична"}
    response = client.post(reverse("municipality_letterhead", args=[m.pk]), data)
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.addressee_name == "Соколова Наталья Ильинична"
    other = MunicipalityFactory(name="Новоселовский район")
    assert client.get(reverse("municipality_letterhead", args=[other.pk])).status_code == 404


def test_shares_are_percent_of_the_base():
    assert figures(developed=4, shares={"courses": 1}).figure("courses").share == Decimal("25.0")


def test_the_recommendation_names_every_direction_under_half_the_problems_sentence_two():
    from reports.texts import audit_default_recommendations
    a = figures(developed=100, shares={"attestation": 26, "contests": 31, "publications": 0, "expert": 0})
    assert problems_sentence(audit_problems(a)).count(" и ") == 1  # seed 001 names the two weakest
    recommendation = audit_default_recommendations(a)[1]
    for phrase in audit_problems(a, limit=None):
        assert phrase in recommendation
    assert len(audit_problems(a, limit=None)) == 4


@pytest.mark.django_db
def test_a_letter_without_an_outgoing_number_leaves_a_blank_for_it():
    from reports.letters import NUMBER_BLANK, municipal_letterhead
    m = MunicipalityFactory()
    assert municipal_letterhead(m, dt.date(2026, 12, 5)).date_and_number == f"05.12.2026 № {NUMBER_BLANK}"
    assert municipal_letterhead(m, dt.date(2026, 12, 5), "01-12/345").date_and_number == "05.12.2026 № 01-12/345"
