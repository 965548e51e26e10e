"""Import of the catalog of resources from XLSX/CSV (kind `catalog`), registered with core.imports.

One row per resource, identified by its title: a row with a known title updates that resource,
so a municipality's course list can be loaded again after corrections. Competencies are the
framework's codes separated by commas, semicolons or spaces.

The catalog is reference data of the whole portal, kept in the browser by the holders of
catalog.manage (routes/catalog/services.py): the same holders import it, and a row obeys the same rules as
the form (a course names its provider and hours, only courses are in the federal registry, a
link fits the field), and keeps only what its user keeps in the browser (catalog.may_keep): a
municipal methodist neither changes an item of the region or another municipality nor loads
regional, federal or federal-registry items, and their new items belong to their municipality.
The command line (no user) loads everything, as items of the region.
"""

import re

from core.imports import NEW, UNCHANGED, UPDATE, Column, ImportKind, mark_duplicates, register, values
from core.links import is_web_url
from diagnostics.models import Competency
from routes.catalog import services as catalog
from routes.models import ActivityKind, CatalogResource, Level

KIND_LABELS = {
    **{label: value for value, label in CatalogResource.Kind.choices},
    "Курс": "course", "КПК": "course", "ДПП": "course", "Курсы": "course",
}
LEVEL_LABELS = {label: value for value, label in Level.choices}
DEFAULT_ACTIVITY = {"course": "course", "event": "seminar", "literature": "self_education", "online": "self_education"}
FIELDS = ["kind", "provider", "hours", "in_federal_registry", "url", "level", "activity_kind_id", "is_active"]


def _codes(value) -> list[str]:
    return [code for code in re.split(r"[,;\s]+", values.to_text(value)) if code]


URL_MAX_LENGTH = CatalogResource._meta.get_field("url").max_length
TOO_WIDE = ("федеральные и региональные ресурсы и курсы федерального реестра ДПП ведут администраторы и "
            "региональные методисты; методист муниципалитета загружает ресурсы школьного и муниципального уровня "
            "своего муниципалитета")


def _url_cell(value) -> str:
    text = values.to_text(value)
    if len(text) > URL_MAX_LENGTH:
        raise values.CellError(f"слишком длинная ссылка: {len(text)} символов, допускается не больше {URL_MAX_LENGTH}")
    if not is_web_url(text):
        raise values.CellError(f"ожидается ссылка, начинающаяся с http:// или https://, указано «{text}»")
    return text


@register
class CatalogImport(ImportKind):
    code = "catalog"
    title = "Каталог ресурсов"
    capability = "catalog.manage"
    order = 60
    description = (
        "Одна строка — один ресурс каталога (курс КПК/ДПП, мероприятие, литература, интернет-ресурс). Ресурс "
        "узнается по наименованию: строка с известным наименованием обновляет его. Компетенции — коды рамки "
        "компетенций через запятую."
    )
    columns = [
        Column("kind", "Тип", True, values.choice(KIND_LABELS),
               "Курс (КПК/ДПП) / Мероприятие / Литература / Интернет-ресурс.", "Курс (КПК/ДПП)"),
        Column("title", "Наименование", True, values.text(500), "Название ресурса.",
               "Формирующее оценивание на уроке"),
        Column("provider", "Организатор", False, values.text(300),
               "Организация, которая проводит курс или мероприятие, или автор; для курса обязателен.",
               "Краевой институт повышения квалификации"),
        Column("hours", "Часов", False, values.whole_number(1, 2000), "Объем курса в часах; для курса обязателен.", 36),
        Column("in_federal_registry", "Федеральный реестр", False, values.yes_no,
               "да — программа входит в федеральный реестр ДПП (только для курсов); по умолчанию нет.", "да"),
        Column("url", "Ссылка", False, _url_cell, "Адрес страницы ресурса.", "https://example.org/course"),
        Column("level", "Уровень", False, values.choice(LEVEL_LABELS),
               "Школьный / Муниципальный / Региональный / Федеральный; по умолчанию Муниципальный.", "Региональный"),
        Column("activity_kind", "Вид мероприятия", False, values.text(200),
               "Вид мероприятия дорожной карты (как в справочнике: Семинар, Вебинар…); по умолчанию — по типу.",
               "Курсы повышения квалификации (КПК)"),
        Column("competencies", "Компетенции", True, _codes, "Коды компетенций через запятую.", "М3, М4"),
        Column("is_active", "Действует", False, values.yes_no, "нет — ресурс скрыт из каталога; по умолчанию да.", "да"),
    ]

    def plan(self, ctx, rows):
        competencies = {values.fold(c.code): c.pk for c in Competency.objects.all()}
        kinds = {}
        for pk, code, name in ActivityKind.objects.values_list("pk", "code", "name"):
            kinds[values.fold(code)] = kinds[values.fold(name)] = pk
        default_kind = {k: kinds.get(code) for k, code in DEFAULT_ACTIVITY.items()}
        existing = {values.fold(r.title): r
                    for r in CatalogResource.objects.select_related("municipality").prefetch_related("competencies")}
        keeper = catalog.keeper_municipality(ctx.user) if ctx.user is not None else None
        for row in rows:
            v = row.values
            wanted = set()
            for code in v.get("competencies") or []:
                pk = competencies.get(values.fold(code))
                if pk is None:
                    row.error("Компетенции", f"нет компетенции с кодом «{code}»")
                else:
                    wanted.add(pk)
            activity_kind = default_kind.get(v.get("kind"))
            if v.get("activity_kind"):
                activity_kind = kinds.get(values.fold(v["activity_kind"]))
                if activity_kind is None:
                    row.error("Вид мероприятия", f"нет такого вида мероприятия: «{v['activity_kind']}»")
            if row.errors or not v.get("title"):
                continue
            current = existing.get(values.fold(v["title"]))
            if ctx.user is not None and current is not None and not catalog.can_edit(ctx.user, current):
                row.error("Наименование", f"такой ресурс уже есть в каталоге, его ведет {catalog.keeper_name(current)}: "
                                          "вам он доступен только для чтения")
                continue
            final = {f: getattr(current, f) for f in FIELDS} if current is not None else {
                "kind": v["kind"], "provider": "", "hours": None, "in_federal_registry": False, "url": "",
                "level": Level.MUNICIPAL, "activity_kind_id": activity_kind, "is_active": True,
            }
            final["kind"] = v["kind"]
            for field, default in (("provider", ""), ("hours", None), ("in_federal_registry", False), ("url", ""),
                                   ("level", Level.MUNICIPAL), ("is_active", True)):
                if row.has(field):
                    final[field] = default if v[field] is None else v[field]
            if row.has("activity_kind") or current is None:
                final["activity_kind_id"] = activity_kind
            if final["kind"] == "course" and not final["provider"]:
                row.error("Организатор", "для курса укажите организацию, которая его проводит")
            if final["kind"] == "course" and not final["hours"]:
                row.error("Часов", "для курса укажите объем в часах")
            if final["kind"] != "course" and final["in_federal_registry"]:
                row.error("Федеральный реестр", "в федеральный реестр ДПП входят только курсы")
            if ctx.user is not None and not self._may_keep(ctx.user, final, current, keeper):
                row.error("Уровень", TOO_WIDE)
            if row.errors:
                continue
            row.data.update(identity=values.fold(v["title"]), final=final, competencies=wanted, current=current,
                            municipality=keeper)
            if current is None:
                row.outcome = NEW
            else:
                same = all(final[f] == getattr(current, f) for f in FIELDS)
                same_competencies = wanted == {c.pk for c in current.competencies.all()}
                row.outcome = UNCHANGED if same and same_competencies else UPDATE
        mark_duplicates(rows, lambda r: r.data.get("identity"), "Наименование")

    @staticmethod
    def _may_keep(user, final: dict, current: CatalogResource | None, keeper) -> bool:
        """The row's level and registry mark are within what the user keeps, for the item's municipality
        (a new item's is the user's own)."""
        municipality = current.municipality if current is not None else keeper
        return catalog.may_keep(user, level=final["level"], in_federal_registry=final["in_federal_registry"],
                                municipality_id=municipality.pk if municipality else None,
                                region_id=municipality.region_id if municipality else None)

    def write(self, ctx, rows):
        for row in rows:
            if row.outcome == NEW:
                resource = CatalogResource.objects.create(title=row.values["title"], municipality=row.data["municipality"],
                                                          **row.data["final"])
            elif row.outcome == UPDATE:
                resource = row.data["current"]
                for field, value in row.data["final"].items():
                    setattr(resource, field, value)
                resource.save(update_fields=FIELDS)
            else:
                continue
            resource.competencies.set(row.data["competencies"])
