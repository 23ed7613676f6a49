"""Forms of the nominations pages: propose, edit, a pending case and its closing."""

from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import CaseKind
from awards.nominations.services import TEXT_MAX_LENGTH
from core.forms import DateInput, PortalForm

JUSTIFICATION_HELP = _("Bắt buộc khi có cảnh báo (!): khối xác nhận điều kiện cổng không tự kiểm tra được, hoặc giải trình lựa chọn.")


class ProposeForm(PortalForm):
    """Award type and agency as choices of this bloc-year only: another bloc's ids are form errors."""

    submit_label = _("Đề nghị")
    award_type = forms.TypedChoiceField(label=_("Hình thức khen thưởng"), coerce=int)
    agency = forms.TypedChoiceField(label=_("Đơn vị được đề nghị"), coerce=int)
    reason = forms.CharField(label=_("Thành tích, lý do đề nghị"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
    justification = forms.CharField(label=_("Giải trình"), max_length=TEXT_MAX_LENGTH, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}), help_text=JUSTIFICATION_HELP)

    def __init__(self, *args, award_types=(), members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_type"].choices = [("", _("— chọn hình thức —"))] + [(a.pk, a.name) for a in award_types]
        self.fields["agency"].choices = [("", _("— chọn đơn vị —"))] + [(a.pk, a.name) for a in members]

    def get_layout(self):
        return Layout(Field("award_type"), Field("agency"), Field("reason"), Field("justification"))


class NominationEditForm(PortalForm):
    reason = forms.CharField(label=_("Thành tích, lý do đề nghị"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}))
    justification = forms.CharField(label=_("Giải trình"), max_length=TEXT_MAX_LENGTH, required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}), help_text=JUSTIFICATION_HELP)
    version = forms.CharField(widget=forms.HiddenInput, max_length=32, required=False)


class CaseForm(PortalForm):
    submit_label = _("Ghi vụ việc")
    kind = forms.ChoiceField(label=_("Loại vụ việc"), choices=CaseKind.choices)
    opened_on = forms.DateField(label=_("Ngày bắt đầu"), widget=DateInput())
    description = forms.CharField(label=_("Nội dung"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


class CaseCloseForm(PortalForm):
    submit_label = _("Ghi kết thúc")
    closed_on = forms.DateField(label=_("Ngày kết thúc"), widget=DateInput())
