"""Pages of a bloc-year's meetings: list, timeline, schedule, detail, calendar file, photos."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blocs.models import BlocYear
from core.access import can, can_many, get_object_for_user
from core.audit import audit_for, client_ip
from core.cleaning import clean_query_int
from core.pagination import paginate
from meetings import selectors, services
from meetings.forms import ReasonForm, ScheduleForm
from meetings.ics import meeting_calendar
from meetings.models import MeetingState, Photo
from meetings.reminders import reminder_rule_for
from meetings.workflow import MEETING_FLOW

PAGE_SIZE = 30

# The buttons of the "next step" card of a meeting, and what the card says to whoever has none.
NEXT_STEPS = ("minutes_submit", "minutes_approve", "minutes_return", "article_save", "publish", "unpublish", "minutes_reopen")
STATE_NOTES = {
    MeetingState.PLANNED: gettext_lazy("Sau hội nghị, thư ký ghi biên bản: điểm danh, khách mời, nội dung, quyết nghị, hình ảnh."),
    MeetingState.HELD: gettext_lazy("Thư ký đang soạn biên bản."),
    MeetingState.SUBMITTED: gettext_lazy("Biên bản đang chờ người chủ trì duyệt."),
    MeetingState.APPROVED: gettext_lazy("Biên bản đã được duyệt và khóa."),
    MeetingState.PUBLISHED: gettext_lazy("Biên bản đã duyệt; tin bài đã đăng."),
    MeetingState.CANCELLED: gettext_lazy("Hội nghị đã bị hủy."),
}

# How the history card names each audited action of a meeting.
HISTORY_LABELS = {
    "meeting.schedule": gettext_lazy("Lên lịch hội nghị"),
    "meeting.update": gettext_lazy("Sửa lịch hội nghị"),
    "meeting.cancel": gettext_lazy("Hủy hội nghị"),
    "meeting.minutes_record": gettext_lazy("Lưu biên bản"),
    "meeting.minutes_submit": gettext_lazy("Trình duyệt biên bản"),
    "meeting.minutes_return": gettext_lazy("Trả lại biên bản"),
    "meeting.minutes_approve": gettext_lazy("Duyệt biên bản"),
    "meeting.minutes_reopen": gettext_lazy("Mở lại biên bản"),
    "meeting.publish": gettext_lazy("Đăng tin"),
    "meeting.unpublish": gettext_lazy("Gỡ tin"),
}


def _history(meeting):
    entries = list(audit_for(meeting)[:50])
    for entry in entries:
        entry.label = HISTORY_LABELS.get(entry.action, entry.action)
    return entries


def _bloc_year_for(request, pk, *, change=None):
    queryset = BlocYear.objects.select_related("bloc__province", "head")
    return get_object_for_user(request.user, queryset, view="blocs.view_blocyear", change=change, pk=pk)


def attendance_summary(present, total):
    """("6/7 đơn vị", below two thirds?)"""
    return _("%(present)d/%(total)d đơn vị") % {"present": present, "total": total}, total > 0 and present * 3 < total * 2


@login_required
@require_GET
def meeting_list(request):
    year = clean_query_int(request, "year", minimum=2000, maximum=2100)
    meetings = selectors.meetings_for_user(user=request.user, year=year)
    page = paginate(meetings, request.GET.get("page"), per_page=PAGE_SIZE, decorate=selectors.meeting_rows)
    # "Lên lịch hội nghị" opens the form of the newest bloc-year the user is secretary of; the
    # form switches to another one when there are several.
    schedule = selectors.secretary_bloc_years(user=request.user)
    return render(request, "meetings/meeting_list.html", {"page": page, "year": year, "schedule_bloc_year": schedule[0] if schedule else None})


@login_required
@require_GET
def timeline(request, pk):
    bloc_year = _bloc_year_for(request, pk)
    meetings = list(selectors.timeline(bloc_year=bloc_year))
    member_count = bloc_year.memberships.count()
    for meeting in meetings:
        meeting.attendance_label, meeting.attendance_low = attendance_summary(meeting.present_count, member_count)
    return render(
        request,
        "meetings/timeline.html",
        {"bloc_year": bloc_year, "meetings": meetings, "member_count": member_count, "can_edit": can(request.user, "meetings.create", bloc_year)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, pk):
    bloc_year = _bloc_year_for(request, pk, change="meetings.create")
    form = ScheduleForm(request.POST or None, bloc_year=bloc_year, initial={"venue": "", "host": bloc_year.head_id})
    others = [other for other in selectors.secretary_bloc_years(user=request.user) if other.pk != bloc_year.pk]
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(
                actor=request.user,
                ip=client_ip(request),
                bloc_year=bloc_year,
                confirm_second_signing=form.cleaned_data["confirm_second_signing"],
                **form.service_fields(),
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã lên lịch hội nghị."))
            return redirect(meeting)
    return render(
        request,
        "meetings/schedule_form.html",
        {
            "form": form,
            "bloc_year": bloc_year,
            "bloc_year_choices": [bloc_year, *others] if others else [],
            "title": _("Lên lịch hội nghị – %(bloc)s năm %(year)s") % {"bloc": bloc_year.bloc.name, "year": bloc_year.year},
            "back_url": reverse("meetings:timeline", args=[bloc_year.pk]),
        },
    )


@login_required
@require_GET
def meeting_create_for(request):
    """The bloc-year switch of the schedule form (without the script): to the form of the chosen one."""
    pk = clean_query_int(request, "bloc_year", minimum=1, maximum=2**63 - 1)
    if pk is None:
        raise Http404
    bloc_year = _bloc_year_for(request, pk, change="meetings.create")
    return redirect("meetings:create", pk=bloc_year.pk)


@login_required
@require_POST
def meeting_cancel(request, pk):
    meeting = get_object_for_user(request.user, selectors.meetings_queryset(), view="meetings.view", change="meetings.edit", pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do hủy hội nghị."))
        return redirect(meeting)
    try:
        services.meeting_cancel(actor=request.user, ip=client_ip(request), meeting=meeting, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã hủy hội nghị."))
    return redirect(meeting)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = get_object_for_user(request.user, selectors.meetings_queryset(), view="meetings.view", change="meetings.edit", pk=pk)
    if meeting.is_cancelled:
        messages.error(request, _("Hội nghị đã bị hủy: không sửa lịch được nữa."))
        return redirect(meeting)
    form = ScheduleForm(request.POST or None, bloc_year=meeting.bloc_year, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                actor=request.user,
                ip=client_ip(request),
                meeting=meeting,
                confirm_second_signing=form.cleaned_data["confirm_second_signing"],
                **form.service_fields(),
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã lưu lịch hội nghị."))
            return redirect(meeting)
    return render(
        request,
        "meetings/schedule_form.html",
        {"form": form, "title": _("Sửa lịch: %(title)s") % {"title": meeting.title}, "back_url": meeting.get_absolute_url()},
    )


@login_required
@require_GET
def meeting_detail(request, pk):
    meeting = get_object_for_user(
        request.user, selectors.meeting_detail_queryset(), view="meetings.view", also=("meetings.edit", "meetings.approve"), pk=pk
    )
    attendances = list(meeting.attendances.all())
    member_count = len(meeting.bloc_year.memberships.all())
    present = sum(1 for a in attendances if a.present)
    label, low = attendance_summary(present, member_count)
    article = meeting.article if _has_article(meeting) else None
    may = can_many(request.user, ["meetings.edit", "meetings.approve"], meeting)
    actions = MEETING_FLOW.actions(meeting, request.user)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "attendances": attendances,
            "attendance_label": label,
            "attendance_low": low,
            "article": article,
            "minutes_started": meeting.state not in (MeetingState.PLANNED, MeetingState.CANCELLED),
            "documents": selectors.minutes_documents(meeting=meeting),
            "history": _history(meeting),
            "actions": actions,
            "state_note": None if any(actions[name] for name in NEXT_STEPS) else STATE_NOTES[meeting.state],
            "can_edit": may["meetings.edit"],
            "can_approve": may["meetings.approve"],
            "reminder_rule": reminder_rule_for(meeting),
            "reason_form": ReasonForm(),
        },
    )


def _has_article(meeting):
    return hasattr(meeting, "article")  # a missing reverse one-to-one raises (an AttributeError)


@login_required
@require_GET
def meeting_ics(request, pk):
    meeting = get_object_for_user(request.user, selectors.meetings_queryset(), view="meetings.view", pk=pk)
    body = meeting_calendar(meeting, url=request.build_absolute_uri(meeting.get_absolute_url()))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hoi-nghi-{meeting.pk}.ics"'
    return response


@require_GET
def photo(request, pk, size):
    """A meeting photo: public once its article is published, otherwise for who sees the meeting."""
    if size not in ("full", "thumb"):
        raise Http404
    item = get_object_or_404(Photo.objects.select_related("meeting__bloc_year__bloc", "meeting__article"), pk=pk)
    meeting = item.meeting
    public = _has_article(meeting) and meeting.article.is_published
    if not public and not can(request.user, "meetings.view", meeting):
        raise Http404
    field = item.thumbnail if size == "thumb" else item.image
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404
    response = FileResponse(handle, content_type=_content_type(field.name))
    response["Cache-Control"] = "public, max-age=86400" if public else "private, max-age=3600"
    return response


def _content_type(name):
    name = name.lower()
    if name.endswith(".png"):
        return "image/png"
    if name.endswith(".webp"):
        return "image/webp"
    return "image/jpeg"


@login_required
@require_GET
def meeting_documents(request, pk):
    """The minutes PDFs block of the detail page (polled by htmx while a PDF is being made)."""
    meeting = get_object_for_user(request.user, selectors.meetings_queryset(), view="meetings.view", pk=pk)
    return render(
        request,
        "meetings/meeting_detail.html#documents",
        {"meeting": meeting, "documents": selectors.minutes_documents(meeting=meeting), "can_edit": can(request.user, "meetings.edit", meeting)},
    )
