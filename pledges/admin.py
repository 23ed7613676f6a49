from django.contrib import admin

from pledges.models import Attachment, Comment, Criterion, Decline, Pledge, PledgeVersion, Signature


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at"]
    list_select_related = ["bloc_year__bloc"]


@admin.register(PledgeVersion)
class PledgeVersionAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "state", "doc_number", "date"]
    list_filter = ["state"]
    readonly_fields = ["content_hash", "frozen_content", "signing_opened_at", "signed_at"]
    inlines = [CriterionInline]


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    """Signatures are evidence: read-only here."""

    list_display = ["agency", "signer_name", "version", "signed_at", "voided_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register([Attachment, Comment, Decline])
