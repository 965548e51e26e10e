from core.models import Notification


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
    }
