"""The routes' figures in the registry (core.figures)."""

from core.figures import Figure
from routes.selectors import overdue_activities, results_presented, roadmap_done

FIGURES = [
    Figure(
        "overdue_activities", "Просроченные мероприятия",
        "Невыполненные мероприятия дорожных карт со сроком раньше сегодняшнего дня в ИОМ со статусом «Реализуется» "
        "выбранного учебного года в организациях (ИОМ других лет не считаются; ИОМ «Срок истек» тоже: у них "
        "истек весь срок, и это показывает их статус).",
        lambda organisations, period: (overdue_activities(organisations, period.years[-1], period.on), None),
        unit="count", period_kind="year", app="routes"),
    Figure(
        "roadmap_activities_done", "Выполнено мероприятий дорожных карт",
        "Выполненные мероприятия ÷ все мероприятия дорожных карт ИОМ выбранного учебного года, которые реализуются "
        "или дальше (срок истек, итоги на проверке, завершен), в организациях.",
        lambda organisations, period: roadmap_done(organisations, period.years[-1]),
        period_kind="year", app="routes"),
    Figure(
        "routes_results_presented", "Итоги ИОМ представлены",
        "ИОМ выбранного учебного года в организациях (кроме отозванных), у которых записана дата представления "
        "результатов (педсовет, ШМО, методическое объединение).",
        lambda organisations, period: (results_presented(organisations, period.years[-1]), None),
        unit="count", period_kind="year", app="routes"),
]
