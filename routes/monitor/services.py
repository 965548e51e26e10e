"""Writes of the implementation monitor: «Напомнить» to the selected staff (in the portal and by e-mail)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse

from core import words
from core.services import notify
from routes.models import Reminder, Route
from routes.monitor.selectors import NONE, monitor_rows
from routes.services import RouteError, route_url
from schools.timezones import local_today

Status = Route.Status
MAX_AT_ONCE = 200  # a page holds 50; a form posting more is no page of the monitor


@dataclass
class RemindResult:
    sent: list = field(default_factory=list)  # staff members reminded
    already: list = field(default_factory=list)  # reminded today already (one a day)
    no_account: list = field(default_factory=list)  # no account to tell

    @property
    def message(self) -> str:
        parts = []
        if self.sent:
            parts.append(f"Напоминание отправлено {words.count(len(self.sent), 'педагогу', 'педагогам', 'педагогам')}")
        if self.already:
            parts.append(f"{words.count(len(self.already), 'педагогу', 'педагогам', 'педагогам')} уже напоминали "
                         "сегодня: не чаще одного раза в день")
        if self.no_account:
            names = ", ".join(p.short_name for p in self.no_account[:5])
            parts.append(f"без учетной записи, напомнить некому: {names}"
                         + (f" и еще {len(self.no_account) - 5}" if len(self.no_account) > 5 else ""))
        return words.sentence("; ".join(parts)) if parts else "Никому не напомнили."


def reminder_text(state: str, overdue: int, year: str | None) -> str:
    """What the person is reminded of, by the state of their current route."""
    of_year = f" на {year} уч. г." if year else ""
    if state == NONE:
        return f"Напоминание: составьте ИОМ{of_year} и отправьте его на согласование"
    if state in (Status.DRAFT, Status.RETURNED, Status.NOT_CREDITED):
        return "Напоминание: доработайте ИОМ и отправьте его на согласование"
    if state == Status.IN_PROGRESS and overdue:
        return ("Напоминание: в ИОМ просрочено "
                f"{words.count(overdue, 'мероприятие', 'мероприятия', 'мероприятий')}, отметьте выполненные")
    if state == Status.EXPIRED:
        return "Напоминание: срок ИОМ истек, отправьте итоги или попросите продлить срок"
    return "Напоминание: проверьте ход реализации ИОМ"


@transaction.atomic
def remind(*, actor, staff_ids: list[int], year: str | None) -> RemindResult:
    """Remind the selected staff of the actor's scope; each reminder is logged (routes.Reminder), one per person
    per their school's day: a second press the same day tells nobody twice."""
    ids = sorted({int(pk) for pk in staff_ids})
    if not ids:
        raise RouteError("Отметьте педагогов, которым напомнить.")
    if len(ids) > MAX_AT_ONCE:
        raise RouteError(f"За один раз можно напомнить не более чем {MAX_AT_ONCE} педагогам.")
    people = list(monitor_rows(actor, year).filter(pk__in=ids).select_related("organisation__municipality__region",
                                                                                "user").order_by("last_name", "pk"))
    if not people:
        raise RouteError("Отмеченных педагогов нет в вашем списке: обновите страницу.")
    result = RemindResult()
    for person in people:
        if person.user is None or not person.user.is_active:
            result.no_account.append(person)
            continue
        today = local_today(person.organisation)
        if Reminder.objects.filter(staff=person, sent_on=today).exists():
            result.already.append(person)
            continue
        text = reminder_text(person.state, person.overdue, year)
        Reminder.objects.create(staff=person, route_id=person.route_id, sender=actor, sent_on=today, text=text)
        url = route_url(Route(pk=person.route_id)) if person.route_id else reverse("routes:my_routes")
        notify(users=[person.user], text=text, url=url, subject="ИОМ-портал: напоминание")
        result.sent.append(person)
    return result
