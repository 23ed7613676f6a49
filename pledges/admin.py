from django.contrib import admin

from core.admin import AuditedModelAdmin, AuditedTabularInline, ReadOnlyModelAdmin
from pledges.models import Attachment, Comment, Criterion, Decline, Pledge, PledgeState, PledgeVersion, Signature


class CriterionInline(AuditedTabularInline):
    model = Criterion
    extra = 0


@admin.register(Pledge)
class PledgeAdmin(AuditedModelAdmin):
    list_display = ["__str__", "created_at"]
    list_select_related = ["bloc_year__bloc"]

    def is_locked(self, obj):
        # Moving or deleting the pledge would move or delete what was signed.
        return obj.versions.exclude(state__in=[PledgeState.DRAFT, PledgeState.REVIEW]).exists()


@admin.register(PledgeVersion)
class PledgeVersionAdmin(AuditedModelAdmin):
    """Frozen for signing or signed: read-only; states change only through the pledge workflow."""

    list_display = ["title", "number", "state", "doc_number", "date"]
    list_filter = ["state"]
    readonly_fields = ["state", "content_hash", "frozen_content", "signing_opened_at", "signed_at"]
    inlines = [CriterionInline]

    def is_locked(self, obj):
        return not obj.is_editable


class VersionPartAdmin(AuditedModelAdmin):
    """A part of a version (attachment, comment, decline): read-only once the version is frozen."""

    list_select_related = ["version"]

    def is_locked(self, obj):
        return not obj.version.is_editable


@admin.register(Attachment)
class AttachmentAdmin(VersionPartAdmin):
    pass


@admin.register(Comment)
class CommentAdmin(VersionPartAdmin):
    pass


@admin.register(Decline)
class DeclineAdmin(VersionPartAdmin):
    pass


@admin.register(Signature)
class SignatureAdmin(ReadOnlyModelAdmin):
    """Signatures are evidence: read-only here."""

    list_display = ["agency", "signer_name", "version", "signed_at", "voided_at"]
