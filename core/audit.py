"""The audit log: who did what to which object, from where, chained by SHA-256."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from core.models import AuditEntry

GENESIS = "0" * 64
_LOCK_KEY = 804_215_001  # any constant: serialises appends to the chain on PostgreSQL


def _digest(prev_hash, fields):
    # The chain's own format (fixed since the first entry; not ``core.hashing``'s canonical form).
    payload = json.dumps(fields, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}|{payload}".encode()).hexdigest()


def _fields(entry):
    return {
        "created_at": entry.created_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "ip_address": entry.ip_address,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "data": entry.data,
    }


def client_ip(request) -> str | None:
    """The client's address as the web server saw it (set a proxy to pass REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") or None


@transaction.atomic
def audit_record(*, actor, action: str, obj: Model, ip: str | None = None, data: dict | None = None) -> AuditEntry:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
    prev_hash = last or GENESIS
    entry = AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=(actor.get_full_name() if actor is not None and actor.is_authenticated else "")[:150],
        ip_address=ip,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        data=json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder)),
        prev_hash=prev_hash,
        created_at=timezone.now(),
    )
    entry.entry_hash = _digest(prev_hash, _fields(entry))
    entry.save()
    return entry


def audit_verify_chain() -> AuditEntry | None:
    """Return the first entry whose hash does not match its content or its predecessor, or None."""
    prev_hash = GENESIS
    for entry in AuditEntry.objects.order_by("id").iterator():
        if entry.prev_hash != prev_hash or entry.entry_hash != _digest(prev_hash, _fields(entry)):
            return entry
        prev_hash = entry.entry_hash
    return None


def audit_for(obj: Model) -> QuerySet:
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")
