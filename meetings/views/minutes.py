"""The minutes: the one form (with its formsets), preview, submit, approve, return, reopen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blocs.models import Agency
from core import documents
from core.access import get_object_for_user
from core.audit import client_ip
from meetings import selectors, services
from meetings.forms import (
    AttendanceFormSet,
    DecisionFormSet,
    GuestFormSet,
    MinutesForm,
    NewPhotoFormSet,
    PhotoCaptionFormSet,
    ReasonForm,
)
from meetings.models import MeetingState
from meetings.services.minutes import MINUTES_FIELDS, StaleMinutes, minutes_version


def _pledge_choices(meeting):
    """The bloc-year's pledges, once the pledges app has its model and the meeting its link."""
    if not hasattr(meeting, "pledge_id"):
        return None
    from django.apps import apps

    Pledge = apps.get_model("pledges", "Pledge")
    return Pledge.objects.filter(bloc_year=meeting.bloc_year)


FORMSETS = ("attendance", "guests", "decisions", "photos", "new_photos")


def _secretary_defaults(user):
    """The secretary who signs the minutes starts as the person recording them."""
    return {"secretary_name": user.get_full_name(), "secretary_title": selectors.person_title(user.title, user.agency)}


def _forms(meeting, *, data=None, files=None, keep=None, user=None):
    """The page's form and formsets, bound to ``data``; with ``keep``, the parts not in it show what is saved."""

    def bound(part):
        return data if keep is None or part in keep else None

    members = Agency.objects.filter(memberships__bloc_year=meeting.bloc_year)
    photos = list(meeting.photos.all())
    photo_objects = {p.pk: p for p in photos}
    return {
        "form": MinutesForm(
            data, meeting=meeting, pledges=_pledge_choices(meeting), version=minutes_version(meeting=meeting),
            defaults=_secretary_defaults(user) if user is not None else None,
        ),
        "attendance": AttendanceFormSet(
            bound("attendance"), prefix="att", members=members, initial=selectors.attendance_rows(meeting=meeting)
        ),
        "guests": GuestFormSet(
            bound("guests"),
            prefix="guest",
            initial=[{"name": g.name, "title": g.title, "organization": g.organization} for g in meeting.guests.all()],
        ),
        "decisions": DecisionFormSet(bound("decisions"), prefix="dec", initial=[{"text": d.text} for d in meeting.decisions.all()]),
        "photos": PhotoCaptionFormSet(
            bound("photos"), prefix="photo", photos=photo_objects, initial=[{"photo_id": p.pk, "caption": p.caption} for p in photos]
        ),
        "new_photos": NewPhotoFormSet(data, files, prefix="newphoto"),
        "photo_objects": photo_objects,
    }


def _valid(forms):
    return all(forms[name].is_valid() for name in ("form", *FORMSETS))


def _after_stale(request, meeting, stale):
    """The page again after ``StaleMinutes``: what this form changed as typed, the rest as saved now, a new token."""
    meeting = selectors.meeting_detail_queryset().get(pk=meeting.pk)
    data = request.POST.copy()
    for name in (*MINUTES_FIELDS, "pledge"):
        if name not in stale.edited and name in data:
            value = getattr(meeting, "pledge_id" if name == "pledge" else name)
            data[name] = "" if value is None else str(value)
    data["version"] = stale.version
    forms = _forms(meeting, data=data, keep=stale.edited)
    forms["form"].add_error(None, stale.messages)
    return meeting, forms


def _record(request, meeting, forms):
    kept = lambda formset: [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]  # noqa: E731
    return services.minutes_record(
        actor=request.user,
        ip=client_ip(request),
        meeting=meeting,
        attendance=[f.cleaned_data for f in forms["attendance"].forms],
        guests=kept(forms["guests"]),
        decisions=[row["text"] for row in kept(forms["decisions"])],
        photo_captions={row["photo_id"]: row["caption"] for row in kept(forms["photos"])},
        photo_deletions=[f.cleaned_data["photo_id"] for f in forms["photos"].forms if f.cleaned_data.get("DELETE")],
        new_photos=[(row["image"], row.get("caption", "")) for row in (f.cleaned_data for f in forms["new_photos"].forms) if row.get("image")],
        version=forms["form"].cleaned_data.get("version") or None,
        **({"pledge": forms["form"].cleaned_data.get("pledge")} if "pledge" in forms["form"].fields else {}),
        **forms["form"].service_fields(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    meeting = get_object_for_user(request.user, selectors.meeting_detail_queryset(), view="meetings.view", change="meetings.edit", pk=pk)
    if meeting.is_cancelled:
        messages.error(request, _("Hội nghị đã bị hủy: không ghi biên bản."))
        return redirect(meeting)
    if not meeting.is_editable:
        messages.error(request, _("Biên bản đang chờ duyệt hoặc đã duyệt: không thể sửa."))
        return redirect(meeting)
    if request.method == "POST":
        forms = _forms(meeting, data=request.POST, files=request.FILES)
        if _valid(forms):
            try:
                _record(request, meeting, forms)
            except StaleMinutes as stale:
                meeting, forms = _after_stale(request, meeting, stale)
            except ValidationError as error:
                forms["form"].apply_errors(error)
            else:
                messages.success(request, _("Đã lưu biên bản."))
                if "submit" in request.POST:
                    return _submit(request, meeting)
                return redirect("meetings:minutes", pk=meeting.pk)
        if request.FILES:
            messages.warning(request, _("Biên bản chưa được lưu: hãy sửa các lỗi bên dưới và chọn lại ảnh cần tải lên."))
    else:
        forms = _forms(meeting, user=request.user)
    return render(
        request, "meetings/minutes_form.html", {"meeting": meeting, "returned": selectors.return_reason(meeting=meeting), **forms}
    )


@login_required
@require_GET
def minutes_preview(request, pk):
    meeting = get_object_for_user(request.user, selectors.meetings_queryset(), view="meetings.view", pk=pk)
    return HttpResponse(documents.preview_html(kind="minutes", source=meeting))


def _submit(request, meeting):
    try:
        services.minutes_submit(actor=request.user, ip=client_ip(request), meeting=meeting)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("meetings:minutes", pk=meeting.pk) if meeting.state == MeetingState.HELD else redirect(meeting)
    messages.success(request, _("Đã trình biên bản để chủ trì duyệt."))
    return redirect(meeting)


def _act(request, meeting, service, success, **kwargs):
    try:
        service(actor=request.user, ip=client_ip(request), meeting=meeting, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(meeting)


@login_required
@require_POST
def minutes_submit(request, pk):
    meeting = get_object_for_user(request.user, selectors.meetings_queryset(), view="meetings.view", change="meetings.edit", pk=pk)
    return _submit(request, meeting)


@login_required
@require_POST
def minutes_approve(request, pk):
    meeting = get_object_for_user(request.user, selectors.meetings_queryset(), view="meetings.view", change="meetings.approve", pk=pk)
    return _act(request, meeting, services.minutes_approve, _("Đã duyệt biên bản; bản PDF đang được tạo."))


def _with_reason(request, pk, *, change, service, success):
    meeting = get_object_for_user(request.user, selectors.meetings_queryset(), view="meetings.view", change=change, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do."))
        return redirect(meeting)
    return _act(request, meeting, service, success, reason=form.cleaned_data["reason"])


@login_required
@require_POST
def minutes_return(request, pk):
    return _with_reason(request, pk, change="meetings.approve", service=services.minutes_return, success=_("Đã trả lại biên bản cho thư ký."))


@login_required
@require_POST
def minutes_reopen(request, pk):
    return _with_reason(request, pk, change="meetings.edit", service=services.minutes_reopen, success=_("Đã mở lại biên bản để chỉnh sửa."))
