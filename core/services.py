"""Helpers every app's services share."""

from django.db import transaction
from django.db.models import Model

from core.audit import audit_record


def _shown(value):
    return getattr(value, "pk", value)


@transaction.atomic
def model_update(*, instance: Model, fields: dict, actor, action: str, ip: str | None = None, data: dict | None = None) -> list[str]:
    """Set ``fields`` on ``instance``, validate, save and audit what changed (old and new values).

    Returns the names of the fields that changed; nothing is saved or audited when none did.
    Raises ``ValidationError`` (from ``full_clean``) and leaves the database as it was.
    """
    changed = {}
    for name, value in fields.items():
        field = instance._meta.get_field(name)
        old = getattr(instance, field.attname if field.is_relation else name)
        new = _shown(value) if field.is_relation else value
        if old != new:
            changed[name] = [_shown(old), new]
        setattr(instance, name, value)
    if not changed:
        return []
    instance.full_clean()
    instance.save()
    audit_record(actor=actor, ip=ip, action=action, obj=instance, data={"changed": changed, **(data or {})})
    return list(changed)
