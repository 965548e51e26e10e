"""Middleware of the schools app: every page in the time zone of the signed-in user's region."""

from django.utils import timezone

from schools.timezones import zone_of_user


class RegionTimeZoneMiddleware:
    """Activates the zone of the user's region (schools.timezones.zone_of_user) for the request.

    Templates then show aware datetimes (`|date`) and forms read them in local time. Anonymous pages
    (sign-in, health) stay in the project's TIME_ZONE. The memberships it reads (one query, with their
    regions) are cached on the user for the request: the access checks of the view read the same.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(zone_of_user(user))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            # The thread serves the next request (or a test's next line) in the default zone.
            timezone.deactivate()
