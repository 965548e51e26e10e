"""The page django-axes shows when a username + address is locked after failed logins.

Axes' own response would render AXES_LOCKOUT_TEMPLATE too, but only with the cool-off as a
timedelta; this callable also gives the template the wait in whole minutes, so the Russian
message follows AXES_COOLOFF_MINUTES instead of a number written into the template.
"""

import math

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render


def lockout_response(request, credentials=None, *args, **kwargs):
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
