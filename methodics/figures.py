"""The municipal projects' figures in the registry (core.figures): scope is the project itself, counted from
its participants' rows (methodics.projects.selectors.project_figures)."""

from core.dates import academic_year_bounds, format_date
from core.figures import Figure, Period, Value
from methodics.mentoring.selectors import pairs_active_between
from methodics.projects.selectors import ProjectFigures, project_figures

SOURCES: dict[str, tuple[str, str | None]] = {}  # code -> (ProjectFigures attribute, attribute of its base)


def _project(attribute: str, base: str | None = None):
    def compute(project, period=None):
        f = project_figures(project)
        return getattr(f, attribute), (getattr(f, base) if base else None)
    compute.source = (attribute, base)
    return compute


def project_period(project) -> Period:
    return Period(kind="project", text=f"срок проекта {format_date(project.starts_on)} — {format_date(project.ends_on)}")


def project_values(project, figures: ProjectFigures) -> dict[str, Value]:
    """Every project figure of the registry from one ProjectFigures (the page and the report count it once)."""
    period = project_period(project)
    values = {}
    for f in PROJECT_FIGURES:
        attribute, base = f.compute.source
        values[f.code] = Value(f.code, f.name, getattr(figures, attribute),
                               getattr(figures, base) if base else None, period, f.unit)
    return values


PARTICIPANTS = "участники проекта (строки списка участников на странице проекта и в отчете)"

PROJECT_FIGURES = [
    Figure("project_participants", "Педагоги — участники проекта", f"Все {PARTICIPANTS}.",
           _project("participants"), unit="count", period_kind="project", scope="project", app="methodics"),
    Figure("project_organisations", "Организации участников проекта",
           f"Разные организации, в которых работают {PARTICIPANTS}.",
           _project("organisations_total"), unit="count", period_kind="project", scope="project", app="methodics"),
    Figure("project_organisations_with_route", "Организации, где разработан хотя бы один ИОМ",
           "Организации участников, где у участника есть утвержденный ИОМ проекта, ÷ организации участников.",
           _project("organisations_with_route", "organisations_total"), period_kind="project", scope="project",
           app="methodics"),
    Figure("project_routes_developed", "Разработано ИОМ",
           "Утвержденные ИОМ участников проекта (ИОМ, по которому считаются шаги участника).",
           _project("routes_developed"), unit="count", period_kind="project", scope="project", app="methodics"),
    Figure("project_routes_finished", "Завершено ИОМ (шаг «Реализовал ИОМ»)",
           "ИОМ участников со статусом «Завершен» или «В архиве», с любым результатом — шаг «Реализовал ИОМ».",
           _project("routes_finished", "routes_developed"), period_kind="project", scope="project",
           differs_from="«успешно реализованные» (project_routes_completed) — только с результатом «достигнут "
                        "полностью» или «частично».", app="methodics"),
    Figure("project_routes_completed", "Успешно реализовано ИОМ",
           "ИОМ участников, завершенные (или в архиве) с результатом «достигнут полностью» или «достигнут частично», "
           "÷ разработанные ИОМ участников (docs/spec/reports.md, project).",
           _project("routes_completed", "routes_developed"), period_kind="project", scope="project",
           differs_from="аудит (impl_100) считает долю выполненных мероприятий, а не принятый результат ИОМ.",
           app="methodics"),
    Figure("project_participants_all_steps", "Участники, прошедшие все четыре шага",
           "Участники проекта, у которых есть все четыре шага участника (ИОМ утвержден, защищен, реализован, "
           "результаты представлены), ÷ все участники.",
           _project("participants_all_steps", "participants"), period_kind="project", scope="project",
           app="methodics"),
]


def _pairs_of_year(organisations, period) -> tuple[int, None]:
    start, end = academic_year_bounds(period.years[-1])
    return pairs_active_between(start, end).filter(organisation__in=organisations).count(), None


FIGURES = [
    *PROJECT_FIGURES,
    Figure("mentoring_pairs_year", "Наставнических пар в году",
           "Пары наставничества организаций, которые действовали хотя бы один день выбранного учебного года "
           "(начались до его конца и не закончились до его начала).",
           _pairs_of_year, unit="count", period_kind="year", app="methodics"),
]
