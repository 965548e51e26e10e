"""Time zones: a region's, and the local time and date of a user, an organisation, a municipality.

Datetimes are stored in UTC. Each region keeps one of Russia's zones (`Region.time_zone`); a signed-in
user sees times in the zone of their region (schools.middleware.RegionTimeZoneMiddleware activates it),
an e-mail shows them in its recipient's zone, a document in its organisation's or municipality's.

"Today" for a route — its overdue activities, the dates its transitions record, the end of its period —
is the local date of the route's organisation (`local_today`). A query over many organisations compares
with each one's own date through `before_local_today`: Russia spans UTC+2 … UTC+12, so at any moment its
zones are on at most two dates, and the condition is two terms in the same query, never a query per zone.
"""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from schools.access import memberships_of
from schools.models import Municipality, Organisation, Region, TimeZone


@lru_cache(maxsize=64)
def _zone_info(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_named(name: str | None) -> ZoneInfo:
    """The zone of an IANA name; the project's TIME_ZONE for an empty or unknown one."""
    try:
        return _zone_info(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return _zone_info(settings.TIME_ZONE)


def default_zone() -> ZoneInfo:
    """The project's TIME_ZONE (settings): administrators without a region, tasks without a recipient."""
    return zone_named(settings.TIME_ZONE)


def zone_of_region(region: Region | None) -> ZoneInfo:
    return zone_named(region.time_zone if region is not None else None)


def zone_of_municipality(municipality: Municipality | None) -> ZoneInfo:
    return zone_of_region(municipality.region if municipality is not None else None)


def zone_of_organisation(organisation: Organisation | None) -> ZoneInfo:
    return zone_of_municipality(organisation.municipality if organisation is not None else None)


def region_of_user(user) -> Region | None:
    """The region whose time the user lives in, read from their memberships (one query, cached per request).

    The school where they work first (a teacher's, deputy's or director's role is given on the
    organisation of their staff record), else the municipality of a methodist, else a regional
    methodist's region; of several, the first by name. An administrator holds no region: None.
    """
    memberships = memberships_of(user)
    for regions in (
        [m.organisation.municipality.region for m in memberships if m.organisation_id],
        [m.municipality.region for m in memberships if m.municipality_id],
        [m.region for m in memberships if m.region_id],
    ):
        if regions:
            return min(regions, key=lambda r: (r.name, r.pk))
    return None


def zone_of_user(user, *, otherwise: Organisation | None = None) -> ZoneInfo:
    """The zone times are shown to the user in: pages, their e-mails and notifications.

    A user with no region (an administrator, an account without roles yet) reads the project's
    TIME_ZONE, or the zone of `otherwise` (the organisation an e-mail invites them to).
    """
    region = region_of_user(user)
    return zone_of_region(region) if region is not None else zone_of_organisation(otherwise)


def local_now(zone: ZoneInfo, now: dt.datetime | None = None) -> dt.datetime:
    return timezone.localtime(now or timezone.now(), zone)


def local_today(organisation: Organisation | None, now: dt.datetime | None = None) -> dt.date:
    """The organisation's local date: "today" for its routes' deadlines, overdue counts and periods."""
    return local_now(zone_of_organisation(organisation), now).date()


def today_in_zones(now: dt.datetime | None = None) -> dict[str, dt.date]:
    """The local date in each of Russia's zones (and the project's own), at `now`."""
    now = now or timezone.now()
    names = {*TimeZone.values, settings.TIME_ZONE}
    return {name: timezone.localtime(now, zone_named(name)).date() for name in names}


def latest_today(now: dt.datetime | None = None) -> dt.date:
    """The latest local date anywhere in Russia: what a query over every zone must reach to miss nobody."""
    return max(today_in_zones(now).values())


def before_local_today(field: str, *, region: str, now: dt.datetime | None = None) -> Q:
    """`field < today`, today being the local date of the region at the path `region` from the queried model.

    E.g. `before_local_today("deadline", region="route__organisation__municipality__region")` on activities:
    overdue where its organisation has passed the deadline. A zone outside the choices counts as the
    project's own.
    """
    days = today_in_zones(now)
    default_day = days[settings.TIME_ZONE]
    elsewhere = sorted(name for name, day in days.items() if day != default_day)
    condition = Q(**{f"{field}__lt": default_day})
    if not elsewhere:  # most of the day: every zone on one date
        return condition
    condition &= ~Q(**{f"{region}__time_zone__in": elsewhere})
    for day in sorted({days[name] for name in elsewhere}):
        zones = sorted(name for name in elsewhere if days[name] == day)
        condition |= Q(**{f"{field}__lt": day, f"{region}__time_zone__in": zones})
    return condition


# The zone of a federal subject from its name, for regions the import creates (and existing regions
# at the migration that brought zones in). Matched by a word's start, after folding case, ё and
# punctuation; the most specific stem first («Сахалинская» before «Саха»). A name matching none
# (Moscow time, most regions) gets the project's default; the administrator can change any.
_ZONE_OF_STEM = [
    ("калининград", TimeZone.KALININGRAD),
    ("крым", TimeZone.SIMFEROPOL), ("севастопол", TimeZone.SIMFEROPOL),
    ("волгоград", TimeZone.VOLGOGRAD), ("киров", TimeZone.KIROV),
    ("самар", TimeZone.SAMARA), ("удмурт", TimeZone.SAMARA), ("астрахан", TimeZone.ASTRAKHAN),
    ("саратов", TimeZone.SARATOV), ("ульянов", TimeZone.ULYANOVSK),
    ("башкорт", TimeZone.YEKATERINBURG), ("курган", TimeZone.YEKATERINBURG), ("оренбург", TimeZone.YEKATERINBURG),
    ("перм", TimeZone.YEKATERINBURG), ("свердлов", TimeZone.YEKATERINBURG), ("тюмен", TimeZone.YEKATERINBURG),
    ("челябин", TimeZone.YEKATERINBURG), ("ханты", TimeZone.YEKATERINBURG), ("югр", TimeZone.YEKATERINBURG),
    ("ямал", TimeZone.YEKATERINBURG),
    ("омск", TimeZone.OMSK),
    ("новосибирск", TimeZone.NOVOSIBIRSK), ("томск", TimeZone.TOMSK), ("кемеров", TimeZone.NOVOKUZNETSK),
    ("кузбасс", TimeZone.NOVOKUZNETSK), ("алтай", TimeZone.BARNAUL),
    ("красноярск", TimeZone.KRASNOYARSK), ("тыва", TimeZone.KRASNOYARSK), ("тува", TimeZone.KRASNOYARSK),
    ("хакас", TimeZone.KRASNOYARSK),
    ("иркутск", TimeZone.IRKUTSK), ("бурят", TimeZone.IRKUTSK),
    ("забайкал", TimeZone.CHITA),
    ("сахалин", TimeZone.SAKHALIN),
    ("амур", TimeZone.YAKUTSK), ("саха", TimeZone.YAKUTSK), ("якут", TimeZone.YAKUTSK),
    ("примор", TimeZone.VLADIVOSTOK), ("хабаров", TimeZone.VLADIVOSTOK), ("еврейск", TimeZone.VLADIVOSTOK),
    ("магадан", TimeZone.MAGADAN),
    ("камчат", TimeZone.KAMCHATKA), ("чукот", TimeZone.ANADYR),
]


def zone_for_region_name(name: str) -> str | None:
    """The IANA zone of a Russian region known by name («Красноярский край» → Asia/Krasnoyarsk), else None."""
    folded = "".join(c if c.isalpha() else " " for c in name.replace("ё", "е").replace("Ё", "Е").casefold())
    words = folded.split()
    for stem, zone in _ZONE_OF_STEM:
        if any(word.startswith(stem) for word in words):
            return zone.value
    return None
