"""The routes' figures in the registry (core.figures)."""

from core.figures import Figure
from routes.selectors import overdue_activities

FIGURES = [
    Figure(
        "overdue_activities", "Просроченные мероприятия",
        "Невыполненные мероприятия дорожных карт со сроком раньше сегодняшнего дня в ИОМ со статусом «Реализуется» "
        "выбранного учебного года в организациях (ИОМ других лет не считаются).",
        lambda organisations, period: (overdue_activities(organisations, period.years[-1], period.on), None),
        unit="count", period_kind="year", app="routes"),
]
