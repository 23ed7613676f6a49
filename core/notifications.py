"""In-portal notifications (the bell): one way to tell people something happened.

A notification about something the person must do carries a ``key`` ("pledges.sign:12"): while
one with that key is unread the person gets no second one (a resubmission does not pile them up),
and ``notifications_done`` marks them read once the person has done it.
"""

from collections.abc import Iterable

from django.utils import timezone

from core.models import Notification


def notify(*, users: Iterable, message: str, url: str = "", key: str = "") -> list[Notification]:
    """One notification per distinct user (accounts or ids), in one INSERT (two with a ``key``)."""
    seen, rows = set(), []
    for user in users:
        user_id = getattr(user, "pk", user)
        if user_id is None or user_id in seen:
            continue
        seen.add(user_id)
        rows.append(Notification(user_id=user_id, message=str(message)[:500], url=str(url)[:300], key=key[:120]))
    if key and rows:
        unread = set(Notification.objects.filter(key=key, read_at__isnull=True, user_id__in=seen).values_list("user_id", flat=True))
        rows = [row for row in rows if row.user_id not in unread]
    return Notification.objects.bulk_create(rows)


def notifications_done(*, key: str, users=None) -> int:
    """Mark read the unread notifications with ``key`` (of ``users`` — ids, accounts or a queryset — or everyone's)."""
    found = Notification.objects.filter(key=key, read_at__isnull=True)
    if users is not None:
        if hasattr(users, "values"):
            found = found.filter(user__in=users)
        else:
            found = found.filter(user_id__in=[getattr(u, "pk", u) for u in users])
    return found.update(read_at=timezone.now())
