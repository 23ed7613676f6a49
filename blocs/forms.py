import re

from crispy_forms.layout import HTML, Column, Field, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from blocs.models import Agency, AgencyStatus, Bloc, Province, User
from blocs.transfer import MAX_BYTES
from core.forms import DateInput, PortalForm

_ID = re.compile(r"^[0-9]{1,20}$")


class IdChecks:
    """Ids checked as ids before the database sees them.

    A hand-made post can hold any text where a page offers ids: a 20-digit number overflows the
    SQLite driver (``OverflowError``) and PostgreSQL's bigint (``DataError``) in the ``IN`` query
    the field runs, and text or a NUL byte is refused with an English message. Here every value
    must be a positive integer the primary key can hold; anything else is a form error.
    """

    def _is_id(self, value) -> bool:
        text = str(value)
        if not _ID.match(text):
            return False
        pk = self.queryset.model._meta.pk
        low, high = connections[self.queryset.db].ops.integer_field_range(pk.get_internal_type())
        return 0 < int(text) <= (high if high is not None else 2**63 - 1)


class IdChoiceField(IdChecks, forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("Lựa chọn không hợp lệ: hãy chọn trong danh sách.")}

    def to_python(self, value):
        if value not in self.empty_values and not self._is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(IdChecks, forms.ModelMultipleChoiceField):
    max_choices = 2000
    default_error_messages = {
        "invalid_list": _("Lựa chọn không hợp lệ: hãy chọn trong danh sách."),
        "invalid_choice": _("Lựa chọn không hợp lệ: có mục không nằm trong danh sách."),
        "invalid_pk_value": _("Lựa chọn không hợp lệ: hãy chọn trong danh sách."),
        "too_many": _("Lựa chọn không hợp lệ: chọn quá nhiều mục (tối đa %(max)d)."),
    }

    def clean(self, value):
        if isinstance(value, (list, tuple)):
            if len(value) > self.max_choices:
                raise ValidationError(self.error_messages["too_many"], code="too_many", params={"max": self.max_choices})
            if not all(self._is_id(item) for item in value):
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value")
        return super().clean(value)


class ChosenFirstCheckboxes(forms.CheckboxSelectMultiple):
    """A long list of checkboxes with the chosen ones first, so they stay in sight.

    ``blocs/picker.js`` adds a filter box and a scroll box; without JavaScript it is a plain list.
    """

    class Media:
        js = ("blocs/picker.js",)

    def optgroups(self, name, value, attrs=None):
        options = [option for _group, subgroup, _index in super().optgroups(name, value, attrs) for option in subgroup]
        options.sort(key=lambda option: not option["selected"])  # stable: each part keeps its order
        return [(None, [option], index) for index, option in enumerate(options)]


class ProvinceChoiceMixin:
    """Adds a province field only for users who manage more than one province."""

    def setup_province(self, provinces):
        provinces = list(provinces)
        if len(provinces) == 1:
            self.province = provinces[0]
        else:
            self.province = None
            self.fields["province"] = forms.ModelChoiceField(
                label=_("Tỉnh"), queryset=Province.objects.filter(pk__in=[p.pk for p in provinces])
            )
            self.order_fields(["province"])
            self.build_helper()

    def chosen_province(self):
        return self.province or self.cleaned_data["province"]


class AgencyForm(ProvinceChoiceMixin, PortalForm):
    name = forms.CharField(label=_("Tên cơ quan, đơn vị"), max_length=255)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=Agency._meta.get_field("kind").choices)
    leader_name = forms.CharField(label=_("Họ tên người đứng đầu"), max_length=120, required=False)
    leader_title = forms.CharField(label=_("Chức vụ"), max_length=120, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    status = forms.ChoiceField(label=_("Trạng thái"), choices=AgencyStatus.choices)
    status_date = forms.DateField(
        label=_("Ngày hiệu lực (sáp nhập, giải thể)"), required=False, widget=DateInput(),
        help_text=_("Chỉ điền khi đơn vị đã sáp nhập hoặc giải thể."),
    )
    successor = forms.ModelChoiceField(
        label=_("Đơn vị kế thừa"), queryset=Agency.objects.none(), required=False, empty_label=_("— Không có —"),
        help_text=_("Đơn vị tiếp nhận chức năng, nhiệm vụ sau khi sáp nhập."),
    )

    def __init__(self, *args, provinces, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {f: getattr(instance, f) for f in self.declared_fields if hasattr(instance, f)}
        super().__init__(*args, **kwargs)
        self.setup_province([instance.province] if instance else provinces)
        successors = Agency.objects.filter(province__in=[instance.province] if instance else provinces)
        if instance is not None:
            successors = successors.exclude(pk=instance.pk)
        self.fields["successor"].queryset = successors

    def get_layout(self):
        return Layout(
            *(["province"] if "province" in self.fields else []),
            Row(Column("name", css_class="col-md-8"), Column("short_name", css_class="col-md-4")),
            Row(Column("kind", css_class="col-md-4"), Column("email", css_class="col-md-8")),
            Row(Column("leader_name", css_class="col-md-6"), Column("leader_title", css_class="col-md-6")),
            Row(Column("status", css_class="col-md-4"), Column("status_date", css_class="col-md-4"), Column("successor", css_class="col-md-4")),
        )

    def service_fields(self):
        data = dict(self.cleaned_data)
        data.pop("province", None)
        return data


class BlocForm(ProvinceChoiceMixin, PortalForm):
    name = forms.CharField(label=_("Tên khối thi đua"), max_length=255)
    description = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, provinces, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"name": instance.name, "description": instance.description}
        super().__init__(*args, **kwargs)
        self.setup_province([instance.province] if instance else provinces)


class BlocYearForm(PortalForm):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    members = IdMultipleChoiceField(
        label=_("Thành viên"), queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    head = IdChoiceField(
        label=_("Trưởng khối"), queryset=Agency.objects.none(), required=False, empty_label=_("— Chưa chọn —"),
        help_text=_("Chọn trong các đơn vị thành viên đã đánh dấu ở trên."),
    )
    deputy = IdChoiceField(
        label=_("Phó khối"), queryset=Agency.objects.none(), required=False, empty_label=_("— Chưa chọn —"),
        help_text=_("Chọn trong các đơn vị thành viên đã đánh dấu ở trên."),
    )
    notice_number = forms.CharField(label=_("Số thông báo (ví dụ 09/TB-UBND)"), max_length=60, required=False)
    notice_date = forms.DateField(label=_("Ngày thông báo"), required=False, widget=DateInput())
    secretaries = IdMultipleChoiceField(
        label=_("Thư ký khối"), queryset=User.objects.none(), required=False, widget=ChosenFirstCheckboxes,
        help_text=_("Thường là cán bộ của đơn vị Trưởng khối. Người đã chọn đứng đầu danh sách."),
    )

    def __init__(self, *args, bloc: Bloc, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "year": instance.year,
                "members": [m.agency_id for m in instance.memberships.all()],
                "head": instance.head_id,
                "deputy": instance.deputy_id,
                "notice_number": instance.notice_number,
                "notice_date": instance.notice_date,
                "secretaries": [ra.user_id for ra in instance.role_assignments.filter(role="secretary")],
            }
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(province_id=bloc.province_id).order_by("name")
        self.fields["members"].queryset = agencies
        self.fields["head"].queryset = agencies
        self.fields["deputy"].queryset = agencies
        self.fields["secretaries"].queryset = (
            User.objects.filter(is_active=True, agency__province_id=bloc.province_id).select_related("agency").order_by("full_name")
        )
        self.fields["secretaries"].label_from_instance = lambda u: f"{u.get_full_name()} ({u.agency.short_name or u.agency.name})"

    def get_layout(self):
        return Layout(
            Row(Column("year", css_class="col-md-3"), Column("notice_number", css_class="col-md-5"), Column("notice_date", css_class="col-md-4")),
            Field("members", wrapper_class="members-grid"),
            Row(Column("head", css_class="col-md-6"), Column("deputy", css_class="col-md-6")),
            # Shown by blocs/picker.js (hidden without JavaScript, where it would do nothing).
            HTML(format_html(
                '<input type="search" class="form-control form-control-sm mb-2" id="secretaries-filter" data-picker-filter="div_id_secretaries"'
                ' placeholder="{label}" aria-label="{label}" aria-controls="div_id_secretaries" hidden>',
                label=_("Lọc thư ký theo tên hoặc đơn vị"),
            )),
            Field("secretaries", wrapper_class="secretary-picker"),
        )


class CopyYearForm(PortalForm):
    year = forms.IntegerField(label=_("Sang năm"), min_value=2000, max_value=2100)



class ImportForm(ProvinceChoiceMixin, PortalForm):
    submit_label = _("Đọc tệp và xem trước")
    file = forms.FileField(
        label=_("Tệp danh sách (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_province(provinces)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn %(mb)s MB; hãy chia thành nhiều tệp.") % {"mb": MAX_BYTES // (1024 * 1024)})
        return upload
