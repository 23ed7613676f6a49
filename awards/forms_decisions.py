"""Forms of the dossier, the board's decisions and the award history."""

from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from awards.decisions import board, history
from awards.decisions.dossier import NUMBER_MAX_LENGTH
from awards.models import AwardLevel, NominationState
from core.forms import DateInput, PortalForm

# Where an action posted from the dossier page or the nomination page goes back to.
BACK_CHOICES = (("nomination", "nomination"), ("dossier", "dossier"))


class BackForm(PortalForm):
    back = forms.ChoiceField(choices=BACK_CHOICES, required=False, widget=forms.HiddenInput)


class ReasonForm(BackForm):
    # Not required here: the service says which reason is missing ("Hãy ghi lý do trả lại hồ sơ.").
    reason = forms.CharField(
        label=_("Lý do"), max_length=board.REASON_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, label=None, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        if submit_label:
            self.submit_label = submit_label


class SubmitForm(PortalForm):
    submit_label = _("Nộp hồ sơ cho Ban Thi đua – Khen thưởng")
    number = forms.CharField(
        label=_("Số Tờ trình (nếu có)"),
        max_length=NUMBER_MAX_LENGTH,
        required=False,
        help_text=_("Ví dụ: 15/TTr-KTĐ3. Cổng tạo Tờ trình khi nộp."),
    )


class DeadlineForm(PortalForm):
    submit_label = _("Lưu hạn nộp")
    deadline = forms.DateField(label=_("Hạn nộp hồ sơ"), widget=DateInput())
    version = forms.CharField(required=False, widget=forms.HiddenInput, max_length=32)


class ReportForm(BackForm):
    submit_label = _("Tải lên báo cáo thành tích")
    file = forms.FileField(
        label=_("Báo cáo thành tích (PDF hoặc Word)"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"})
    )


class CorrectionForm(BackForm):
    submit_label = _("Ghi đính chính")
    field = forms.ChoiceField(label=_("Nội dung đính chính"), choices=list(board.CORRECTABLE.items()), widget=forms.RadioSelect)
    decision = forms.ChoiceField(label=_("Quyết định đúng"), required=False)
    state = forms.ChoiceField(label=_("Kết quả đúng"), required=False)
    board_note = forms.CharField(
        label=_("Ý kiến đúng của Ban"), required=False, max_length=board.NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("Lý do đính chính"), max_length=board.REASON_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args, nomination, decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("", _("— chọn quyết định —"))] + [(str(d.pk), str(d)) for d in decisions]
        states = board.STATE_CORRECTIONS.get(nomination.state, ())
        self.fields["state"].choices = [("", _("— chọn kết quả —"))] + [(s, NominationState(s).label) for s in states]
        self.build_helper()

    def clean(self):
        data = super().clean()
        chosen = data.get("field")
        if chosen:
            data["new_value"] = data.get(chosen, "") or ""
            if chosen != "board_note" and not data["new_value"]:
                self.add_error(chosen, _("Hãy chọn giá trị đúng."))
        return data


class DecisionForm(PortalForm):
    submit_label = _("Ghi quyết định khen thưởng")
    number = forms.CharField(label=_("Số quyết định"), max_length=board.NUMBER_MAX_LENGTH, help_text=_("Ví dụ: 125/QĐ-UBND."))
    date = forms.DateField(label=_("Ngày quyết định"), widget=DateInput())
    signer_title = forms.CharField(
        label=_("Cấp quyết định (chức vụ người ký)"),
        max_length=board.SIGNER_MAX_LENGTH,
        help_text=_("Ví dụ: Chủ tịch UBND tỉnh, Thủ tướng Chính phủ."),
    )
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=board.SIGNER_MAX_LENGTH, required=False)
    level = forms.ChoiceField(label=_("Cấp"), choices=AwardLevel.choices, widget=forms.HiddenInput)
    nominations = forms.MultipleChoiceField(
        label=_("Các đề nghị được khen thưởng"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Có đề nghị không thuộc danh sách được chọn; hãy tải lại trang.")},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].choices = [
            (str(n.pk), f"{n.award_type.name} – {n.agency.name} ({n.bloc_year.bloc.name})") for n in choices
        ]
        self.build_helper()

    def get_layout(self):
        return Layout(
            "number", "date", "signer_title", "signer_name", "level", Field("nominations", wrapper_class="decision-nominations")
        )


class AwardRecordForm(PortalForm):
    submit_label = _("Thêm vào lịch sử khen thưởng")
    year = forms.IntegerField(label=_("Năm thành tích"), min_value=history.FIRST_YEAR, max_value=history.LAST_YEAR)
    award_code = forms.ChoiceField(label=_("Hình thức khen thưởng"))
    decision_text = forms.CharField(
        label=_("Quyết định khen thưởng"),
        max_length=history.DECISION_TEXT_MAX_LENGTH,
        help_text=_("Ví dụ: Quyết định số 125/QĐ-UBND ngày 20/01/2020 của Chủ tịch UBND tỉnh."),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_code"].choices = [("", _("— chọn —"))] + [(c.code, c.name) for c in choices]
        self.build_helper()
