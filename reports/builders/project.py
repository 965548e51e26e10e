"""The results of a municipal project (seed 002): the analytical note's project card, its narrative
(problem, tasks, expected results and product, the stages, conclusions, proposals: the methodist's
texts or their defaults, methodics.projects.texts), the effectiveness figures, the methodical events
with their attendance, the participants' four steps and the express review of the project's routes.
XLSX, PDF and DOCX of the same content. The figures are methodics.projects.selectors.project_figures —
nothing is recounted."""

from django.utils.safestring import mark_safe

from core import docx_tools as dx
from core import words
from core import xlsx_tools as xl
from core.dates import format_date
from core.numbers import format_percent, percent
from core.pdf import render_pdf
from methodics.models import Step
from methodics.projects.selectors import project_figures, project_participants, project_routes
from methodics.projects.texts import LABELS, lines, project_texts
from reports import charts
from reports.builders.base import Report, ReportError, new_docx
from reports.selectors.project import project_review_summary

MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь"]
SUB_FIGURES = {"routes_completed_full", "routes_completed_partial"}
# The steps as a table's column heads: short enough that no word breaks in a quarter of the page.
STEP_HEADS = {"approved": "ИОМ утвержден", "defended": "ИОМ защищен", "completed": "ИОМ реализован",
              "presented": "Итоги представлены"}


def period_label(start, end) -> str:
    """Seed 002's "Октябрь 2021 – май 2022 года"."""
    first = f"{MONTHS[start.month - 1]} {start.year}"
    return f"{first[0].upper()}{first[1:]} – {MONTHS[end.month - 1]} {end.year} года"


class ProjectReport(Report):
    kind = "project"
    title = "Аналитическая справка по итогам реализации муниципального проекта"
    formats = ("xlsx", "pdf", "docx")

    def __init__(self, params, progress=None):
        super().__init__(params, progress)
        if params.project is None:
            raise ReportError("Укажите муниципальный проект.")
        self.project = params.project

    def filename(self, fmt: str) -> str:
        return f"project_{self.project.pk}_{self.report_date:%Y-%m-%d}.{fmt}"

    def compute(self) -> None:
        project = self.project
        self.participants = project_participants(project)
        self.figures = project_figures(project, self.participants)
        self.progress(25)
        self.review = project_review_summary(project_routes(project))
        self.reviewed = self.review[0].reviews if self.review else 0
        self.organisation_names = list(self.figures.organisation_names)  # the participants' organisations
        self.step_counts = [
            (label, sum(1 for p in self.participants if p.steps[i].done))
            for i, (_code, label) in enumerate(Step.choices)
        ]
        self.period = period_label(project.starts_on, project.ends_on)
        self.texts = project_texts(project, self.figures)

    def narrative(self, name: str) -> list[str]:
        return lines(self.texts[name])

    # -- the figures, each with its base
    @property
    def effectiveness(self) -> list[tuple[str, str, int, int | None]]:
        """(code, label, count, base) — the criteria of seed 002's "Результаты реализации проекта"."""
        f = self.figures
        return [
            ("organisations_total", "Организации участников проекта", f.organisations_total, None),
            ("organisations_with_route", "Организации участников проекта, где разработан хотя бы один ИОМ",
             f.organisations_with_route, f.organisations_total),
            ("routes_developed", "Разработанные ИОМ (утвержденные ИОМ участников)", f.routes_developed, None),
            ("routes_finished", "Завершенные ИОМ (шаг «Реализовал ИОМ», любой результат)", f.routes_finished,
             f.routes_developed),
            ("routes_completed", "Успешно реализованные ИОМ (результат достигнут полностью или частично)",
             f.routes_completed, f.routes_developed),
            ("routes_completed_full", "из них результат достигнут полностью", f.routes_completed_full,
             f.routes_developed),
            ("routes_completed_partial", "из них результат достигнут частично", f.routes_completed_partial,
             f.routes_developed),
            ("participants", "Педагоги, включенные в проект", f.participants, None),
            ("participants_all_steps", "Педагоги — участники проекта муниципального уровня (все четыре шага)",
             f.participants_all_steps, f.participants),
            ("events", "Методические мероприятия проекта", len(f.events), None),
            ("attendance_total", "Участий в мероприятиях (человеко-мероприятий)", f.attendance_total, None),
            ("people_attended", "Педагоги, посетившие хотя бы одно мероприятие", f.people_attended, None),
        ]

    @property
    def review_strong(self) -> list[str]:
        ranked = sorted((c for c in self.review if c.reviews), key=lambda c: (-c.points, c.code))
        return [c.label.lower() for c in ranked[:2]]

    @property
    def review_weak(self) -> list[str]:
        ranked = sorted((c for c in self.review if c.reviews), key=lambda c: (c.points, c.code))
        return [c.label.lower() for c in ranked[:2]]

    # -- Данные
    def data_headers(self) -> list[str]:
        return ["Код", "Показатель", "Значение", "База", "Доля, %"]

    def data_rows(self):
        for code, label, count, base in self.effectiveness:
            share = percent(count, base) if base is not None else None
            yield [code, label, count, base, float(share) if share is not None else None]
        for (_code, label), (_l, n) in zip(Step.choices, self.step_counts, strict=True):
            share = percent(n, self.figures.participants)
            yield [f"step_{_code}", label, n, self.figures.participants, float(share) if share is not None else None]
        for e in self.figures.events:
            yield ["event", f"{e.event.held_on:%d.%m.%Y} {words.activity_title(e.event.get_kind_display(), e.event.title, start=True)}",
                   e.attendance, None, None]
        for c in self.review:
            yield [f"review_{c.code}", f"Экспресс-экспертиза: {c.label} (средний балл из 2)",
                   float(c.average) if c.average is not None else None, c.reviews,
                   float(c.share) if c.share is not None else None]

    # -- the people's sheets
    def write_sheets(self, wb) -> None:
        p = self.project
        ws = wb.active
        ws.title = "Справка"
        row = xl.text(ws, 1, f"{self.title} «{p.title}»", bold=True, columns=5, size=13)
        row = xl.text(ws, row, f"{p.municipality.name}. Дата отчета: {self.report_date:%d.%m.%Y}", columns=5)
        row = xl.text(ws, row + 1, "Критерии эффективности проекта", bold=True, columns=5)
        body = [[i, label, count, base, xl.percent(percent(count, base)) if base is not None else None]
                for i, (_code, label, count, base) in enumerate(self.effectiveness, start=1)]
        table = xl.table(ws, row, [["№", "Показатель", "Количество", "База", "Доля, %"]], body)
        xl.finish_sheet(ws, [table], minimums={2: 60}, max_width=80)
        self._card_sheet(wb)
        self._events_sheet(wb)
        self._participants_sheet(wb)
        self._review_sheet(wb)

    def _card_sheet(self, wb) -> None:
        p, f = self.project, self.figures
        ws = wb.create_sheet("Карта проекта")
        row = xl.text(ws, 1, "Информационная карта проекта", bold=True, columns=2)
        card = [["Сроки реализации проекта", self.period],
                ["Участники", f"{words.count(f.participants, 'педагог', 'педагога', 'педагогов')} из "
                              f"{f.organisations_total} "
                              f"{words.plural(f.organisations_total, 'организации', 'организаций', 'организаций')}"],
                ["Образовательные организации", ", ".join(self.organisation_names) or "—"],
                ["Цель проекта", p.goal or "—"]]
        table = xl.table(ws, row, [["Раздел", "Содержание"]], card, filter=False)
        xl.finish_sheet(ws, [table], max_width=90)

    def _events_sheet(self, wb) -> None:
        ws = wb.create_sheet("Мероприятия")
        body = [[i, e.event.held_on, e.event.get_kind_display(), e.event.title, e.event.organiser_label, e.attendance]
                for i, e in enumerate(self.figures.events, start=1)]
        table = xl.table(ws, 1, [["№", "Дата", "Форма", "Тема", "Организатор", "Участников, чел."]], body,
                         totals=[[None, None, None, "Итого", None, self.figures.attendance_total]])
        xl.finish_sheet(ws, [table], minimums={4: 40})

    def _participants_sheet(self, wb) -> None:
        ws = wb.create_sheet("Участники")
        body = []
        for i, ps in enumerate(self.participants, start=1):
            person = ps.participant.person
            marks = [(s.on or "да") if s.done else "—" for s in ps.steps]
            body.append([i, person.full_name, person.organisation.short_name, person.position, *marks,
                         "да" if ps.all_done else "нет"])
        table = xl.table(ws, 1, [["№", "Педагог", "Организация", "Должность", *(label for _c, label in Step.choices),
                                  "Все шаги"]], body)
        for row in ws.iter_rows(min_row=2, max_row=table.bottom, min_col=5, max_col=table.last_col):
            for cell in row:
                cell.alignment = xl.CENTER
        xl.finish_sheet(ws, [table], minimums={2: 30})

    def _review_sheet(self, wb) -> None:
        ws = wb.create_sheet("Экспресс-экспертиза")
        body = [[c.label, float(c.average) if c.average is not None else None, xl.percent(c.share), c.reviews]
                for c in self.review]
        table = xl.table(ws, 1, [["Критерий", "Средний балл (из 2)", "Доля от максимума, %", "ИОМ оценено"]], body,
                         formats={1: "0.00"})
        xl.finish_sheet(ws, [table], minimums={1: 40})

    # -- PDF
    def context(self) -> dict:
        f = self.figures
        effectiveness = [
            {"label": label, "count": count, "base": base, "sub": code in SUB_FIGURES,
             "share": percent(count, base) if base is not None else None}
            for code, label, count, base in self.effectiveness
        ]
        review_chart = ""
        if self.reviewed:
            review_chart = charts.share_bars([(c.label, c.share) for c in self.review], None,
                                             title="Экспресс-экспертиза ИОМ: доля от максимального балла, %",
                                             label_width=280)
        steps_chart = charts.count_bars(self.step_counts, title="Участники проекта по шагам", label_width=300,
                                        width=640) if f.participants else ""
        narrative = {name: self.narrative(name) for name in self.texts}
        return {
            "r": self, "project": self.project, "f": f, "municipality": self.project.municipality,
            "text": narrative, "labels": LABELS, "step_heads": [STEP_HEADS[code] for code, _l in Step.choices],
            "report_date": self.report_date, "period": self.period, "organisations": self.organisation_names,
            "effectiveness": effectiveness, "participants": self.participants, "steps": Step.choices,
            "review": self.review, "reviewed": self.reviewed, "strong": self.review_strong,
            "weak": self.review_weak, "review_chart": mark_safe(review_chart), "steps_chart": mark_safe(steps_chart),
            "routes_completed_share": format_percent(percent(f.routes_completed, f.routes_developed)),
            "orgs_share": format_percent(percent(f.organisations_with_route, f.organisations_total)),
        }

    def render_pdf(self, out) -> None:
        out.write(render_pdf("reports/pdf/project.html", self.context()))

    # -- DOCX: the same sections as the PDF, in the same order
    def render_docx(self, out) -> None:
        p, f = self.project, self.figures
        doc = new_docx(self)
        m = p.municipality
        dx.paragraph(doc, f"{m.methodical_centre or m.name} · {m.name} · дата отчета {format_date(self.report_date)}",
                     size=9, align=dx.RIGHT)
        dx.heading(doc, f"{self.title} {words.quote(p.title)}", level=1)
        dx.heading(doc, "Информационная карта проекта", level=2)
        card = [["География проекта", f"Образовательные организации: {', '.join(self.organisation_names) or 'не указаны'}"
                                      f" ({m.name})"],
                ["Сроки реализации проекта", f"{self.period} ({format_date(p.starts_on)} – {format_date(p.ends_on)})"],
                ["Участники", f"{words.count(f.participants, 'педагог', 'педагога', 'педагогов')} из "
                              f"{f.organisations_total} {words.plural(f.organisations_total, 'образовательной организации', 'образовательных организаций', 'образовательных организаций')}"],
                ["Проблема", "\n".join(self.narrative("problem"))],
                ["Цель проекта", p.goal or "не указана"]]
        table = dx.table(doc, [["Раздел", "Содержание"]], card, widths_cm=[4.5, 12.5], font_size=11)
        for row in table.rows:
            dx.keep_row(row)
        for name in ("tasks", "expected_results", "product"):
            dx.heading(doc, LABELS[name], level=2)
            (dx.numbered if name == "tasks" else dx.bullets)(doc, self.narrative(name))
        dx.heading(doc, LABELS["stages"], level=2)
        for line in self.narrative("stages"):
            dx.paragraph(doc, line)
        dx.heading(doc, "Методические мероприятия проекта", level=2)
        if f.events:
            body = [[str(i), format_date(e.event.held_on), e.event.get_kind_display(), e.event.title,
                     e.event.organiser_label, str(e.attendance)] for i, e in enumerate(f.events, start=1)]
            body.append(["", "", "", f"Всего участий (разных педагогов — {f.people_attended})", "",
                         str(f.attendance_total)])
            table = dx.table(doc, [["№", "Дата", "Форма", "Тема", "Организатор", "Участников, чел."]], body,
                             widths_cm=[0.9, 2.2, 2.8, 4.9, 3.9, 2.3], font_size=10, header_size=9)
            dx.repeat_header(table.rows[0])
        else:
            dx.paragraph(doc, "Мероприятия проекта не отмечены.")
        dx.heading(doc, "Результаты реализации проекта", level=2)
        dx.paragraph(doc, "1. Критерии эффективности проекта", bold=True)
        body = [[label if code not in SUB_FIGURES else f"   {label}", str(count),
                 "" if base is None else str(base),
                 "" if base is None else format_percent(percent(count, base))]
                for code, label, count, base in self.effectiveness]
        table = dx.table(doc, [["Показатель", "Количество", "База", "Доля, %"]], body, widths_cm=[10.5, 2.3, 2, 2.2],
                         font_size=10, header_size=9)
        dx.repeat_header(table.rows[0])
        if self.participants:
            dx.paragraph(doc, "2. Участники проекта по шагам", bold=True)
            dx.table(doc, [["Шаг", "Участников", "Доля, %"]],
                     [[label, str(n), format_percent(percent(n, f.participants))] for label, n in self.step_counts],
                     widths_cm=[11, 3, 3], font_size=10, header_size=9)
        dx.paragraph(doc, "3. Экспресс-экспертиза разработанных ИОМ", bold=True)
        if self.reviewed:
            dx.paragraph(doc, f"Экспресс-экспертиза {self.reviewed} ИОМ проекта показала, что лучше всего удалось "
                              f"реализовать такие критерии современного ИОМ, как {' и '.join(self.review_strong)}. "
                              f"Наиболее сложными остаются {' и '.join(self.review_weak)}.")
            dx.table(doc, [["Критерий", "Средний балл (из 2)", "Доля от максимума, %"]],
                     [[c.label, format_percent(c.average), format_percent(c.share)] for c in self.review],
                     widths_cm=[10, 3.5, 3.5], font_size=10, header_size=9)
        else:
            dx.paragraph(doc, "Экспресс-экспертиза ИОМ проекта не проводилась.")
        for name in ("conclusions", "proposals"):
            dx.heading(doc, LABELS[name], level=2)
            if name == "proposals":
                dx.numbered(doc, self.narrative(name))
            else:
                for line in self.narrative(name):
                    dx.paragraph(doc, line)
        dx.paragraph(doc)
        for line in self.narrative("signature"):
            dx.paragraph(doc, line, space_after=0).paragraph_format.keep_with_next = True
        dx.paragraph(doc, "_" * 20, space_after=0)
        if self.participants:
            dx.heading(doc, "Приложение. Участники проекта и их шаги", level=2)
            body = [[str(i), ps.participant.person.full_name, ps.participant.person.organisation.short_name,
                     *((format_date(s.on) if s.on else "да") if s.done else "—" for s in ps.steps)]
                    for i, ps in enumerate(self.participants, start=1)]
            table = dx.table(doc, [["№", "Педагог", "ОО", *(STEP_HEADS[code] for code, _l in Step.choices)]], body,
                             widths_cm=[0.9, 3.5, 3.3, 2.2, 2.2, 2.2, 2.7], font_size=9, header_size=8.5)
            dx.repeat_header(table.rows[0])
        doc.save(out)
