"""Raw records behind seed 001's audit letter, built person by person.

The letter gives percentages over 284 people (320 who developed an ИОМ minus 36 dismissed);
the counts are derived from them here, and the records are made so that those counts are
true: a person "took courses" when their cohort route has a done course activity, and the
implementation of a route is its done ÷ all activities.
"""

import datetime as dt
from decimal import Decimal

from core.numbers import percent
from diagnostics.models import CompetencyGroup
from routes.models import ActivityKind, RoadmapActivity, Route
from schools.models import Organisation, StaffMember

COHORT = "2022-2023"
DEVELOPED, DISMISSED = 320, 36
BASE = DEVELOPED - DISMISSED

# The letter's figures, in the order of docs/spec/reports.md's audit table.
GROUP_PERCENTS = {
    "courses": Decimal("79.2"), "events": Decimal("98.9"), "attestation": Decimal("26.4"),
    "experience": Decimal("88.7"), "contests": Decimal("30.6"), "publications": Decimal("38.0"),
    "mentoring": Decimal("51.4"), "expert": Decimal("40.5"),
}
BUCKET_PERCENTS = {
    "impl_100": Decimal("44.7"), "impl_70": Decimal("47.9"), "impl_50": Decimal("4.6"), "impl_lt50": Decimal("2.8"),
}
# One kind per group is enough to mark a person as taking part.
GROUP_KIND = {
    "courses": "course", "events": "webinar", "attestation": "attestation", "experience": "master_class",
    "contests": "contest", "publications": "publication", "mentoring": "mentoring", "expert": "expert",
}
LOW_SCHOOLS = ["МБОУ гимназия № 1", "МБОУ-СОШ № 2", "МБОУ-СОШ № 23"]
OTHER_SCHOOLS = ["МБОУ-СОШ № 3", "МБОУ-СОШ № 4", "МБОУ лицей № 5", "МБОУ-СОШ № 6", "МБОУ-СОШ № 7"]


def people_for(share: Decimal, base: int = BASE) -> int:
    """The number of people whose share of `base` is `share` under the half-up rule."""
    n = int((share * base / 100).to_integral_value())
    assert percent(n, base) == share, f"{share} % of {base} is not a whole number of people"
    return n


def build_audit_records(municipality) -> list[Organisation]:
    schools = [
        Organisation.objects.create(municipality=municipality, short_name=name, name=f"Организация {name}",
                                    kind="Гимназия" if "гимназия" in name else "СОШ", order=i)
        for i, name in enumerate(LOW_SCHOOLS + OTHER_SCHOOLS)
    ]
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    group = CompetencyGroup.objects.filter(in_roadmap=True).first()
    start = dt.date(2022, 9, 1)

    counts = {code: people_for(p) for code, p in GROUP_PERCENTS.items()}
    buckets = {code: people_for(p) for code, p in BUCKET_PERCENTS.items()}
    assert sum(buckets.values()) == BASE
    # Bucket of each working person: the last eight (under 50 %) work in the three named schools.
    bucket_of = []
    for code in ("impl_100", "impl_70", "impl_50", "impl_lt50"):
        bucket_of += [code] * buckets[code]

    staff = []
    for i in range(DEVELOPED):
        working = i < BASE
        if working and bucket_of[i] == "impl_lt50":
            school = schools[i % len(LOW_SCHOOLS)]
        else:
            school = schools[len(LOW_SCHOOLS) + i % len(OTHER_SCHOOLS)]
        staff.append(StaffMember(
            organisation=school, last_name=f"Педагог{i:03d}", first_name="Анна", middle_name="Ивановна",
            position="учитель", status=StaffMember.Status.WORKING if working else StaffMember.Status.DISMISSED,
            dismissed_on=None if working else dt.date(2023, 3, 1),
        ))
    for s in staff:
        s.save()
    routes = Route.objects.bulk_create(
        Route(person=s, organisation=s.organisation, academic_year=COHORT,
              status=Route.Status.IN_PROGRESS if i < BASE else Route.Status.WITHDRAWN,
              approved_on=start + dt.timedelta(days=30 + i % 60))
        for i, s in enumerate(staff)
    )
    activities = []

    def add(route, kind, done):
        activities.append(RoadmapActivity(route=route, group=group, kind=kinds[kind], title=kinds[kind].name,
                                          deadline=dt.date(2023, 4, 1), is_done=done,
                                          done_on=dt.date(2023, 3, 1) if done else None))

    for i, route in enumerate(routes):
        if i >= BASE:
            # The dismissed did everything: they must still not count.
            for kind in GROUP_KIND.values():
                add(route, kind, True)
            continue
        groups = [code for n, code in enumerate(GROUP_KIND) if (i + 37 * n) % BASE < counts[code]]
        for code in groups:
            add(route, GROUP_KIND[code], True)
        done = len(groups)
        bucket = bucket_of[i]
        # Fillers (self-education counts in no group) set done ÷ all into the bucket.
        if bucket == "impl_100":
            extra_done, undone = (1 if done == 0 else 0), 0
        elif bucket == "impl_70":
            extra_done, undone = max(0, 3 - done), 1  # ≥ 3 of 4 → 75 %…90 %
        elif bucket == "impl_50":
            extra_done, undone = (1 if done == 0 else 0), max(done, 1)  # exactly 50 %
        else:
            extra_done, undone = 0, 2 * done + 1  # under a third
        for _ in range(extra_done):
            add(route, "self_education", True)
        for _ in range(undone):
            add(route, "self_education", False)
    RoadmapActivity.objects.bulk_create(activities)
    return schools
