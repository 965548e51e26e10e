"""The routes' figures in the registry (core.figures)."""

from core.figures import Figure
from routes.selectors import overdue_activities, results_presented, roadmap_done

# How a per-year figure picks its routes (routes.selectors.spans_year_q, docs/spec/reports.md «Routes of year Y»).
SPANNING = ("ИОМ, срок которых (с начала по окончание, с продлением) захватывает выбранный учебный год: "
            "многолетний ИОМ считается в каждом году своего срока")

FIGURES = [
    Figure(
        "overdue_activities", "Просроченные мероприятия",
        "Невыполненные мероприятия дорожных карт со сроком раньше сегодняшнего дня в организациях; "
        f"{SPANNING[0].lower()}{SPANNING[1:]}, со статусом «Реализуется» (ИОМ других лет не считаются; ИОМ «Срок истек» "
        "тоже: у них истек весь срок, и это показывает их статус).",
        lambda organisations, period: (overdue_activities(organisations, period.years[-1], period.on), None),
        unit="count", period_kind="year", app="routes"),
    Figure(
        "roadmap_activities_done", "Выполнено мероприятий дорожных карт",
        "Выполненные мероприятия ÷ все мероприятия дорожных карт в организациях; "
        f"{SPANNING[0].lower()}{SPANNING[1:]}, которые реализуются или дальше (срок истек, итоги на проверке, завершен).",
        lambda organisations, period: roadmap_done(organisations, period.years[-1]),
        period_kind="year", app="routes"),
    Figure(
        "routes_results_presented", "Итоги ИОМ представлены",
        f"{SPANNING} — в организациях, кроме отозванных, у которых записана дата представления "
        "результатов (педсовет, ШМО, методическое объединение).",
        lambda organisations, period: (results_presented(organisations, period.years[-1]), None),
        unit="count", period_kind="year", app="routes"),
]
