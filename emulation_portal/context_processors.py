from core.access import roles_for as roles_of


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": roles_of(None)}
    return {
        "roles": roles_of(user),
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
    }
