from django.contrib import admin

from core.admin import AuditedModelAdmin, AuditedTabularInline, ReadOnlyModelAdmin
from meetings.models import Article, Attendance, Decision, Guest, Meeting, MinutesRevision, Photo


class AttendanceInline(AuditedTabularInline):
    model = Attendance
    extra = 0


class GuestInline(AuditedTabularInline):
    model = Guest
    extra = 0


class DecisionInline(AuditedTabularInline):
    model = Decision
    extra = 0


class PhotoInline(AuditedTabularInline):
    model = Photo
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(AuditedModelAdmin):
    """Approved or published minutes: read-only, with their attendance, guests, decisions and photos."""

    list_display = ["__str__", "starts_at", "state"]
    list_filter = ["kind", "state"]
    list_select_related = ["bloc_year__bloc"]
    readonly_fields = ["state", "revision"]
    inlines = [AttendanceInline, GuestInline, DecisionInline, PhotoInline]

    def is_locked(self, obj):
        return obj.is_locked


@admin.register(Article)
class ArticleAdmin(AuditedModelAdmin):
    """A published article is public: read-only here; the secretary unpublishes it through the portal first."""

    list_display = ["title", "province", "is_published", "published_at"]
    list_filter = ["is_published", "province"]

    def is_locked(self, obj):
        return obj.is_published


@admin.register(MinutesRevision)
class MinutesRevisionAdmin(ReadOnlyModelAdmin):
    """What was approved, frozen: the issued minutes PDF is made from it."""

    list_display = ["__str__", "approved_at"]
