from core.models import Notification


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from schools.access import roles_of

    return {
        "unread_notifications": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        "user_roles": roles_of(user),
    }
