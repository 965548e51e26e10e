"""The figure cache (core.cache) for writes that know organisations rather than municipalities."""

from core.cache import bump_on_commit
from schools.models import Organisation


def bump_organisations_on_commit(*organisation_ids: int) -> None:
    """Invalidate the figures of these organisations' municipalities (a route, a staff member changed)."""
    ids = {o for o in organisation_ids if o is not None}
    if ids:
        bump_on_commit(*Organisation.objects.filter(pk__in=ids).values_list("municipality_id", flat=True).distinct())
