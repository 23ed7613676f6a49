"""A meeting as an iCalendar file that calendar programs import."""

import datetime
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from meetings.models import MeetingState

DEFAULT_LENGTH = datetime.timedelta(hours=2)


def event_identity(meeting, url):
    """The event's UID and URL, both from ``url`` (the meeting's absolute address, built from the
    request's host): one source, so a calendar never shows a link to one host and an id of another."""
    host = urlsplit(url).netloc or urlsplit(settings.SITE_URL).netloc
    return f"meeting-{meeting.pk}@{host}", url


def meeting_calendar(meeting, *, url):
    """The meeting as iCalendar bytes. DTEND is the meeting's end time when it has one
    (``Meeting.ends_at``), otherwise two hours after the start, as calendars expect an end."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = timezone.localtime(meeting.starts_at, tz)
    end = timezone.localtime(meeting.ends_at, tz) if meeting.ends_at else start + DEFAULT_LENGTH
    calendar = Calendar()
    calendar.add("prodid", "-//Cong thi dua khoi//meetings//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    uid, url = event_identity(meeting, url)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", meeting.title)
    if meeting.state == MeetingState.CANCELLED:
        # Calendars that imported the meeting show it cancelled on the next import (same UID, newer sequence).
        event.add("status", "CANCELLED")
        event.add("sequence", 1)
    else:
        event.add("status", "CONFIRMED")
    event["location"] = vText(meeting.venue)
    lines = []
    if meeting.chair_name:
        lines.append(_("Chủ trì: %(name)s") % {"name": meeting.chair_name} + (f", {meeting.chair_title}" if meeting.chair_title else ""))
    if meeting.host_id:
        lines.append(_("Đơn vị chủ trì: %(name)s") % {"name": meeting.host.name})
    items = meeting.agenda_items()
    if items:
        lines.append("Chương trình:")
        lines.extend(f"- {item}" for item in items)
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    calendar.add_component(event)
    if hasattr(calendar, "add_missing_timezones"):
        calendar.add_missing_timezones()
    return calendar.to_ical()
