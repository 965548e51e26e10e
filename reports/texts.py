"""The words of the reports, written from the figures (seed 000's interpretation, seed 001's letter).

Every sentence here is built from a selector's result; nothing is counted here. The same
sentences appear on the dashboards, in the PDF and in the DOCX.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from core.dates import format_date
from core.numbers import format_percent
from core.words import count, plural
from reports.selectors.audit import AuditFigures
from reports.selectors.coverage import CoverageTable


def pct(value: Decimal | None) -> str:
    return f"{format_percent(value)} %" if value is not None else "— (нет базы)"


DEFAULT_TASKS = """Оказать методическую помощь заместителям директоров школ по составлению ИОМ на основе выявленных дефицитов в рамках диагностических процедур и задач предстоящей деятельности.
Оказать техническую помощь заместителям директоров по размещению ИОМ и работе на портале.
Выстроить систему методического сопровождения педагогов по составлению и реализации ИОМ на основе выявленных дефицитов и потребностей, как на уровне образовательных учреждений, так и на уровне ММС, в том числе РМО.
Обеспечить выполнение показателей регионального проекта «Современная школа» в части составления ИОМ."""

DEFAULT_ACTIONS = """Включение вопросов составления и реализации ИОМ в заседания предметных РМО.
Проведение методических консультаций для заместителей директоров и педагогов по составлению ИОМ.
Проведение технических консультаций по размещению ИОМ и работе на портале.
Информирование и организация участия заместителей директоров и педагогов в краевых семинарах по составлению и реализации ИОМ.
Периодическое информирование управленческих команд школ о статистических данных выполнения показателя по ИОМ."""


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass
class CoverageTexts:
    interpretation: list[str]
    problems: list[str]
    top: list[str]
    recommendations: dict[str, list[str]] = field(default_factory=dict)


def coverage_interpretation(table: CoverageTable, today: dt.date | None = None) -> list[str]:
    today = today or timezone.localdate()
    total = table.total
    n_years = len(table.years)
    period_total = total.period_teachers + total.period_deputies
    parts = [
        f"Итого за {n_years} {plural(n_years, 'учебный год', 'учебных года', 'учебных лет')} на {format_date(today)}: "
        f"зачтено {period_total} ИОМ (из них {total.period_deputies} ИОМ заместителей директоров); "
        f"ИОМ имеют {total.with_route} из {total.staff} {plural(total.staff, 'педагога', 'педагогов', 'педагогов')} и управленцев школ — {pct(total.share)} "
        f"(знаменатель — сотрудники по основной должности без воспитателей и декретников, с завучами)."
    ]
    per_year = "; ".join(
        f"в {year} уч. году — {t + d} ИОМ, из них {d} ИОМ {plural(d, 'завуча', 'завучей', 'завучей')}"
        for year, (t, d) in zip(table.years, total.credited, strict=True)
    )
    parts.append(f"По годам: {per_year}.")
    if table.not_credited_last_year:
        n = table.not_credited_total
        k = len(table.not_credited_last_year)
        detail = "; ".join(f"{x.count} — {x.organisation}" for x in table.not_credited_last_year)
        parts.append(
            f"По итогам {table.last_year} уч. года {n} {plural(n, 'педагог', 'педагога', 'педагогов')} "
            f"из {k} {plural(k, 'школы', 'школ', 'школ')} не {plural(n, 'получил', 'получили', 'получили')} "
            f"зачет за составленный ИОМ ({detail})."
        )
    else:
        parts.append(f"По итогам {table.last_year} уч. года незачтенных ИОМ нет.")
    registered_deputies = total.registered_deputies
    if table.deputies_without_route:
        n = table.deputies_without_route_total
        detail = "; ".join(f"{x.count} — {x.organisation}" for x in table.deputies_without_route)
        parts.append(
            f"Из {registered_deputies} {plural(registered_deputies, 'завуча', 'завучей', 'завучей')}, "
            f"зарегистрированных на портале, не составлен ИОМ у {n} {plural(n, 'завуча', 'завучей', 'завучей')} ({detail})."
        )
    elif registered_deputies:
        parts.append(f"Все {registered_deputies} зарегистрированных на портале завучей составили ИОМ.")
    return parts


def coverage_problems(table: CoverageTable, target: Decimal | None, uninvolved: list[str]) -> list[str]:
    share = table.total.share
    items = []
    if target is not None:
        if share is not None and share >= target:
            items.append(
                f"Фактический показатель доли педагогов с ИОМ ({pct(share)}) соответствует плановому "
                f"(не менее {format_percent(target)} %)."
            )
        else:
            items.append(
                f"Фактический показатель доли педагогов с ИОМ ({pct(share)}) ниже планового "
                f"(не менее {format_percent(target)} %)."
            )
    top = table.top_schools
    if top:
        items.append(
            "Наиболее активно работа по составлению ИОМ на основе выявленных дефицитов выстроена в следующих ОО: "
            + "; ".join(f"{r.name} — {pct(r.share)} от педагогического коллектива" for r in top) + "."
        )
    none = [r.name for r in table.schools_without_teacher_routes_last_year]
    one = [r.name for r in table.schools_with_one_teacher_route_last_year]
    if none or one:
        text = f"За {table.last_year} уч. год "
        if none:
            text += "не зачтено ни одного ИОМ педагога в " + ", ".join(none)
        if one:
            text += ("; " if none else "") + "только 1 ИОМ — в " + ", ".join(one)
        items.append(text + ".")
    if uninvolved:
        items.append(
            "Не включены в работу по составлению ИОМ педагогические работники учреждений дошкольного и "
            "дополнительного образования: " + ", ".join(uninvolved) + "."
        )
    return items


def coverage_recommendations(table: CoverageTable, uninvolved: list[str]) -> dict[str, list[str]]:
    """Recommendations prefilled from the figures; the methodist edits them before printing."""
    weak = [r.name for r in table.schools_without_teacher_routes_last_year]
    mmc = [
        "Продолжить работу по подготовке заместителей директоров к методическому сопровождению педагогов, "
        "охватить данной работой всех руководителей РМО, а также наставников молодых педагогов.",
    ]
    if uninvolved:
        mmc.append("Начать работу с педагогами ДОО и УДО по составлению ИОМ на основе результатов диагностики.")
    directors = [
        "Обеспечить и проконтролировать участие заместителей директоров в семинарах и вебинарах по "
        "методическому сопровождению педагогов в части составления и реализации ИОМ.",
        "Продолжить контроль за методическим сопровождением составления и реализации ИОМ молодых педагогов, "
        "а также педагогов, демонстрирующих низкие образовательные результаты учащихся.",
    ]
    if weak:
        directors.append("Руководителям " + ", ".join(weak) + " обеспечить составление ИОМ педагогами в текущем году.")
    deputies = [
        "Использовать результаты диагностических процедур при составлении ИОМ.",
        "Продолжить деятельность по предъявлению педагогами результатов реализации ИОМ, обеспечив время и место "
        "в соответствии с запланированными формами предъявления результатов.",
        "Использовать ИОМ как инструмент построения системы профессионального развития педагогов в ОО.",
    ]
    if table.not_credited_last_year:
        deputies.append(
            "Доработать незачтенные ИОМ вместе с педагогами ("
            + ", ".join(x.organisation for x in table.not_credited_last_year) + ")."
        )
    return {"ММЦ": mmc, "Директорам школ": directors, "Заместителям директоров": deputies}


def recommendations_text(sections: dict[str, list[str]]) -> str:
    """The editable form of the recommendations: a heading line ending with ':' then one line each."""
    out = []
    for heading, items in sections.items():
        out.append(f"{heading}:")
        out.extend(items)
        out.append("")
    return "\n".join(out).strip()


def parse_sections(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for line in lines(text):
        if line.endswith(":") and len(line) < 80:
            current = line[:-1]
            sections.setdefault(current, [])
        else:
            sections.setdefault(current, []).append(line)
    return sections


# --------------------------------------------------------------------------- audit letter (seed 001)

def audit_findings(a: AuditFigures) -> list[str]:
    f = a.figure
    out = [f"в {pct(a.orgs_share)} организаций реализуются ИОМ педагогов "
           f"({a.organisations_implementing} из {a.organisations_total});"]
    # any done course of the cohort route (the audit's `courses`), not only one linked to a deficit: that is the
    # indicator registry_courses_share, a different figure (docs/figures-decisions.md)
    out.append(f"{pct(f('courses').share)} педагогов прошли курсы повышения квалификации (выполненные КПК "
               f"в ИОМ когорты);")
    out.append(f"{pct(f('events').share)} педагогов приняли участие в работе семинаров, обучающих вебинаров, "
               f"конференций различных уровней;")
    out.append(f"{pct(f('attestation').share)} педагогов прошли аттестацию;")
    return out


def audit_cohort(a: AuditFigures, cohort: str) -> str:
    """The letter's opening figures: who developed an ИОМ, who left since, the base of every share."""
    people = ("педагог", "педагога", "педагогов")
    developed = f"В {cohort} учебном году ИОМ {plural(a.developed, 'разработал', 'разработали', 'разработали')} " \
                f"{count(a.developed, *people)}."
    if a.dismissed:
        dismissed = f"С тех пор {plural(a.dismissed, 'уволен', 'уволены', 'уволено')} {count(a.dismissed, *people)}."
    else:
        dismissed = "Уволенных с тех пор нет."
    base = f"Все доли ниже даны от {a.base} " \
           f"{plural(a.base, 'педагога, продолжающего', 'педагогов, продолжающих', 'педагогов, продолжающих')} работу."
    return " ".join((developed, dismissed, base))


def audit_implementation(a: AuditFigures) -> list[str]:
    f = a.figure
    low = f("impl_lt50")
    schools = f" ({', '.join(low.names)})" if low.names else ""
    return [
        f"{pct(f('impl_100').share)} педагогов — на 100 %;",
        f"{pct(f('impl_70').share)} педагогов — от 70 % до 100 %;",
        f"{pct(f('impl_50').share)} педагогов — от 50 % до 70 %;",
        f"{pct(low.share)} педагогов — менее 50 %{schools}.",
    ]


def audit_other(a: AuditFigures) -> list[str]:
    f = a.figure
    return [
        f"{pct(f('experience').share)} педагогов представили собственный опыт работы на мероприятиях различного уровня;",
        f"{pct(f('contests').share)} педагогов приняли участие в профессиональных конкурсах, олимпиадах;",
        f"{pct(f('publications').share)} педагогов опубликовали методические материалы;",
        f"{pct(f('mentoring').share)} педагогов работают в рамках наставничества;",
        f"{pct(f('expert').share)} педагогов занимаются экспертной деятельностью.",
    ]


def audit_problems(a: AuditFigures) -> list[str]:
    """The two weakest activity groups, named as the letter does ("Проблемными вопросами остаются…")."""
    ranked = sorted(a.groups, key=lambda g: (g.share if g.share is not None else Decimal(0), g.code))
    return [g.label for g in ranked[:2]]


def audit_recommendations(a: AuditFigures, for_school: bool) -> tuple[list[str], str]:
    weak = audit_problems(a)
    general = [
        "Продолжить работу по оказанию методической помощи педагогическим работникам по реализации ИОМ.",
        "Обеспечить консультативно-методическое сопровождение педагогов по направлениям, где показатели ниже: "
        + "; ".join(weak) + ".",
    ]
    if for_school:
        names = ", ".join(p.name for p in a.low)
        addressed = (f"Заместителю директора обеспечить контроль за реализацией ИОМ педагогов: {names}."
                     if a.low else "")
    else:
        addressed = (f"Руководителям {', '.join(a.low_organisations)} обеспечить контроль за реализацией ИОМ "
                     f"педагогических работников на личностном уровне." if a.low else "")
    return general, addressed
