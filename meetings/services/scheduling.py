"""Scheduling meetings: kind, date and time, venue, host, chair, agenda."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.models import BlocYear, User
from core.access import can
from core.audit import audit_record
from core.services import model_update
from meetings.models import Meeting, MeetingKind
from meetings.workflow import MEETING_FLOW

SCHEDULE_FIELDS = ("kind", "starts_at", "ends_at", "venue", "host", "chair_name", "chair_title", "chair_user", "agenda")


def _date_errors(bloc_year, kind, starts_at):
    day = timezone.localtime(starts_at).date()
    if day.year == bloc_year.year:
        return []
    if kind == MeetingKind.YEAR_END and day.year == bloc_year.year + 1 and day.month == 1:
        return []
    if kind == MeetingKind.YEAR_END:
        return [
            _("Ngày hội nghị phải trong năm %(year)s hoặc trong tháng 01/%(next)s (hội nghị tổng kết).")
            % {"year": bloc_year.year, "next": bloc_year.year + 1}
        ]
    return [_("Ngày hội nghị phải trong năm %(year)s của khối.") % {"year": bloc_year.year}]


def _check(*, meeting, bloc_year, fields, confirm_second_signing):
    errors = {}
    member_ids = set(bloc_year.memberships.values_list("agency_id", flat=True))
    if fields.get("starts_at"):
        for message in _date_errors(bloc_year, fields["kind"], fields["starts_at"]):
            errors.setdefault("starts_at", []).append(message)
    ends_at = fields.get("ends_at")
    if ends_at and fields.get("starts_at") and ends_at <= fields["starts_at"]:
        errors.setdefault("ends_at", []).append(_("Giờ kết thúc phải sau giờ bắt đầu."))
    host = fields.get("host")
    if host is not None and host.pk not in member_ids:
        errors.setdefault("host", []).append(_("Đơn vị chủ trì phải là thành viên của khối trong năm."))
    chair_user = fields.get("chair_user")
    if chair_user is not None and not can(chair_user, "meetings.chair", bloc_year):
        # The chair's account approves the minutes: the rule the approval asks (``meetings.chair``).
        errors.setdefault("chair_user", []).append(
            _("Tài khoản người chủ trì duyệt biên bản: phải là lãnh đạo một đơn vị thành viên của khối, "
              "không là thư ký khối hay Ban Thi đua – Khen thưởng.")
        )
    if fields["kind"] == MeetingKind.SIGNING and not confirm_second_signing:
        others = Meeting.objects.filter(bloc_year=bloc_year, kind=MeetingKind.SIGNING)
        if meeting is not None:
            others = others.exclude(pk=meeting.pk)
        if others.exists():
            errors.setdefault("confirm_second_signing", []).append(
                _("Khối đã có một hội nghị ký kết giao ước trong năm %(year)s. Đánh dấu ô xác nhận nếu thật sự cần thêm hội nghị thứ hai.")
                % {"year": bloc_year.year}
            )
    if errors:
        raise ValidationError(errors)


def _log_data(fields):
    return {name: (value.pk if hasattr(value, "pk") else value) for name, value in fields.items()}


@transaction.atomic
def meeting_schedule(
    *, actor: User, ip: str | None = None, bloc_year: BlocYear, confirm_second_signing: bool = False, **fields
) -> Meeting:
    """Put a meeting of ``bloc_year`` on the calendar (state: planned)."""
    unknown = set(fields) - set(SCHEDULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    fields.setdefault("ends_at", None)
    _check(meeting=None, bloc_year=bloc_year, fields=fields, confirm_second_signing=confirm_second_signing)
    meeting = Meeting(bloc_year=bloc_year, created_by=actor, **fields)
    meeting.full_clean()
    meeting.save()
    audit_record(actor=actor, ip=ip, action="meeting.schedule", obj=meeting, data=_log_data(fields))
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, ip: str | None = None, meeting: Meeting, confirm_second_signing: bool = False, **fields) -> Meeting:
    """Change the schedule of a meeting whose minutes are not yet submitted (the state stays)."""
    unknown = set(fields) - set(SCHEDULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    meeting = MEETING_FLOW.lock(meeting)
    MEETING_FLOW.check(MEETING_FLOW["update"], meeting, actor)
    merged = {name: getattr(meeting, name) for name in SCHEDULE_FIELDS}
    merged.update(fields)
    _check(meeting=meeting, bloc_year=meeting.bloc_year, fields=merged, confirm_second_signing=confirm_second_signing)
    model_update(instance=meeting, fields=fields, actor=actor, action="meeting.update", ip=ip)
    return meeting


def meeting_cancel(*, actor: User, ip: str | None = None, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a planned meeting whose minutes were never started; it stays on the timeline, struck out."""

    def apply(row):
        text = (reason or "").strip()
        if not text:
            raise ValidationError({"reason": _("Hãy ghi lý do hủy hội nghị.")})
        row.cancel_reason = text
        row.cancelled_at = timezone.now()
        return {"reason": text}

    return MEETING_FLOW.run("cancel", obj=meeting, actor=actor, ip=ip, apply=apply)
