from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from blocs.models import Agency, Bloc, BlocYear, Membership, Province, RoleAssignment, User
from core.admin import AuditedAdminMixin, AuditedModelAdmin, AuditedTabularInline


@admin.register(Province)
class ProvinceAdmin(AuditedModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["name", "short_name", "kind", "province", "status"]
    list_filter = ["province", "kind", "status"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["successor"]


class MembershipInline(AuditedTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(Bloc)
class BlocAdmin(AuditedModelAdmin):
    list_display = ["name", "province"]
    list_filter = ["province"]
    search_fields = ["name"]


@admin.register(BlocYear)
class BlocYearAdmin(AuditedModelAdmin):
    list_display = ["bloc", "year", "head", "deputy"]
    list_filter = ["year", "bloc__province"]
    search_fields = ["bloc__name"]
    autocomplete_fields = ["head", "deputy"]
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        for membership in formset.save(commit=False):
            membership.year = form.instance.year
            membership.save()
        formset.save_m2m()
        for obj in formset.deleted_objects:
            obj.delete()
        # The year is copied onto every membership (for the one-bloc-per-year constraint): keep it in step.
        form.instance.memberships.exclude(year=form.instance.year).update(year=form.instance.year)


class RoleAssignmentInline(AuditedTabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["agency", "bloc_year"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Cổng thi đua"), {"fields": ("full_name", "title", "agency")}),)
    list_display = ["username", "full_name", "agency", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    autocomplete_fields = ["agency"]
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedModelAdmin):
    list_display = ["user", "role", "province", "bloc_year", "agency"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "agency", "bloc_year"]


# Groups carry permissions: their changes are audited like every other admin write.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, BaseGroupAdmin):
    pass
