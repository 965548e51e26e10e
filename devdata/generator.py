"""Bench data at the scale of a region: `python manage.py generate_data --size S|M|L`.

Deterministic: every random choice comes from `random.Random` seeded with the seed
and the municipality's number, so two runs on the same day give the same people, routes and
scores (ids may differ when the database already holds rows). M's first municipality is S
exactly (same organisations, people and usernames), so a page can be compared at both sizes.

Sizes (spec of issue 8):
- S: one municipality, 10 organisations, 300 staff;
- M: ten times S;
- L: a region of 60 municipalities, 2,000 organisations, 50,000 staff.
Every staff member gets one route (in one of the last two completed academic years or the
current one) with 10 roadmap activities, one self-assessment with 20 scores, and a deficit
for each score below the instrument's threshold, linked to the route and to a route task. Half of the
young teachers (schools.selectors.young_specialist_q) get a mentoring pair with a colleague who is not young.

Speed: rows are built as tuples with ids allocated here and written with COPY on PostgreSQL
(psycopg 3) or `bulk_create` in batches elsewhere; `save()` is never called, so
`StaffMember.position_category` is set explicitly with `position_category_of`. History
(django-simple-history) is written afterwards in one INSERT … SELECT per model, marked
`generate_data`; `history=False` skips it for pure bench data.

Accounts: all deputies and directors, 70 % of the teachers, one municipal methodist per
municipality, two regional methodists and one administrator, all with the password
BENCH_PASSWORD. The hash is computed once with the normal hasher and shared by every bench
account (same salt): fine for throw-away bench data, never for real accounts.
"""

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.models import Max
from django.utils import timezone

from core.dates import academic_year_bounds, current_academic_year, last_completed_academic_years
from devdata.demo import FEMALE_NAMES, MALE_NAMES, PATRONYMICS, SUBJECTS, SURNAMES, TOPICS
from diagnostics.models import Assessment, Competency, CompetencyGroup, Deficit, Instrument, Score
from methodics.models import MentoringPair
from routes.models import ActivityKind, Level, RoadmapActivity, Route, RouteTask, Transition
from schools.models import Membership, Municipality, Organisation, Region, StaffMember, position_category_of
from schools.selectors import YOUNG_EXPERIENCE, young_born_after

User = get_user_model()

BENCH_PASSWORD = "bench-iom-2026"  # noqa: S105  (bench data only; generate_data refuses DEBUG off)
GENERATOR_VERSION = "1"  # bump when the shape of the data changes: benchmarks regenerate


@dataclass(frozen=True)
class Size:
    code: str
    municipalities: int
    organisations: int
    staff: int
    activities_per_route: int = 10
    scores_per_person: int = 20

    @property
    def region_name(self) -> str:
        return f"Регион нагрузочных испытаний ({self.code})"


SIZES = {
    "S": Size("S", municipalities=1, organisations=10, staff=300),
    "M": Size("M", municipalities=10, organisations=100, staff=3000),
    "L": Size("L", municipalities=60, organisations=2000, staff=50000),
}

TOWNS = [
    "Абанский", "Ачинский", "Балахтинский", "Березовский", "Бирилюсский", "Боготольский", "Богучанский",
    "Большемуртинский", "Большеулуйский", "Дзержинский", "Емельяновский", "Енисейский", "Ермаковский",
    "Идринский", "Иланский", "Ирбейский", "Казачинский", "Канский", "Каратузский", "Кежемский",
    "Козульский", "Краснотуранский", "Курагинский", "Манский", "Минусинский", "Мотыгинский",
    "Назаровский", "Нижнеингашский", "Новоселовский", "Партизанский", "Пировский", "Рыбинский",
    "Саянский", "Северо-Енисейский", "Сухобузимский", "Тасеевский", "Туруханский", "Тюхтетский",
    "Ужурский", "Уярский", "Шарыповский", "Шушенский", "Эвенкийский", "Таймырский",
]
# (kind, share): most organisations are general schools, some kindergartens and clubs.
KINDS = [("СОШ", 70), ("ООШ", 8), ("Лицей", 5), ("Гимназия", 5), ("ДОО", 8), ("УДО", 4)]
KIND_SEQUENCE = [kind for kind, share in KINDS for _ in range(share)]
KIND_TITLES = {
    "СОШ": ("МБОУ СОШ", "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа"),
    "ООШ": ("МБОУ ООШ", "Муниципальное бюджетное общеобразовательное учреждение основная общеобразовательная школа"),
    "Лицей": ("МАОУ Лицей", "Муниципальное автономное общеобразовательное учреждение лицей"),
    "Гимназия": ("МАОУ Гимназия", "Муниципальное автономное общеобразовательное учреждение гимназия"),
    "ДОО": ("МБДОУ Детский сад", "Муниципальное бюджетное дошкольное образовательное учреждение детский сад"),
    "УДО": ("МБУ ДО ДДТ", "Муниципальное бюджетное учреждение дополнительного образования дом детского творчества"),
}

S = Route.Status
# The route of each person: which year (0, 1 = completed years, 2 = current) and which status.
PAST_STATUSES = [(S.COMPLETED, 75), (S.ARCHIVED, 10), (S.NOT_CREDITED, 10), (S.WITHDRAWN, 5)]
CURRENT_STATUSES = [
    (S.DRAFT, 15), (S.SUBMITTED, 15), (S.RETURNED, 5), (S.AWAITING_CREDIT, 10), (S.IN_PROGRESS, 45),
    (S.RESULTS_SUBMITTED, 10),
]
# The actions that lead from a draft to each status (routes.Transition.ACTION_LABELS).
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: [("submit", S.DRAFT, S.SUBMITTED)],
    S.RETURNED: [("submit", S.DRAFT, S.SUBMITTED), ("return", S.SUBMITTED, S.RETURNED)],
    S.AWAITING_CREDIT: [("submit", S.DRAFT, S.SUBMITTED), ("approve", S.SUBMITTED, S.AWAITING_CREDIT)],
    S.NOT_CREDITED: [("submit", S.DRAFT, S.SUBMITTED), ("approve", S.SUBMITTED, S.AWAITING_CREDIT),
                     ("refuse_credit", S.AWAITING_CREDIT, S.NOT_CREDITED)],
    S.IN_PROGRESS: [("submit", S.DRAFT, S.SUBMITTED), ("approve", S.SUBMITTED, S.AWAITING_CREDIT),
                    ("credit", S.AWAITING_CREDIT, S.IN_PROGRESS)],
    S.RESULTS_SUBMITTED: [("submit", S.DRAFT, S.SUBMITTED), ("approve", S.SUBMITTED, S.AWAITING_CREDIT),
                          ("credit", S.AWAITING_CREDIT, S.IN_PROGRESS),
                          ("submit_results", S.IN_PROGRESS, S.RESULTS_SUBMITTED)],
    S.COMPLETED: [("submit", S.DRAFT, S.SUBMITTED), ("approve", S.SUBMITTED, S.AWAITING_CREDIT),
                  ("credit", S.AWAITING_CREDIT, S.IN_PROGRESS), ("submit_results", S.IN_PROGRESS, S.RESULTS_SUBMITTED),
                  ("accept_results", S.RESULTS_SUBMITTED, S.COMPLETED)],
    S.ARCHIVED: [("submit", S.DRAFT, S.SUBMITTED), ("approve", S.SUBMITTED, S.AWAITING_CREDIT),
                 ("credit", S.AWAITING_CREDIT, S.IN_PROGRESS), ("submit_results", S.IN_PROGRESS, S.RESULTS_SUBMITTED),
                 ("accept_results", S.RESULTS_SUBMITTED, S.COMPLETED), ("archive", S.COMPLETED, S.ARCHIVED)],
    S.WITHDRAWN: [("withdraw", S.DRAFT, S.WITHDRAWN)],
}
CREDITED = {S.IN_PROGRESS, S.RESULTS_SUBMITTED, S.COMPLETED, S.ARCHIVED}
FINISHED = {S.COMPLETED, S.ARCHIVED}
ACTIVITY_PLAN = ["course", "seminar", "webinar", "rmo", "open_lesson", "self_education", "master_class",
                 "experience", "publication", "conference"]
LEVELS = [Level.SCHOOL, Level.SCHOOL, Level.MUNICIPAL, Level.MUNICIPAL, Level.REGIONAL, Level.FEDERAL]


class GenerationError(Exception):
    """The bench data cannot be generated here (reference data missing, this size already generated)."""


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


class Writer:
    """Writes rows (tuples in the order of `attnames`) fast: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, using: str = "default", batch_size: int = 5000):
        self.using = using
        self.connection = connections[using]
        self.postgres = self.connection.vendor == "postgresql"
        self.batch_size = batch_size
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self._next: dict[type, int] = {}
        self.first_id: dict[type, int] = {}

    def ids(self, model: type[models.Model], n: int) -> range:
        """Allocate `n` primary keys above everything in the table (sequences are reset at the end)."""
        if model not in self._next:
            top = model.objects.using(self.using).aggregate(m=Max("pk"))["m"] or 0
            self._next[model] = top + 1
            self.first_id[model] = top + 1
        start = self._next[model]
        self._next[model] = start + n
        return range(start, start + n)

    def write(self, model: type[models.Model], attnames: list[str], rows: Iterable[tuple]) -> int:
        started = time.perf_counter()
        if model not in self.first_id:  # rows numbered by the database: history starts above today's top
            self.first_id[model] = (model.objects.using(self.using).aggregate(m=Max("pk"))["m"] or 0) + 1
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        # Columns added to a model after its generator was written (routes.Route.imported_from): their
        # model defaults, so COPY does not meet NOT NULL with nothing ("" for a blank text field).
        extra = [f for f in model._meta.concrete_fields if f.attname not in attnames and not f.primary_key
                 and not f.null and (f.has_default() or f.empty_strings_allowed)]
        if extra:
            attnames = [*attnames, *(f.attname for f in extra)]
            rows = (tuple(row) + tuple(f.get_default() for f in extra) for row in rows)
        fields = [by_attname[a] for a in attnames]
        json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        n = self._copy(model, fields, rows, json_at) if self.postgres else self._bulk(model, attnames, rows)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + n
        self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - started
        return n

    def _copy(self, model, fields, rows, json_at) -> int:
        from psycopg import sql

        self.connection.ensure_connection()
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(model._meta.db_table), sql.SQL(", ").join(sql.Identifier(f.column) for f in fields)
        )
        n = 0
        with self.connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                if json_at:
                    row = list(row)
                    for i in json_at:
                        row[i] = json.dumps(row[i], ensure_ascii=False)
                copy.write_row(row)
                n += 1
        return n

    def _bulk(self, model, attnames, rows) -> int:
        n = 0
        batch = []
        for row in rows:
            batch.append(model(**dict(zip(attnames, row, strict=True))))
            if len(batch) >= self.batch_size:
                model.objects.using(self.using).bulk_create(batch)
                n += len(batch)
                batch = []
        if batch:
            model.objects.using(self.using).bulk_create(batch)
            n += len(batch)
        return n

    def reset_sequences(self, model_list: list[type[models.Model]]) -> None:
        statements = self.connection.ops.sequence_reset_sql(no_style(), model_list)
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def write_history(self, model: type[models.Model], when: dt.datetime) -> int:
        """Historical rows for every row written here, in one INSERT … SELECT (simple-history's layout)."""
        if model not in self.first_id:
            return 0
        started = time.perf_counter()
        history = model.history.model
        qn = self.connection.ops.quote_name
        columns = [f.column for f in model._meta.concrete_fields]
        column_list = ", ".join(qn(c) for c in columns)
        # Only quoted table and column names from the models are interpolated; values are parameters.
        sql_text = (
            f"INSERT INTO {qn(history._meta.db_table)} ({column_list}, history_date, history_change_reason, "  # noqa: S608
            f"history_type, history_user_id) SELECT {column_list}, %s, %s, %s, NULL "
            f"FROM {qn(model._meta.db_table)} WHERE {qn(model._meta.pk.column)} >= %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql_text, [when, "generate_data", "+", self.first_id[model]])
            n = cursor.rowcount
        label = history._meta.label
        self.counts[label] = n
        self.seconds[label] = time.perf_counter() - started
        return n


@dataclass
class Reference:
    """The reference data the migrations load, read once."""

    roadmap_groups: list
    kinds: dict
    competencies: list
    competency_group: dict
    instrument: Instrument
    threshold: int

    @classmethod
    def load(cls, using: str) -> "Reference":
        groups = list(CompetencyGroup.objects.using(using).filter(in_roadmap=True).order_by("order"))
        kinds = {k.code: k.pk for k in ActivityKind.objects.using(using).all()}
        competencies = list(Competency.objects.using(using).order_by("code"))
        instrument = (Instrument.objects.using(using).filter(is_self_assessment=True).order_by("pk").first()
                      or Instrument.objects.using(using).order_by("pk").first())
        if not groups or not competencies or instrument is None or not set(ACTIVITY_PLAN) <= set(kinds):
            raise GenerationError("Нет справочников (группы компетенций, компетенции, инструменты, виды "
                                  "мероприятий): сначала выполните migrate.")
        section_of = {}
        by_pk = {g.pk: g for g in CompetencyGroup.objects.using(using).all()}
        for c in competencies:
            group = by_pk[c.group_id]
            section_of[c.pk] = group.pk if group.in_roadmap or group.roadmap_section_id is None else group.roadmap_section_id
        return cls(groups, kinds, competencies, section_of, instrument, instrument.threshold)


@dataclass
class Result:
    size: str
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0
    table_seconds: dict = field(default_factory=dict)


def generate(size: str, *, seed: int = 1, history: bool = True, using: str = "default",
             today: dt.date | None = None, log: Callable[[str], None] | None = None) -> Result:
    """Generate one region of the given size into the database `using`. Refuses a second copy."""
    spec = SIZES[size]
    log = log or (lambda message: None)
    if Region.objects.using(using).filter(name=spec.region_name).exists():
        raise GenerationError(f"Данные размера {size} уже сгенерированы в этой базе (регион «{spec.region_name}»).")
    started = time.perf_counter()
    today = today or timezone.localdate()
    with transaction.atomic(using=using):
        writer = Writer(using)
        _Builder(spec, seed, writer, Reference.load(using), today, log).run()
        written = [Region, Municipality, Organisation, User, StaffMember, Membership, MentoringPair, Assessment, Score,
                   Deficit, Route, Route.deficits.through, RouteTask, RoadmapActivity, Transition]
        writer.reset_sequences(written)
        if history:
            when = timezone.now()
            for model in (StaffMember, Membership, MentoringPair, Deficit, Route, RouteTask, RoadmapActivity):
                writer.write_history(model, when)
            log("история записана одним INSERT … SELECT на модель")
    if writer.postgres:
        with connections[using].cursor() as cursor:
            cursor.execute("ANALYZE")
    return Result(size, dict(writer.counts), time.perf_counter() - started, dict(writer.seconds))


class _Builder:
    def __init__(self, spec: Size, seed: int, writer: Writer, ref: Reference, today: dt.date, log):
        self.spec = spec
        self.seed = seed
        self.w = writer
        self.ref = ref
        self.log = log
        self.now = timezone.make_aware(dt.datetime.combine(today, dt.time(12, 0)))
        self.years = [*last_completed_academic_years(2, today), current_academic_year(today)]
        self.password = make_password(BENCH_PASSWORD)
        self.user_no = 0

    # ------------------------------------------------------------------ top level
    def run(self):
        spec = self.spec
        (region_id,) = self.w.ids(Region, 1)
        self.w.write(Region, ["id", "name"], [(region_id, spec.region_name)])
        muni_ids = self.w.ids(Municipality, spec.municipalities)
        modes = [Municipality.CreditMode.REGIONAL, Municipality.CreditMode.REGIONAL, Municipality.CreditMode.MUNICIPAL]
        munis = []
        for i, pk in enumerate(muni_ids):
            town = TOWNS[i % len(TOWNS)]
            suffix = "" if i < len(TOWNS) else f" {i // len(TOWNS) + 1}"
            munis.append((pk, region_id, f"{town} район{suffix}", f"МКУ «{town} ММЦ»{suffix}", modes[i % 3]))
        self.w.write(Municipality, ["id", "region_id", "name", "methodical_centre", "credit_mode"], munis)

        # Organisations and staff are spread evenly: organisation j belongs to municipality
        # j * municipalities // organisations, staff k to organisation k * organisations // staff.
        org_ids = self.w.ids(Organisation, spec.organisations)
        orgs_of = {m[0]: [] for m in munis}
        for j, pk in enumerate(org_ids):
            orgs_of[munis[j * spec.municipalities // spec.organisations][0]].append((j, pk))
        staff_of_org = [0] * spec.organisations
        for k in range(spec.staff):
            staff_of_org[k * spec.organisations // spec.staff] += 1

        admin_and_regional = []
        for number, (muni_pk, *_rest) in enumerate(munis):
            # Seeded by the municipality's number only: the first municipality of M is S itself, so
            # the same people and pages can be compared at both sizes.
            rng = random.Random(f"{self.seed}-{number}")
            self._municipality(rng, muni_pk, orgs_of[muni_pk], staff_of_org)
            if number % 10 == 9 or number == len(munis) - 1:
                self.log(f"муниципалитетов: {number + 1} из {len(munis)}")
        # Region-wide accounts.
        accounts = [("regional1", "Ольга", "Мартынова", "regional_methodist"),
                    ("regional2", "Ирина", "Седова", "regional_methodist"),
                    ("benchadmin", "Админ", "Стенда", "admin")]
        user_ids = self.w.ids(User, len(accounts))
        for (username, first, last, role), uid in zip(accounts, user_ids, strict=True):
            admin_and_regional.append((uid, username, first, last, role))
        self.w.write(User, self.USER_COLUMNS, [
            self._user_row(uid, username, first, last, superuser=(role == "admin"))
            for uid, username, first, last, role in admin_and_regional
        ])
        self.w.write(Membership, ["user_id", "role", "organisation_id", "municipality_id", "region_id"], [
            (uid, role, None, None, region_id if role == "regional_methodist" else None)
            for uid, _u, _f, _l, role in admin_and_regional
        ])

    USER_COLUMNS = ["id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
                    "is_staff", "is_active", "date_joined"]

    def _user_row(self, uid, username, first, last, superuser=False):
        return (uid, self.password, None, superuser, username, first, last, f"{username}@bench.iom", superuser, True,
                self.now)

    # ------------------------------------------------------------------ one municipality
    def _municipality(self, rng: random.Random, muni_pk: int, orgs: list[tuple[int, int]], staff_of_org: list[int]):
        org_rows, staff_rows, users, memberships, pairs = [], [], [], [], []
        assessments, scores, deficits, routes, route_deficits, tasks, activities, transitions = ([] for _ in range(8))
        numbers: dict[str, int] = {}
        people = []  # (staff_pk, org_pk, kind, category, status) for the routes below
        for j, org_pk in orgs:
            kind = KIND_SEQUENCE[(j * 37 + 15) % len(KIND_SEQUENCE)]
            short, full = KIND_TITLES[kind]
            numbers[kind] = numbers.get(kind, 0) + 1
            org_rows.append((org_pk, muni_pk, f"{full} №{numbers[kind]}", f"{short} №{numbers[kind]}", kind,
                             numbers[kind]))
            n = staff_of_org[j]
            staff_pks = self.w.ids(StaffMember, n)
            teachers_here = []  # (pk, young): working teachers and educators of the organisation
            for i, pk in enumerate(staff_pks):
                position, subject = self._position(rng, kind, i)
                category = position_category_of(position)
                row, status = self._person(rng, pk, org_pk, position, subject, category)
                staff_rows.append(row)
                people.append((pk, org_pk, kind, category, status, len(staff_rows) - 1))
                if category in ("teacher", "educator") and status == StaffMember.Status.WORKING:
                    teachers_here.append((pk, self._young(row)))
            # Half of the young teachers get a mentoring pair with a teacher of the organisation who is not young
            # (methodics.MentoringPair, the one record of mentoring; the rule of schools.selectors).
            mentors = [pk for pk, young in teachers_here if not young]
            for pk, young in teachers_here:
                if young and mentors and rng.random() < 0.5:
                    (pair_pk,) = self.w.ids(MentoringPair, 1)
                    starts_on = self.now.date() - dt.timedelta(days=rng.randint(20, 600))
                    pairs.append((pair_pk, org_pk, rng.choice(mentors), pk, "young_specialist", starts_on,
                                  None, "", "", None, self.now))

        # Accounts: all deputies and directors, 70 % of teachers; a municipal methodist.
        for _pk, org_pk, _kind, category, status, idx in people:
            if status == StaffMember.Status.DISMISSED:
                continue
            if category in ("deputy", "director") or rng.random() < 0.7:
                self.user_no += 1
                prefix = {"deputy": "deputy", "director": "director"}.get(category, "teacher")
                username = f"{prefix}{self.user_no:05d}"
                (uid,) = self.w.ids(User, 1)
                row = staff_rows[idx]
                users.append(self._user_row(uid, username, row[3], row[2]))
                staff_rows[idx] = (*row[:16], f"{username}@bench.iom", uid, *row[18:])
                roles = {"deputy": ["deputy", "teacher"], "director": ["director"]}.get(category, ["teacher"])
                memberships.extend((uid, role, org_pk, None, None) for role in roles)
        (uid,) = self.w.ids(User, 1)
        users.append(self._user_row(uid, f"methodist{muni_pk:04d}", rng.choice(FEMALE_NAMES),
                                    rng.choice(SURNAMES)[1]))
        memberships.append((uid, "municipal_methodist", None, muni_pk, None))

        # Diagnostics, routes and their roadmaps.
        for pk, org_pk, _kind, _category, status, _idx in people:
            self._route_of(rng, pk, org_pk, status, assessments, scores, deficits, routes, route_deficits, tasks,
                           activities, transitions)

        w = self.w
        w.write(Organisation, ["id", "municipality_id", "name", "short_name", "kind", "order"], org_rows)
        w.write(User, self.USER_COLUMNS, users)
        w.write(StaffMember, self.STAFF_COLUMNS, staff_rows)
        w.write(Membership, ["user_id", "role", "organisation_id", "municipality_id", "region_id"], memberships)
        w.write(MentoringPair, self.PAIR_COLUMNS, pairs)
        w.write(Assessment, ["id", "person_id", "instrument_id", "taken_on", "source", "recorded_by_id", "note",
                             "created_at"], assessments)
        w.write(Score, ["id", "assessment_id", "competency_id", "value"], scores)
        w.write(Deficit, ["id", "person_id", "competency_id", "status", "source_score_id", "added_by_id", "reason",
                          "dismissal_reason", "detected_on", "closed_on", "closed_by_id", "closed_by_score_id"],
                deficits)
        w.write(Route, self.ROUTE_COLUMNS, routes)
        w.write(Route.deficits.through, ["route_id", "deficit_id"], route_deficits)
        w.write(RouteTask, ["id", "route_id", "deficit_id", "problem", "educational_task", "order"], tasks)
        w.write(RoadmapActivity, self.ACTIVITY_COLUMNS, activities)
        w.write(Transition, ["route_id", "action", "from_status", "to_status", "actor_id", "at", "comment"],
                transitions)

    STAFF_COLUMNS = ["id", "organisation_id", "last_name", "first_name", "middle_name", "birth_date", "position",
                     "position_category", "subject", "is_main_position", "status", "dismissed_on",
                     "qualification_category", "experience_years", "attested_on", "education", "email", "user_id",
                     "created_at", "updated_at"]
    PAIR_COLUMNS = ["id", "organisation_id", "mentor_id", "mentee_id", "reason", "starts_on", "ends_on", "note",
                    "end_note", "created_by_id", "created_at"]

    def _young(self, row: tuple) -> bool:
        """schools.selectors.is_young_specialist on a staff row of STAFF_COLUMNS, on the generator's day."""
        return (row[5] is not None and row[5] > young_born_after(self.now.date())
                and row[13] is not None and row[13] < YOUNG_EXPERIENCE)

    def _position(self, rng, kind: str, i: int) -> tuple[str, str]:
        if kind == "ДОО":
            return ("заведующий", "") if i == 0 else ("старший воспитатель", "") if i == 1 else ("воспитатель", "")
        if kind == "УДО":
            if i == 0:
                return "директор", ""
            if i == 1:
                return "заместитель директора по УВР", ""
            return "педагог дополнительного образования", rng.choice(["музыка", "изобразительное искусство",
                                                                       "робототехника", "хореография"])
        if i == 0:
            return "директор", ""
        if i in (1, 2):
            return rng.choice(["заместитель директора по УВР", "заместитель директора по ВР"]), rng.choice(SUBJECTS)
        subject = rng.choice(SUBJECTS)
        return f"учитель ({subject})", subject

    def _person(self, rng, pk, org_pk, position, subject, category) -> tuple[tuple, str]:
        female = rng.random() < 0.8
        last = rng.choice(SURNAMES)[1 if female else 0]
        first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        middle = rng.choice(PATRONYMICS)[1 if female else 0]
        age = rng.randint(22, 64)
        birth = dt.date(self.now.year - age, rng.randint(1, 12), rng.randint(1, 28))
        experience = max(0, age - 22 - rng.randint(0, 6))
        roll = rng.random()
        status = (StaffMember.Status.WORKING if roll < 0.92 or category == "director"
                  else StaffMember.Status.MATERNITY if roll < 0.96 else StaffMember.Status.DISMISSED)
        dismissed_on = self.now.date() - dt.timedelta(days=rng.randint(10, 300)) if status == "dismissed" else None
        qualification = rng.choice(["none", "conformity", "first", "first", "highest", "highest"])
        attested = (self.now.date() - dt.timedelta(days=rng.randint(30, 1800))) if qualification != "none" else None
        row = (pk, org_pk, last, first, middle, birth, position, category, subject, rng.random() > 0.05, status,
               dismissed_on, qualification, experience, attested,
               rng.choice(["высшее педагогическое", "высшее", "среднее профессиональное"]), "", None,
               self.now, self.now)
        return row, status

    ROUTE_COLUMNS = ["id", "person_id", "organisation_id", "academic_year", "status", "city", "card",
                     "diagnostics_summary", "topic", "goal", "tasks_text", "self_education_form", "expected_result",
                     "starts_on", "ends_on", "reporting_form", "submitted_at", "approved_on", "credited_on",
                     "completed_on", "defended_on", "defended_place", "reflection", "outcome_proposed", "outcome",
                     "results_comment", "results_presented_on", "results_presented_place", "version", "created_at",
                     "updated_at"]
    ACTIVITY_COLUMNS = ["route_id", "task_id", "group_id", "kind_id", "level", "title", "deadline",
                        "expected_result", "confirming_document", "is_done", "done_on", "note", "resource_id",
                        "order"]

    def _route_of(self, rng, person_pk, org_pk, person_status, assessments, scores, deficits, routes,
                  route_deficits, tasks, activities, transitions):
        year_no = 2 if rng.random() < 0.45 else (0 if rng.random() < 0.45 else 1)
        if person_status == StaffMember.Status.DISMISSED:
            year_no = min(year_no, 1)
        year = self.years[year_no]
        status = _weighted(rng, CURRENT_STATUSES if year_no == 2 else PAST_STATUSES)
        start, end = academic_year_bounds(year)

        # The self-assessment at the start of the year, and deficits of the low scores.
        (assessment_pk,) = self.w.ids(Assessment, 1)
        taken_on = start + dt.timedelta(days=rng.randint(3, 40))
        assessments.append((assessment_pk, person_pk, self.ref.instrument.pk, taken_on, "self", None, "",
                            self.now))
        chosen = rng.sample(self.ref.competencies, min(self.spec.scores_per_person, len(self.ref.competencies)))
        score_pks = self.w.ids(Score, len(chosen))
        low = []
        for competency, score_pk in zip(chosen, score_pks, strict=True):
            value = max(0, min(100, int(rng.gauss(76, 13))))
            scores.append((score_pk, assessment_pk, competency.pk, value))
            if value < self.ref.threshold:
                low.append((competency, score_pk))
        deficit_status = ("overcome" if status in FINISHED else "in_work" if status in CREDITED else "detected")
        deficit_pks = self.w.ids(Deficit, len(low))
        closed_on = end - dt.timedelta(days=30) if deficit_status == "overcome" else None
        for (competency, score_pk), deficit_pk in zip(low, deficit_pks, strict=True):
            deficits.append((deficit_pk, person_pk, competency.pk, deficit_status, score_pk, None, "", "", taken_on,
                             closed_on, None, None))

        # The route with its dates.
        (route_pk,) = self.w.ids(Route, 1)
        path = PATHS[status]
        actions = {a for a, _f, _t in path}
        submitted = dt.datetime.combine(taken_on + dt.timedelta(days=rng.randint(5, 20)), dt.time(10, 0))
        submitted = timezone.make_aware(submitted) if "submit" in actions else None
        approved_on = submitted.date() + dt.timedelta(days=rng.randint(1, 10)) if "approve" in actions else None
        credited_on = approved_on + dt.timedelta(days=rng.randint(3, 30)) if status in CREDITED else None
        completed_on = end - dt.timedelta(days=rng.randint(20, 60)) if status in FINISHED else None
        outcome = rng.choice(["full", "full", "partial"]) if status in FINISHED else ""
        topic = rng.choice(TOPICS)
        routes.append((
            route_pk, person_pk, org_pk, year, status, "", {}, "Самооценка профессиональных компетенций", topic,
            "Преодоление выявленных профессиональных дефицитов", "", "курсы, методическое объединение",
            "Повышение качества преподавания", start, end, "отчет на заседании МО", submitted, approved_on,
            credited_on, completed_on, None, "", "Цель достигнута" if status in FINISHED else "",
            outcome, outcome, "", completed_on, "", 1, self.now, self.now,
        ))
        task_pks = self.w.ids(RouteTask, len(low))
        for order, ((competency, _score), deficit_pk, task_pk) in enumerate(
                zip(low, deficit_pks, task_pks, strict=True)):
            route_deficits.append((route_pk, deficit_pk))
            tasks.append((task_pk, route_pk, deficit_pk, competency.name[:500], f"Освоить: {competency.name}"[:500],
                          order))

        # Ten activities: all done when finished, about half done while implementing.
        groups = self.ref.roadmap_groups
        for i in range(self.spec.activities_per_route):
            code = ACTIVITY_PLAN[i % len(ACTIVITY_PLAN)]
            deadline = start + dt.timedelta(days=rng.randint(45, 300))
            done = status in FINISHED or (status in (S.IN_PROGRESS, S.RESULTS_SUBMITTED) and rng.random() < 0.5)
            if done:
                done_on = min(deadline, self.now.date()) - dt.timedelta(days=rng.randint(0, 10))
            else:
                done_on = None
            task = task_pks[i % len(task_pks)] if task_pks else None
            group = groups[i % len(groups)].pk if task is None else self.ref.competency_group[low[i % len(low)][0].pk]
            activities.append((route_pk, task, group, self.ref.kinds[code], rng.choice(LEVELS),
                               f"{code.replace('_', ' ').capitalize()}: {topic.lower()}"[:500], deadline,
                               "Применение на уроках", "сертификат", done, done_on, "", None, i))

        moment = submitted or timezone.make_aware(dt.datetime.combine(taken_on, dt.time(9, 0)))
        transitions.append((route_pk, "create", S.DRAFT, S.DRAFT, None, moment - dt.timedelta(days=3), ""))
        for step, (action, from_status, to_status) in enumerate(path):
            transitions.append((route_pk, action, from_status, to_status, None, moment + dt.timedelta(days=7 * step),
                                ""))
