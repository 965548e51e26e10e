"""The words of the reports, written from the figures (seed 000's interpretation, seed 001's letter).

Every sentence here is built from a selector's result; nothing is counted here. The same
sentences appear on the dashboards, in the PDF and in the DOCX.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from core.dates import format_date
from core.declension import in_organisation, in_organisations, phrase
from core.numbers import format_percent
from core.words import count, enumeration, plural, sentence, upper_first
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
            text += "не зачтено ни одного ИОМ педагога " + in_organisations(none)
        if one:
            text += ("; " if none else "") + "только 1 ИОМ — " + in_organisations(one)
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
        heads = plural(len(weak), "Руководителю", "Руководителям", "Руководителям")
        directors.append(f"{heads} {', '.join(phrase(n, 'gent') for n in weak)} обеспечить составление ИОМ "
                         "педагогами в текущем году.")
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
#
# Every sentence is grammatical for none, one and several items: a zero is said in words
# («уволенных нет», «ни один педагог не…»), never printed as «уволено 0».

PEOPLE = ("педагог", "педагога", "педагогов")

# code → (what the share of teachers did, what is said when nobody did it, the problem's name).
# The order is the fixed order of ties among problems (docs/spec/reports.md, audit).
AUDIT_PHRASES = {
    "courses": ("прошли курсы повышения квалификации (выполненные КПК в ИОМ когорты)",
                "курсы повышения квалификации не прошел ни один педагог",
                "прохождение педагогами курсов повышения квалификации"),
    "events": ("приняли участие в работе семинаров, обучающих вебинаров, конференций различных уровней",
               "в семинарах, вебинарах и конференциях не участвовал ни один педагог",
               "участие педагогов в семинарах, вебинарах и конференциях"),
    "attestation": ("успешно прошли аттестацию с целью установления квалификационной категории",
                    "аттестацию не прошел ни один педагог",
                    "участие педагогов в аттестационных процедурах"),
    "experience": ("представили собственный опыт работы на мероприятиях различного уровня",
                   "собственный опыт работы не представил ни один педагог",
                   "представление педагогами собственного опыта работы"),
    "contests": ("приняли участие в профессиональных конкурсах, олимпиадах различных уровней",
                 "в профессиональных конкурсах и олимпиадах не участвовал ни один педагог",
                 "участие педагогов в профессиональных конкурсах"),
    "publications": ("опубликовали методические материалы", "методические материалы не опубликовал ни один педагог",
                     "публикация педагогами методических материалов"),
    "mentoring": ("проводят работу в рамках реализации программы наставничества",
                  "в рамках наставничества не работает ни один педагог", "работа педагогов в рамках наставничества"),
    "expert": ("занимаются экспертной деятельностью", "экспертной деятельностью не занимается ни один педагог",
               "экспертная деятельность педагогов"),
}
# A group is a problem when under this share; the letter names the two weakest, as seed 001 does.
PROBLEM_BELOW = Decimal(50)
PROBLEMS_NAMED = 2


def _share_line(f, end: str = ";") -> str:
    done, nobody, _problem = AUDIT_PHRASES[f.code]
    if not f.count:
        return f"{nobody}{end}"
    return f"{pct(f.share)} педагогов {done}{end}"


def audit_default_basis(*, cohort: str, municipality_name: str, organisation_name: str = "") -> str:
    """The letter's first paragraph: why the audit was made, and where."""
    where = (in_organisation(organisation_name) if organisation_name
             else f"в общеобразовательных организациях муниципального образования {municipality_name}")
    return ("В целях получения объективной и достоверной информации о текущем состоянии, а в дальнейшем — "
            "о динамике успешности личностно-профессионального развития педагогических работников, реализующих "
            "индивидуальный образовательный маршрут (далее — ИОМ), разработанный на основе диагностики "
            f"профессиональных дефицитов в {cohort} учебном году, {where} проведен внутренний аудит реализации "
            "ИОМ педагогических работников.")


def audit_cohort(a: AuditFigures, cohort: str) -> str:
    """The letter's opening figures: who developed an ИОМ, who left since, the base of every share."""
    if not a.developed:
        return (f"ИОМ, разработанных в {cohort} учебном году и перешедших к реализации, нет: "
                "показатели аудита не рассчитываются.")
    developed = f"В {cohort} учебном году ИОМ {plural(a.developed, 'разработал', 'разработали', 'разработали')} " \
                f"{count(a.developed, *PEOPLE)}."
    if a.dismissed:
        dismissed = f"С тех пор {plural(a.dismissed, 'уволен', 'уволены', 'уволено')} {count(a.dismissed, *PEOPLE)}."
    else:
        dismissed = "Уволенных с тех пор нет."
    if not a.base:
        return f"{developed} {dismissed} Продолжающих работу педагогов нет: доли не рассчитываются."
    base = f"Все доли ниже даны от {a.base} " \
           f"{plural(a.base, 'педагога, продолжающего', 'педагогов, продолжающих', 'педагогов, продолжающих')} работу."
    return " ".join((developed, dismissed, base))


def audit_findings(a: AuditFigures, for_school: bool = False) -> list[str]:
    """«По результатам … установлено:» — the organisations (a municipality only), then courses, events,
    attestation. Over the general-education organisations only: ДОО and УДО are not in the share."""
    if not a.base:
        return []
    out = []
    if not for_school and a.organisations_total:
        n, total = a.organisations_implementing, a.organisations_total
        if n == total:
            out.append(f"во всех муниципальных общеобразовательных организациях ({pct(a.orgs_share)}, "
                       f"{count(total, 'организация', 'организации', 'организаций')}) реализуются ИОМ педагогов;")
        elif n:
            out.append(f"в {pct(a.orgs_share)} муниципальных общеобразовательных организаций ({n} из {total}) "
                       "реализуются ИОМ педагогов;")
        else:
            out.append("ни в одной муниципальной общеобразовательной организации ИОМ педагогов не реализуются;")
    out.extend(_share_line(a.figure(code)) for code in ("courses", "events", "attestation"))
    return out


BUCKET_PHRASES = {
    "impl_100": "на 100 %", "impl_70": "от 70 % до 100 %", "impl_50": "от 50 % до 70 %", "impl_lt50": "менее 50 %",
}


def audit_implementation(a: AuditFigures, for_school: bool = False) -> list[str]:
    """«ИОМ на личностном уровне реализовали:» — the buckets with anybody in them; under 50 % the schools
    are named (the teachers, in a school's audit)."""
    if not a.base:
        return []
    out = []
    for code, words in BUCKET_PHRASES.items():
        f = a.figure(code)
        if not f.count:
            continue
        names = [p.name for p in a.low] if for_school else f.names
        named = f" ({', '.join(names)})" if code == "impl_lt50" and names else ""
        out.append(f"{pct(f.share)} педагогов — {words}{named};")
    if out:
        out[-1] = out[-1][:-1] + "."
    return out


def audit_other(a: AuditFigures) -> list[str]:
    if not a.base:
        return []
    codes = ("experience", "contests", "publications", "mentoring", "expert")
    out = [_share_line(a.figure(code)) for code in codes]
    out[-1] = out[-1][:-1] + "."
    return out


def audit_problems(a: AuditFigures, limit: int | None = PROBLEMS_NAMED) -> list[str]:
    """The weakest activity groups (under 50 %), the lowest share first; ties in the order of
    AUDIT_PHRASES (never by the internal codes' alphabet). At most two, as seed 001 names in its
    problems sentence; `limit` None: every one (the recommendation says «по направлениям, где доля
    ниже 50 %» and must not leave one out)."""
    if not a.base:
        return []
    order = list(AUDIT_PHRASES)
    weak = [g for g in a.groups if g.share is not None and g.share < PROBLEM_BELOW]
    weak.sort(key=lambda g: (g.share, order.index(g.code)))
    return [AUDIT_PHRASES[g.code][2] for g in weak[:limit]]


def problems_sentence(problems: list[str]) -> str:
    if not problems:
        return f"Направлений, где доля педагогов ниже {format_percent(PROBLEM_BELOW)} %, аудит не выявил."
    if len(problems) == 1:
        return f"Проблемным вопросом остается {problems[0]}."
    return f"Проблемными вопросами остаются {enumeration(problems)}."


def audit_default_conclusion(*, for_school: bool, organisation_name: str = "") -> str:
    who = (f"педагогические работники {phrase(organisation_name, 'gent')}" if for_school
           else "педагогические работники общеобразовательных организаций")
    return (f"Результаты проведенного аудита свидетельствуют, что {who} реализуют ИОМ в рамках самообразования "
            "(работа с научной и методической литературой, посещение и взаимопосещение занятий, самодиагностика, "
            "самостоятельное освоение новых образовательных технологий), работы в профессиональном сообществе, "
            "повышения квалификации и участия в методической работе.")


def audit_default_recommendations(a: AuditFigures) -> list[str]:
    out = ["Продолжить работу по оказанию методической помощи педагогическим работникам по реализации ИОМ."]
    problems = audit_problems(a, limit=None)
    if problems:
        out.append("Обеспечить консультативно-методическое сопровождение педагогов по направлениям, где доля "
                   f"педагогов ниже {format_percent(PROBLEM_BELOW)} %: {'; '.join(problems)}.")
    return out


def audit_recommendations_heading(*, for_school: bool, organisation_name: str = "") -> str:
    if for_school:
        return f"На основании вышеизложенного рекомендовано администрации {phrase(organisation_name, 'gent')}:"
    return "На основании вышеизложенного рекомендовано руководителям общеобразовательных организаций:"


def audit_addressed(a: AuditFigures, for_school: bool) -> str:
    """The addressed recommendation to those under 50 %: the schools' heads (a municipality), or the
    deputy about the teachers (one school); '' when nobody is under 50 %."""
    if not a.low:
        return ""
    if for_school:
        n = len(a.low)
        names = ", ".join(p.name for p in a.low)
        # sentence(): no second full stop after the initials («Петров А.И.»)
        return sentence(f"Заместителю директора обеспечить контроль за реализацией ИОМ "
                        f"{plural(n, 'педагогом', 'педагогами', 'педагогами')}, "
                        f"{plural(n, 'выполнившим', 'выполнившими', 'выполнившими')} менее 50 % мероприятий: {names}")
    schools = [phrase(name, "gent") for name in a.low_organisations]
    heads = plural(len(schools), "руководителю", "руководителям", "руководителям")
    return (f"{upper_first(heads)} {', '.join(schools)} обеспечить контроль за реализацией ИОМ педагогических "
            "работников на личностном уровне.")


def audit_recommendations(a: AuditFigures, for_school: bool) -> tuple[list[str], str]:
    return audit_default_recommendations(a), audit_addressed(a, for_school)
