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
from routes.models import Evidence, RoadmapActivity, Route, Transition
from schools.access import covers, memberships_granting
from schools.models import Membership, StaffMember
from schools.timezones import local_now, zone_of_organisation

TEMPLATE = "routes/documents/iom.html"
DOCUMENT_TITLE = "Индивидуальный образовательный маршрут педагога"
# The direction (competency group) heads its activities in a full-width row, not a column merged down the
# rows: a merged cell loses its border where a page breaks it, and a row holding one cannot be kept whole.
# «Примечание» holds the organiser («ФГАОУ ДПО «Академия Минпросвещения России»», «Муниципальный
# методический центр»): at 30 mm LibreOffice broke those words mid-word, so the activity column lends it 7 mm.
ROADMAP_WIDTHS_MM = (23, 52, 35, 27, 38)
ROADMAP_COLUMNS = ["Срок", "Мероприятие", "Подтверждающий документ", "Отметка о выполнении", "Примечание"]
# Results belong to the document once the teacher has reported them (docs/spec/workflow.md).
RESULT_STATUSES = (Route.Status.RESULTS_SUBMITTED, Route.Status.COMPLETED, Route.Status.ARCHIVED)
EMPTY = "—"


@dataclass(frozen=True)
class Row:
    label: str
    value: str


@dataclass(frozen=True)
class Signer:
    """One side of the approval block, or one signature line: filled from the transition log where
    the step was taken in the portal, left as lines to fill by hand where it was not."""

    title: str  # «СОГЛАСОВАНО», «ЗАЧТЕНО», or the role of a signature line
    position: str
    name: str
    date: str


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
    when = _date(item.get("dates") or item.get("date") or item.get("done_on") or "")
    topic = _text(item.get("topic") or item.get("title"))
    extras = [p for p in (_text(item.get("provider")), f"{item['hours']} ч" if item.get("hours") else "") if p]
    text = f"{when} — {topic}" if when and topic else when or topic
    return f"{text} ({', '.join(extras)})" if extras else text


def _mentor_of(route: Route) -> StaffMember | None:
    """The mentor of the route's author over the route's period: the latest mentoring pair (methodics.MentoringPair,
    through its reverse relation) that overlaps the period, or the open one when the route has no period."""
    pairs = route.person.mentoring_as_mentee.select_related("mentor")
    if route.starts_on and route.ends_on:
        pairs = pairs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=route.starts_on), starts_on__lte=route.ends_on)
    else:
        pairs = pairs.filter(ends_on__isnull=True)
    pair = pairs.order_by("-starts_on", "-pk").first()
    return pair.mentor if pair else None


def _live_courses(route: Route) -> list[dict]:
    """The courses the teacher finished in earlier routes, as the submission's snapshot takes them."""
    done = (RoadmapActivity.objects.filter(route__person=route.person, route__academic_year__lt=route.academic_year,
                                           kind__code="course", is_done=True)
            .select_related("resource").order_by("done_on", "pk"))
    return [{"done_on": a.done_on, "title": a.title, "hours": a.resource.hours if a.resource else None,
             "provider": a.resource.provider if a.resource else ""} for a in done]


def _live_card(route: Route, mentor: StaffMember | None) -> dict:
    person = route.person
    return {
        "position": person.position,
        "subject": person.subject,
        "education": person.education,
        "attested_on": person.attested_on,
        "qualification_category": person.qualification_category,
        "experience_years": person.experience_years,
        "mentor": mentor.full_name if mentor else "",
        "courses": _live_courses(route) if not route.card else [],
    }


def _card_rows(route: Route, mentor: StaffMember | None) -> tuple[list[Row], list[str], bool]:
    snapshot = route.card or {}
    live = _live_card(route, mentor)
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


# a role as a position under a signature line, lower-case like the staff positions («заместитель директора по УВР»)
ROLE_POSITIONS = {role: label[:1].lower() + label[1:] for role, label in Membership.Role.choices}
BLANK_NAME = "_" * 20
BLANK_DATE = "«___» ____________ 20___ г."


def _initials_name(last: str, first: str, middle: str) -> str:
    """«О.В. Мартынова», as a signature is written under the line."""
    initials = "".join(f"{p[0]}." for p in (first, middle) if p)
    return f"{initials} {last}".strip()


def _person_name(person: StaffMember | None) -> str:
    return _initials_name(person.last_name, person.first_name, person.middle_name) if person else ""


def _user_signer(user, route: Route, capability: str) -> tuple[str, str]:
    """(position, name) of whoever took a step: the staff record's position where the account has one,
    else the role through which the account holds `capability` over the route's school."""
    if user is None:
        return "", ""
    person = getattr(user, "staff_member", None)
    if person is not None:
        return person.position, _person_name(person)
    granting = [m for m in memberships_granting(user, capability) if covers(m, route.organisation)]
    position = ROLE_POSITIONS.get(granting[0].role, "") if granting else ""
    return position, _initials_name(user.last_name, user.first_name, "") or user.get_username()


def _last(transitions: list[Transition], action: str) -> Transition | None:
    found = [t for t in transitions if t.action == action]
    return found[-1] if found else None


def _approval_block(route: Route, transitions: list[Transition]) -> tuple[Signer, Signer]:
    """«СОГЛАСОВАНО» (the school's approval) and «ЗАЧТЕНО» (the credit), each from its last step in the
    log. A route imported from the registry has the dates without the people; a draft has neither:
    the lines stay to be filled by hand."""
    approve = _last(transitions, "approve") if route.status in Route.APPROVED_STATUSES else None
    credit = _last(transitions, "credit") if route.credited_on else None
    if credit is None and approve is not None and route.credited_on and approve.to_status == Route.Status.IN_PROGRESS:
        credit = approve  # the municipality needs no credit: the approval credits the route the same day
    position, name = _user_signer(approve.actor if approve else None, route, "route.review")
    approved_on = route.approved_on if route.status in Route.APPROVED_STATUSES else None
    agreed = Signer("СОГЛАСОВАНО", position or "заместитель директора", name,
                    format_date(approved_on) if approved_on else "")
    position, name = _user_signer(credit.actor if credit else None, route, "route.credit" if credit is not approve else "route.review")
    credited = Signer("ЗАЧТЕНО", position, name, format_date(route.credited_on) if route.credited_on else "")
    return agreed, credited


def _signature_lines(route: Route, agreed: Signer, mentor: StaffMember | None) -> list[Signer]:
    """Who signs the document under it: the teacher, the deputy who agreed it (a blank line while nobody
    has), and the mentor of the route's period where there is one."""
    person = route.person
    lines = [Signer("Педагог", person.position, _person_name(person), ""),
             Signer("Заместитель директора", agreed.position if agreed.name else "", agreed.name, "")]
    if mentor is not None:
        lines.append(Signer("Наставник", mentor.position, _person_name(mentor), ""))
    return lines


def _extension(route: Route, transitions: list[Transition]) -> dict | None:
    """The one extension of an expired route (routes/workflow): the old and new end dates, the reason, who and when."""
    if not route.extended_from:
        return None
    extend = _last(transitions, "extend")
    position, name = _user_signer(extend.actor if extend else None, route, "route.review")
    zone = zone_of_organisation(route.organisation)
    return {
        "old_end": format_date(route.extended_from), "new_end": format_date(route.ends_on),
        "reason": route.extension_reason,
        "by": ", ".join(p for p in (position, name) if p),
        "on": format_date(local_now(zone, extend.at).date()) if extend else "",
    }


def _tasks_repeat_text(route: Route) -> bool:
    """The note's «Задачи» say what the tasks table says (the drafting wizard writes them from it)."""
    def norm(text: str) -> list[str]:
        return [" ".join(line.lower().strip(" .;-–—•0123456789)").split()) for line in text.replace(";", "\n").splitlines()
                if line.strip(" .;-–—•0123456789)")]

    tasks = [t.educational_task or t.problem for t in route.tasks.all()]
    return bool(tasks) and set(norm(route.tasks_text)) <= set(norm("\n".join(tasks)))


# ---- the final diagnostics (issue 16, item 4): its own block, after the results ----

FINAL_COLUMNS = ("Дефицит", "Балл до", "Балл после", "Порог", "Кто оценил", "Итог")


def _final_diagnostics(route: Route) -> list[tuple[str, ...]]:
    """Before/after of each deficit the route addressed (routes.models.DeficitReassessment), one row each."""
    if route.status not in RESULT_STATUSES:
        return []
    rows = []
    for r in route.reassessments.select_related("deficit__competency"):
        if r.deficit.status == r.deficit.Status.OVERCOME and not r.reached:
            # closed by a later diagnostic of the person, not by this route's re-assessment
            verdict = "преодолен по диагностике" + (f" от {format_date(r.deficit.closed_on)}" if r.deficit.closed_on else "")
        elif r.deficit.status == r.deficit.Status.OVERCOME:
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
        Prefetch("transitions", queryset=Transition.objects.select_related("actor__staff_member")
                 .prefetch_related("actor__memberships").order_by("at", "pk")),
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
    mentor = _mentor_of(route)
    card_rows, courses, is_snapshot = _card_rows(route, mentor)
    groups = list(CompetencyGroup.objects.filter(in_roadmap=True))
    roadmap = _roadmap(route, groups)
    activity_count = sum(len(g.rows) for g in roadmap)
    done_count = sum(r.is_done for g in roadmap for r in g.rows)
    transitions = list(route.transitions.all())
    agreed, credited = _approval_block(route, transitions)
    defended = ", ".join(p for p in (format_date(route.defended_on), route.defended_place) if p) \
        if route.defended_on else ""
    extension = _extension(route, transitions)
    tasks = [Row(t.problem, t.educational_task) for t in route.tasks.all()]
    # Each deficit is said once: in the tasks table where a task addresses it, in the list otherwise.
    addressed = {t.deficit_id for t in route.tasks.all() if t.deficit_id}
    deficits = [f"{d.competency.code} {d.competency.name}" for d in route.deficits.all() if d.pk not in addressed]
    period = _period(route)
    if extension:
        period += f" (продлен; прежний срок окончания — {extension['old_end']})"
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
        "agreed": agreed,
        "credited": credited,
        "approval": [agreed, credited],
        "defended": defended,
        "extension": extension,
        "signatures": _signature_lines(route, agreed, mentor),
        "blank_name": BLANK_NAME,
        "blank_date": BLANK_DATE,
        "card_rows": card_rows,
        "courses": courses,
        "card_note": "Сведения на дату подачи ИОМ на согласование." if is_snapshot
        else "ИОМ еще не подан: сведения из текущей карточки педагога.",
        "note_rows": [
            Row("Тема самообразования", route.topic),
            Row("Цель", route.goal),
            *([] if _tasks_repeat_text(route) else [Row("Задачи", route.tasks_text)]),
            Row("Форма самообразования", route.self_education_form),
            Row("Ожидаемый результат", route.expected_result),
            Row("Сроки работы над проблемой", period),
            Row("Форма отчета о ходе работы", route.reporting_form),
        ],
        "diagnostics_summary": route.diagnostics_summary,
        "deficits": deficits,
        "tasks": tasks,
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
        table_row = table.add_row()
        dx.keep_row(table_row)
        cells = table_row.cells
        dx.cell_text(cells[0], row.label, bold=True)
        dx.cell_text(cells[1], row.value or empty)
    dx.set_widths(table, [Mm(60), Mm(115)])
    return table


def _docx_title_page(document, ctx: dict) -> None:
    dx.paragraph(document, ctx["organisation"], align=dx.CENTER, bold=True, space_after=6)
    dx.paragraph(document, ctx["municipality"], align=dx.CENTER, space_after=6)
    _docx_approval(document, ctx)
    for _ in range(5):
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


def _docx_approval(document, ctx: dict) -> None:
    """The two sides of the approval block side by side, in a table without borders."""
    dx.paragraph(document, space_after=12)
    table = document.add_table(rows=1, cols=2)
    for cell, side in zip(table.rows[0].cells, ctx["approval"], strict=True):
        dx.cell_text(cell, side.title, bold=True)
        dx.paragraph(cell, side.position or " ", space_after=8)
        dx.paragraph(cell, f"{'_' * 14} {side.name or ctx['blank_name']}", space_after=2)
        dx.paragraph(cell, side.date or ctx["blank_date"], space_after=0)
    dx.set_widths(table, [Mm(88), Mm(87)])
    if ctx["defended"]:
        dx.paragraph(document, f"Защищен: {ctx['defended']}", align=dx.RIGHT, space_after=0)


def _docx_signatures(document, ctx: dict) -> None:
    dx.paragraph(document, space_after=6)
    table = document.add_table(rows=0, cols=4)
    for line in ctx["signatures"]:
        row = table.add_row()
        dx.keep_row(row)
        cells = row.cells
        dx.cell_text(cells[0], line.title)
        dx.cell_text(cells[1], "_" * 16)
        dx.cell_text(cells[2], line.name or ctx["blank_name"])
        dx.cell_text(cells[3], ctx["blank_date"])
        for cell in cells:
            cell.paragraphs[0].paragraph_format.space_before = Mm(4)
    dx.set_widths(table, [Mm(52), Mm(32), Mm(38), Mm(53)])


def _docx_roadmap(document, ctx: dict) -> None:
    # 175 mm of text: each column fits its longest header word at 9 pt («Подтверждающий», «Примечание»)
    # and a date at 10 pt; a direction's name («Профессионально-личностные») has the whole width
    widths = [Mm(w) for w in ROADMAP_WIDTHS_MM]
    table = document.add_table(rows=1, cols=len(ctx["roadmap_columns"]))
    table.style = "Table Grid"
    header = table.rows[0]
    dx.repeat_header(header)
    for cell, title in zip(header.cells, ctx["roadmap_columns"], strict=True):
        dx.cell_text(cell, title, bold=True, align=dx.CENTER, size=9)
        dx.shade(cell)
    for group in ctx["roadmap"]:
        head = table.add_row()
        dx.keep_row(head)
        cell = head.cells[0].merge(head.cells[-1])
        dx.cell_text(cell, group.name, bold=True, size=10)
        cell.paragraphs[0].paragraph_format.keep_with_next = True  # the direction stays with its first activity
        dx.shade(cell, dx.GROUP_FILL)
        if not group.rows:
            row = table.add_row()
            dx.keep_row(row)
            dx.cell_text(row.cells[0].merge(row.cells[-1]), "Мероприятия не запланированы", italic=True, size=10)
        for item in group.rows:
            row = table.add_row()
            dx.keep_row(row)  # w:cantSplit: a row never runs over a page break
            cells = row.cells
            dx.cell_text(cells[0], item.deadline, align=dx.CENTER, size=10)
            dx.cell_text(cells[1], item.title, size=10)
            dx.paragraph(cells[1], item.details, italic=True, size=10)
            dx.cell_text(cells[2], "\n".join(item.confirming), size=10)
            dx.cell_text(cells[3], item.mark, size=10)
            dx.cell_text(cells[4], item.note, size=10)
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
    document.add_heading("Курсы повышения квалификации (даты, темы, часы)", level=2)
    for course in ctx["courses"] or [ctx["empty"]]:
        dx.paragraph(document, course, style="List Bullet" if ctx["courses"] else None, space_after=0)
    dx.paragraph(document, ctx["card_note"], italic=True)
    if ctx["extension"]:
        ext = ctx["extension"]
        when = f" ({', '.join(p for p in (ext['on'], ext['by']) if p)})" if ext["on"] else ""
        dx.paragraph(document, f"Срок реализации продлен с {ext['old_end']} до {ext['new_end']}{when}. "
                               f"Причина: {ext['reason'] or ctx['empty']}")

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
            row = table.add_row()
            dx.keep_row(row)
            cells = row.cells
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
    _docx_signatures(document, ctx)
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
