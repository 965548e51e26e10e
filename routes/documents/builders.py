"""The ИОМ as a document: one context built from the route, rendered to PDF and to DOCX.

The parts follow seeds 003 and 004: title page, information card, explanatory note,
roadmap by competency group and, once the route is finished, the results. Both formats
read the same `iom_context(route)`, so the PDF and the DOCX cannot disagree.

The information card is the snapshot taken at submission (`Route.card`). A key the
snapshot lacks, or a draft that has no snapshot yet, falls back to the live staff record.
Recognised snapshot keys: position, subject, education, attested_on, qualification_category,
experience_years, mentor, courses (a list of strings or of {date|dates, topic, hours, provider}).
"""

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, prefetch_related_objects
from docx.enum.text import WD_BREAK
from docx.shared import Mm

from core import docx_tools as dx
from core import words
from core.dates import format_date
from core.pdf import render_pdf
from diagnostics.models import CompetencyGroup
from routes.models import Evidence, RoadmapActivity, Route
from schools.models import StaffMember
from schools.timezones import local_now, zone_of_organisation

TEMPLATE = "routes/documents/iom.html"
DOCUMENT_TITLE = "Индивидуальный образовательный маршрут педагога"
ROADMAP_WIDTHS_MM = (32, 21, 35, 36, 26, 25)
ROADMAP_COLUMNS = ["Направление", "Срок", "Мероприятие", "Подтверждающий документ", "Отметка о выполнении", "Примечание"]
# Results belong to the document once the teacher has reported them (docs/spec/workflow.md).
RESULT_STATUSES = (Route.Status.RESULTS_SUBMITTED, Route.Status.COMPLETED, Route.Status.ARCHIVED)
EMPTY = "—"


@dataclass(frozen=True)
class Row:
    label: str
    value: str


@dataclass
class RoadmapRow:
    deadline: str
    title: str
    details: str
    confirming: list[str]
    mark: str
    note: str
    is_done: bool


@dataclass
class RoadmapGroup:
    name: str
    rows: list[RoadmapRow] = field(default_factory=list)


@dataclass
class Outcome:
    label: str
    chosen: bool


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _date(value) -> str:
    """A date, an ISO string from the JSON snapshot, or text already written by a person."""
    if isinstance(value, dt.date):
        return format_date(value)
    text = _text(value)
    try:
        return format_date(dt.date.fromisoformat(text))
    except ValueError:
        return text


def _category_label(value) -> str:
    text = _text(value)
    labels = dict(StaffMember.Category.choices)
    return labels.get(text, text)


def _experience(value) -> str:
    text = _text(value)
    if not (text.isascii() and text.isdigit()):  # "²" passes isdigit() alone, and int() refuses it
        return text
    return words.years(int(text))


def _course(item) -> str:
    if not isinstance(item, dict):
        return _text(item)
    when = _date(item.get("dates") or item.get("date") or "")
    topic = _text(item.get("topic") or item.get("title"))
    extras = [p for p in (_text(item.get("provider")), f"{item['hours']} ч" if item.get("hours") else "") if p]
    text = f"{when} — {topic}" if when and topic else when or topic
    return f"{text} ({', '.join(extras)})" if extras else text


def _mentor_of(route: Route) -> str:
    """The mentor of the route's author over the route's period: the latest mentoring pair (methodics.MentoringPair,
    through its reverse relation) that overlaps the period, or the open one when the route has no period."""
    pairs = route.person.mentoring_as_mentee.select_related("mentor")
    if route.starts_on and route.ends_on:
        pairs = pairs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=route.starts_on), starts_on__lte=route.ends_on)
    else:
        pairs = pairs.filter(ends_on__isnull=True)
    pair = pairs.order_by("-starts_on", "-pk").first()
    return pair.mentor.full_name if pair else ""


def _live_card(route: Route) -> dict:
    person = route.person
    return {
        "position": person.position,
        "subject": person.subject,
        "education": person.education,
        "attested_on": person.attested_on,
        "qualification_category": person.qualification_category,
        "experience_years": person.experience_years,
        "mentor": _mentor_of(route),
        "courses": [],
    }


def _card_rows(route: Route) -> tuple[list[Row], list[str], bool]:
    snapshot = route.card or {}
    live = _live_card(route)
    card = {key: snapshot[key] if key in snapshot else value for key, value in live.items()}
    position = _text(card["position"])
    subject = _text(card["subject"])
    rows = [
        Row("Фамилия, имя, отчество", route.person.full_name),
        Row("Занимаемая должность, предмет", words.position_label(position, subject)),
        Row("Образование", _text(card["education"])),
        Row("Дата аттестации", _date(card["attested_on"])),
        Row("Квалификационная категория", _category_label(card["qualification_category"])),
        Row("Педагогический стаж", _experience(card["experience_years"])),
    ]
    if _text(card["mentor"]):
        rows.append(Row("Наставник", _text(card["mentor"])))
    courses = [c for c in (_course(item) for item in (card["courses"] or [])) if c]
    return rows, courses, bool(snapshot)


def _period(route: Route) -> str:
    if route.starts_on and route.ends_on:
        return f"с {format_date(route.starts_on)} по {format_date(route.ends_on)}"
    return route.academic_year


def _roadmap(route: Route, groups: list[CompetencyGroup]) -> list[RoadmapGroup]:
    by_group: dict[int, RoadmapGroup] = {g.pk: RoadmapGroup(g.name) for g in groups}
    for activity in route.activities.all():
        group = by_group.setdefault(activity.group_id, RoadmapGroup(activity.group.name))
        details = ", ".join(p for p in (activity.kind.name, f"уровень: {activity.get_level_display().lower()}") if p)
        if activity.expected_result:
            details += f"; ожидаемый результат: {activity.expected_result}"
        confirming = [activity.confirming_document] if activity.confirming_document else []
        for evidence in activity.evidence.all():
            name = evidence.original_name or evidence.url
            confirming.append(f"{evidence.get_kind_display()}: {name}" if name else evidence.get_kind_display())
        if activity.is_done:
            mark = f"Выполнено {format_date(activity.done_on)}".strip()
        else:
            mark = "Не выполнено" if route.status in RESULT_STATUSES else ""
        group.rows.append(RoadmapRow(
            deadline=format_date(activity.deadline), title=activity.title, details=details,
            confirming=confirming, mark=mark, note=activity.note, is_done=activity.is_done,
        ))
    return list(by_group.values())


def _results(route: Route) -> dict | None:
    if route.status not in RESULT_STATUSES:
        return None
    chosen = route.outcome or route.outcome_proposed
    presented = ", ".join(p for p in (format_date(route.results_presented_on), route.results_presented_place) if p)
    return {
        "is_final": bool(route.outcome),
        "reflection": route.reflection,
        "outcomes": [Outcome(label, code == chosen) for code, label in Route.Outcome.choices],
        "outcome_note": "" if route.outcome else "Оценка педагога; итоги ожидают решения проверяющего.",
        "comment": route.results_comment,
        "presented": presented,
        "completed_on": format_date(route.completed_on),
    }


# ---- the final diagnostics (issue 16, item 4): its own block, after the results ----

FINAL_COLUMNS = ("Дефицит", "Балл до", "Балл после", "Порог", "Кто оценил", "Итог")


def _final_diagnostics(route: Route) -> list[tuple[str, ...]]:
    """Before/after of each deficit the route addressed (routes.models.DeficitReassessment), one row each."""
    if route.status not in RESULT_STATUSES:
        return []
    rows = []
    for r in route.reassessments.select_related("deficit__competency"):
        if r.deficit.status == r.deficit.Status.OVERCOME:
            verdict = "преодолен"
        elif route.status == Route.Status.RESULTS_SUBMITTED:
            verdict = "ожидает приемки итогов"
        else:
            verdict = "в работе: в следующий ИОМ"
        rows.append((r.deficit.competency.name, "—" if r.before is None else str(r.before), str(r.after),
                     str(r.threshold), r.get_source_display(), verdict))
    return rows


def _docx_final_diagnostics(document, rows: list[tuple[str, ...]]) -> None:
    document.add_heading("Итоговая диагностика дефицитов", level=2)
    table = document.add_table(rows=1, cols=len(FINAL_COLUMNS))
    table.style = "Table Grid"
    dx.repeat_header(table.rows[0])
    for cell, title in zip(table.rows[0].cells, FINAL_COLUMNS, strict=True):
        dx.cell_text(cell, title, bold=True)
        dx.shade(cell)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            dx.cell_text(cell, value)
    dx.set_widths(table, [Mm(60), Mm(18), Mm(20), Mm(16), Mm(33), Mm(28)])


# ---- end of the final diagnostics block ----


def load_for_document(route: Route) -> Route:
    """Fetch everything the document shows in a fixed number of queries, whatever its size."""
    prefetch_related_objects(
        [route],
        "tasks",
        "deficits__competency",
        Prefetch(
            "activities",
            queryset=RoadmapActivity.objects.select_related("group", "kind").prefetch_related(
                Prefetch("evidence", queryset=Evidence.objects.only("pk", "activity_id", "kind", "original_name", "url"))
            ),
        ),
    )
    return route


def iom_context(route: Route) -> dict:
    """The whole document as plain values; both renderers read only this."""
    load_for_document(route)
    person = route.person
    organisation = route.organisation
    # The document's dates are the school's, whoever downloads it from wherever (schools.timezones).
    zone = zone_of_organisation(organisation)
    card_rows, courses, is_snapshot = _card_rows(route)
    groups = list(CompetencyGroup.objects.filter(in_roadmap=True))
    roadmap = _roadmap(route, groups)
    activity_count = sum(len(g.rows) for g in roadmap)
    done_count = sum(r.is_done for g in roadmap for r in g.rows)
    approvals = [
        Row(label, format_date(day))
        for label, day in (
            ("Утвержден", route.approved_on), ("Зачтен", route.credited_on), ("Защищен", route.defended_on),
        )
        if day
    ]
    if route.defended_place and route.defended_on:
        approvals[-1] = Row("Защищен", f"{format_date(route.defended_on)}, {route.defended_place}")
    deficits = [f"{d.competency.code} {d.competency.name}" for d in route.deficits.all()]
    return {
        "document_title": DOCUMENT_TITLE,
        "organisation": organisation.name,
        "municipality": organisation.municipality.name,
        "teacher": person.full_name,
        "position": words.position_label(_text(route.card.get("position")) or person.position,
                                         _text(route.card.get("subject")) or person.subject),
        "city": route.city or organisation.municipality.name,
        "year": str(local_now(zone, route.created_at).year),
        "academic_year": route.academic_year,
        "status": route.get_status_display(),
        "period": _period(route),
        "topic": route.topic,
        "approvals": approvals,
        "card_rows": card_rows,
        "courses": courses,
        "card_note": "Сведения на дату подачи ИОМ на согласование." if is_snapshot
        else "ИОМ еще не подан: сведения из текущей карточки педагога.",
        "note_rows": [
            Row("Тема самообразования", route.topic),
            Row("Цель", route.goal),
            Row("Задачи", route.tasks_text),
            Row("Форма самообразования", route.self_education_form),
            Row("Ожидаемый результат", route.expected_result),
            Row("Сроки работы над проблемой", _period(route)),
            Row("Форма отчета о ходе работы", route.reporting_form),
        ],
        "diagnostics_summary": route.diagnostics_summary,
        "deficits": deficits,
        "tasks": [Row(t.problem, t.educational_task) for t in route.tasks.all()],
        "roadmap_columns": ROADMAP_COLUMNS,
        "roadmap": roadmap,
        "activity_count": activity_count,
        "done_count": done_count,
        "results": _results(route),
        "final_columns": FINAL_COLUMNS,
        "final_diagnostics": _final_diagnostics(route),
        "generated_on": format_date(local_now(zone).date()),
        "empty": EMPTY,
    }


def iom_pdf(route: Route) -> bytes:
    return render_pdf(TEMPLATE, iom_context(route))


# --- DOCX -----------------------------------------------------------------------------------


def _label_table(document, rows: list[Row], empty: str):
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for row in rows:
        cells = table.add_row().cells
        dx.cell_text(cells[0], row.label, bold=True)
        dx.cell_text(cells[1], row.value or empty)
    dx.set_widths(table, [Mm(60), Mm(115)])
    return table


def _docx_title_page(document, ctx: dict) -> None:
    dx.paragraph(document, ctx["organisation"], align=dx.CENTER, bold=True, space_after=6)
    dx.paragraph(document, ctx["municipality"], align=dx.CENTER, space_after=6)
    for row in ctx["approvals"]:
        dx.paragraph(document, f"{row.label}: {row.value}", align=dx.RIGHT, space_after=0)
    for _ in range(8):
        dx.paragraph(document, space_after=0)
    dx.paragraph(document, ctx["document_title"].upper(), align=dx.CENTER, bold=True, size=18, space_after=12)
    dx.paragraph(document, ctx["teacher"], align=dx.CENTER, bold=True, size=14, space_after=4)
    dx.paragraph(document, ctx["position"], align=dx.CENTER, space_after=12)
    dx.paragraph(document, f"Период реализации: {ctx['period']}", align=dx.CENTER, space_after=4)
    if ctx["topic"]:
        dx.paragraph(document, f"Тема самообразования: «{ctx['topic']}»", align=dx.CENTER, italic=True, space_after=4)
    for _ in range(10):
        dx.paragraph(document, space_after=0)
    last = dx.paragraph(document, f"{ctx['city']}, {ctx['year']}", align=dx.CENTER)
    last.runs[0].add_break(WD_BREAK.PAGE)


def _docx_roadmap(document, ctx: dict) -> None:
    # 175 mm of text: each column fits its longest header word at 9 pt («Подтверждающий», «Примечание»)
    # and a date at 10 pt
    widths = [Mm(w) for w in ROADMAP_WIDTHS_MM]
    table = document.add_table(rows=1, cols=len(ctx["roadmap_columns"]))
    table.style = "Table Grid"
    header = table.rows[0]
    dx.repeat_header(header)
    for cell, title in zip(header.cells, ctx["roadmap_columns"], strict=True):
        dx.cell_text(cell, title, bold=True, align=dx.CENTER, size=9)
        dx.shade(cell)
    for group in ctx["roadmap"]:
        first = len(table.rows)
        rows = group.rows or [None]
        for item in rows:
            cells = table.add_row().cells
            if item is None:
                dx.cell_text(cells[2], "Мероприятия не запланированы", italic=True, size=10)
                continue
            dx.cell_text(cells[1], item.deadline, align=dx.CENTER, size=10)
            dx.cell_text(cells[2], item.title, size=10)
            dx.paragraph(cells[2], item.details, italic=True, size=10)
            dx.cell_text(cells[3], "\n".join(item.confirming), size=10)
            dx.cell_text(cells[4], item.mark, size=10)
            dx.cell_text(cells[5], item.note, size=10)
        merged = table.cell(first, 0).merge(table.cell(len(table.rows) - 1, 0)) if len(rows) > 1 else table.cell(first, 0)
        dx.cell_text(merged, group.name, bold=True, size=9)
    dx.set_widths(table, widths)


def _docx_results(document, ctx: dict) -> None:
    results = ctx["results"]
    document.add_heading("4. Результаты реализации ИОМ", level=1)
    document.add_heading("Рефлексия педагога", level=2)
    dx.paragraph(document, results["reflection"] or ctx["empty"])
    document.add_heading("Итог реализации маршрута", level=2)
    for outcome in results["outcomes"]:
        dx.paragraph(document, f"{'☒' if outcome.chosen else '☐'} {outcome.label}", bold=outcome.chosen, space_after=0)
    if results["outcome_note"]:
        dx.paragraph(document, results["outcome_note"], italic=True)
    rows = [
        Row("Комментарий наставника / заместителя директора", results["comment"]),
        Row("Представление результатов (дата, место)", results["presented"]),
        Row("Дата завершения", results["completed_on"]),
    ]
    _label_table(document, rows, ctx["empty"])


def iom_docx(route: Route) -> bytes:
    ctx = iom_context(route)
    document = dx.new_document(font_size=11, margins_mm=(18, 15, 18, 20),
                               title=f"{ctx['document_title']}: {ctx['teacher']}", author=ctx["organisation"])

    _docx_title_page(document, ctx)
    document.add_heading("1. Информационная справка о педагоге", level=1)
    _label_table(document, ctx["card_rows"], ctx["empty"])
    document.add_heading("Курсы повышения квалификации (даты, темы)", level=2)
    for course in ctx["courses"] or [ctx["empty"]]:
        dx.paragraph(document, course, style="List Bullet" if ctx["courses"] else None, space_after=0)
    dx.paragraph(document, ctx["card_note"], italic=True)

    document.add_heading("2. Пояснительная записка", level=1)
    document.add_heading("Диагностика и ее результаты", level=2)
    dx.paragraph(document, ctx["diagnostics_summary"] or ctx["empty"])
    if ctx["deficits"]:
        dx.paragraph(document, "Выявленные профессиональные дефициты:", bold=True, space_after=0)
        for deficit in ctx["deficits"]:
            dx.paragraph(document, deficit, style="List Bullet", space_after=0)
    _label_table(document, ctx["note_rows"], ctx["empty"])
    if ctx["tasks"]:
        document.add_heading("Дефициты (задачи деятельности) и образовательные задачи", level=2)
        table = document.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        dx.repeat_header(table.rows[0])
        for cell, title in zip(table.rows[0].cells, ("Дефицит / задача деятельности", "Образовательная задача"),
                               strict=True):
            dx.cell_text(cell, title, bold=True)
            dx.shade(cell)
        for task in ctx["tasks"]:
            cells = table.add_row().cells
            dx.cell_text(cells[0], task.label)
            dx.cell_text(cells[1], task.value or ctx["empty"])
        dx.set_widths(table, [Mm(80), Mm(95)])

    document.add_heading("3. Дорожная карта", level=1)
    dx.paragraph(document, f"Мероприятий: {ctx['activity_count']}, выполнено: {ctx['done_count']}.", space_after=4)
    _docx_roadmap(document, ctx)
    if ctx["results"]:
        _docx_results(document, ctx)
    if ctx["final_diagnostics"]:
        _docx_final_diagnostics(document, ctx["final_diagnostics"])
    dx.paragraph(document, f"Документ сформирован на ИОМ-портале {ctx['generated_on']}. Статус ИОМ: {ctx['status']}.",
                 italic=True, size=8)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def iom_filename(route: Route, extension: str) -> str:
    """"ИОМ_Иванова_М_П_2025-2026.pdf": a Russian name, safe for every file system."""
    person = route.person
    parts = ["ИОМ", person.last_name, *(p[:1] for p in (person.first_name, person.middle_name) if p), route.academic_year]
    name = "_".join(re.sub(r"[^\w-]+", "", p) for p in parts if p)
    return f"{name}.{extension}"
