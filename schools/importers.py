"""Imports of organisations and staff (docs/spec/import-formats.md), registered with core.imports.

Bulk writes send no signals and skip StaffMember.save(): the position category is derived
here with position_category_of, and history is written with simple_history's bulk helpers.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core.dates import format_date
from core.ids import parse_id
from core.imports import NEW, UNCHANGED, UPDATE, Column, ImportKind, chunks, mark_duplicates, register, values
from core.imports.bulk import create_with_history
from schools.access import has_capability, scope_q
from schools.models import Municipality, Organisation, Region, StaffMember, default_time_zone, position_category_of
from schools.timezones import zone_for_region_name

BATCH = 1000
CHANGE_REASON = "Загрузка из файла"
ORG_DESCRIPTION = "Краткое или полное наименование существующей организации."


def _labels(choices) -> dict[str, str]:
    return {label: value for value, label in choices.choices}


def _may_add_places(ctx) -> bool:
    """New regions and municipalities: on the command line, or by whoever holds municipality.create."""
    return ctx.user is None or has_capability(ctx.user, "municipality.create")


class OrganisationLookup:
    """Finds the organisation a row names (short or full name), inside the user's scope.

    Short names are unique only inside a municipality, so a name may match several
    organisations; the user's scope narrows them, and what remains ambiguous is an error.
    """

    def __init__(self, ctx, capability: str):
        self.ctx = ctx
        self.capability = capability
        self._by_name: dict[str, list[Organisation]] = defaultdict(list)
        for org in Organisation.objects.select_related("municipality").order_by("pk"):
            self._by_name[values.fold(org.short_name)].append(org)
            full = values.fold(org.name)
            if full != values.fold(org.short_name):
                self._by_name[full].append(org)
        self._answers: dict[str, tuple[Organisation | None, str]] = {}
        self._allowed: dict[int, bool] = {}

    def allowed(self, org: Organisation) -> bool:
        if org.pk not in self._allowed:
            self._allowed[org.pk] = self.ctx.can(self.capability, org)
        return self._allowed[org.pk]

    def find(self, name: str) -> tuple[Organisation | None, str]:
        """(organisation, "") or (None, the Russian reason)."""
        key = values.fold(name)
        if key not in self._answers:
            self._answers[key] = self._resolve(name, key)
        return self._answers[key]

    def _resolve(self, name: str, key: str) -> tuple[Organisation | None, str]:
        candidates = list(dict.fromkeys(self._by_name.get(key, [])))
        if not candidates:
            return None, f"организация «{name}» не найдена: укажите краткое или полное наименование"
        in_scope = [org for org in candidates if self.allowed(org)]
        if not in_scope:
            return None, f"нет прав загружать данные организации «{name}»: она вне вашей области"
        if len(in_scope) > 1:
            places = ", ".join(sorted({str(org.municipality) for org in in_scope}))
            return None, f"название «{name}» носят несколько организаций ({places}): укажите полное наименование"
        return in_scope[0], ""

    def resolve_row(self, row, key: str = "organisation", title: str = "ОО") -> Organisation | None:
        name = row.values.get(key)
        if not name:
            return None
        org, reason = self.find(name)
        if org is None:
            row.error(title, reason)
        return org


def person_key(last_name: str, first_name: str, middle_name: str | None) -> tuple[str, str, str]:
    return values.fold(last_name), values.fold(first_name), values.fold(middle_name or "")


class PersonLookup:
    """People of the named organisations by ФИО (routes and activities files have no birth date)."""

    def __init__(self, organisation_ids):
        self._people: dict[tuple, list[int]] = defaultdict(list)
        rows = StaffMember.objects.filter(organisation_id__in=organisation_ids).values_list(
            "pk", "organisation_id", "last_name", "first_name", "middle_name"
        )
        for pk, org_id, last, first, middle in rows:
            self._people[(org_id, *person_key(last, first, middle))].append(pk)

    def resolve_row(self, row, organisation: Organisation) -> int | None:
        v = row.values
        if not v.get("last_name") or not v.get("first_name"):
            return None
        found = self._people.get((organisation.pk, *person_key(v["last_name"], v["first_name"], v.get("middle_name"))))
        full_name = " ".join(p for p in (v["last_name"], v["first_name"], v.get("middle_name")) if p)
        if not found:
            row.error("Фамилия", f"в организации «{organisation.short_name}» нет сотрудника «{full_name}»")
            return None
        if len(found) > 1:
            row.error("Фамилия", f"в организации «{organisation.short_name}» несколько сотрудников «{full_name}»: "
                                 "различите их в портале (например, по дате рождения)")
            return None
        return found[0]


def person_columns(required_middle: bool = False) -> list[Column]:
    return [
        Column("organisation", "ОО", True, values.text(500), ORG_DESCRIPTION, "МБОУ СОШ №1"),
        Column("last_name", "Фамилия", True, values.text(100), "Фамилия.", "Иванова"),
        Column("first_name", "Имя", True, values.text(100), "Имя.", "Мария"),
        Column("middle_name", "Отчество", required_middle, values.text(100), "Отчество; может быть пустым.",
               "Петровна"),
    ]


# --- organizations -------------------------------------------------------------------------------------------------

@register
class OrganisationImport(ImportKind):
    code = "organizations"
    title = "Образовательные организации"
    capability = "org.import"
    order = 10
    description = (
        "Одна строка — одна организация. Организация узнается по муниципалитету и краткому (или полному) "
        "наименованию; новые регионы и муниципалитеты создаются (это может администратор)."
    )
    columns = [
        Column("region", "Регион", True, values.text(200), "Регион; создается, если его нет.", "Курганская область"),
        Column("municipality", "Муниципалитет", True, values.text(200),
               "Муниципалитет внутри региона; создается, если его нет.", "г. Шадринск"),
        Column("name", "Наименование", True, values.text(500), "Полное наименование.",
               "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа №1»"),
        Column("short_name", "Краткое наименование", True, values.text(200),
               "Уникально внутри муниципалитета; показывается в таблицах.", "МБОУ СОШ №1"),
        Column("kind", "Тип", True, values.choice(_labels(Organisation.Kind)),
               "Одно из: " + ", ".join(Organisation.Kind.labels) + ".", "СОШ"),
    ]

    def plan(self, ctx, rows):
        may_add_places = _may_add_places(ctx)
        regions = {values.fold(r.name): r for r in Region.objects.all()}
        municipalities = {(m.region_id, values.fold(m.name)): m for m in Municipality.objects.all()}
        by_short, by_full = {}, defaultdict(list)
        for org in Organisation.objects.all():
            by_short[(org.municipality_id, values.fold(org.short_name))] = org
            by_full[(org.municipality_id, values.fold(org.name))].append(org)
        allowed: dict[int, bool] = {}

        for row in rows:
            v = row.values
            if row.errors:
                continue
            region = regions.get(values.fold(v["region"]))
            municipality = municipalities.get((region.pk, values.fold(v["municipality"]))) if region else None
            if municipality is None and not may_add_places:
                row.error("Муниципалитет", f"муниципалитет «{v['municipality']}» ({v['region']}) не найден; "
                                           "новые муниципалитеты добавляет администратор")
                continue
            if municipality is not None:
                if municipality.pk not in allowed:
                    allowed[municipality.pk] = ctx.can(self.capability, Organisation(municipality=municipality))
                if not allowed[municipality.pk]:
                    row.error("Муниципалитет", f"нет прав загружать организации муниципалитета «{municipality}»")
                    continue
            row.data["region"], row.data["municipality"] = region, municipality
            place = municipality.pk if municipality else ("new", values.fold(v["region"]), values.fold(v["municipality"]))
            row.data["place"] = place
            existing = by_short.get((place, values.fold(v["short_name"])))
            if existing is None:
                same_full = by_full.get((place, values.fold(v["name"])), [])
                if len(same_full) == 1:
                    existing = same_full[0]  # renamed: found by its full name
            if existing is None:
                row.outcome = NEW
                continue
            row.data["org"] = existing
            changes = {f: v[f] for f in ("name", "short_name", "kind") if getattr(existing, f) != v[f]}
            row.data["changes"] = changes
            row.outcome = UPDATE if changes else UNCHANGED
        mark_duplicates(rows, lambda r: (r.data["place"], values.fold(r.values["short_name"])) if "place" in r.data
                        else None, "Краткое наименование")
        mark_duplicates(rows, lambda r: r.data["org"].pk if "org" in r.data else None, "Наименование")

    def write(self, ctx, rows):
        new_regions, new_municipalities = {}, {}
        for row in rows:
            v = row.values
            if row.outcome == NEW and row.data["region"] is None:
                new_regions.setdefault(values.fold(v["region"]), Region(
                    name=v["region"], time_zone=zone_for_region_name(v["region"]) or default_time_zone()))
        Region.objects.bulk_create(new_regions.values())
        for row in rows:
            v = row.values
            if row.outcome == NEW and row.data["municipality"] is None:
                region = row.data["region"] or new_regions[values.fold(v["region"])]
                row.data["region"] = region
                new_municipalities.setdefault(row.data["place"], Municipality(region=region, name=v["municipality"]))
        Municipality.objects.bulk_create(new_municipalities.values())
        created, updated = [], []
        for row in rows:
            v = row.values
            if row.outcome == NEW:
                municipality = row.data["municipality"] or new_municipalities[row.data["place"]]
                created.append(Organisation(municipality=municipality, name=v["name"], short_name=v["short_name"],
                                            kind=v["kind"]))
            elif row.outcome == UPDATE:
                org = row.data["org"]
                for field, value in row.data["changes"].items():
                    setattr(org, field, value)
                updated.append(org)
        Organisation.objects.bulk_create(created, batch_size=BATCH)
        if updated:
            Organisation.objects.bulk_update(updated, ["name", "short_name", "kind"], batch_size=BATCH)


# --- staff ---------------------------------------------------------------------------------------------------------

STATUS_LABELS = _labels(StaffMember.Status)
CATEGORY_LABELS = _labels(StaffMember.Category)
# Field → value when a present column's cell is empty, and for a new person when the column is absent.
STAFF_DEFAULTS = {
    "position": "", "subject": "", "is_main_position": True, "status": StaffMember.Status.WORKING,
    "dismissed_on": None, "qualification_category": StaffMember.Category.NONE, "attested_on": None,
    "experience_years": None, "education": "", "email": "",
}
STAFF_FIELDS = list(STAFF_DEFAULTS)
IDENTITY_TITLES = {"ОО", "Фамилия", "Имя", "Отчество", "Дата рождения"}  # spec: a person is org + ФИО + birth date


def _labels_text(labels) -> str:
    return " / ".join(labels)


@register
class StaffImport(ImportKind):
    code = "staff"
    title = "Педагогические работники"
    capability = "staff.import"
    export_capability = "staff.view"
    order = 20
    description = (
        "Одна строка — один работник. Работник узнается по организации, ФИО и дате рождения: строка с "
        "уже известным работником обновляет его данные. Работник с e-mail получает учетную запись и приглашение, "
        "если файл загружает тот, кто может приглашать в эту организацию; если у адреса уже есть учетная запись, "
        "она не меняется: ее владелец получает письмо и сам подтверждает приглашение."
    )
    columns = [
        *person_columns(),
        Column("birth_date", "Дата рождения", False, values.date, "ДД.ММ.ГГГГ.", "14.03.1985"),
        Column("position", "Должность", True, values.text(200),
               "Свободный текст; категория определяется по нему: «заместитель директора…», «завуч» — заместитель, "
               "«директор» — директор, «воспитатель» — воспитатель, иначе — педагог.", "учитель математики"),
        Column("subject", "Предмет", False, values.text(200), "Преподаваемый предмет.", "математика"),
        Column("is_main_position", "Основная должность", False, values.yes_no,
               "да (по умолчанию) / нет — совместительство.", "да"),
        Column("status", "Статус", False, values.choice(STATUS_LABELS),
               _labels_text(STATUS_LABELS) + "; по умолчанию «работает».", "работает"),
        Column("dismissed_on", "Дата увольнения", False, values.date, "Обязательна при статусе «уволен».", ""),
        Column("qualification_category", "Квалификационная категория", False, values.choice(CATEGORY_LABELS),
               _labels_text(CATEGORY_LABELS) + "; по умолчанию «без категории».", "первая"),
        Column("attested_on", "Дата аттестации", False, values.date, "ДД.ММ.ГГГГ.", "20.12.2022"),
        Column("experience_years", "Педагогический стаж", False, values.whole_number(0, 70), "Полных лет.", "12"),
        Column("education", "Образование", False, values.text(500), "Уровень и учебное заведение.",
               "высшее, КГУ, 2007"),
        Column("email", "E-mail", False, values.email,
               "Если указан, работник получает учетную запись в портале и приглашение; у каждого свой.",
               "ivanova@school1.ru"),
    ]
    # Mentoring is one record, the pairs of «Наставничество» (who, whom, since when, why), checked by its rules:
    # a column of the staff list cannot say all that, so a file that still has one is refused as a whole.
    retired_columns = {
        title: "наставников в файле сотрудников не загружают: удалите столбец и создайте наставнические пары "
               "на странице «Методическая работа» → «Наставничество» (или в карточке сотрудника)"
        for title in ("Наставник", "Наставник (ФИО)")
    }

    def plan(self, ctx, rows):
        orgs = OrganisationLookup(ctx, self.capability)
        for row in rows:
            row.data["org"] = orgs.resolve_row(row)
        org_ids = {row.data["org"].pk for row in rows if row.data["org"] is not None}
        existing = defaultdict(list)
        for staff in StaffMember.objects.filter(organisation_id__in=org_ids).values("pk", "organisation_id",
                                                                                    "last_name", "first_name",
                                                                                    "middle_name", "birth_date",
                                                                                    "user_id", *STAFF_FIELDS):
            existing[self._identity(staff["organisation_id"], staff)].append(staff)
        namesakes = defaultdict(list)
        for identity, people in existing.items():
            namesakes[identity[:4]].extend(people)
        emails = self._email_owners(rows)
        refusals = self._address_refusals(rows)

        for row in rows:
            org = row.data["org"]
            failed = {column for column, _ in row.errors}
            if org is None or failed & IDENTITY_TITLES:
                continue
            identity = self._identity(org.pk, row.values)
            row.data["identity"] = identity
            matches = existing.get(identity, [])
            if len(matches) > 1:
                row.error("Фамилия", "в организации уже несколько работников с такими ФИО и датой рождения: "
                                     "исправьте дубли в портале")
                continue
            if not matches:
                matches = self._match_by_name(row, namesakes.get(identity[:4], []))
                if matches is None:
                    continue
            current = matches[0] if matches else None
            final = self._final_values(row, current)
            self._validate(row, final, current, emails, failed)
            if not row.errors and current is not None and final["status"] == StaffMember.Status.DISMISSED \
                    and current["status"] != StaffMember.Status.DISMISSED:
                self._check_dismissal(ctx, row, org, current, final)
            if not row.errors and self._would_invite(ctx, org, final, current):
                if refusal := refusals.get(final["email"].lower()):
                    row.error("E-mail", refusal)
            if row.errors:
                continue
            row.data["final"] = final
            if current is None:
                row.outcome = NEW
            else:
                row.data["pk"] = current["pk"]
                changes = {f for f in STAFF_FIELDS if final[f] != current[f]}
                if row.values["last_name"] != current["last_name"] or row.values["first_name"] != current["first_name"] \
                        or (row.values.get("middle_name") or "") != current["middle_name"]:
                    changes |= {"last_name", "first_name", "middle_name"}  # the spelling (case, ё) changed
                if current["birth_date"] is None and row.values.get("birth_date"):
                    changes.add("birth_date")
                row.data["changes"] = changes
                row.outcome = UPDATE if changes else UNCHANGED
        mark_duplicates(rows, lambda r: r.data.get("identity"), "Фамилия")
        mark_duplicates(rows, lambda r: r.data.get("pk"), "Фамилия")
        mark_duplicates(rows, lambda r: r.values["email"].lower() if r.values.get("email") else None, "E-mail")

    @staticmethod
    def _match_by_name(row, namesakes: list[dict]) -> list[dict] | None:
        """No exact match: a file without birth dates (or a portal without them) still finds the person.

        A row without a birth date matches the only person of that name; a row with one matches the
        only namesake whose birth date is not known yet (and fills it in). Several namesakes and no
        birth date in the row is an error (None): guessing could merge two people.
        """
        birth = row.values.get("birth_date")
        if birth is None:
            if len(namesakes) > 1:
                row.error("Дата рождения", "в организации несколько работников с такими ФИО: укажите дату рождения")
                return None
            return namesakes
        unknown_birth = [person for person in namesakes if person["birth_date"] is None]
        return unknown_birth if len(unknown_birth) == 1 else []

    @staticmethod
    def _identity(org_id, data) -> tuple:
        return (org_id, *person_key(data["last_name"], data["first_name"], data.get("middle_name")),
                data.get("birth_date"))

    @staticmethod
    def _final_values(row, current) -> dict:
        final = dict(current) if current is not None else dict(STAFF_DEFAULTS)
        for field in STAFF_FIELDS:
            if row.has(field):
                value = row.values[field]
                final[field] = STAFF_DEFAULTS[field] if value is None else value
        return final

    @staticmethod
    def _email_owners(rows) -> dict[str, tuple[int | None, str]]:
        """Lower-cased e-mail → (staff pk or None for an account without staff, whose it is)."""
        wanted = {row.values["email"].lower() for row in rows if row.values.get("email")}
        if not wanted:
            return {}
        owners = {}
        for pk, email, last, first, org in StaffMember.objects.annotate(lower=Lower("email")).filter(
                lower__in=wanted).values_list("pk", "email", "last_name", "first_name", "organisation__short_name"):
            owners[email.lower()] = (pk, f"{last} {first}, {org}")
        from schools.services import accounts_with_address

        for address, accounts in accounts_with_address(wanted).items():
            for account in accounts:
                if account.linked_staff_pk is not None:
                    owners.setdefault(address, (account.linked_staff_pk, "учетная запись другого работника"))
        return owners

    @staticmethod
    def _address_refusals(rows) -> dict[str, str]:
        """Lower-cased e-mail → why an invitation to it would be refused (the rules of the browser's invitation)."""
        from schools.services import accounts_with_address, address_refusal

        found = accounts_with_address({row.values["email"] for row in rows if row.values.get("email")})
        return {address: reason for address, accounts in found.items() if (reason := address_refusal(accounts))}

    @staticmethod
    def _would_invite(ctx, org, final, current) -> bool:
        """Does writing this row invite the person (as _accounts does)? Only who may invite in the browser."""
        return bool(final["email"]) and final["status"] != StaffMember.Status.DISMISSED \
            and (current is None or current["user_id"] is None) and ctx.can("staff.invite", org)

    @staticmethod
    def _check_dismissal(ctx, row, org, current, final) -> None:
        """A dismissal in the file withdraws routes and ends pairs as the dismissal page does: refused
        when the importer could not do that in the browser (or nobody signed in does it, on the command line)."""
        from schools.services import dismissal_effects

        effects = dismissal_effects(StaffMember.objects.get(pk=current["pk"]), final["dismissed_on"])
        allowed = ctx.user is not None and (not effects.routes or ctx.can("route.withdraw", org)) \
            and (not effects.pairs or ctx.can("mentoring.manage", org))
        if (effects.routes or effects.pairs) and not allowed:
            row.error("Статус", "увольнение отзовет ИОМ и завершит наставничество работника: оформите его "
                                "в портале (карточка сотрудника → «Уволить»)")

    @staticmethod
    def _validate(row, final, current, emails, failed: set[str]) -> None:
        """Checks across cells; a check whose cells already have an error waits for them to be fixed."""
        if not failed & {"Статус", "Дата увольнения"}:
            if final["status"] == StaffMember.Status.DISMISSED and not final["dismissed_on"]:
                row.error("Дата увольнения", "обязательна, когда статус «уволен»")
            if final["status"] != StaffMember.Status.DISMISSED and final["dismissed_on"]:
                row.error("Дата увольнения", "указана дата увольнения, но статус не «уволен»")
        birth = row.values.get("birth_date")
        if birth and not (dt.date(1930, 1, 1) <= birth <= _latest_birth_date()):
            row.error("Дата рождения", "проверьте дату рождения: работнику должно быть не меньше 16 лет")
        if final["email"]:
            owner = emails.get(final["email"].lower())
            if owner is not None and (current is None or owner[0] != current["pk"]):
                row.error("E-mail", f"этот e-mail уже указан у другого работника ({owner[1]})")

    def write(self, ctx, rows):
        history = {"default_user": ctx.history_user, "default_change_reason": CHANGE_REASON}
        to_invite, dismissed, changes = [], [], {}  # for _accounts
        for chunk in chunks([row for row in rows if row.outcome == NEW], BATCH):
            created = []
            for row in chunk:
                v, final = row.values, row.data["final"]
                staff = StaffMember(organisation=row.data["org"], last_name=v["last_name"], first_name=v["first_name"],
                                    middle_name=v.get("middle_name") or "", birth_date=v.get("birth_date"), **final)
                staff.position_category = position_category_of(staff.position)
                created.append(staff)
            create_with_history(created, StaffMember, batch_size=BATCH, **history)
            to_invite.extend(created)
        for chunk in chunks([row for row in rows if row.outcome == UPDATE], BATCH):
            by_pk = {row.data["pk"]: row for row in chunk}
            fields = {"updated_at", "position_category"}
            updated = list(StaffMember.objects.filter(pk__in=by_pk))
            for staff in updated:
                row = by_pk[staff.pk]
                for field in row.data["changes"]:
                    value = row.data["final"][field] if field in STAFF_DEFAULTS else (row.values.get(field) or "")
                    setattr(staff, field, value)
                staff.position_category = position_category_of(staff.position)
                staff.updated_at = ctx.now
                fields |= row.data["changes"]
                changes[staff.pk] = row.data["changes"]
                if "status" in row.data["changes"] and staff.status == StaffMember.Status.DISMISSED:
                    dismissed.append(staff)
            bulk_update_with_history(updated, StaffMember, sorted(fields), batch_size=BATCH, **history)
            to_invite.extend(updated)
        self._accounts(ctx, to_invite, dismissed, changes)

    @staticmethod
    def _accounts(ctx, people: list[StaffMember], dismissed: list[StaffMember], changes: dict[int, set]) -> None:
        """What the browser does for the same changes, with the same services and the same rights.

        A dismissal does what the dismissal page does (schools.services.dismissal_apply); a changed e-mail
        or position voids a request still waiting for an answer; a person with an e-mail and no
        account is invited (invite_to_portal: an existing account is only asked, never changed) by an
        importer who may invite there, once: a request still waiting is not sent again.
        """
        from schools.models import AccountLinkInvitation
        from schools.services import close_stale_link_invitations, dismissal_apply, invite_to_portal

        close_stale_link_invitations(changes=changes)
        for staff in dismissed:
            # The browser's dismissal, the same service: routes withdrawn «уволен», pairs ended, roles ended.
            dismissal_apply(actor=ctx.user, staff=staff, dismissed_on=staff.dismissed_on)
        candidates = [staff for staff in people if staff.email and staff.user_id is None
                      and staff.status != StaffMember.Status.DISMISSED]
        waiting = set(AccountLinkInvitation.objects.filter(
            staff__in=candidates, accepted_at__isnull=True, closed_at__isnull=True, expires_at__gt=ctx.now,
        ).values_list("staff_id", flat=True)) if candidates else set()
        for staff in candidates:
            if staff.pk not in waiting and ctx.can("staff.invite", staff.organisation):
                invite_to_portal(staff=staff, actor=ctx.user, request=ctx.request)

    # export in the import format: export → import changes nothing

    def export_queryset(self, user, params):
        shared_short_name = Organisation.objects.filter(short_name=OuterRef("organisation__short_name")).exclude(
            pk=OuterRef("organisation_id"))
        qs = StaffMember.objects.filter(scope_q(user, self.export_capability)).select_related("organisation").annotate(
            short_name_shared=Exists(shared_short_name)).order_by("organisation__short_name", "last_name",
                                                                  "first_name", "middle_name", "pk")
        if params.get("organisation"):
            # One organisation asked for: an id that is none ("²", 10**30) exports nobody, not the whole scope.
            organisation_id = parse_id(params["organisation"])
            qs = qs.filter(organisation_id=organisation_id) if organisation_id else qs.none()
        return qs

    def export_row(self, staff) -> list:
        org = staff.organisation
        return [
            org.name if getattr(staff, "short_name_shared", False) else org.short_name,
            staff.last_name, staff.first_name, staff.middle_name, format_date(staff.birth_date), staff.position,
            staff.subject, "да" if staff.is_main_position else "нет", staff.get_status_display(),
            format_date(staff.dismissed_on), staff.get_qualification_category_display(), format_date(staff.attested_on),
            "" if staff.experience_years is None else staff.experience_years, staff.education, staff.email,
        ]


def _latest_birth_date() -> dt.date:
    today = timezone.localdate()
    return dt.date(today.year - 16, today.month, min(today.day, 28))
