"""Forms of the meetings app: the schedule, the minutes (with formsets), the article, a reason."""

import datetime

from crispy_forms.layout import HTML, Column, Field, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blocs.models import Agency, User
from core.forms import CleanForm, DateInput, PortalForm, TimeInput
from meetings import photos
from meetings.models import MeetingKind


class ChairSelect(forms.Select):
    """The chair's account; each option carries the person's name and title (``data-name``,
    ``data-title``) for the script that copies them into the editable fields below."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        person = self.people.get(str(getattr(value, "value", value)))
        if person:
            option["attrs"]["data-name"], option["attrs"]["data-title"] = person
        return option


def chair_person(user):
    """(name, title) the minutes print for a chair's account."""
    from meetings.selectors import person_title

    return user.get_full_name(), person_title(user.title or (user.agency.leader_title if user.agency else ""), user.agency)


class ScheduleForm(PortalForm):
    kind = forms.ChoiceField(label=_("Loại hội nghị"), choices=MeetingKind.choices)
    date = forms.DateField(label=_("Ngày họp"), widget=DateInput())
    start_time = forms.TimeField(label=_("Giờ bắt đầu"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Giờ kết thúc"), widget=TimeInput(), required=False)
    venue = forms.CharField(label=_("Địa điểm"), max_length=255, help_text=_("Ví dụ: Hội trường tầng III, UBND tỉnh"))
    host = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=Agency.objects.none(), required=False, empty_label=_("— Chưa chọn —"))
    chair_user = forms.ModelChoiceField(
        label=_("Người chủ trì"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— Người ngoài danh sách —"),
        widget=ChairSelect(attrs={"class": "js-chair-pick"}),
        help_text=_("Người chủ trì duyệt biên bản; lãnh đạo đơn vị Trưởng khối cũng duyệt được. Họ tên, chức vụ điền theo, sửa được."),
    )
    chair_name = forms.CharField(label=_("Họ tên người chủ trì"), max_length=150, required=False)
    chair_title = forms.CharField(label=_("Chức vụ người chủ trì"), max_length=255, required=False)
    agenda = forms.CharField(
        label=_("Chương trình hội nghị"), required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=_("Mỗi dòng một nội dung.")
    )
    confirm_second_signing = forms.BooleanField(label=_("Tôi xác nhận cần thêm một hội nghị ký kết giao ước nữa trong năm."), required=False)

    submit_label = _("Lưu lịch hội nghị")

    def __init__(self, *args, bloc_year, meeting=None, **kwargs):
        from meetings.selectors import chair_candidates

        self.ask_confirm = False
        candidates = chair_candidates(bloc_year=bloc_year)
        if meeting is not None and "initial" not in kwargs:
            start = timezone.localtime(meeting.starts_at)
            kwargs["initial"] = {
                "kind": meeting.kind,
                "date": start.date(),
                "start_time": start.time(),
                "end_time": timezone.localtime(meeting.ends_at).time() if meeting.ends_at else None,
                "venue": meeting.venue,
                "host": meeting.host_id,
                "chair_name": meeting.chair_name,
                "chair_title": meeting.chair_title,
                "chair_user": meeting.chair_user_id,
                "agenda": meeting.agenda,
            }
        elif meeting is None:
            # A new meeting: the head agency hosts, its leader chairs (all editable).
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("host", bloc_year.head_id)
            head_leader = next((user for user in candidates if user.agency_id == bloc_year.head_id), None)
            if head_leader is not None:
                name, title = chair_person(head_leader)
                initial.setdefault("chair_user", head_leader.pk)
                initial.setdefault("chair_name", name)
                initial.setdefault("chair_title", title)
        super().__init__(*args, **kwargs)
        members = Agency.objects.filter(memberships__bloc_year=bloc_year).order_by("name")
        self.fields["host"].queryset = members
        chair = self.fields["chair_user"]
        chair.queryset = User.objects.filter(pk__in=[user.pk for user in candidates]).select_related("agency").order_by(
            "agency__name", "full_name", "pk"
        )
        chair.label_from_instance = lambda u: f"{u.get_full_name()} – {u.agency.name}"
        chair.widget.people = {str(user.pk): chair_person(user) for user in candidates}

    def get_layout(self):
        confirm = []
        if self.ask_confirm:
            confirm = [HTML('<div class="alert alert-warning py-2 mb-2">'), Field("confirm_second_signing"), HTML("</div>")]
        return Layout(
            Row(Column("kind", css_class="col-md-5"), Column("date", css_class="col-md-3"),
                Column("start_time", css_class="col-md-2"), Column("end_time", css_class="col-md-2")),
            Row(Column("venue", css_class="col-md-7"), Column("host", css_class="col-md-5")),
            Row(Column("chair_user", css_class="col-md-4"), Column("chair_name", css_class="col-md-3"), Column("chair_title", css_class="col-md-5")),
            "agenda",
            *confirm,
        )

    def apply_errors(self, error):
        if hasattr(error, "error_dict") and "confirm_second_signing" in error.error_dict:
            self.ask_confirm = True
            self.helper.layout = self.get_layout()
        super().apply_errors(error)

    def clean(self):
        data = super().clean()
        chair = data.get("chair_user")
        if chair is not None:
            # Without the script: the picked person's name and title, unless typed over. What the
            # page was loaded with (the first choice's) counts as not typed.
            name, title = chair_person(chair)
            shown = self.fields["chair_user"].widget.people.get(str(self.initial.get("chair_user")), ("", ""))
            if data.get("chair_name", "") in ("", shown[0]):
                data["chair_name"] = name
            if data.get("chair_title", "") in ("", shown[1]):
                data["chair_title"] = title
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start:
            data["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, start))
            data["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, end)) if end else None
        return data

    def service_fields(self):
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "venue": data["venue"],
            "host": data["host"],
            "chair_name": data["chair_name"],
            "chair_title": data["chair_title"],
            "chair_user": data["chair_user"],
            "agenda": data["agenda"],
        }


_KIND_LABELS = {
    MeetingKind.MID_YEAR: (_("Kết quả 6 tháng đầu năm"), _("Phương hướng, nhiệm vụ 6 tháng cuối năm")),
    MeetingKind.YEAR_END: (_("Kết quả thực hiện cả năm"), _("Phương hướng, nhiệm vụ năm sau")),
}


class MinutesForm(PortalForm):
    minutes_number = forms.CharField(label=_("Số biên bản"), max_length=60, required=False, help_text=_("Ví dụ: 01/BB-KTĐ"))
    secretary_name = forms.CharField(label=_("Thư ký ký biên bản"), max_length=150, required=False)
    secretary_title = forms.CharField(label=_("Chức vụ thư ký"), max_length=255, required=False)
    results = forms.CharField(label=_("Kết quả thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    next_plan = forms.CharField(label=_("Phương hướng, nhiệm vụ thời gian tới"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    discussion = forms.CharField(label=_("Diễn biến, thảo luận"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                 help_text=_("Mỗi dòng là một đoạn."))
    conclusions = forms.CharField(label=_("Kết luận của chủ trì"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    documents_adopted = forms.CharField(
        label=_("Văn bản khác được thông qua"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một văn bản, ví dụ: Kế hoạch hoạt động; Quy chế hoạt động."),
    )
    # What the minutes held when the page was loaded (``minutes_version``): a repeated post is
    # saved once, a post from a page loaded before another save keeps that save.
    version = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=1000,
        validators=[RegexValidator(r"^[a-z_0-9:;]*$", _("Biểu mẫu biên bản không hợp lệ; hãy tải lại trang rồi nhập lại."))],
    )

    def __init__(self, *args, meeting, pledges=None, version="", defaults=None, **kwargs):
        self.meeting = meeting
        if "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(meeting, name) for name in self.declared_fields if hasattr(meeting, name)}
            # ``defaults``: what an empty field starts with (the secretary: the person recording).
            for name, value in (defaults or {}).items():
                if not kwargs["initial"].get(name):
                    kwargs["initial"][name] = value
            if hasattr(meeting, "pledge_id"):
                kwargs["initial"]["pledge"] = meeting.pledge_id
            kwargs["initial"]["version"] = version
        super().__init__(*args, **kwargs)
        if pledges is not None:
            self.fields["pledge"] = forms.ModelChoiceField(label=_("Bản giao ước được thông qua"), queryset=pledges, required=False)
        labels = _KIND_LABELS.get(meeting.kind)
        if labels:
            self.fields["results"].label, self.fields["next_plan"].label = labels
        if meeting.kind == MeetingKind.YEAR_END:
            self.fields["results"].help_text = _("Kết quả chấm điểm và bình xét khen thưởng được bổ sung ở phần chấm điểm, bình xét.")
        self.helper.layout = self.get_layout()

    def get_layout(self):
        if not hasattr(self, "meeting"):
            return None
        kind = self.meeting.kind
        parts = [Row(Column("minutes_number", css_class="col-md-4"), Column("secretary_name", css_class="col-md-4"),
                     Column("secretary_title", css_class="col-md-4"))]
        if kind in (MeetingKind.MID_YEAR, MeetingKind.YEAR_END, MeetingKind.OTHER):
            parts += ["results", "next_plan"]
        parts += ["discussion", "conclusions"]
        if kind in (MeetingKind.SIGNING, MeetingKind.OTHER):
            parts += [*(["pledge"] if "pledge" in self.fields else []), "documents_adopted"]
        return Layout(*parts, "version")

    def service_fields(self):
        data = dict(self.cleaned_data)
        data.pop("pledge", None)
        data.pop("version", None)
        if self.meeting.kind == MeetingKind.SIGNING:
            data["results"], data["next_plan"] = self.meeting.results, self.meeting.next_plan
        return data


class RowsFormSet(forms.BaseFormSet):
    """A formset whose rows are what was posted, and whose size is bounded.

    Django skips a row beyond ``INITIAL_FORMS`` whose data equals its ``initial``, as if it were
    blank. The page's ``initial`` is what is saved *now*, so a post sent again (a double click, a
    stale tab) had every row skipped and saved nothing: every row is cleaned here, and blank rows
    are left out by content. ``absolute_max`` bounds the rows built from a tampered
    ``TOTAL_FORMS``; ``section`` names the part in the messages.
    """

    section = _("Biểu mẫu")
    default_error_messages = {
        "missing_management_form": _("Biểu mẫu bị thiếu dữ liệu hoặc đã bị sửa (%(field_names)s); hãy tải lại trang rồi nhập lại."),
        "too_many_forms": _("Quá nhiều dòng: tối đa %(num)d dòng."),
        "too_few_forms": _("Cần ít nhất %(num)d dòng."),
    }

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "empty_permitted": False}


def rows_formset(form, *, section, max_num, formset=RowsFormSet, **kwargs):
    """A bounded formset of ``form``: more than ``max_num`` rows is a form error, never more forms built."""
    base = type(f"{form.__name__}SetBase", (formset,), {"section": section})
    return forms.formset_factory(form, formset=base, max_num=max_num, absolute_max=max_num, validate_max=True, **kwargs)


class AttendanceForm(CleanForm):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), widget=forms.HiddenInput)
    present = forms.BooleanField(label=_("Có mặt"), required=False)
    representative_name = forms.CharField(label=_("Người dự"), max_length=150, required=False)
    representative_title = forms.CharField(label=_("Chức vụ"), max_length=255, required=False)
    absence_reason = forms.CharField(label=_("Lý do vắng"), max_length=255, required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = members if members is not None else Agency.objects.none()
        self.agency_name = self.initial.get("agency_name", "")

    def clean(self):
        data = super().clean()
        # A member is either present (with its representative) or absent (with a reason).
        if data.get("present"):
            data["absence_reason"] = ""
        else:
            data["representative_name"] = data["representative_title"] = ""
        return data


class BaseAttendanceFormSet(RowsFormSet):
    def __init__(self, *args, members, **kwargs):
        self.members = members
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "members": self.members}


AttendanceFormSet = rows_formset(AttendanceForm, formset=BaseAttendanceFormSet, section=_("Điểm danh"), max_num=300, extra=0)


class GuestForm(CleanForm):
    name = forms.CharField(label=_("Họ tên khách mời"), max_length=150, required=False)
    title = forms.CharField(label=_("Chức vụ"), max_length=255, required=False)
    organization = forms.CharField(label=_("Cơ quan"), max_length=255, required=False)


GuestFormSet = rows_formset(GuestForm, section=_("Khách mời"), max_num=200, extra=2, can_delete=True)


class DecisionForm(CleanForm):
    text = forms.CharField(label=_("Quyết nghị"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


DecisionFormSet = rows_formset(DecisionForm, section=_("Quyết nghị"), max_num=200, extra=3, can_delete=True)


class PhotoCaptionForm(CleanForm):
    photo_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    caption = forms.CharField(label=_("Chú thích"), max_length=300, required=False)
    DELETE = forms.BooleanField(label=_("Xóa ảnh"), required=False)

    def __init__(self, *args, photos=None, **kwargs):
        super().__init__(*args, **kwargs)
        try:
            self.photo = (photos or {}).get(int(self["photo_id"].value()))
        except (TypeError, ValueError):
            self.photo = None


class BasePhotoCaptionFormSet(RowsFormSet):
    """Captions of the meeting's photos; ``photos`` ({id: Photo}) gives each row its picture (or none)."""

    def __init__(self, *args, photos=None, **kwargs):
        self.photos = photos or {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "photos": self.photos}


PhotoCaptionFormSet = rows_formset(PhotoCaptionForm, formset=BasePhotoCaptionFormSet, section=_("Hình ảnh hội nghị"), max_num=500, extra=0)


class NewPhotoForm(CleanForm):
    image = forms.FileField(label=_("Ảnh (JPEG, PNG, WebP)"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    caption = forms.CharField(label=_("Chú thích"), max_length=300, required=False)

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload:
            photos.check_image(upload)
        return upload


NewPhotoFormSet = rows_formset(NewPhotoForm, section=_("Ảnh mới"), max_num=20, extra=2)


class ArticleForm(PortalForm):
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    lead = forms.CharField(label=_("Sa pô (đoạn mở đầu)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 14}), help_text=_("Các đoạn cách nhau bằng một dòng trống."))
    author = forms.CharField(label=_("Người viết"), max_length=150, required=False)

    submit_label = _("Lưu tin bài")


class ReasonForm(CleanForm):
    reason = forms.CharField(label=_("Lý do"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Hãy ghi lý do."))
        return reason
