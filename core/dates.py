"""Academic years and Russian date formatting, one definition for the whole portal."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone


def academic_year_of(day: dt.date) -> str:
    """The academic year runs from 1 September to 31 August: 15.10.2022 → "2022-2023"."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def academic_year_bounds(year: str) -> tuple[dt.date, dt.date]:
    """"2022-2023" → (01.09.2022, 31.08.2023). Raises ValueError on a malformed year."""
    first, _, second = year.partition("-")
    start, end = int(first), int(second)
    if end != start + 1:
        raise ValueError(f"Учебный год должен иметь вид 2022-2023, получено: {year}")
    return dt.date(start, 9, 1), dt.date(end, 8, 31)


def current_academic_year(today: dt.date | None = None) -> str:
    return academic_year_of(today or timezone.localdate())


def last_completed_academic_years(count: int = 2, today: dt.date | None = None) -> list[str]:
    """The last `count` academic years that have ended, oldest first."""
    start = int(current_academic_year(today)[:4])
    return [f"{y}-{y + 1}" for y in range(start - count, start)]


def format_date(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def format_datetime(moment: dt.datetime | None, zone: ZoneInfo | None = None) -> str:
    """DD.MM.YYYY HH:MM in `zone` (the reader's: an e-mail's recipient, a document's organisation);
    without one, the active zone (a page: the user's region, schools.middleware)."""
    return timezone.localtime(moment, zone).strftime("%d.%m.%Y %H:%M") if moment else ""
