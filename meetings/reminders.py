"""Reminder rules of the meetings app (core.reminders): a meeting coming (T-7, T-1, with its .ics),
minutes not entered five days after it, minutes waiting for approval, minutes returned."""

import datetime

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blocs.models import Role, RoleAssignment
from blocs.reminders import member_people
from core.mail import absolute
from core.reminders import AT_OPENING, Step, reminder_rule
from meetings.ics import meeting_calendar
from meetings.models import Meeting, MeetingState

UPCOMING = "meetings.upcoming"
MINUTES_LATE = "meetings.minutes_late"
APPROVE = "meetings.approve"
RETURNED = "meetings.minutes_returned"
MINUTES_DAYS = 5


def _meetings():
    return Meeting.objects.select_related("bloc_year__bloc")


def _label(meeting):
    return meeting.title


def _secretaries(meetings):
    return [
        RoleAssignment.objects.filter(role=Role.SECRETARY, user__is_active=True)
        .annotate(object_id=F("bloc_year__meetings"))
        .filter(object_id__in=meetings.values("pk"))
    ]


def _ics(meeting):
    url = absolute(meeting.get_absolute_url())
    return [("hoi-nghi.ics", meeting_calendar(meeting, url=url), "text/calendar")]


@reminder_rule(
    UPCOMING, model="meetings.Meeting", title=_("Dự hội nghị"),
    due=lambda now: _meetings().filter(state=MeetingState.PLANNED, starts_at__gt=now, starts_at__lte=now + datetime.timedelta(days=7)),
    label=_label, url=lambda meeting: meeting.get_absolute_url(), deadline=lambda meeting: meeting.starts_at,
    steps=(Step("T-7", -datetime.timedelta(days=7)), Step("T-1", -datetime.timedelta(days=1))),
    attachments=_ics, manage="meetings.edit", view="meetings.view",
    cycle=lambda meeting: meeting.starts_at,  # moved: the T-7 and T-1 of the new date
)
def member_leaders(meetings):
    return [member_people([Role.LEADER], bloc_year_path="meetings", objects=meetings)]


@reminder_rule(
    MINUTES_LATE, model="meetings.Meeting", title=_("Nhập biên bản hội nghị"),
    due=lambda now: _meetings().filter(
        state__in=[MeetingState.PLANNED, MeetingState.HELD], submitted_at__isnull=True,
        starts_at__lte=now - datetime.timedelta(days=MINUTES_DAYS),
    ),
    label=_label, url=lambda meeting: meeting.get_absolute_url(),
    deadline=lambda meeting: meeting.starts_at + datetime.timedelta(days=MINUTES_DAYS),
    steps=(Step(f"T+{MINUTES_DAYS}", datetime.timedelta(0)),), manage="meetings.edit", view="meetings.view",
)
def minutes_writers(meetings):
    return _secretaries(meetings)


@reminder_rule(
    APPROVE, model="meetings.Meeting", title=_("Duyệt biên bản hội nghị"),
    due=lambda now: _meetings().filter(state=MeetingState.SUBMITTED),
    label=_label, url=lambda meeting: meeting.get_absolute_url(), steps=(AT_OPENING,), essential=True,
    manage="meetings.edit", view="meetings.view", cycle=lambda meeting: meeting.submitted_at,
)
def approvers(meetings):
    """The head agency's leaders and the chair's account (``meetings.approve`` lets the same people through)."""
    head_leaders = (
        RoleAssignment.objects.filter(role=Role.LEADER, user__is_active=True)
        .annotate(object_id=F("agency__memberships__bloc_year__meetings"))
        .filter(object_id__in=meetings.values("pk"), agency_id=F("agency__memberships__bloc_year__head_id"))
    )
    chairs = Meeting.objects.filter(pk__in=meetings.values("pk"), chair_user__is_active=True).annotate(
        object_id=F("pk"), user_id=F("chair_user_id")
    )
    return [head_leaders, chairs]


@reminder_rule(
    RETURNED, model="meetings.Meeting", title=_("Sửa biên bản bị trả lại"),
    # Sent back by the approver: submitted since the last approval (a reopened minutes has approved_at after it).
    due=lambda now: _meetings().filter(
        Q(approved_at__isnull=True) | Q(submitted_at__gt=F("approved_at")), state=MeetingState.HELD, submitted_at__isnull=False
    ),
    label=_label, url=lambda meeting: meeting.get_absolute_url(), steps=(AT_OPENING,),
    manage="meetings.edit", view="meetings.view", cycle=lambda meeting: meeting.submitted_at,
)
def returned_to(meetings):
    return _secretaries(meetings)


def reminder_rule_for(meeting) -> str:
    """The rule whose reminders the meeting's page links to, by the meeting's state."""
    if meeting.state == MeetingState.SUBMITTED:
        return APPROVE
    if meeting.state == MeetingState.HELD and meeting.submitted_at:
        return RETURNED
    if meeting.state in (MeetingState.PLANNED, MeetingState.HELD) and meeting.starts_at < timezone.now():
        return MINUTES_LATE
    return UPCOMING
