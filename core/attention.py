""""What needs my attention": each app contributes items to the home page.

An app lists item providers in `<app>/attention.py` as PROVIDERS = [callable(user) -> list[Item]].
The home page shows them grouped; nothing here knows what the items are about.
"""

from dataclasses import dataclass

from core.registry import contributions


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    count: int | None = None
    level: str = "info"  # info | primary | warning | danger | success
    detail: str = ""
    progress: int | None = None  # a percent drawn as a bar (a route's done ÷ all activities)


# Up to this many organisations get an item each; a wider scope (a methodist, an administrator)
# gets one summary item, so the home page stays short and costs a fixed number of queries.
PER_ORGANISATION_LIMIT = 3


def per_organisation_or_summary(rows: list[dict], one, summary) -> list[Item]:
    """`rows` are at most PER_ORGANISATION_LIMIT + 1 annotated organisation rows (slice the query so).

    Returns one(row) for each when few, otherwise [summary()] — summary runs its own aggregate.
    """
    if len(rows) <= PER_ORGANISATION_LIMIT:
        return [one(row) for row in rows]
    return [summary()]


def items_for(user) -> list[Item]:
    items: list[Item] = []
    for provider in contributions("attention", "PROVIDERS"):
        items.extend(provider(user))
    return items
