from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CleanForm, DateInput, PortalForm
from pledges.models import AttachmentKind, SigningCapacity


class PledgeForm(PortalForm):
    """The pledge's heading and preamble (criteria are edited in the formset below it)."""

    title = forms.CharField(label=_("Tiêu đề"), max_length=255)
    doc_number = forms.CharField(label=_("Số, ký hiệu (ví dụ 48/BKK-KTĐ3)"), max_length=60, required=False)
    place = forms.CharField(label=_("Địa danh"), max_length=100, required=False)
    date = forms.DateField(label=_("Ngày ký"), required=False, widget=DateInput())
    signing_deadline = forms.DateField(
        label=_("Hạn ký"), required=False, widget=DateInput(),
        help_text=_("Các đơn vị chưa ký được nhắc trước hạn 7, 3 và 1 ngày. Để trống: lấy ngày ký, hoặc 14 ngày sau khi mở ký."),
    )
    preamble = forms.CharField(
        label=_("Căn cứ, mở đầu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ví dụ: Thực hiện Chỉ thị số 02/CT-UBND ngày 10/01/2022 của Chủ tịch UBND tỉnh…"),
    )

    def __init__(self, *args, version=None, **kwargs):
        if version is not None and "initial" not in kwargs:
            kwargs["initial"] = {f: getattr(version, f) for f in ("title", "doc_number", "place", "date", "signing_deadline", "preamble")}
        super().__init__(*args, **kwargs)

    def get_layout(self):
        return Layout(
            Row(Column("title", css_class="col-md-8"), Column("doc_number", css_class="col-md-4")),
            Row(Column("place", css_class="col-md-4"), Column("date", css_class="col-md-4"),
                Column("signing_deadline", css_class="col-md-4")),
            "preamble",
        )


class PledgeCreateForm(PledgeForm):
    from_previous = forms.BooleanField(label=_("Bắt đầu từ giao ước năm trước (sao chép tiêu chí và phần mở đầu)"), required=False)

    def __init__(self, *args, has_previous=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        if not has_previous:
            del self.fields["from_previous"]
            self.helper.layout = self.get_layout()

    def get_layout(self):
        layout = super().get_layout()
        if "from_previous" in self.fields:
            layout.append("from_previous")
        return layout


class CriterionForm(CleanForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    group = forms.CharField(label=_("Nhóm"), max_length=255, required=False)
    text = forms.CharField(label=_("Nội dung, chỉ tiêu thi đua"), widget=forms.Textarea(attrs={"rows": 2}))
    max_points = forms.DecimalField(label=_("Điểm tối đa"), min_value=0, max_value=1000, max_digits=6, decimal_places=2)
    target = forms.CharField(label=_("Chỉ tiêu đo được"), max_length=255, required=False)


class BaseCriterionFormSet(forms.BaseFormSet):
    def rows(self, move=""):
        """The kept rows in their chosen order (ORDER field), deleted ones left out.

        ``move`` is "<form prefix>:up" or ":down", sent by the arrow buttons (they work without JavaScript).
        """
        forms_in_order = list(self.ordered_forms)
        prefix, _sep, direction = move.rpartition(":")
        index = next((i for i, form in enumerate(forms_in_order) if form.prefix == prefix), None)
        if index is not None:
            other = index - 1 if direction == "up" else index + 1
            if 0 <= other < len(forms_in_order):
                forms_in_order[index], forms_in_order[other] = forms_in_order[other], forms_in_order[index]
        return [{k: form.cleaned_data.get(k) for k in ("id", "group", "text", "max_points", "target")} for form in forms_in_order]


CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=2, can_order=True, can_delete=True, max_num=200, absolute_max=200
)


class AttachmentForm(PortalForm):
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=AttachmentKind.choices)
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255, required=False)
    file = forms.FileField(label=_("Tệp (PDF, DOCX, XLSX)"))

    def get_layout(self):
        return Layout(Row(Column("kind", css_class="col-md-3"), Column("title", css_class="col-md-4"), Column("file", css_class="col-md-5")))


class CommentForm(PortalForm):
    criterion = forms.TypedChoiceField(label=_("Góp ý cho"), required=False, coerce=int, empty_value=None)
    body = forms.CharField(label=_("Nội dung góp ý"), widget=forms.Textarea(attrs={"rows": 3}))
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [("", _("Toàn văn giao ước"))] + [
            (c.pk, f"{i}. {c.text[:90]}") for i, c in enumerate(criteria, start=1)
        ]


class SigningOpenForm(PortalForm):
    """The confirmation asked when members' comments are still unanswered."""

    submit_label = _("Vẫn chốt văn bản và mở ký")
    confirm = forms.BooleanField(
        label=_("Tôi đã xem các góp ý chưa được trả lời ở trên và vẫn chốt văn bản để các đơn vị ký."),
        error_messages={"required": _("Hãy đánh dấu xác nhận, hoặc quay lại trả lời các góp ý trước.")},
    )
    step = forms.CharField(widget=forms.HiddenInput, initial="confirm")


class SignForm(PortalForm):
    submit_label = _("Ký giao ước")

    signer_name = forms.CharField(label=_("Họ tên người ký (in trên văn bản)"), max_length=120)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120)
    capacity = forms.ChoiceField(label=_("Hình thức ký"), choices=SigningCapacity.choices)
    original_name = forms.CharField(label=_("Họ tên người đứng đầu (khi ký thay, thừa lệnh)"), max_length=120, required=False)
    original_title = forms.CharField(label=_("Chức vụ người đứng đầu"), max_length=120, required=False)
    content_hash = forms.CharField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(label=_("Tôi đã đọc toàn văn giao ước ở trên và ký thay mặt đơn vị."))

    def get_layout(self):
        return Layout(
            Row(Column("signer_name", css_class="col-md-6"), Column("signer_title", css_class="col-md-6")),
            Row(
                Column("capacity", css_class="col-md-4"),
                Column("original_name", css_class="col-md-4"),
                Column("original_title", css_class="col-md-4"),
            ),
            "content_hash",
            Field("confirm"),
        )


class DeclineForm(PortalForm):
    submit_label = _("Không ký")
    reason = forms.CharField(label=_("Lý do không ký"), widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(PortalForm):
    submit_label = _("Mở lại về dự thảo")
    reason = forms.CharField(label=_("Lý do mở lại (gửi tới các đơn vị đã ký)"), widget=forms.Textarea(attrs={"rows": 2}))


class SigningDeadlineForm(PortalForm):
    submit_label = _("Đặt hạn ký")
    signing_deadline = forms.DateField(label=_("Hạn ký"), widget=DateInput())
