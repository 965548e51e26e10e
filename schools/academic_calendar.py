"""The academic calendar: the days a school does not work, for planning (routes.drafting).

Off days are Russia's public holidays and days off (the `holidays` package, with the government's
transfers), the region's school holidays (SchoolHoliday, set by the administrator in the admin) and
Sundays. A region without term dates set has only the public holidays and Sundays off: the drafting
page says so.
"""

import datetime as dt
from functools import lru_cache

import holidays

from schools.models import Region, SchoolHoliday


@lru_cache(maxsize=32)
def _public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("RU", years=year))


def public_holiday_name(day: dt.date) -> str:
    return holidays.country_holidays("RU", years=day.year).get(day) or ""


class AcademicCalendar:
    """The off days of one region between two dates (one query for the region's holidays)."""

    def __init__(self, region: Region | None, starts_on: dt.date, ends_on: dt.date):
        self.starts_on, self.ends_on = starts_on, ends_on
        self.vacations = list(SchoolHoliday.objects.filter(
            region=region, starts_on__lte=ends_on, ends_on__gte=starts_on)) if region is not None else []
        self._vacation_days = {
            vacation.starts_on + dt.timedelta(days=i)
            for vacation in self.vacations for i in range((vacation.ends_on - vacation.starts_on).days + 1)
        }

    @property
    def has_term_dates(self) -> bool:
        return bool(self.vacations)

    def is_vacation(self, day: dt.date) -> bool:
        return day in self._vacation_days

    def is_public_holiday(self, day: dt.date) -> bool:
        return day in _public_holidays(day.year)

    def is_off(self, day: dt.date) -> bool:
        return day.weekday() == 6 or self.is_vacation(day) or self.is_public_holiday(day)

    def school_days(self, starts_on: dt.date | None = None, ends_on: dt.date | None = None) -> list[dt.date]:
        """The working days between the dates (both included), in order."""
        day, last = starts_on or self.starts_on, ends_on or self.ends_on
        days = []
        while day <= last:
            if not self.is_off(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def nearest_school_day(self, day: dt.date) -> dt.date | None:
        """`day` if the school works then, else the next working day within the range, else the previous one."""
        for step in (1, -1):
            probe = day
            while self.starts_on <= probe <= self.ends_on:
                if not self.is_off(probe):
                    return probe
                probe += dt.timedelta(days=step)
        return None
