"""In-portal notifications (the bell): one way to tell people something happened."""

from collections.abc import Iterable

from core.models import Notification


def notify(*, users: Iterable, message: str, url: str = "") -> list[Notification]:
    """One notification per distinct user (accounts or ids), in one INSERT."""
    seen, rows = set(), []
    for user in users:
        user_id = getattr(user, "pk", user)
        if user_id is None or user_id in seen:
            continue
        seen.add(user_id)
        rows.append(Notification(user_id=user_id, message=str(message)[:500], url=str(url)[:300]))
    return Notification.objects.bulk_create(rows)
