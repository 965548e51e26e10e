"""Seed 001, the audit letter: from 320 people with cohort routes (36 dismissed since) and their
done activities, the audit's `Данные` sheet gives the letter's figures over the base of 284."""

import pytest

from tests.factories import MunicipalityFactory
from tests.reports.helpers import build_file, data_sheet
from tests.reports.seeds import BUCKET_PERCENTS, COHORT, GROUP_PERCENTS, LOW_SCHOOLS, build_audit_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipality():
    m = MunicipalityFactory(name="город Армавир")
    build_audit_records(m)
    return m


@pytest.fixture
def figures(municipality):
    rows = data_sheet(build_file("audit", municipality_id=municipality.pk, cohort=COHORT))
    return {r["Код"]: r for r in rows}


def test_developed_dismissed_and_base(figures):
    assert figures["developed"]["Количество"] == 320
    assert figures["dismissed"]["Количество"] == 36
    assert figures["base"]["Количество"] == 284


def test_activity_groups_give_the_letters_percentages(figures):
    for code, share in GROUP_PERCENTS.items():
        assert figures[code]["База"] == 284, code
        assert figures[code]["Доля, %"] == float(share), code


def test_implementation_buckets_give_the_letters_percentages(figures):
    for code, share in BUCKET_PERCENTS.items():
        assert figures[code]["Доля, %"] == float(share), code
    assert sum(figures[c]["Количество"] for c in BUCKET_PERCENTS) == 284


def test_every_school_implements_routes(figures):
    assert figures["orgs_implementing"]["Доля, %"] == 100.0


def test_letter_names_the_schools_under_fifty_percent(municipality):
    import subprocess

    pdf = build_file("audit", "pdf", municipality_id=municipality.pk, cohort=COHORT)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = " ".join(text.split())
    for share in ["79,2 %", "98,9 %", "26,4 %", "88,7 %", "30,6 %", "38,0 %", "51,4 %", "40,5 %",
                  "44,7 %", "47,9 %", "4,6 %", "2,8 %"]:
        assert share in flat
    for school in LOW_SCHOOLS:
        assert school in flat
    assert "320" in flat and "284" in flat
