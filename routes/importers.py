"""Imports of the ИОМ registry and roadmap activities (docs/spec/import-formats.md), registered with core.imports.

The registry brings in history: routes a municipality kept before the portal, in whatever state
its registry records. An import may not do what the importing user could not do in the browser,
and nobody moves a route through the workflow in the browser without its steps, so:

- only a municipal methodist (their municipality) and the administrator load the registry, and
  the command line; a deputy holds route.import, but approves in the portal, one route at a time;
- a row creates a route only where the person has none for that academic year; a row matching
  an existing route must match it exactly (unchanged), any difference is an error of that row:
  status, dates and content of a route in the portal change only in the portal;
- a credit date is loaded only by the one who credits in that municipality (the regional or the
  municipal methodist, docs/spec/workflow.md; the command line stands for anyone); for anyone else a
  filled «Дата зачета» is an error, and a route is created without one. Where the municipality
  needs no credit, the credit date is the approval date, as the approve transition would set it;
- history is of past academic years: a route of the current (or a later) year is live, and the
  import creates it only as a draft, which then goes through approval and credit in the portal;
- lifecycle dates are not in the future, and the period is half a year to five years;
- each created route is marked (imported_at, imported_from) and its transition log says «Загружено
  из файла» with the file's name and the importing user.

Activities go only into routes that were loaded from a file and have not been taken up in the
portal since (no transition but the import, no edit): a route kept in the portal keeps its
roadmap there. Done marks follow the browser's rules (an approved route, a date neither in the
future nor before the route's start, a deadline inside its period).
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from simple_history.utils import bulk_update_with_history

from core.dates import academic_year_bounds, current_academic_year, format_date
from core.imports import NEW, UNCHANGED, UPDATE, Column, ImportKind, chunks, mark_duplicates, register, values
from core.imports.bulk import create_with_history
from diagnostics.models import CompetencyGroup
from routes.models import ActivityKind, RoadmapActivity, Route, Transition
from routes.selectors import credits_routes_of
from routes.services import validate_period
from schools.importers import BATCH, CHANGE_REASON, OrganisationLookup, PersonLookup, person_columns
from schools.models import Municipality, StaffMember

Status = Route.Status
STATUS_LABELS = {label: value for value, label in Status.choices}
OUTCOME_LABELS = {label.lower(): value for value, label in Route.Outcome.choices}
# Which dates and results a route of each state carries.
APPROVAL_REQUIRED = set(Route.IMPLEMENTING_STATUSES)
APPROVAL_ALLOWED = set(Route.APPROVED_STATUSES) | {Status.WITHDRAWN}
CREDIT_REQUIRED = set(Route.IMPLEMENTING_STATUSES)
CREDIT_ALLOWED = set(Route.IMPLEMENTING_STATUSES) | {Status.WITHDRAWN}
OUTCOME_REQUIRED = {Status.COMPLETED}
OUTCOME_ALLOWED = {Status.COMPLETED, Status.ARCHIVED}
ROUTE_FIELDS = ["topic", "starts_on", "ends_on", "status", "approved_on", "credited_on", "outcome"]
LOOKUP_FIELDS = [*ROUTE_FIELDS, "imported_at", "version"]
IMPORT_ACTION = "import"
# Who loads history is the route.import row of schools.access: the municipal and the regional
# methodist and the administrator; only the one who credits may bring credit dates (see _validate).
CREDITOR_NAMES = {
    Municipality.CreditMode.REGIONAL: "региональный методист",
    Municipality.CreditMode.MUNICIPAL: "муниципальный методист",
}
# A done mark belongs to a route that was approved and implemented (or withdrawn on the way).
DONE_ALLOWED = set(Route.IMPLEMENTING_STATUSES) | {Status.WITHDRAWN}
CHANGED_TITLES = {"status": "статус", "starts_on": "дата начала", "ends_on": "дата окончания",
                  "approved_on": "дата утверждения", "credited_on": "дата зачета", "topic": "тема",
                  "outcome": "результат"}


def _status_names(statuses) -> str:
    return ", ".join(f"«{s.label}»" for s in Status if s in statuses)


class RouteLookup:
    """Routes of people of the named organisations by (person, academic year)."""

    def __init__(self, person_ids):
        self.routes = {}
        for route in Route.objects.filter(person_id__in=person_ids).values("pk", "person_id", "academic_year",
                                                                             *LOOKUP_FIELDS):
            self.routes[(route["person_id"], route["academic_year"])] = route


def _resolve_people(ctx, rows, capability: str):
    """Sets row.data["org"] and row.data["person"] (pk) for every row that names them well."""
    orgs = OrganisationLookup(ctx, capability)
    for row in rows:
        row.data["org"] = orgs.resolve_row(row)
    people = PersonLookup({row.data["org"].pk for row in rows if row.data["org"] is not None})
    for row in rows:
        org = row.data["org"]
        row.data["person"] = people.resolve_row(row, org) if org is not None else None


@register
class RouteImport(ImportKind):
    code = "routes"
    title = "Реестр ИОМ"
    capability = "route.import"
    order = 30
    description = (
        "Одна строка — один ИОМ. ИОМ узнается по педагогу (ОО и ФИО существующего работника) и учебному году "
        "разработки. Загрузка создает ИОМ, которых в портале еще нет (реестр прошлых лет; ИОМ текущего учебного "
        "года — только черновиком): ИОМ, который уже есть в портале, не меняется — его статус, даты и содержание "
        "меняются только в портале. Загружают реестр "
        "муниципальный методист и администратор; дату зачета указывает только тот, кто ставит зачет в "
        "муниципалитете."
    )
    columns = [
        *person_columns(),
        Column("academic_year", "Учебный год", True, values.academic_year,
               "Учебный год разработки ИОМ, в виде 2022-2023.", "2024-2025"),
        Column("topic", "Тема", False, values.text(500), "Тема самообразования.",
               "Формирование функциональной грамотности на уроках математики"),
        Column("starts_on", "Дата начала", False, values.date, "Начало периода; по умолчанию 1 сентября учебного года.",
               "01.09.2024"),
        Column("ends_on", "Дата окончания", False, values.date,
               "Окончание периода; по умолчанию 31 августа учебного года.", "31.05.2025"),
        Column("status", "Статус", True, values.choice(STATUS_LABELS), "Одно из: " + ", ".join(STATUS_LABELS) + "; "
               "для текущего учебного года — только «Черновик».", "Реализуется"),
        Column("approved_on", "Дата утверждения", False, values.date,
               "Обязательна для статусов " + _status_names(APPROVAL_REQUIRED) + ".", "20.09.2024"),
        Column("credited_on", "Дата зачета", False, values.date,
               "Указывает только тот, кто ставит зачет в муниципалитете (региональный или муниципальный методист); "
               "тогда обязательна для статусов " + _status_names(CREDIT_REQUIRED) + ". Где зачета нет, датой "
               "зачета считается дата утверждения.", ""),
        Column("outcome", "Результат", False, values.choice(OUTCOME_LABELS),
               "достигнут полностью / достигнут частично / не достигнут; обязателен для статуса «Завершен».", ""),
    ]

    def plan(self, ctx, rows):
        _resolve_people(ctx, rows, self.capability)
        existing = RouteLookup({row.data["person"] for row in rows if row.data["person"]}).routes
        creditor: dict[int, bool] = {}  # organisation pk → may the importing user credit its routes
        # nobody credits their own route, in a file either
        own_records = set(StaffMember.objects.filter(user=ctx.user).values_list("pk", flat=True)) if ctx.user else set()
        for row in rows:
            if row.data["person"] is None or not row.values["academic_year"]:
                continue
            key = (row.data["person"], row.values["academic_year"])
            row.data["identity"] = key
            if row.errors:
                continue  # cross-cell checks wait until the cells themselves are right
            org = row.data["org"]
            current = existing.get(key)
            final = self._final_values(row, current, org.municipality)
            if current is not None:
                self._compare(row, final, current)
                continue
            if org.pk not in creditor:
                creditor[org.pk] = ctx.user is None or credits_routes_of(ctx.user, org)
            may_credit = creditor[org.pk] and row.data["person"] not in own_records
            self._validate(ctx, row, final, org.municipality, may_credit=may_credit)
            if not row.errors:
                row.data["final"] = final
                row.outcome = NEW
        mark_duplicates(rows, lambda r: r.data.get("identity"), "Учебный год")

    @staticmethod
    def _final_values(row, current, municipality: Municipality) -> dict:
        v = row.values
        first, last = academic_year_bounds(v["academic_year"])
        defaults = {"topic": "", "starts_on": first, "ends_on": last, "approved_on": None, "credited_on": None,
                    "outcome": ""}
        final = {f: current[f] for f in ROUTE_FIELDS} if current is not None else dict(defaults, status=v["status"])
        final["status"] = v["status"]
        for field, default in defaults.items():
            if row.has(field):
                final[field] = default if v[field] is None else v[field]
        if not municipality.requires_credit and (current is None or row.has("credited_on")):
            # No credit step: approval is the credit (docs/spec/workflow.md); the cell may be left empty.
            final["credited_on"] = final["approved_on"] if not v.get("credited_on") else v["credited_on"]
        return final

    def _compare(self, row, final: dict, current: dict) -> None:
        """A row of a route that already exists: the same values, or an error — an import changes no route."""
        changed = [f for f in ROUTE_FIELDS if final[f] != current[f]]
        if not changed:
            row.outcome = UNCHANGED
            return
        year = row.values["academic_year"]
        column = self.title_of("status" if "status" in changed else changed[0])
        what = ", ".join(CHANGED_TITLES[f] for f in changed)
        if "status" in changed:
            message = (f"ИОМ за {year} уже есть в портале в статусе «{Status(current['status']).label}»: статус ИОМ "
                       f"меняется только в портале, загрузка его не меняет (в файле отличается: {what})")
        else:
            message = (f"ИОМ за {year} уже есть в портале: загрузка создает только новые ИОМ, а этот меняется "
                       f"только в портале (в файле отличается: {what})")
        row.error(column, message)

    @staticmethod
    def _validate(ctx, row, final, municipality: Municipality, *, may_credit: bool) -> None:
        status = Status(final["status"])
        year = row.values["academic_year"]
        if status != Status.DRAFT and year >= current_academic_year(ctx.today):
            row.error("Статус", f"ИОМ {year} учебного года ведется в портале: загрузка создает его только в статусе "
                                "«Черновик», согласование и зачет проходят в портале")
        if final["starts_on"] > final["ends_on"]:
            row.error("Дата окончания", "окончание периода раньше его начала")
        else:
            try:
                validate_period(final["starts_on"], final["ends_on"])
            except ValidationError as exc:
                message = " ".join(exc.messages).rstrip(".")
                row.error("Дата окончания", message[:1].lower() + message[1:])
        if status in APPROVAL_REQUIRED and not final["approved_on"]:
            row.error("Дата утверждения", f"обязательна для статуса «{status.label}»")
        elif final["approved_on"] and status not in APPROVAL_ALLOWED:
            row.error("Дата утверждения", f"ИОМ в статусе «{status.label}» еще не утвержден")
        elif final["approved_on"] and final["approved_on"] > ctx.today:
            row.error("Дата утверждения", "дата утверждения в будущем")
        if municipality.requires_credit:
            creditor = CREDITOR_NAMES[municipality.credit_mode]
            if final["credited_on"] and not may_credit:
                row.error("Дата зачета", f"зачет ИОМ муниципалитета «{municipality}» ставит {creditor}: загрузка "
                                         "не ставит дату зачета за него — оставьте ячейку пустой")
            elif final["credited_on"] and status not in CREDIT_ALLOWED:
                row.error("Дата зачета", f"ИОМ в статусе «{status.label}» еще не получил зачет")
            elif final["credited_on"] and final["credited_on"] > ctx.today:
                row.error("Дата зачета", "дата зачета в будущем")
            elif may_credit and status in CREDIT_REQUIRED and not final["credited_on"]:
                row.error("Дата зачета", f"обязательна для статуса «{status.label}»: муниципалитет «{municipality}» "
                                         "проводит зачет ИОМ")
        elif row.values.get("credited_on") and row.values["credited_on"] != final["approved_on"]:
            row.error("Дата зачета", f"муниципалитет «{municipality}» не проводит зачет: дата зачета — это дата "
                                     "утверждения; оставьте ячейку пустой")
        if final["approved_on"] and final["credited_on"] and final["credited_on"] < final["approved_on"]:
            row.error("Дата зачета", "зачет раньше утверждения")
        if status in OUTCOME_REQUIRED and not final["outcome"]:
            row.error("Результат", f"обязателен для статуса «{status.label}»")
        elif final["outcome"] and status not in OUTCOME_ALLOWED:
            row.error("Результат", f"результат указывается для завершенных ИОМ, а статус — «{status.label}»")

    def write(self, ctx, rows):
        history = {"default_user": ctx.history_user, "default_change_reason": CHANGE_REASON}
        comment = f"Загружено из файла «{ctx.filename}»" if ctx.filename else "Загружено из файла"
        written = 0
        for chunk in chunks([row for row in rows if row.outcome == NEW], BATCH):
            created = [Route(person_id=row.data["person"], organisation=row.data["org"],
                             academic_year=row.values["academic_year"], imported_at=ctx.now,
                             imported_from=ctx.filename[:255], **row.data["final"]) for row in chunk]
            create_with_history(created, Route, batch_size=BATCH, **history)
            # Every imported route, a draft too, says in its log that it came from a file and who loaded it.
            Transition.objects.bulk_create(
                [Transition(route_id=route.pk, action=IMPORT_ACTION, from_status=Status.DRAFT, to_status=route.status,
                            actor=ctx.history_user, comment=comment) for route in created], batch_size=BATCH)
            written += len(chunk)
            ctx.progress(written)


def _routes_taken_up(route_ids: set[int]) -> set[int]:
    """Imported routes that moved in the portal since (any transition but the import)."""
    taken = set()
    for chunk in chunks(sorted(route_ids), 5000):
        taken |= set(Transition.objects.filter(route_id__in=chunk).exclude(action=IMPORT_ACTION)
                     .values_list("route_id", flat=True).distinct())
    return taken


def _reference(model):
    """A cleaner of a reference by name or code (CompetencyGroup, ActivityKind).

    The table is loaded once and reloaded on a miss, so reference data added later is found.
    """
    cache: dict[str, int] = {}

    def load():
        cache.clear()
        for pk, code, name in model.objects.values_list("pk", "code", "name"):
            cache[values.fold(name)] = pk
            cache.setdefault(values.fold(code), pk)

    def clean(value):
        raw = values.to_text(value)
        key = values.fold(raw)
        if key not in cache:
            load()
        if key not in cache:
            names = ", ".join(model.objects.values_list("name", flat=True))
            raise values.CellError(f"неизвестное значение «{raw}»; допустимы: {names}")
        return cache[key]

    return clean


_group = _reference(CompetencyGroup)
_kind = _reference(ActivityKind)
ACTIVITY_FIELDS = ["group_id", "kind_id", "title", "deadline", "is_done", "done_on", "confirming_document"]


@register
class ActivityImport(ImportKind):
    code = "activities"
    title = "Мероприятия дорожной карты"
    capability = "route.import"
    order = 40
    description = (
        "Одна строка — одно мероприятие дорожной карты ИОМ, загруженного из реестра (ОО, ФИО, учебный год). "
        "Мероприятие узнается по ИОМ, наименованию и сроку: строка с уже известным мероприятием обновляет его. "
        "Дорожная карта ИОМ, который ведется в портале, меняется только в портале."
    )
    columns = [
        *person_columns(),
        Column("academic_year", "Учебный год", True, values.academic_year, "Учебный год ИОМ, в виде 2022-2023.",
               "2024-2025"),
        Column("group", "Направление", True, _group,
               "Группа компетенций: Предметные / Методические / Психолого-педагогические / Профессионально-личностные.",
               "Методические"),
        Column("kind", "Вид", True, _kind, "Вид мероприятия из справочника (название или код), например: Семинар, "
               "Вебинар, Курсы повышения квалификации (КПК), Заседание РМО/ШМО, Открытый урок, Публикация.",
               "Семинар"),
        Column("title", "Наименование", True, values.text(500), "Название мероприятия.",
               "Семинар «Функциональная грамотность»"),
        Column("deadline", "Срок", True, values.date, "Срок выполнения, ДД.ММ.ГГГГ.", "15.12.2024"),
        Column("is_done", "Выполнено", False, values.yes_no, "да / нет (по умолчанию).", "да"),
        Column("done_on", "Дата выполнения", False, values.date, "Обязательна, если выполнено.", "10.12.2024"),
        Column("confirming_document", "Подтверждающий документ", False, values.text(500), "Текст или ссылка.",
               "Сертификат участника"),
    ]

    def plan(self, ctx, rows):
        _resolve_people(ctx, rows, self.capability)
        routes = RouteLookup({row.data["person"] for row in rows if row.data["person"]}).routes
        kept_in_portal = _routes_taken_up({route["pk"] for route in routes.values() if route["imported_at"]})
        for row in rows:
            person = row.data["person"]
            if person is None or not row.values.get("academic_year"):
                continue
            year = row.values["academic_year"]
            route = routes.get((person, year))
            if route is None:
                row.error("Учебный год", f"у педагога нет ИОМ за {year} учебный год: сначала загрузите реестр ИОМ")
                continue
            if route["imported_at"] is None or route["pk"] in kept_in_portal or route["version"] != 1:
                row.error("Учебный год", f"ИОМ за {year} ведется в портале: его дорожная карта меняется только в "
                                         "портале, загрузка дополняет лишь ИОМ, загруженные из реестра")
                continue
            row.data["route"] = route["pk"]
            row.data["route_values"] = route
        existing = defaultdict(list)
        route_ids = sorted({row.data["route"] for row in rows if row.data.get("route")})
        for chunk in chunks(route_ids, 5000):
            for activity in RoadmapActivity.objects.filter(route_id__in=chunk).values("pk", "route_id",
                                                                                      *ACTIVITY_FIELDS):
                existing[(activity["route_id"], values.fold(activity["title"]), activity["deadline"])].append(activity)
        for row in rows:
            v = row.values
            if not row.data.get("route") or not v["title"] or not v["deadline"]:
                continue
            identity = (row.data["route"], values.fold(v["title"]), v["deadline"])
            row.data["identity"] = identity
            if row.errors:
                continue  # cross-cell checks wait until the cells themselves are right
            matches = existing.get(identity, [])
            if len(matches) > 1:
                row.error("Наименование", "в ИОМ уже несколько мероприятий с таким наименованием и сроком")
                continue
            current = matches[0] if matches else None
            final = self._final_values(row, current)
            self._validate(ctx, row, final, row.data["route_values"])
            if row.errors:
                continue
            row.data["final"] = final
            if current is None:
                row.outcome = NEW
            else:
                row.data["pk"] = current["pk"]
                row.data["changes"] = {f for f in ACTIVITY_FIELDS if final[f] != current[f]}
                row.outcome = UPDATE if row.data["changes"] else UNCHANGED
        mark_duplicates(rows, lambda r: r.data.get("identity"), "Наименование")

    @staticmethod
    def _validate(ctx, row, final: dict, route: dict) -> None:
        """The browser's rules of a roadmap row (routes.services): deadline in the period, done marks."""
        starts_on, ends_on = route["starts_on"], route["ends_on"]
        if starts_on and ends_on and not starts_on <= final["deadline"] <= ends_on:
            row.error("Срок", f"срок должен быть внутри периода ИОМ: с {format_date(starts_on)} по "
                              f"{format_date(ends_on)}")
        if final["is_done"] and not final["done_on"]:
            row.error("Дата выполнения", "обязательна, если мероприятие выполнено")
        elif final["done_on"] and not final["is_done"]:
            row.error("Дата выполнения", "указана дата выполнения, но мероприятие не отмечено выполненным")
        elif final["is_done"]:
            status = Status(route["status"])
            if status not in DONE_ALLOWED:
                row.error("Выполнено", f"выполненными отмечаются мероприятия утвержденного ИОМ, а статус ИОМ — "
                                       f"«{status.label}»")
            if final["done_on"] > ctx.today:
                row.error("Дата выполнения", "дата выполнения в будущем")
            elif starts_on and final["done_on"] < starts_on:
                row.error("Дата выполнения", f"дата раньше начала ИОМ ({format_date(starts_on)})")

    @staticmethod
    def _final_values(row, current) -> dict:
        v = row.values
        final = {f: current[f] for f in ACTIVITY_FIELDS} if current is not None else {
            "is_done": False, "done_on": None, "confirming_document": ""}
        final.update(group_id=v["group"], kind_id=v["kind"], title=v["title"], deadline=v["deadline"])
        for field, default in (("is_done", False), ("done_on", None), ("confirming_document", "")):
            if row.has(field):
                final[field] = default if v[field] is None else v[field]
        return final

    def write(self, ctx, rows):
        history = {"default_user": ctx.history_user, "default_change_reason": CHANGE_REASON}
        written = 0
        for chunk in chunks([row for row in rows if row.outcome == NEW], BATCH):
            created = [RoadmapActivity(route_id=row.data["route"], **row.data["final"]) for row in chunk]
            create_with_history(created, RoadmapActivity, batch_size=BATCH, **history)
            written += len(chunk)
            ctx.progress(written)
        for chunk in chunks([row for row in rows if row.outcome == UPDATE], BATCH):
            by_pk = {row.data["pk"]: row for row in chunk}
            fields = set()
            updated = list(RoadmapActivity.objects.filter(pk__in=by_pk))
            for activity in updated:
                row = by_pk[activity.pk]
                for field in row.data["changes"]:
                    setattr(activity, field, row.data["final"][field])
                fields |= row.data["changes"]
            bulk_update_with_history(updated, RoadmapActivity, sorted(fields), batch_size=BATCH, **history)
            written += len(chunk)
            ctx.progress(written)


# The catalog of resources registers its own kind (routes/catalog/importers.py, kept by the diagnostics and
# catalog engineer); importing it here is what makes the registry's discovery of `<app>.importers` find it.
from routes.catalog import importers as catalog_importers  # noqa: E402, F401
