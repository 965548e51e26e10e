"""The narrative of a project's report (seed 002): problem, tasks, expected results and product,
the stages, the conclusions and the proposals.

Each section has a default written from the project's data (its dates, organisations, events with
their attendance, the participants' figures); the methodist edits them on the project's texts page
(methodics.models.ProjectReportText) and may restore the defaults. A section left empty prints its
default, so the report always has every section. Nothing is counted here: the figures come from
methodics.projects.selectors.project_figures, as on the project page and in the report's tables.
"""

from core.dates import format_date
from core.numbers import format_percent, percent
from core.words import activity_title, count, plural
from methodics.models import Project, ProjectReportText
from methodics.projects.selectors import ProjectFigures

LABELS = {
    "problem": "Проблема",
    "tasks": "Задачи проекта",
    "expected_results": "Ожидаемый результат проекта",
    "product": "Продукт проекта",
    "stages": "Ход реализации проекта",
    "conclusions": "Выводы",
    "proposals": "Предложения на будущий учебный год",
    "signature": "Подпись",
}
HELP = {
    "tasks": "Одна задача в строке.",
    "expected_results": "Один результат в строке.",
    "product": "Один продукт в строке.",
    "stages": "Абзац в строке; строка, начинающаяся с «–», — пункт списка.",
    "conclusions": "Абзац в строке.",
    "proposals": "Одно предложение в строке.",
    "signature": "Должность и организация руководителя проекта; фамилию и подпись ставят от руки.",
}
PEOPLE = ("педагог", "педагога", "педагогов")


def _organisations(n: int) -> str:
    return f"{n} {plural(n, 'образовательной организации', 'образовательных организаций', 'образовательных организаций')}"


def _event_line(e) -> str:
    title = activity_title(e.event.get_kind_display(), e.event.title)  # the kind once, quotes never nested
    return f"– {format_date(e.event.held_on)}: {title} ({e.attendance} чел.)"


def default_texts(project: Project, figures: ProjectFigures) -> dict[str, str]:
    """Every section's default, from the project's data as it is now."""
    f = figures
    start, end = format_date(project.starts_on), format_date(project.ends_on)
    events = sorted(f.events, key=lambda e: (e.event.held_on, e.event.pk))
    stages = [
        f"Подготовительный этап (с {start}): разработан замысел проекта, определены образовательные организации — "
        f"участники ({_organisations(f.organisations_total)}) и педагоги, включенные в проект "
        f"({count(f.participants, *PEOPLE)}).",
    ]
    if events:
        stages.append(f"Основной этап — этап реализации — включал {count(len(events), 'мероприятие', 'мероприятия', 'мероприятий')} "
                      f"(всего {count(f.attendance_total, 'участие', 'участия', 'участий')}, "
                      f"{count(f.people_attended, *PEOPLE)} посетили хотя бы одно):")
        stages.extend(_event_line(e) for e in events)
    else:
        stages.append("Основной этап — этап реализации: методические мероприятия проекта не отмечены.")
    stages.append(f"Завершающий этап (по {end}): подведение итогов, представление педагогами результатов "
                  f"реализации ИОМ.")
    completed_share = percent(f.routes_completed, f.routes_developed)
    conclusions = [
        f"В проекте приняли участие {count(f.participants, *PEOPLE)} из {_organisations(f.organisations_total)}; "
        f"ИОМ разработаны в {f.organisations_with_route} из них.",
        f"Разработано {count(f.routes_developed, 'ИОМ', 'ИОМ', 'ИОМ')}, успешно реализовано {f.routes_completed}"
        + (f" ({format_percent(completed_share)} % от разработанных)" if completed_share is not None else "")
        + f": результат достигнут полностью — {f.routes_completed_full}, частично — {f.routes_completed_partial}.",
        f"Статус участника муниципального проекта (разработал и защитил ИОМ, реализовал его и представил итоги) "
        f"получили {count(f.participants_all_steps, *PEOPLE)} из {f.participants}.",
    ]
    proposals = [
        "На уровне муниципалитета — продолжить обучающие семинары-практикумы по проектированию ИОМ.",
        "На институциональном уровне — обеспечить управление освоением ИОМ как формой персонифицированной работы "
        "с педагогами по повышению их профессионализма.",
    ]
    unfinished = f.participants - f.participants_all_steps
    if unfinished:
        proposals.append(f"Заместителям директоров — сопроводить до представления итогов реализации ИОМ участников, "
                         f"не прошедших все четыре шага ({unfinished} чел.).")
    centre = project.municipality.methodical_centre or project.municipality.name
    return {
        "problem": "Отсутствие системы работы с педагогами по ИОМ в свете современных требований.",
        "tasks": "\n".join([
            "Определить содержание деятельности заместителя директора по управлению профессиональным развитием "
            "педагога через использование ИОМ.",
            "Определить механизмы и формы взаимодействия педагога и заместителя директора в процессе реализации ИОМ.",
            "Сформировать пакет материалов и документов для методического сопровождения педагогов в процессе "
            "реализации ИОМ.",
        ]),
        "expected_results": "\n".join([
            "Модель системы методического сопровождения педагога в процессе реализации ИОМ.",
            f"Разработанные и реализованные ИОМ педагогов — участников проекта ({_organisations(f.organisations_total)}).",
        ]),
        "product": "\n".join([
            "Пакет диагностических материалов.",
            "Формы ИОМ.",
            "Алгоритм работы педагога с ИОМ.",
            "Алгоритм работы заместителя директора с педагогом.",
        ]),
        "stages": "\n".join(stages),
        "conclusions": "\n".join(conclusions),
        "proposals": "\n".join(proposals),
        "signature": f"Руководитель проекта, {centre}",
    }


def saved_text(project: Project) -> ProjectReportText | None:
    return ProjectReportText.objects.filter(project=project).first()


def project_texts(project: Project, figures: ProjectFigures) -> dict[str, str]:
    """What the report prints: the methodist's text of each section, its default where it is empty."""
    defaults = default_texts(project, figures)
    saved = saved_text(project)
    return {name: ((getattr(saved, name) or "").strip() if saved else "") or defaults[name]
            for name in ProjectReportText.SECTIONS}


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
