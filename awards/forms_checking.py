"""Forms of the bloc's cross-check: one small form per line and action (accept, adjust, query)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from awards.scoring.checking import NOTE_MAX_LENGTH
from awards.scoring.points import POINTS_LIMIT, fmt, parse_decimal
from core.cleaning import clean_text
from core.forms import CleanForm

ACTIONS = ("accept", "adjust", "query")
NOTE_LABELS = {"adjust": _("Lý do điều chỉnh"), "query": _("Nội dung cần đơn vị bổ sung, giải trình")}
NOTE_REQUIRED = {"adjust": _("Hãy ghi lý do điều chỉnh điểm."), "query": _("Hãy ghi nội dung cần đơn vị bổ sung, giải trình.")}


class PointsField(forms.Field):
    """Points typed with a comma or a point (9,5 or 9.5), at most two decimals, not negative;
    the text under the portal's cleaning rule first (no control characters, 20 characters)."""

    default_error_messages = {"invalid": _("Điểm phải là một số, ví dụ 9,5.")}
    MAX_LENGTH = 20

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 6}))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = clean_text(str(value or ""), max_length=self.MAX_LENGTH)
        try:
            number = parse_decimal(text, maximum=POINTS_LIMIT)
        except ValidationError as error:
            too_big = error.code == "too_big"
            raise ValidationError(_("Điểm quá lớn.") if too_big else self.error_messages["invalid"], code=error.code) from None
        if number is None:
            return None
        if number < 0:
            raise ValidationError(_("Điểm không được âm."), code="negative")
        if number != number.quantize(Decimal("0.01")):
            raise ValidationError(_("Điểm có tối đa hai chữ số thập phân."), code="decimals")
        return number


class LineCheckForm(CleanForm):
    """What a checker posts for one line: the action, the revision the page showed, and for
    "adjust" the points and the reason, for "query" the question."""

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS], widget=forms.HiddenInput)
    revision = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)
    points = PointsField(label=_("Điểm kiểm tra"), required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=NOTE_MAX_LENGTH, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, line, action, **kwargs):
        kwargs.setdefault("auto_id", f"line{line.pk}-{action}-%s")
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {"action": action, "revision": line.revision, **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        self.line, self.action = line, action
        if action != "adjust":
            del self.fields["points"]
        else:
            self.fields["points"].required = True
            self.fields["points"].error_messages["required"] = _("Hãy nhập điểm sau điều chỉnh.")
            start = line.checked_points if line.checked_points is not None else line.claimed_points
            if start is not None and "points" not in self.initial:
                self.initial["points"] = fmt(start)
        if action == "accept":
            del self.fields["note"]
        else:
            self.fields["note"].label = NOTE_LABELS[action]
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = NOTE_REQUIRED[action]

    def clean_action(self):
        if self.cleaned_data["action"] != self.action:
            raise ValidationError(_("Thao tác không hợp lệ; hãy tải lại trang."))
        return self.cleaned_data["action"]

    def apply_errors(self, error):
        """Show a service's ValidationError on this form, field by field where it can."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class CheckAllForm(CleanForm):
    """"Chấp nhận tất cả dòng còn lại": the revisions the page showed, as ``rev-<line id>`` fields
    (built from the lines still to check when shown, from the posted names when posted)."""

    MAX_LINES = 1000

    def __init__(self, data=None, *, lines=(), **kwargs):
        super().__init__(data, **kwargs)
        if data is not None:
            names = [name for name in data if name.startswith("rev-") and name[4:].isdigit() and len(name) < 16]
        else:
            names = [f"rev-{line.pk}" for line in lines]
        for name in names[: self.MAX_LINES]:
            self.fields[name] = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)
        for line in lines:
            self.initial[f"rev-{line.pk}"] = line.revision

    def clean(self):
        data = super().clean()
        if not any(name.startswith("rev-") for name in self.fields):
            raise ValidationError(_("Không còn dòng nào chờ kiểm tra."))
        return data

    def revisions(self) -> dict[int, int]:
        return {int(name[4:]): value for name, value in self.cleaned_data.items() if name.startswith("rev-")}
