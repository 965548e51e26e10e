"""Demo diagnostics: external results for part of the demo municipality's teachers.

The municipal dashboard then has deficits to count (the most frequent by competency) and some
of them overcome by a later assessment. The demo account "teacher" is left without any, so
the demo starts from an empty account: self-assessment → deficits → drafted route.
"""

import datetime as dt
import random

from diagnostics.models import Instrument
from diagnostics.services import assessment_store_external
from schools.models import Municipality, StaffMember

# Competencies the demo municipality's teachers find hard, as seed 004's programme names them.
WEAK = {"М4": 48, "М5": 52, "П3": 55}


def load_demo_diagnostics(municipality: Municipality, *, first_year_start: int, skip_usernames=("teacher",),
                          seed: int = 4) -> int:
    """Create external test results (and, for some, a later lesson observation). Returns how many people."""
    rng = random.Random(seed)
    test = Instrument.objects.prefetch_related("competencies").get(name="Предметно-методическое тестирование (ЦНППМ)")
    observation = Instrument.objects.prefetch_related("competencies").get(name="Наблюдение урока заместителем директора")
    people = list(
        StaffMember.objects.filter(
            organisation__municipality=municipality, status=StaffMember.Status.WORKING,
            position_category__in=["teacher", "deputy"],
        ).exclude(user__username__in=skip_usernames).order_by("pk")
    )
    chosen = [p for p in people if rng.random() < 0.45]
    tested_on = dt.date(first_year_start + 1, 4, 15)  # April: the yearly diagnostics of seed 004
    observed_on = dt.date(first_year_start + 2, 3, 12)
    for person in chosen:
        scores = {
            c: max(0, min(100, round(rng.gauss(WEAK.get(c.code, 70), 14)))) for c in test.competencies.all()
        }
        assessment_store_external(person=person, instrument=test, taken_on=tested_on, scores=scores)
        if rng.random() < 0.5:
            later = {c: max(0, min(100, round(rng.gauss(72, 12)))) for c in observation.competencies.all()}
            assessment_store_external(person=person, instrument=observation, taken_on=observed_on, scores=later)
    return len(chosen)
