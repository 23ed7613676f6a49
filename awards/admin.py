from django.contrib import admin

from awards.models import AwardType, BlocYearRuleSet, LegalBasis, RatingBand, RuleSet, RuleValue, new_version
from core.admin import AuditedModelAdmin, AuditedTabularInline


@admin.register(LegalBasis)
class LegalBasisAdmin(AuditedModelAdmin):
    """A new decree is a new row here (then a template rule set under it)."""

    list_display = ["name", "law", "valid_from", "valid_to"]


class RuleValueInline(AuditedTabularInline):
    model = RuleValue
    extra = 0


class RatingBandInline(AuditedTabularInline):
    model = RatingBand
    extra = 0


class AwardTypeInline(AuditedTabularInline):
    model = AwardType
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(AuditedModelAdmin):
    list_display = ["name", "province", "legal_basis", "valid_from", "valid_to"]
    list_filter = ["legal_basis", "province"]
    list_select_related = ["province", "legal_basis"]
    inlines = [RuleValueInline, RatingBandInline, AwardTypeInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A new version token: pages and ``rules_for``'s cache see the change.
        RuleSet.objects.filter(pk=form.instance.pk).update(version=new_version())


@admin.register(BlocYearRuleSet)
class BlocYearRuleSetAdmin(AuditedModelAdmin):
    list_display = ["bloc_year", "rule_set", "chosen_by", "chosen_at"]
    list_select_related = ["bloc_year__bloc", "rule_set", "chosen_by"]
