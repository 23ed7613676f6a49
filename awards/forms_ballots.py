"""Forms of the ballot pages: creating a ballot, the online vote (one form for every question),
the paper counts (one form for every question of the round) and the second person's confirmation."""

import datetime

from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.ballots.paper import LIMIT
from awards.ballots.services import MAX_CHOICES_LIMIT, default_max_choices
from awards.models import BallotMode, QuestionKind
from core.forms import CleanForm, DateInput, PortalForm, TimeInput

YES, NO = "yes", "no"


class BallotCreateForm(PortalForm):
    title = forms.CharField(label=_("Tên cuộc bỏ phiếu"), max_length=255)
    mode = forms.ChoiceField(label=_("Hình thức"), choices=BallotMode.choices, widget=forms.RadioSelect, initial=BallotMode.ONLINE)
    meeting = forms.ModelChoiceField(label=_("Hội nghị"), queryset=None, required=False, empty_label=_("— không gắn với hội nghị —"),
                                     error_messages={"invalid_choice": _("Hội nghị không thuộc khối thi đua năm này.")})
    closes_on = forms.DateField(label=_("Hạn bỏ phiếu trực tuyến (ngày)"), required=False, widget=DateInput())
    closes_time = forms.TimeField(label=_("Giờ"), required=False, widget=TimeInput())
    elect_head = forms.BooleanField(label=_("Bầu Trưởng khối năm sau"), required=False, initial=True)
    elect_deputy = forms.BooleanField(label=_("Bầu Phó khối năm sau"), required=False, initial=True)

    def __init__(self, *args, meetings=None, groups=(), **kwargs):
        self.groups = list(groups)
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        for award, nominations in self.groups:
            self.fields[f"max_{award.pk}"] = forms.IntegerField(
                label=_("%(award)s (%(n)s đơn vị được đề nghị): chọn tối đa") % {"award": award.name, "n": len(nominations)},
                min_value=0, max_value=min(len(nominations), MAX_CHOICES_LIMIT), initial=default_max_choices(award, len(nominations)),
                help_text=_("0: đồng ý hoặc không đồng ý với từng đơn vị; N: mỗi phiếu chọn tối đa N đơn vị."),
                error_messages={"max_value": _("Không chọn nhiều hơn số đơn vị được đề nghị (%(limit_value)s)."),
                                "min_value": _("Số chọn tối đa không được âm.")},
            )
        self.build_helper()

    def get_layout(self):
        awards = [f"max_{award.pk}" for award, _nominations in self.groups]
        return Layout(
            Field("title"), Field("mode"), Field("meeting"),
            Div(Div(Field("closes_on"), css_class="col-sm-6"), Div(Field("closes_time"), css_class="col-sm-6"), css_class="row"),
            Fieldset(_("Câu hỏi về đề nghị khen thưởng"), *awards) if awards else Div(),
            Fieldset(_("Bầu Trưởng khối, Phó khối"), Field("elect_head"), Field("elect_deputy")),
        )

    def clean(self):
        data = super().clean()
        day, time = data.get("closes_on"), data.get("closes_time")
        data["closes_at"] = None
        if day is not None:
            moment = datetime.datetime.combine(day, time or datetime.time(23, 59))
            data["closes_at"] = timezone.make_aware(moment)
        elif time is not None:
            self.add_error("closes_on", _("Hãy nhập ngày của hạn bỏ phiếu."))
        data["max_choices"] = {award.pk: data[f"max_{award.pk}"] for award, _n in self.groups if data.get(f"max_{award.pk}") is not None}
        return data


class VoteForm(CleanForm):
    """One field per agree / disagree candidate (``q<question>_c<candidate>``: yes / no), one per
    choose-N question (``q<question>``: the chosen candidates) and one per head / deputy question
    (``q<question>``: one candidate or blank). ``answers()`` is what ``ballot_vote`` takes."""

    def __init__(self, data=None, *, questions, agencies=(), **kwargs):
        super().__init__(data, **kwargs)
        self.questions = list(questions)
        if len(agencies) > 1:
            self.fields["agency"] = forms.TypedChoiceField(label=_("Bỏ phiếu cho đơn vị"), coerce=int,
                                                           choices=[(a.pk, a.name) for a in agencies])
        for question in self.questions:
            choices = [(str(c.pk), c.agency) for c in question.candidates]
            if question.kind == QuestionKind.AWARD and question.max_choices == 0:
                for candidate in question.candidates:
                    self.fields[f"q{question.pk}_c{candidate.pk}"] = forms.ChoiceField(
                        label=candidate.agency, choices=[(YES, _("Đồng ý")), (NO, _("Không đồng ý"))], widget=forms.RadioSelect,
                        error_messages={"required": _("Hãy chọn đồng ý hoặc không đồng ý."), "invalid_choice": _("Lựa chọn không hợp lệ.")},
                    )
            elif question.kind == QuestionKind.AWARD:
                self.fields[f"q{question.pk}"] = forms.MultipleChoiceField(
                    label=question.title, choices=choices, required=False, widget=forms.CheckboxSelectMultiple,
                    error_messages={"invalid_choice": _("Lựa chọn không hợp lệ.")},
                )
            else:
                self.fields[f"q{question.pk}"] = forms.ChoiceField(
                    label=question.title, choices=[("", _("Không bầu ai (phiếu trắng)")), *choices], required=False,
                    widget=forms.RadioSelect, error_messages={"invalid_choice": _("Lựa chọn không hợp lệ.")},
                )

    def rows(self):
        """(question, [bound fields]) in order, for the template."""
        found = []
        for question in self.questions:
            if question.kind == QuestionKind.AWARD and question.max_choices == 0:
                found.append((question, [self[f"q{question.pk}_c{c.pk}"] for c in question.candidates]))
            else:
                found.append((question, [self[f"q{question.pk}"]]))
        return found

    def clean(self):
        data = super().clean()
        for question in self.questions:
            if question.kind == QuestionKind.AWARD and question.max_choices > 0:
                chosen = data.get(f"q{question.pk}") or []
                if len(chosen) > question.max_choices:
                    self.add_error(f"q{question.pk}", _("Chỉ chọn tối đa %(n)s đơn vị.") % {"n": question.max_choices})
        return data

    def answers(self) -> dict:
        data, answers = self.cleaned_data, {}
        for question in self.questions:
            if question.kind == QuestionKind.AWARD and question.max_choices == 0:
                answers[question.pk] = {c.pk: data.get(f"q{question.pk}_c{c.pk}") == YES for c in question.candidates}
            elif question.kind == QuestionKind.AWARD:
                answers[question.pk] = [int(pk) for pk in data.get(f"q{question.pk}") or []]
            else:
                value = data.get(f"q{question.pk}")
                answers[question.pk] = int(value) if value else None
        return answers


COUNT_FIELDS = (("issued", _("Phát ra")), ("returned", _("Thu về")), ("valid", _("Hợp lệ")), ("invalid", _("Không hợp lệ")))


def _count_field(label):
    return forms.IntegerField(
        label=label, min_value=0, max_value=LIMIT,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm count-input", "min": 0, "inputmode": "numeric"}),
        error_messages={"required": _("Chưa nhập."), "invalid": _("Phải là số nguyên."), "min_value": _("Không được âm."),
                        "max_value": _("Số quá lớn.")},
    )


class PaperCountForm(CleanForm):
    """The round's counts: ``q<question>_<issued|returned|valid|invalid>`` and ``q<question>_c<candidate>``."""

    def __init__(self, data=None, *, questions, **kwargs):
        super().__init__(data, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            for name, label in COUNT_FIELDS:
                self.fields[f"q{question.pk}_{name}"] = _count_field(label)
            for candidate in question.candidates:
                self.fields[f"q{question.pk}_c{candidate.pk}"] = _count_field(candidate.agency)

    @staticmethod
    def initial_from(counts: dict) -> dict:
        initial = {}
        for question_id, numbers in (counts or {}).items():
            for name, _label in COUNT_FIELDS:
                initial[f"q{question_id}_{name}"] = numbers.get(name)
            for candidate_id, yes in (numbers.get("yes") or {}).items():
                initial[f"q{question_id}_c{candidate_id}"] = yes
        return initial

    def rows(self):
        return [
            (q, [self[f"q{q.pk}_{name}"] for name, _l in COUNT_FIELDS], [self[f"q{q.pk}_c{c.pk}"] for c in q.candidates])
            for q in self.questions
        ]

    def counts(self) -> dict:
        data = self.cleaned_data
        return {
            str(q.pk): {**{name: data.get(f"q{q.pk}_{name}") for name, _l in COUNT_FIELDS},
                        "yes": {str(c.pk): data.get(f"q{q.pk}_c{c.pk}") for c in q.candidates}}
            for q in self.questions
        }


class ConfirmForm(CleanForm):
    seen = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
