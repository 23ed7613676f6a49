"""Forms of the scoring pages: opening a round and its setup, the self-score sheet (one form for
every line), the leader's return, the answer to a checker's query."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from awards.models import CheckMode, LineKind
from awards.scoring.points import parse_decimal, shown
from awards.scoring.sheets import TEXT_MAX, digest_of
from core.forms import CleanForm, DateInput, PortalForm

MAX_NEW_ROWS = 20


class RoundForm(PortalForm):
    """Deadline and who checks: the secretary alone, a panel of members, or pairs (one checker per member)."""

    deadline = forms.DateField(label=_("Hạn tự chấm điểm"), widget=DateInput())
    check_mode = forms.ChoiceField(label=_("Cách kiểm tra"), choices=CheckMode.choices, widget=forms.RadioSelect)
    panel = forms.MultipleChoiceField(label=_("Tổ kiểm tra (đơn vị thành viên)"), required=False, widget=forms.CheckboxSelectMultiple)
    version = forms.CharField(required=False, widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        self.by_id = {str(a.pk): a for a in self.members}
        self.fields["panel"].choices = [(str(a.pk), a.name) for a in self.members]
        choices = [("", _("— chọn đơn vị kiểm tra —"))] + [(str(a.pk), a.name) for a in self.members]
        for agency in self.members:
            self.fields[f"checker_{agency.pk}"] = forms.ChoiceField(
                label=_("Đơn vị kiểm tra %(agency)s") % {"agency": agency.name}, choices=choices, required=False,
            )
        self.build_helper()

    def pair_fields(self):
        return [(agency, self[f"checker_{agency.pk}"]) for agency in self.members]

    def clean(self):
        data = super().clean()
        mode = data.get("check_mode")
        data["panel_agencies"] = [self.by_id[pk] for pk in data.get("panel") or () if pk in self.by_id]
        pairs = []
        if mode == CheckMode.PAIRS:
            for agency in self.members:
                checker = data.get(f"checker_{agency.pk}")
                if not checker:
                    self.add_error(f"checker_{agency.pk}", _("Hãy chọn đơn vị kiểm tra."))
                elif checker == str(agency.pk):
                    self.add_error(f"checker_{agency.pk}", _("Không đơn vị nào tự kiểm tra mình."))
                else:
                    pairs.append((self.by_id[checker], agency))
        data["pairs"] = pairs
        return data


class DecimalText(forms.CharField):
    """A number typed with a decimal comma or point; ``clean`` gives a Decimal or None."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        return parse_decimal(text)


class SheetForm(CleanForm):
    """Every line of the sheet in one form. Field names: ``l<line id>-result|figure|points`` for
    criteria, ``l<id>-reason|points|remove`` for bonus/penalty lines, ``new-<kind>-<n>-reason|points``
    for new rows; each line's files are ``<key>-files`` (read from ``request.FILES``)."""

    version = forms.CharField(widget=forms.HiddenInput, max_length=32, required=False)

    def __init__(self, data=None, *, lines, new_rows=None, **kwargs):
        super().__init__(data, **kwargs)
        self.lines = lines
        self.new_rows = new_rows or {LineKind.BONUS: 1, LineKind.PENALTY: 1}
        self.seen = {}
        for line in lines:
            key = f"l{line.pk}"
            self.fields[f"{key}-seen"] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=16, initial=digest_of(line))
            if line.kind == LineKind.CRITERION:
                self.fields[f"{key}-result"] = forms.CharField(
                    label=_("Kết quả đạt được"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}),
                    initial=line.result_text,
                )
                if line.criterion.target:
                    self.fields[f"{key}-figure"] = DecimalText(label=_("Số liệu đạt được"), initial=shown(line.figure))
                self.fields[f"{key}-points"] = DecimalText(label=_("Điểm tự chấm"), initial=shown(line.claimed_points))
            else:
                self.fields[f"{key}-reason"] = forms.CharField(label=_("Lý do"), required=False, max_length=TEXT_MAX,
                                                               widget=forms.Textarea(attrs={"rows": 1}), initial=line.reason)
                self.fields[f"{key}-points"] = DecimalText(label=_("Điểm"), initial=shown(line.claimed_points))
                self.fields[f"{key}-remove"] = forms.BooleanField(label=_("Xoá dòng"), required=False)
        for kind, count in self.new_rows.items():
            for n in range(count):
                key = f"new-{kind}-{n}"
                self.fields[f"{key}-reason"] = forms.CharField(label=_("Lý do"), required=False, max_length=TEXT_MAX,
                                                               widget=forms.Textarea(attrs={"rows": 1}))
                self.fields[f"{key}-points"] = DecimalText(label=_("Điểm"))

    @staticmethod
    def new_rows_from(data):
        rows = {}
        for kind in (LineKind.BONUS, LineKind.PENALTY):
            try:
                count = int(str(data.get(f"new-{kind}-count", "1"))[:3])
            except ValueError:
                count = 1
            rows[kind] = max(1, min(count, MAX_NEW_ROWS))
        return rows

    def rows(self):
        """For the template: ``(line, {field: bound})`` per existing line, then the new rows."""
        criteria, extras = [], {LineKind.BONUS: [], LineKind.PENALTY: []}
        for line in self.lines:
            key = f"l{line.pk}"
            bound = {name.split("-", 1)[1]: self[name] for name in self.fields if name.startswith(f"{key}-")}
            if line.kind == LineKind.CRITERION:
                criteria.append((line, key, bound))
            else:
                extras[line.kind].append((line, key, bound))
        for kind, count in self.new_rows.items():
            for n in range(count):
                key = f"new-{kind}-{n}"
                extras[kind].append((None, key, {"reason": self[f"{key}-reason"], "points": self[f"{key}-points"]}))
        return criteria, extras[LineKind.BONUS], extras[LineKind.PENALTY]

    def service_input(self, files):
        """What ``sheet_save`` takes, from the cleaned data and ``request.FILES``."""
        data = self.cleaned_data
        criteria, extras, seen, uploads = {}, [], {}, {}
        for line in self.lines:
            key = f"l{line.pk}"
            seen[line.pk] = data.get(f"{key}-seen") or ""
            if line.kind == LineKind.CRITERION:
                criteria[line.pk] = {"result": data.get(f"{key}-result", ""), "figure": data.get(f"{key}-figure"),
                                     "points": data.get(f"{key}-points")}
            else:
                extras.append({"id": line.pk, "key": key, "kind": line.kind, "reason": data.get(f"{key}-reason", ""),
                               "points": data.get(f"{key}-points"), "remove": data.get(f"{key}-remove", False)})
            if files.getlist(f"{key}-files"):
                uploads[key] = files.getlist(f"{key}-files")
        for kind, count in self.new_rows.items():
            for n in range(count):
                key = f"new-{kind}-{n}"
                extras.append({"id": None, "key": key, "kind": kind, "reason": data.get(f"{key}-reason", ""),
                               "points": data.get(f"{key}-points"), "remove": False})
                if files.getlist(f"{key}-files"):
                    uploads[key] = files.getlist(f"{key}-files")
        return {"criteria": criteria, "extras": extras, "seen": seen, "files": uploads, "version": data.get("version") or ""}

    def apply_errors(self, error):
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                if field in self.fields:
                    self.add_error(field, messages)
                else:
                    self.file_errors.setdefault(field, []).extend(messages) if field.endswith("-files") else self.add_error(None, messages)
        else:
            self.add_error(None, error.messages)

    @property
    def file_errors(self):
        if not hasattr(self, "_file_errors"):
            self._file_errors = {}
        return self._file_errors


class ReturnForm(PortalForm):
    reason = forms.CharField(label=_("Lý do trả lại"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Hãy ghi lý do trả lại để cán bộ biết cần sửa gì.")})


class AnswerForm(PortalForm):
    answer = forms.CharField(label=_("Trả lời của đơn vị"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Hãy ghi nội dung trả lời.")})
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)

    def clean_answer(self):
        value = self.cleaned_data["answer"]
        if not value.strip():
            raise ValidationError(_("Hãy ghi nội dung trả lời."))
        return value
