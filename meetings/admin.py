from django.contrib import admin

from meetings.models import Article, Attendance, Decision, Guest, Meeting, MinutesRevision, Photo


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0


class GuestInline(admin.TabularInline):
    model = Guest
    extra = 0


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_at", "state"]
    list_filter = ["kind", "state"]
    list_select_related = ["bloc_year__bloc"]
    readonly_fields = ["state", "revision"]
    inlines = [AttendanceInline, GuestInline, DecisionInline, PhotoInline]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "province", "is_published", "published_at"]
    list_filter = ["is_published", "province"]


@admin.register(MinutesRevision)
class MinutesRevisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "approved_at"]
    readonly_fields = ["meeting", "number", "snapshot", "content_hash", "approved_by", "approved_at"]
