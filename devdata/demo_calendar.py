"""The demo region's academic calendar: the school holidays of Красноярский край (schools.SchoolHoliday).

The terms of 2026-2027 as the region's schools keep them (autumn 26.10–03.11, winter 29.12–11.01, spring
23.03–31.03, summer 01.06–31.08); other years keep the same days. With them a drafted route's deadlines skip
the holidays as they would in the region (schools.academic_calendar).
"""

import datetime as dt

from schools.models import Region, SchoolHoliday

# (title, (month, day) of the first day, (month, day) of the last day)
TERMS = (
    ("Осенние каникулы", (10, 26), (11, 3)),
    ("Зимние каникулы", (12, 29), (1, 11)),
    ("Весенние каникулы", (3, 23), (3, 31)),
    ("Летние каникулы", (6, 1), (8, 31)),
)


def holidays_of_year(first_year: int) -> list[tuple[str, dt.date, dt.date]]:
    """The holidays of the academic year that starts on 1 September of `first_year`, in order."""
    spans = []
    for title, (m1, d1), (m2, d2) in TERMS:
        start_year = first_year if m1 >= 9 else first_year + 1
        end_year = start_year if (m2, d2) >= (m1, d1) else start_year + 1
        spans.append((title, dt.date(start_year, m1, d1), dt.date(end_year, m2, d2)))
    return spans


def load_school_holidays(region: Region, first_years: list[int]) -> list[SchoolHoliday]:
    """The region's school holidays of the academic years starting in `first_years`."""
    return SchoolHoliday.objects.bulk_create(
        SchoolHoliday(region=region, title=title, starts_on=starts_on, ends_on=ends_on)
        for year in first_years for title, starts_on, ends_on in holidays_of_year(year))
