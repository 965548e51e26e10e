"""What the municipality dashboard shows, for the tests that a committed write is never hidden
behind a cached figure (core.cache): read the dashboard, write, read it again."""

from django.urls import reverse

from schools.models import Membership


def methodist_client(client, w):
    """The client logged in as the municipal methodist of the world's municipality."""
    assert Membership.objects.filter(user=w.user("municipal_methodist"), municipality=w.municipality).exists()
    client.force_login(w.user("municipal_methodist"))
    return client


def dashboard(client, w):
    """The context of the municipality dashboard (the client is the methodist's)."""
    response = client.get(reverse("reports:municipality", args=[w.municipality.pk]))
    assert response.status_code == 200
    return response.context


def statuses(context) -> dict[str, int]:
    return {p.code: p.count for p in context["values"]["statuses"].parts}


def buckets(context) -> dict[str, int]:
    return {p.code: p.count for p in context["values"]["buckets"].parts}


def school_staff(context, short_name: str) -> int:
    return next(r.staff for r in context["rows"] if r.name == short_name)


def deficits(context) -> dict[str, int]:
    return dict(context["deficits"])


def indicator(context, code: str):
    return next(row.fact for row in context["indicators"] if row.code == code)
