"""Forms of the awards app: copy a rule set, edit a regulation's values, choose one for a bloc-year."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from awards import catalogue
from awards.services import parse_total
from core.forms import CleanForm, DateInput, PortalForm

_MISSING = _("Biểu mẫu bị thiếu dữ liệu hoặc đã bị sửa; hãy tải lại trang rồi nhập lại.")


class RuleSetCopyForm(PortalForm):
    submit_label = _("Sao chép")
    name = forms.CharField(label=_("Tên bộ quy tắc mới"), max_length=255,
                           help_text=_("Ví dụ: Quy chế hoạt động Khối thi đua tỉnh Ninh Thuận"))
    valid_from = forms.DateField(label=_("Áp dụng từ ngày"), widget=DateInput())
    valid_to = forms.DateField(label=_("Áp dụng đến ngày"), widget=DateInput(), required=False,
                               help_text=_("Để trống nếu chưa có ngày hết áp dụng."))
    province = forms.ModelChoiceField(label=_("Tỉnh"), queryset=None)

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        found = list(provinces[:2])
        if len(found) == 1:
            self.fields["province"].initial = found[0].pk
            self.fields["province"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("Ngày hết áp dụng phải sau ngày bắt đầu áp dụng."))
        return data


class RowsFormSet(forms.BaseFormSet):
    """Every posted row is cleaned (none skipped as "unchanged"); the row count is bounded."""

    default_error_messages = {
        "missing_management_form": _MISSING,
        "too_many_forms": _("Quá nhiều dòng: tối đa %(num)d dòng."),
        "too_few_forms": _("Cần ít nhất %(num)d dòng."),
    }

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "empty_permitted": False}


def _rows(form, *, max_num, extra=0, formset=RowsFormSet):
    return forms.formset_factory(form, formset=formset, extra=extra, max_num=max_num, absolute_max=max_num, validate_max=True)


class ValueForm(CleanForm):
    key = forms.ChoiceField(widget=forms.HiddenInput, choices=[(k, k) for k, spec in catalogue.KEYS.items()])
    value = forms.CharField(label=_("Giá trị"), max_length=catalogue.VALUE_MAX_LENGTH, required=False)
    source = forms.CharField(label=_("Nguồn"), max_length=500, required=False,
                             help_text=_("Ví dụ: Quy chế hoạt động Khối, Điều 8"))

    def __init__(self, *args, present_keys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.present_keys = set(present_keys)
        key = self.data.get(self.add_prefix("key")) if self.is_bound else self.initial.get("key")
        self.spec = catalogue.KEYS.get(key)
        if self.spec is not None and self.spec.kind == catalogue.CHOICE:
            self.fields["value"].widget = forms.Select(choices=[("", "—"), *self.spec.choices])
        elif self.spec is not None and self.spec.kind == catalogue.TEXT:
            self.fields["value"].widget = forms.TextInput(attrs={"class": "w-100"})

    def clean(self):
        data = super().clean()
        spec = catalogue.KEYS.get(data.get("key"))
        if spec is None or spec.setter == catalogue.DECREE:
            raise ValidationError(_MISSING)
        value, source = data.get("value", ""), data.get("source", "")
        if spec.key not in self.present_keys and not value and not source:
            return data
        try:
            catalogue.parse(spec, value)
        except ValidationError as error:
            self.add_error("value", error)
        if not source and "source" not in self.errors:
            self.add_error("source", _("Phải ghi nguồn (văn bản, điều khoản) của giá trị này."))
        return data


class BaseValueFormSet(RowsFormSet):
    def __init__(self, *args, present_keys=(), **kwargs):
        self.present_keys = present_keys
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "present_keys": self.present_keys}


ValueFormSet = _rows(ValueForm, max_num=len(catalogue.KEYS), formset=BaseValueFormSet)


class BandForm(CleanForm):
    name = forms.CharField(label=_("Mức xếp loại"), max_length=120, required=False)
    min_total = forms.CharField(label=_("Từ (≥)"), max_length=20, required=False)
    max_total = forms.CharField(label=_("Đến dưới (<)"), max_length=20, required=False)
    requires_no_zero_criterion = forms.BooleanField(label=_("Không có tiêu chí 0 điểm"), required=False)
    source = forms.CharField(label=_("Nguồn"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        filled = any(data.get(f) for f in ("name", "min_total", "max_total", "source"))
        data["blank"] = not filled
        if not filled:
            return data
        if not data.get("name"):
            self.add_error("name", _("Hãy nhập tên mức."))
        for field in ("min_total", "max_total"):
            try:
                parse_total(data.get(field), self.fields[field].label)
            except ValidationError as error:
                self.add_error(field, error)
        if not data.get("source"):
            self.add_error("source", _("Phải ghi nguồn của mức xếp loại này."))
        return data


BandFormSet = _rows(BandForm, max_num=12, extra=1)


class QuotaForm(CleanForm):
    code = forms.SlugField(widget=forms.HiddenInput, max_length=40)
    per_bloc_quota = forms.IntegerField(label=_("Tối đa mỗi khối"), required=False, min_value=0, max_value=1000,
                                        help_text=_("Để trống: không giới hạn."))
    source = forms.CharField(label=_("Nguồn"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("source") and "source" not in self.errors:
            self.add_error("source", _("Phải ghi nguồn."))
        return data


QuotaFormSet = _rows(QuotaForm, max_num=50)


class ChooseForm(forms.Form):
    rule_set = forms.ModelChoiceField(label=_("Quy chế áp dụng"), queryset=None, required=False,
                                      empty_label=_("Theo ngày hiệu lực (tự động)"))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule_set"].queryset = choices
