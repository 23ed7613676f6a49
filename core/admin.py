"""The admin base every app's admin uses: every write goes to the audit chain, locked records are read-only.

Superusers go through the services like everyone for signed, approved or issued records: an admin
says which of its objects are locked (``is_locked``) and those, with their inlines, can be viewed
but not changed or deleted. What remains editable is audited (``admin.add``, ``admin.change`` with
old and new values, ``admin.delete``), in the same transaction as the change.
"""

import json

from django.contrib import admin
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model, QuerySet

from core.audit import audit_record, client_ip
from core.models import AuditEntry, IssuedDocument, Notification

HIDDEN = "***"


def _plain(value):
    """A form value as the audit log stores it: ids for objects, names for files."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (QuerySet, list, tuple, set)):
        return sorted((_plain(item) for item in value), key=str)
    if isinstance(value, File):
        return value.name
    try:
        json.dumps(value, cls=DjangoJSONEncoder)
    except TypeError:
        return str(value)
    return value


def form_changes(form) -> dict:
    """``{field: [old, new]}`` for what the admin form changed (passwords hidden)."""
    changed = {}
    for name in form.changed_data:
        if "password" in name:
            changed[name] = [HIDDEN, HIDDEN]
        else:
            changed[name] = [_plain(form.initial.get(name)), _plain(form.cleaned_data.get(name))]
    return changed


def _formset_changes(formset, deleting) -> list:
    label = formset.model._meta.label_lower
    rows = [{"model": label, "id": obj.pk, "added": str(obj)[:100]} for obj in getattr(formset, "new_objects", [])]
    for obj, names in getattr(formset, "changed_objects", []):
        form = next((f for f in formset.initial_forms if f.instance.pk == obj.pk), None)
        rows.append({"model": label, "id": obj.pk, "changed": form_changes(form) if form else names})
    rows.extend({"model": label, "id": pk, "deleted": text} for pk, text in deleting)
    return rows


class AuditedAdminMixin:
    """Audit every add, change and delete made in this admin; refuse changes to locked objects."""

    def is_locked(self, obj) -> bool:
        """Signed, approved or issued: viewable only. Subclasses say which of their objects are."""
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and self.is_locked(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and self.is_locked(obj))

    def _pending(self, request) -> dict:
        if not hasattr(request, "_audit_admin_changes"):
            request._audit_admin_changes = {}
        return request._audit_admin_changes

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._pending(request)[(obj._meta.label_lower, obj.pk)] = {"changed": form_changes(form)}

    def save_related(self, request, form, formsets, change):
        deleting = {
            id(fs): [(f.instance.pk, str(f.instance)[:100]) for f in fs.deleted_forms if f.instance.pk is not None]
            for fs in formsets
            if fs.can_delete
        }
        super().save_related(request, form, formsets, change)
        inlines = [row for fs in formsets for row in _formset_changes(fs, deleting.get(id(fs), []))]
        if inlines:
            pending = self._pending(request).setdefault((form.instance._meta.label_lower, form.instance.pk), {})
            pending["inlines"] = inlines

    def _audit(self, request, obj, action, message):
        data = self._pending(request).pop((obj._meta.label_lower, obj.pk), None)
        if data is None:  # a write outside the change form, e.g. the user's password page
            data = {"message": message}
        audit_record(actor=request.user, action=action, obj=obj, ip=client_ip(request), data=data)

    def log_addition(self, request, obj, message):
        self._audit(request, obj, "admin.add", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, obj, "admin.change", message)
        return super().log_change(request, obj, message)

    @transaction.atomic
    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="admin.delete", obj=obj, ip=client_ip(request))
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(actor=request.user, action="admin.delete", obj=obj, ip=client_ip(request))
        super().delete_queryset(request, queryset)


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyModelAdmin(AuditedModelAdmin):
    """Evidence (logs, signatures, issued documents, approved snapshots): viewable, never written here."""

    def has_add_permission(self, request):
        return False

    def is_locked(self, obj):
        return True

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LockedWithParentInline:
    """An inline that is read-only when its parent is locked (the parent's admin says)."""

    def _parent_locked(self, obj):
        parent_admin = self.admin_site._registry.get(self.parent_model)
        return obj is not None and parent_admin is not None and parent_admin.is_locked(obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._parent_locked(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._parent_locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._parent_locked(obj)


class AuditedTabularInline(LockedWithParentInline, admin.TabularInline):
    pass


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    list_display = ["created_at", "actor_name", "action", "object_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor_name"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyModelAdmin):
    """Issued PDFs change only through the document service (retry, re-render)."""

    list_display = ["code", "kind", "title", "status", "rendered_at"]
    list_filter = ["kind", "status"]
    search_fields = ["code", "title"]


@admin.register(Notification)
class NotificationAdmin(AuditedModelAdmin):
    list_display = ["created_at", "user", "message", "read_at"]
