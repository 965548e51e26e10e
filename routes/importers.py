"""Imports of the ИОМ registry and roadmap activities (spec/import-formats.md), registered with core.imports.

Imported routes arrive in whatever state the municipality's registry records; each new route
or change of status is written to the transition log as action "import", so the lifecycle
keeps one history. Where the municipality needs no credit, the credit date is the approval
date (spec/workflow.md), as the approve transition would have set it.
"""

from collections import defaultdict

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.dates import academic_year_bounds
from core.imports import NEW, UNCHANGED, UPDATE, Column, ImportKind, chunks, mark_duplicates, register, values
from diagnostics.models import CompetencyGroup
from routes.models import ActivityKind, RoadmapActivity, Route, Transition
from schools.importers import BATCH, CHANGE_REASON, OrganisationLookup, PersonLookup, person_columns
from schools.models import Municipality

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
IMPORT_ACTION = "import"


def _status_names(statuses) -> str:
    return ", ".join(f"«{s.label}»" for s in Status if s in statuses)


class RouteLookup:
    """Routes of people of the named organisations by (person, academic year)."""

    def __init__(self, person_ids):
        self.routes = {}
        for route in Route.objects.filter(person_id__in=person_ids).values("pk", "person_id", "academic_year",
                                                                             *ROUTE_FIELDS):
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
        "разработки: строка с уже известным ИОМ обновляет его."
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
        Column("status", "Статус", True, values.choice(STATUS_LABELS), "Одно из: " + ", ".join(STATUS_LABELS) + ".",
               "Реализуется"),
        Column("approved_on", "Дата утверждения", False, values.date,
               "Обязательна для статусов " + _status_names(APPROVAL_REQUIRED) + ".", "20.09.2024"),
        Column("credited_on", "Дата зачета", False, values.date,
               "Обязательна для статусов " + _status_names(CREDIT_REQUIRED) + ", если муниципалитет проводит зачет; "
               "где зачета нет, датой зачета считается дата утверждения.", "01.10.2024"),
        Column("outcome", "Результат", False, values.choice(OUTCOME_LABELS),
               "достигнут полностью / достигнут частично / не достигнут; обязателен для статуса «Завершен».", ""),
    ]

    def plan(self, ctx, rows):
        _resolve_people(ctx, rows, self.capability)
        existing = RouteLookup({row.data["person"] for row in rows if row.data["person"]}).routes
        for row in rows:
            if row.data["person"] is None or not row.values["academic_year"]:
                continue
            key = (row.data["person"], row.values["academic_year"])
            row.data["identity"] = key
            if row.errors:
                continue  # cross-cell checks wait until the cells themselves are right
            current = existing.get(key)
            final = self._final_values(row, current)
            self._validate(row, final, row.data["org"].municipality)
            if row.errors:
                continue
            row.data["final"] = final
            if current is None:
                row.outcome = NEW
            else:
                row.data["current"] = current
                row.data["changes"] = {f for f in ROUTE_FIELDS if final[f] != current[f]}
                row.outcome = UPDATE if row.data["changes"] else UNCHANGED
        mark_duplicates(rows, lambda r: r.data.get("identity"), "Учебный год")

    @staticmethod
    def _final_values(row, current) -> dict:
        v = row.values
        first, last = academic_year_bounds(v["academic_year"])
        defaults = {"topic": "", "starts_on": first, "ends_on": last, "approved_on": None, "credited_on": None,
                    "outcome": ""}
        final = {f: current[f] for f in ROUTE_FIELDS} if current is not None else dict(defaults, status=v["status"])
        final["status"] = v["status"]
        for field, default in defaults.items():
            if row.has(field):
                final[field] = default if v[field] is None else v[field]
        return final

    @staticmethod
    def _validate(row, final, municipality: Municipality) -> None:
        status = Status(final["status"])
        if final["starts_on"] > final["ends_on"]:
            row.error("Дата окончания", "окончание периода раньше его начала")
        if status in APPROVAL_REQUIRED and not final["approved_on"]:
            row.error("Дата утверждения", f"обязательна для статуса «{status.label}»")
        elif final["approved_on"] and status not in APPROVAL_ALLOWED:
            row.error("Дата утверждения", f"ИОМ в статусе «{status.label}» еще не утвержден")
        if municipality.requires_credit:
            if status in CREDIT_REQUIRED and not final["credited_on"]:
                row.error("Дата зачета", f"обязательна для статуса «{status.label}»: муниципалитет «{municipality}» "
                                         "проводит зачет ИОМ")
            elif final["credited_on"] and status not in CREDIT_ALLOWED:
                row.error("Дата зачета", f"ИОМ в статусе «{status.label}» еще не получил зачет")
        else:
            # No credit step: approval is the credit (spec/workflow.md).
            if row.values.get("credited_on") and row.values["credited_on"] != final["approved_on"]:
                row.error("Дата зачета", f"муниципалитет «{municipality}» не проводит зачет: дата зачета — это дата "
                                         "утверждения; оставьте ячейку пустой")
            final["credited_on"] = final["approved_on"]
        if final["approved_on"] and final["credited_on"] and final["credited_on"] < final["approved_on"]:
            row.error("Дата зачета", "зачет раньше утверждения")
        if status in OUTCOME_REQUIRED and not final["outcome"]:
            row.error("Результат", f"обязателен для статуса «{status.label}»")
        elif final["outcome"] and status not in OUTCOME_ALLOWED:
            row.error("Результат", f"результат указывается для завершенных ИОМ, а статус — «{status.label}»")

    def write(self, ctx, rows):
        history = {"default_user": ctx.history_user, "default_change_reason": CHANGE_REASON}
        transitions = []
        for chunk in chunks([row for row in rows if row.outcome == NEW], BATCH):
            created = [Route(person_id=row.data["person"], organisation=row.data["org"],
                             academic_year=row.values["academic_year"], **row.data["final"]) for row in chunk]
            bulk_create_with_history(created, Route, batch_size=BATCH, **history)
            transitions.extend(self._transition(ctx, route.pk, Status.DRAFT, route.status)
                               for route in created if route.status != Status.DRAFT)
        for chunk in chunks([row for row in rows if row.outcome == UPDATE], BATCH):
            by_pk = {row.data["current"]["pk"]: row for row in chunk}
            fields = {"updated_at"}
            updated = list(Route.objects.filter(pk__in=by_pk))
            for route in updated:
                row = by_pk[route.pk]
                if row.data["final"]["status"] != route.status:
                    transitions.append(self._transition(ctx, route.pk, route.status, row.data["final"]["status"]))
                for field in row.data["changes"]:
                    setattr(route, field, row.data["final"][field])
                route.updated_at = ctx.now
                fields |= row.data["changes"]
            bulk_update_with_history(updated, Route, sorted(fields), batch_size=BATCH, **history)
        Transition.objects.bulk_create(transitions, batch_size=BATCH)

    @staticmethod
    def _transition(ctx, route_pk, from_status, to_status) -> Transition:
        return Transition(route_id=route_pk, action=IMPORT_ACTION, from_status=from_status, to_status=to_status,
                          actor=ctx.history_user, comment=CHANGE_REASON)


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
        "Одна строка — одно мероприятие дорожной карты существующего ИОМ (ОО, ФИО, учебный год). Мероприятие "
        "узнается по ИОМ, наименованию и сроку: строка с уже известным мероприятием обновляет его."
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
        for row in rows:
            person = row.data["person"]
            if person is None or not row.values.get("academic_year"):
                continue
            route = routes.get((person, row.values["academic_year"]))
            if route is None:
                row.error("Учебный год", f"у педагога нет ИОМ за {row.values['academic_year']} учебный год: "
                                         "сначала загрузите реестр ИОМ")
                continue
            row.data["route"] = route["pk"]
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
            if final["is_done"] and not final["done_on"]:
                row.error("Дата выполнения", "обязательна, если мероприятие выполнено")
            elif final["done_on"] and not final["is_done"]:
                row.error("Дата выполнения", "указана дата выполнения, но мероприятие не отмечено выполненным")
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
        for chunk in chunks([row for row in rows if row.outcome == NEW], BATCH):
            created = [RoadmapActivity(route_id=row.data["route"], **row.data["final"]) for row in chunk]
            bulk_create_with_history(created, RoadmapActivity, batch_size=BATCH, **history)
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


# The catalog of resources registers its own kind (routes/catalog_import.py, kept by the diagnostics and
# catalog engineer); importing it here is what makes the registry's discovery of `<app>.importers` find it.
from routes import catalog_import  # noqa: E402, F401
