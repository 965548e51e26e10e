"""Mentoring kept in one place: every StaffMember.mentor becomes a MentoringPair (schools 0005 then drops the field).

For each staff member whose card names a mentor, unless an open pair of the same mentor and mentee exists:
- organisation: the mentee's;
- start: when the card got this mentor — the earliest record of the unbroken run of the staff member's history
  (simple_history) with this mentor, in the project's time zone; without history, the record's creation date;
  never after today (StaffMember has no hire date);
- end: open, unless the mentee or the mentor is dismissed: then their dismissal date (today if it has none),
  never before the start;
- an open pair of the same mentee with another mentor is older than the card's value (a pair's start used to write
  the card, so a different card is a later change): it ends the day before the card's start (not before its own
  start), with that reason as its outcome, and the new pair starts after it;
- reason: «Молодой специалист» when the mentee is one today (schools.selectors.is_young_specialist), otherwise
  «Профессиональные дефициты» (the card kept no reason); the note says the pair was moved from the card.
A card naming the person themselves cannot be a pair (a database constraint) and is left out; nothing else is.

Backwards: each open pair begun by today writes its mentor back to the mentee's card; pairs stay.
"""

import datetime as dt

from django.db import migrations
from django.utils import timezone

NOTE = "Перенесено из поля «Наставник» карточки сотрудника"
ENDED_BY_CARD = "Наставник изменен в карточке сотрудника"
DAY = dt.timedelta(days=1)


def _card_since(history, staff) -> dt.date:
    """The day the card got its current mentor: the oldest history row of the latest unbroken run with it."""
    since = None
    for row in history.objects.filter(id=staff.pk).order_by("-history_date", "-history_id").only("mentor_id", "history_date"):
        if row.mentor_id != staff.mentor_id:
            break
        since = row.history_date
    return timezone.localdate(since) if since else timezone.localdate(staff.created_at)


def _end_of(staff, mentor, start: dt.date, today: dt.date) -> dt.date | None:
    gone = [p for p in (staff, mentor) if p.status == "dismissed"]
    if not gone:
        return None
    return max(start, min(p.dismissed_on or today for p in gone))


def pairs_from_cards(apps, schema_editor):
    from schools.selectors import is_young_specialist  # the one rule, of the running code

    StaffMember = apps.get_model("schools", "StaffMember")
    HistoricalStaffMember = apps.get_model("schools", "HistoricalStaffMember")
    MentoringPair = apps.get_model("methodics", "MentoringPair")
    HistoricalMentoringPair = apps.get_model("methodics", "HistoricalMentoringPair")
    today = timezone.localdate()
    now = timezone.now()
    cards = StaffMember.objects.filter(mentor__isnull=False).select_related("mentor").order_by("pk")
    for staff in cards.iterator(chunk_size=500):
        if staff.mentor_id == staff.pk:
            continue
        open_pair = MentoringPair.objects.filter(mentee_id=staff.pk, ends_on__isnull=True).first()
        if open_pair is not None and open_pair.mentor_id == staff.mentor_id:
            continue
        start = min(_card_since(HistoricalStaffMember, staff), today)
        if open_pair is not None:
            open_pair.ends_on = max(open_pair.starts_on, start - DAY)
            open_pair.end_note = open_pair.end_note or ENDED_BY_CARD
            open_pair.save(update_fields=["ends_on", "end_note"])
            _history(HistoricalMentoringPair, open_pair, "~", now)
            start = max(start, open_pair.ends_on + DAY)
        pair = MentoringPair.objects.create(
            organisation_id=staff.organisation_id, mentor_id=staff.mentor_id, mentee_id=staff.pk,
            reason="young_specialist" if is_young_specialist(staff, today) else "deficits",
            starts_on=start, ends_on=_end_of(staff, staff.mentor, start, today), note=NOTE,
        )
        _history(HistoricalMentoringPair, pair, "+", now)


def _history(model, pair, kind: str, now) -> None:
    model.objects.create(
        id=pair.pk, organisation_id=pair.organisation_id, mentor_id=pair.mentor_id, mentee_id=pair.mentee_id,
        reason=pair.reason, starts_on=pair.starts_on, ends_on=pair.ends_on, note=pair.note, end_note=pair.end_note,
        created_by_id=pair.created_by_id, created_at=pair.created_at, history_date=now, history_type=kind,
        history_change_reason="Миграция: наставничество только в парах",
    )


def cards_from_pairs(apps, schema_editor):
    StaffMember = apps.get_model("schools", "StaffMember")
    MentoringPair = apps.get_model("methodics", "MentoringPair")
    today = timezone.localdate()
    for pair in MentoringPair.objects.filter(ends_on__isnull=True, starts_on__lte=today).order_by("pk"):
        StaffMember.objects.filter(pk=pair.mentee_id).update(mentor_id=pair.mentor_id)


class Migration(migrations.Migration):

    dependencies = [
        ("methodics", "0001_initial"),
        ("schools", "0004_organisation_young_mentors_allowed"),
    ]

    operations = [
        migrations.RunPython(pairs_from_cards, cards_from_pairs),
    ]
