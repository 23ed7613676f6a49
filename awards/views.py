"""Pages of the rule sets: the board's list and detail, copy, edit; a bloc-year's "Quy chế áp dụng"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards import catalogue, selectors, services
from awards.forms import BandFormSet, ChooseForm, QuotaFormSet, RuleSetCopyForm, ValueFormSet
from awards.models import RuleSet
from blocs.models import BlocYear, Province
from core.access import can, get_object_for_user, require, restrict
from core.audit import client_ip


def _rule_set(request, pk, *, change=None):
    return get_object_for_user(
        request.user, RuleSet.objects.select_related("legal_basis", "province", "copied_from", "created_by"),
        view="awards.view_ruleset", change=change, also=("awards.change_ruleset",), pk=pk,
    )


@login_required
@require_GET
def rule_set_list(request):
    require(request.user, "awards.view_ruleset")
    groups = selectors.rule_sets_grouped(restrict(RuleSet.objects.all(), request.user, "awards.view_ruleset"))
    return render(request, "awards/rule_set_list.html", {"groups": groups})


@login_required
@require_GET
def rule_set_detail(request, pk):
    rule_set = _rule_set(request, pk)
    return render(request, "awards/rule_set_detail.html", {
        "rule_set": rule_set,
        "rules": selectors.rules_of(rule_set),
        "can_change": can(request.user, "awards.change_ruleset", rule_set),
        "can_copy": can(request.user, "awards.manage"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def rule_set_copy(request, pk):
    rule_set = _rule_set(request, pk)
    require(request.user, "awards.manage")
    provinces = restrict(Province.objects.order_by("name"), request.user, "awards.manage")
    first = provinces.first()
    form = RuleSetCopyForm(request.POST or None, provinces=provinces, initial={
        "name": _("Quy chế hoạt động Khối thi đua tỉnh %(province)s") % {"province": first.name} if first else "",
        "valid_from": rule_set.valid_from, "valid_to": rule_set.valid_to,
    })
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.rule_set_copy(actor=request.user, ip=client_ip(request), rule_set=rule_set, **form.cleaned_data)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã tạo “%(name)s” từ “%(source)s”.") % {"name": copy.name, "source": rule_set.name})
            return redirect(copy)
    return render(request, "awards/rule_set_copy.html", {"rule_set": rule_set, "form": form})


def _edit_forms(rule_set, rules, data=None):
    editable = [v for v in rules.values.values() if not v.by_decree and v.key in catalogue.KEYS]
    present = {v.key for v in editable}
    missing = [spec for spec in catalogue.KEYS.values() if spec.setter == catalogue.REGULATION and spec.key not in rules.values]
    values = ValueFormSet(data, prefix="values", present_keys=present, initial=[
        *({"key": v.key, "value": _typed(v), "source": v.source} for v in editable),
        *({"key": spec.key, "value": "", "source": ""} for spec in missing),
    ])
    bands = BandFormSet(data, prefix="bands", initial=[
        {"name": b.name, "min_total": _number(b.min_total), "max_total": _number(b.max_total),
         "requires_no_zero_criterion": b.requires_no_zero_criterion, "source": b.source}
        for b in rules.bands
    ])
    quotas = QuotaFormSet(data, prefix="awards", initial=[
        {"code": a.code, "per_bloc_quota": a.per_bloc_quota, "source": a.source} for a in rules.award_types
    ])
    return values, bands, quotas


def _typed(value):
    """A stored value as a person types it (decimal comma)."""
    return value.text.replace(".", ",") if value.kind in (catalogue.DECIMAL, catalogue.PERCENT) else value.text


def _number(value):
    return "" if value is None else format(value.normalize(), "f").replace(".", ",")


def _label_rows(values):
    """Each value row with its catalogue entry, for the template."""
    return [(form, form.spec) for form in values]


@login_required
@require_http_methods(["GET", "POST"])
def rule_set_edit(request, pk):
    rule_set = _rule_set(request, pk, change="awards.change_ruleset")
    rules = selectors.rules_of(rule_set)
    data = request.POST if request.method == "POST" else None
    values, bands, quotas = _edit_forms(rule_set, rules, data)
    version = rule_set.version
    errors = []
    if data is not None:
        version = str(data.get("version", ""))[:32]
        if all([values.is_valid(), bands.is_valid(), quotas.is_valid()]):
            try:
                services.rule_values_save(
                    actor=request.user, ip=client_ip(request), rule_set=rule_set, version=version,
                    rows=[{k: f.cleaned_data.get(k, "") for k in ("key", "value", "source")} for f in values],
                    bands=[f.cleaned_data for f in bands if not f.cleaned_data.get("blank")],
                    quotas={f.cleaned_data["code"]: (f.cleaned_data.get("per_bloc_quota"), f.cleaned_data.get("source", "")) for f in quotas},
                )
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("Đã lưu các giá trị của “%(name)s”.") % {"name": rule_set.name})
                return redirect(rule_set)
        else:
            errors = [_("Chưa lưu: hãy sửa các ô được đánh dấu bên dưới.")]
    return render(request, "awards/rule_set_edit.html", {
        "rule_set": rule_set, "rules": rules, "value_rows": _label_rows(values), "values": values,
        "bands": bands, "quotas": quotas, "quota_names": {a.code: a.name for a in rules.award_types},
        "version": version, "errors": errors,
    })


def _bloc_year(request, pk, *, change=None):
    return get_object_for_user(
        request.user, BlocYear.objects.select_related("bloc__province"), view="awards.view_applied", change=change,
        also=("awards.choose",), pk=pk,
    )


@login_required
@require_GET
def blocyear_rules(request, pk):
    bloc_year = _bloc_year(request, pk)
    context = {"bloc_year": bloc_year, "reference_date": selectors.reference_date(bloc_year)}
    try:
        rule_set = selectors.rule_set_for(bloc_year)
    except selectors.NoRuleSet as error:
        context["missing"] = str(error)
    else:
        context.update(rule_set=rule_set, rules=selectors.rules_of(rule_set))
    return render(request, "awards/blocyear_rules.html", context)


@login_required
@require_POST
def blocyear_rule_set_choose(request, pk):
    bloc_year = _bloc_year(request, pk, change="awards.choose")
    form = ChooseForm(request.POST, choices=selectors.choosable_rule_sets(bloc_year))
    if not form.is_valid():
        messages.error(request, _("Bộ quy tắc đã chọn không còn, hoặc không áp dụng được cho khối này; hãy tải lại trang rồi chọn lại."))
        return redirect(bloc_year)
    try:
        services.bloc_year_rule_set_choose(actor=request.user, ip=client_ip(request), bloc_year=bloc_year,
                                           rule_set=form.cleaned_data["rule_set"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã đổi quy chế áp dụng cho %(bloc_year)s.") % {"bloc_year": bloc_year})
    return redirect(bloc_year)
