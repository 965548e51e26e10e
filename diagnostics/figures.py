"""The diagnostics' figures in the registry (core.figures)."""

from core.dates import academic_year_bounds
from core.figures import Figure, Part
from diagnostics.models import Deficit
from diagnostics.selectors import deficits_by_competency, overcome_deficits


def deficit_people(organisations, period=None) -> list[Part]:
    """People with a deficit by competency, dismissed deficits left out (diagnostics.selectors.deficits_by_competency)."""
    rows = deficits_by_competency(
        Deficit.objects.filter(person__organisation__in=organisations).exclude(status=Deficit.Status.DISMISSED))
    return [Part(r["competency__code"], r["competency__name"], r["people"]) for r in rows]


FIGURES = [
    Figure(
        "deficit_people", "Педагоги с дефицитом по компетенции",
        "Разные люди организаций, у которых по компетенции записан дефицит в статусе «выявлен», «в работе» или "
        "«преодолен»; снятые дефициты (признанные ошибочными) не считаются; состояние на сегодня.",
        deficit_people, unit="count", period_kind="day", app="diagnostics"),
    Figure(
        "deficits_overcome", "Преодолено дефицитов",
        "Профессиональные дефициты людей организаций, ставшие «преодолен» в выбранном учебном году (дата закрытия): "
        "по итоговой диагностике ИОМ (повтор утверждений анкеты по компетенции, оценка заместителя директора при "
        "приемке итогов или внешняя диагностика срока ИОМ) или по новой диагностике с баллом не ниже порога; "
        "один человек с двумя преодоленными дефицитами дает 2.",
        lambda organisations, period: (overcome_deficits(organisations, *academic_year_bounds(period.years[-1])), None),
        unit="count", period_kind="year", app="diagnostics"),
]
