"""The audit log: who did what to which object, from where, chained by a keyed hash (HMAC-SHA256).

Each entry's hash covers its content and its predecessor's hash, keyed with ``settings.AUDIT_KEY``
(never stored in the database): whoever can write the database but does not hold the key can
neither change an entry nor forge a re-hashed chain. A cut tail leaves a valid chain, so the
newest hash and the count are anchored outside the database (``audit_anchor_write``, a JSON line
appended to ``settings.AUDIT_ANCHOR_PATH``) and ``audit_check`` compares the chain with the newest
anchor. ``manage.py audit_verify`` and ``manage.py audit_anchor`` run them.
"""

import collections
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from core.models import AuditEntry

GENESIS = "0" * 64
_LOCK_KEY = 804_215_001  # any constant: serialises appends to the chain on PostgreSQL


def _key() -> bytes:
    """The chain's key: ``AUDIT_KEY``, or (development) one derived from ``SECRET_KEY``."""
    configured = getattr(settings, "AUDIT_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"core.audit chain key", hashlib.sha256).digest()


def _payload(prev_hash, fields) -> bytes:
    # The chain's own format (fixed since the first entry; not ``core.hashing``'s canonical form).
    payload = json.dumps(fields, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return f"{prev_hash}|{payload}".encode()


def _digest(prev_hash, fields, key=None):
    return hmac.new(key or _key(), _payload(prev_hash, fields), hashlib.sha256).hexdigest()


def _legacy_digest(prev_hash, fields):
    # The unkeyed format used before the chain was keyed; only ``audit_rekey_legacy`` reads it.
    return hashlib.sha256(_payload(prev_hash, fields)).hexdigest()


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


@dataclass(frozen=True)
class AuditProblem:
    """What ``audit_check`` found wrong: the first bad entry (or None for a cut tail) and why."""

    message: str
    entry: AuditEntry | None = None


def _first_bad(digest) -> tuple[AuditProblem | None, int]:
    """Walk the chain in order; return the first problem (or None) and the number of entries read."""
    prev_hash = GENESIS
    count = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if entry.prev_hash != prev_hash:
            return AuditProblem("its previous hash does not match the entry before it (an entry was removed or inserted)", entry), count
        if not hmac.compare_digest(entry.entry_hash, digest(prev_hash, _fields(entry))):
            return AuditProblem("its hash does not match its content (changed, or hashed without the key)", entry), count
        prev_hash = entry.entry_hash
    return None, count


def audit_verify_chain() -> AuditEntry | None:
    """Return the first entry whose hash does not match its content or its predecessor, or None."""
    key = _key()
    problem, _count = _first_bad(lambda prev, fields: _digest(prev, fields, key))
    return problem.entry if problem else None


def _anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_PATH)


def audit_anchor_latest() -> dict | None:
    """The newest anchor in the anchor file, or None when nothing was anchored yet.

    Raises ``ValueError`` when the newest line is not a valid anchor.
    """
    path = _anchor_path()
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as lines:
        newest = collections.deque((line for line in lines if line.strip()), maxlen=1)
    if not newest:
        return None
    anchor = json.loads(newest[0])
    if not isinstance(anchor, dict) or not {"count", "last_id", "last_hash", "anchored_at"} <= anchor.keys():
        raise ValueError(f"the newest line of {path} is not an audit anchor")
    return anchor


def _against_anchor(anchor: dict, count: int) -> AuditProblem | None:
    row = AuditEntry.objects.filter(pk=anchor["last_id"]).values_list("entry_hash", flat=True).first()
    where = f"anchored at {anchor['anchored_at']}: {anchor['count']} entries up to #{anchor['last_id']}"
    if row is None:
        return AuditProblem(f"the anchored entry #{anchor['last_id']} is missing ({where}; the database has {count})")
    if not hmac.compare_digest(row, anchor["last_hash"]):
        return AuditProblem(f"the anchored entry #{anchor['last_id']} has another hash than anchored ({where})")
    if count < anchor["count"] or AuditEntry.objects.filter(pk__lte=anchor["last_id"]).count() != anchor["count"]:
        return AuditProblem(f"entries are missing: {where}; the database has {count}")
    return None


def audit_check() -> tuple[AuditProblem | None, int, dict | None]:
    """Verify the keyed chain, then compare it with the newest anchor.

    Returns (the first problem or None, the number of entries, the newest anchor or None).
    """
    key = _key()
    problem, count = _first_bad(lambda prev, fields: _digest(prev, fields, key))
    try:
        anchor = audit_anchor_latest()
    except (OSError, ValueError) as exc:  # a JSONDecodeError is a ValueError
        return problem or AuditProblem(f"the anchor file cannot be read: {exc}"), count, None
    if problem is None and anchor is not None:
        problem = _against_anchor(anchor, count)
    return problem, count, anchor


def audit_anchor_write() -> dict | None:
    """Append the newest entry's id and hash and the count up to it to the anchor file.

    Keep the file outside the database and its backups (another disk, a write-once store, or
    ship it to the system log): whoever cuts the chain's tail must also rewrite it.
    """
    last = AuditEntry.objects.order_by("-id").values("id", "entry_hash").first()
    if last is None:
        return None
    anchor = {
        "anchored_at": timezone.now().isoformat(),
        # Counted up to the anchored id, so an entry appended meanwhile does not skew it.
        "count": AuditEntry.objects.filter(pk__lte=last["id"]).count(),
        "last_id": last["id"],
        "last_hash": last["entry_hash"],
    }
    path = _anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(anchor, sort_keys=True) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    return anchor


@transaction.atomic
def audit_rekey_legacy() -> int:
    """Re-hash a chain written in the old unkeyed format with the key; returns the entries re-hashed.

    Refuses (``ValueError``) unless the whole chain verifies in the old format, so tampering
    made before the upgrade is never laundered. Run once, by ``audit_verify --rekey-legacy``.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    problem, _count = _first_bad(_legacy_digest)
    if problem is not None:
        raise ValueError(f"the chain does not verify in the old format at entry #{problem.entry.pk}: {problem.message}")
    key = _key()
    entries = list(AuditEntry.objects.order_by("id"))
    # Two passes: the hash column is unique, and old and new hashes must never collide mid-way.
    for entry in entries:
        AuditEntry.objects.filter(pk=entry.pk).update(entry_hash=f"rekey-{entry.pk}", prev_hash="")
    prev_hash = GENESIS
    for entry in entries:
        entry.prev_hash = prev_hash
        entry.entry_hash = _digest(prev_hash, _fields(entry), key)
        AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=entry.prev_hash, entry_hash=entry.entry_hash)
        prev_hash = entry.entry_hash
    return len(entries)


def audit_for(obj: Model) -> QuerySet:
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")
