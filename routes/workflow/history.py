"""A route's history, read from django-simple-history: who changed what and when.

The records of the route and of its activities (deleted ones too) are read in two queries and each
is compared with the one before it by simple-history's `diff_against` (foreign keys as ids, named
from two lookups), so the page costs the same whatever the number of edits.
"""

import datetime as dt
from dataclasses import dataclass, field

from core import words
from diagnostics.models import CompetencyGroup
from routes.models import ActivityKind, RoadmapActivity, Route

ROUTE_FIELDS = [
    "status", "city", "diagnostics_summary", "topic", "goal", "tasks_text", "self_education_form",
    "expected_result", "starts_on", "ends_on", "reporting_form", "approved_on", "credited_on", "completed_on",
    "reflection", "outcome_proposed", "outcome", "results_comment", "results_presented_on",
    "results_presented_place", "extended_from", "extension_reason",
]
ACTIVITY_FIELDS = ["group", "kind", "level", "title", "deadline", "expected_result", "confirming_document",
                   "is_done", "done_on", "note", "not_done_reason", "order"]


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    at: dt.datetime
    who: str
    what: str
    kind: str  # created / changed / deleted
    changes: list[Change] = field(default_factory=list)
    after_approval: bool = False


def _display(model, name: str, value, lookups: dict) -> str:
    if value is None or value == "":
        return "—"
    if name in lookups:
        return str(lookups[name].get(value, value))
    field_ = model._meta.get_field(name)
    if field_.choices:
        return str(dict(field_.choices).get(value, value))
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    return text if len(text) <= 300 else text[:300] + "…"


def _who(record) -> str:
    user = record.history_user
    return (user.get_full_name() or user.username) if user else "система"


def _entries(records, model, fields, lookups, title_of) -> list[Entry]:
    """One entry per record, oldest first: each change is simple-history's diff of the record against the
    previous record of the same object (`diff_against`), in the order of `fields`, its values as shown."""
    order = {name: position for position, name in enumerate(fields)}
    entries, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        kind = {"+": "created", "-": "deleted"}.get(record.history_type, "changed")
        entry = Entry(at=record.history_date, who=_who(record), what=title_of(record), kind=kind)
        if kind == "changed" and before is not None:
            changes = sorted(record.diff_against(before, included_fields=fields).changes, key=lambda c: order[c.field])
            if not changes:
                continue
            entry.changes = [
                Change(label=str(model._meta.get_field(change.field).verbose_name),
                       old=_display(model, change.field, change.old, lookups),
                       new=_display(model, change.field, change.new, lookups))
                for change in changes
            ]
        entries.append(entry)
    return entries


def route_history(route: Route) -> dict:
    """Entries newest first and the part of them made after approval."""
    route_records = list(Route.history.filter(id=route.pk).select_related("history_user").order_by("history_date",
                                                                                                     "history_id"))
    activity_records = list(
        RoadmapActivity.history.filter(route_id=route.pk).select_related("history_user")
        .order_by("history_date", "history_id")
    )
    lookups = {
        "group": dict(CompetencyGroup.objects.values_list("pk", "name")),
        "kind": dict(ActivityKind.objects.values_list("pk", "name")),
    }
    entries = _entries(route_records, Route, ROUTE_FIELDS, {}, lambda r: "ИОМ")
    entries += _entries(activity_records, RoadmapActivity, ACTIVITY_FIELDS, lookups,
                        lambda r: f"Мероприятие {words.quote(r.title)}")
    approved_at = next((t.at for t in route.transitions.filter(action="approve").order_by("-at")[:1]), None)
    for entry in entries:
        entry.after_approval = approved_at is not None and entry.at > approved_at
    entries.sort(key=lambda e: e.at, reverse=True)
    transitions = list(route.transitions.select_related("actor").order_by("-at", "-pk"))
    return {
        "entries": entries,
        "since_approval": [e for e in entries if e.after_approval],
        "approved_at": approved_at,
        "transitions": transitions,
        # the escalation steps and the monitor's reminders (routes/tasks.py, routes/monitor/): who was told, when
        "told": sorted([*route.escalations.select_related("activity"), *route.reminders.select_related("sender")],
                       key=lambda r: getattr(r, "at", None) or r.sent_at, reverse=True),
    }
