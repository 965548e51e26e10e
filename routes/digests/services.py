"""Writes of «Рассылки»: the user's choice, the unsubscribe link, and the digests themselves.

A digest is sent once per user and period (a week, a month): the DigestSent row (unique per user, kind and
period) and the outbox e-mail are written in one transaction, so a retried or doubled beat run finds the row
and sends nothing, and a run that fails halfway leaves neither behind.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.links import absolute_url
from core.models import DigestPreference, DigestSent, OutgoingEmail
from core.services import queue_email
from routes.digests import content
from routes.digests.tokens import token_for
from schools.access import CAPABILITIES, people_q
from schools.models import Membership
from schools.timezones import local_now, zone_of_user

Kind = DigestSent.Kind
CAPABILITY = {Kind.WEEKLY: "digest.weekly", Kind.MONTHLY: "digest.monthly"}
MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь")


def preference_of(user) -> DigestPreference:
    """The user's choice; a user who never chose gets both digests (an unsaved row says so)."""
    return DigestPreference.objects.filter(user=user).first() or DigestPreference(user=user)


@transaction.atomic
def digest_preference_update(*, actor, weekly: bool, monthly: bool) -> DigestPreference:
    preference, _ = DigestPreference.objects.select_for_update().get_or_create(user=actor)
    preference.weekly, preference.monthly = weekly, monthly
    preference.save()
    return preference


@transaction.atomic
def digest_unsubscribe(*, user_id: int, kind: str) -> DigestPreference | None:
    """Turn off the digest a link names ("all": both) for the user it names; None when the account is gone."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return None
    preference, _ = DigestPreference.objects.select_for_update().get_or_create(user=user)
    if kind in (Kind.WEEKLY, "all"):
        preference.weekly = False
    if kind in (Kind.MONTHLY, "all"):
        preference.monthly = False
    preference.save()
    return preference


def recipients(kind: str):
    """Active people holding the digest's capability through a membership, with an e-mail, not opted out."""
    memberships = Membership.objects.filter(people_q("user__"), role__in=sorted(CAPABILITIES[CAPABILITY[kind]]))
    return (get_user_model().objects.filter(pk__in=memberships.values("user_id"), is_active=True)
            .exclude(email="").exclude(Q(**{f"digest_preference__{kind}": False})).order_by("pk"))


def period_of(kind: str, day: dt.date) -> str:
    """The period a digest is sent for: the ISO week ("2026-W49") or the month ("2026-12") of the user's day."""
    if kind == Kind.WEEKLY:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


def _links(user, kind: str) -> dict:
    return {"unsubscribe_url": absolute_url(reverse("digests:unsubscribe", args=[token_for(user, kind)])),
            "settings_url": absolute_url(reverse("digests:page"))}


def weekly_email(user, *, today: dt.date, now: dt.datetime) -> tuple[str, str] | None:
    """(subject, body) of the user's weekly digest, or None when nothing needs them."""
    lines = content.weekly_lines(user, today=today, now=now)
    if not lines:
        return None
    body = render_to_string("routes/digests/weekly.txt", {
        "lines": [(line.text, absolute_url(line.url)) for line in lines], **_links(user, Kind.WEEKLY)})
    return "ИОМ-портал: что ждет вас на этой неделе", body


def monthly_email(user, *, today: dt.date) -> tuple[str, str] | None:
    """(subject, body) of the user's monthly summary, or None when their scope has nothing to show."""
    values = content.monthly_figures(user, today=today)
    if not values:
        return None
    month = MONTHS[today.month - 1]
    body = render_to_string("routes/digests/monthly.txt", {
        "values": values, "month": month, "year": today.year,
        "dashboard_url": absolute_url(content.dashboard_url()),
        "figures_url": absolute_url(reverse("figures")), **_links(user, Kind.MONTHLY)})
    return f"ИОМ-портал: ключевые показатели, {month} {today.year}", body


def send_digest(user, kind: str, *, now: dt.datetime) -> bool:
    """Send the user's digest of `kind` for the period of their local `now`, once; True when one was queued."""
    today = local_now(zone_of_user(user), now).date()
    period = period_of(kind, today)
    if DigestSent.objects.filter(user=user, kind=kind, period=period).exists():
        return False
    message = weekly_email(user, today=today, now=now) if kind == Kind.WEEKLY else monthly_email(user, today=today)
    if message is None:
        return False
    subject, body = message
    with transaction.atomic():
        sent, created = DigestSent.objects.get_or_create(user=user, kind=kind, period=period)
        if not created:  # another run got there between the check and now
            return False
        sent.email = queue_email(to=user.email, subject=subject, body=body, kind=OutgoingEmail.Kind.DIGEST)
        sent.save(update_fields=["email"])
    return True


def send_digests(kind: str, *, now: dt.datetime | None = None) -> int:
    """Every recipient's digest of `kind` (the beat task); returns how many were queued."""
    now = now or timezone.now()
    return sum(send_digest(user, kind, now=now) for user in recipients(kind))
