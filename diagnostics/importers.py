"""Import of external diagnostics results (ЦНППМ testing, functional literacy…), registered with core.imports.

One row per person and diagnostic: ОО, Фамилия, Имя, Отчество, Дата, Инструмент, then one
column per competency code of the framework holding a score 0–100 (empty: not measured). The
competency columns are the framework's codes at the time of the import, so a code the
framework does not know is an unknown column and the whole file is refused. A result is
identified by person + instrument + date: importing the same file twice changes nothing.

An import may not do what the importing user could not do in the browser. There a result by
others is recorded by the deputy of the person's school or the administrator (diagnostics.assess,
diagnostics.services.assessment_record): so the file is loaded by them, and only for people of
their scope; a municipal methodist holds diagnostics.import but records no results in the portal.
The rows obey the browser's rules too: an instrument in use, not the self-assessment, a date not
in the future, a person not dismissed, only the instrument's competencies. A result recorded in
the portal is never changed by a file: only results that came from files are matched and updated.
"""

import time
from collections import defaultdict

from django.db import DatabaseError

from core.imports import NEW, UNCHANGED, UPDATE, Column, ImportKind, mark_duplicates, register, values
from diagnostics.models import Assessment, Competency, Instrument
from diagnostics.services import assessment_store_external
from schools.importers import OrganisationLookup, PersonLookup, person_columns
from schools.models import StaffMember

INSTRUMENT_TITLE = "Инструмент"
DATE_TITLE = "Дата"


def _competency_key(code: str) -> str:
    return f"competency:{code}"


@register
class DiagnosticsImport(ImportKind):
    code = "diagnostics"
    title = "Результаты диагностики"
    capability = "diagnostics.import"
    order = 50
    description = (
        "Одна строка — результат одной диагностики одного педагога: ОО и ФИО существующего работника, дата, "
        "инструмент (название из справочника диагностических инструментов) и баллы 0–100 в столбцах с кодами "
        "компетенций (пустая ячейка — компетенция не оценивалась). Результат узнается по педагогу, инструменту "
        "и дате: повторная загрузка того же файла ничего не меняет. Балл ниже порога инструмента становится "
        "дефицитом педагога."
    )

    # The framework is data: its codes are read from the database, and kept for a short while because
    # the engine and the preview ask for the columns many times per file (once per previewed row).
    COLUMNS_TTL = 30.0
    _columns_cache: tuple[float, list[Column]] | None = None

    @property
    def columns(self) -> list[Column]:
        now = time.monotonic()
        if self._columns_cache is not None and now - self._columns_cache[0] < self.COLUMNS_TTL:
            return self._columns_cache[1]
        columns = self._read_columns()
        if len(columns) > 6:  # only a list read from an existing framework is kept
            self._columns_cache = (now, columns)
        return columns

    def _read_columns(self) -> list[Column]:
        base = [
            *person_columns(),
            Column("taken_on", DATE_TITLE, True, values.date, "Дата проведения диагностики, ДД.ММ.ГГГГ.", "15.10.2025"),
            Column("instrument", INSTRUMENT_TITLE, True, values.text(300),
                   "Название диагностического инструмента из справочника портала.",
                   "Предметно-методическое тестирование (ЦНППМ)"),
        ]
        try:
            framework = list(Competency.objects.order_by("group__order", "order"))
        except DatabaseError:
            # The registry reads the columns when the kind registers, at import time, which may come
            # before the database exists (a first `migrate`): the kind then registers with its fixed
            # columns and reads the framework when a file is imported.
            framework = []
        competencies = [
            Column(_competency_key(c.code), c.code, False, values.whole_number(0, 100),
                   f"Балл 0–100 по компетенции «{c.name}»; пусто — не оценивалась.", "")
            for c in framework
        ]
        return base + competencies

    def plan(self, ctx, rows):
        competencies = {_competency_key(c.code): c for c in Competency.objects.all()}
        instruments = {values.fold(i.name): i for i in Instrument.objects.prefetch_related("competencies")}
        orgs = OrganisationLookup(ctx, self.capability)
        for row in rows:
            row.data["org"] = orgs.resolve_row(row)
        people = PersonLookup({row.data["org"].pk for row in rows if row.data["org"] is not None})
        for row in rows:
            org = row.data["org"]
            row.data["person"] = people.resolve_row(row, org) if org is not None else None
        person_ids = {row.data["person"] for row in rows if row.data["person"]}
        dismissed = set(StaffMember.objects.filter(pk__in=person_ids, status=StaffMember.Status.DISMISSED)
                        .values_list("pk", flat=True))
        existing: dict[tuple, dict[int, int]] = defaultdict(dict)
        for person_id, instrument_id, taken_on, competency_id, value in Assessment.objects.filter(
            person_id__in=person_ids, source=Assessment.Source.IMPORT
        ).values_list("person_id", "instrument_id", "taken_on", "scores__competency_id", "scores__value"):
            scores = existing[(person_id, instrument_id, taken_on)]
            if competency_id is not None:
                scores[competency_id] = value
        for row in rows:
            self._plan_row(ctx, row, competencies, instruments, dismissed, existing)
        mark_duplicates(rows, lambda r: r.data.get("identity"), INSTRUMENT_TITLE)

    @staticmethod
    def _plan_row(ctx, row, competencies, instruments, dismissed, existing) -> None:
        v = row.values
        instrument = None
        if v.get("instrument"):
            instrument = instruments.get(values.fold(v["instrument"]))
            if instrument is None:
                row.error(INSTRUMENT_TITLE, f"нет такого диагностического инструмента: «{v['instrument']}»")
            elif instrument.is_self_assessment:
                row.error(INSTRUMENT_TITLE, "самооценку педагог проходит в портале, ее результаты не загружаются")
            elif not instrument.is_active:
                row.error(INSTRUMENT_TITLE, f"инструмент «{instrument.name}» больше не используется: результаты по "
                                            "нему не вносятся")
        if v.get("taken_on") and v["taken_on"] > ctx.today:
            row.error(DATE_TITLE, "дата диагностики в будущем")
        if row.data["person"] in dismissed:
            row.error("Фамилия", "сотрудник уволен: результаты диагностики уволенных не загружаются")
        scores = {competencies[key]: value for key, value in v.items() if key in competencies and value is not None}
        if not scores and not row.errors:
            row.error(INSTRUMENT_TITLE, "нет ни одного балла: заполните хотя бы один столбец с кодом компетенции")
        if instrument is not None:
            measured = {c.pk for c in instrument.competencies.all()}
            for competency in scores:
                if competency.pk not in measured:
                    row.error(competency.code, f"инструмент «{instrument.name}» не измеряет эту компетенцию")
        if row.errors or row.data["person"] is None:
            return
        identity = (row.data["person"], instrument.pk, v["taken_on"])
        row.data["identity"] = identity
        row.data["instrument"] = instrument
        row.data["scores"] = scores
        current = existing.get(identity)
        if current is None:
            row.outcome = NEW
        elif all(current.get(c.pk) == value for c, value in scores.items()):
            row.outcome = UNCHANGED
        else:
            row.outcome = UPDATE

    def write(self, ctx, rows):
        # Row by row through the service: each result must pass the threshold rule, which reads the
        # person's earlier scores. Files are a school's or a municipality's staff, not a region's.
        people = StaffMember.objects.in_bulk({row.data["person"] for row in rows if row.outcome in (NEW, UPDATE)})
        for written, row in enumerate((row for row in rows if row.outcome in (NEW, UPDATE)), start=1):
            assessment_store_external(
                person=people[row.data["person"]], instrument=row.data["instrument"],
                taken_on=row.values["taken_on"], scores=row.data["scores"], recorded_by=ctx.history_user,
            )
            if written % 100 == 0:
                ctx.progress(written)

