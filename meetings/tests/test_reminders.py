"""Reminder rules of the meetings: coming meeting (T-7, T-1, .ics), minutes late (T+5), minutes to approve, minutes returned."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase

from core import reminders
from core.models import Notification, Reminder
from meetings import services
from meetings.tests.factories import local, record, schedule

STARTS = local(2022, 6, 17, 8)

pytestmark = pytest.mark.django_db


def sweep(now=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return reminders.reminders_sweep(now=now)


def to(rule=None):
    return sorted(m.to[0] for m in mail.outbox if rule is None or rule in m.subject)


def test_meeting_t7_and_t1_to_the_member_leaders_with_the_ics(world):
    starts = STARTS
    meeting = schedule(world, starts_at=starts)
    sweep(now=starts - datetime.timedelta(days=20))
    assert mail.outbox == []  # three weeks ahead: nothing yet
    sweep(now=starts - datetime.timedelta(days=6, hours=20))
    assert to() == sorted(u.email for u in world.leaders)
    message = mail.outbox[0]
    assert message.subject.startswith("Dự hội nghị") and f"/meetings/{meeting.pk}/" in message.body
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype == "text/calendar" and "BEGIN:VEVENT" in (content.decode() if isinstance(content, bytes) else content)
    sweep(now=starts - datetime.timedelta(days=5))
    assert len(mail.outbox) == len(world.leaders)
    sweep(now=starts - datetime.timedelta(hours=20))
    assert len(mail.outbox) == 2 * len(world.leaders)
    assert {reminders.base_step(s) for s in Reminder.objects.values_list("step", flat=True)} == {"T-7", "T-1"}


def test_meeting_reminders_respect_the_opt_out(world):
    schedule(world, starts_at=STARTS)
    reminders.preference_set(user=world.leaders[1], optional_off=True)
    sweep(now=STARTS - datetime.timedelta(days=3))
    assert world.leaders[1].email not in to() and world.leaders[0].email in to()


def test_minutes_not_entered_five_days_after_reach_the_secretary(world):
    starts = STARTS
    meeting = schedule(world, starts_at=starts)
    sweep(now=starts + datetime.timedelta(days=4))
    assert to("Nhập biên bản") == []
    sweep(now=starts + datetime.timedelta(days=5, hours=1))
    assert to("Nhập biên bản") == [world.secretary.email]
    record(world, meeting)
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    mail.outbox.clear()
    sweep(now=starts + datetime.timedelta(days=8))
    assert to("Nhập biên bản") == []  # done: submitted


def test_minutes_waiting_for_approval_then_returned(world):
    meeting = schedule(world, starts_at=STARTS)
    record(world, meeting)
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    reminders.preference_set(user=world.leaders[0], optional_off=True)  # essential: still sent
    sweep()
    assert to("Duyệt biên bản") == [world.leaders[0].email]
    key = f"meetings.approve:{meeting.pk}"
    assert Notification.objects.filter(key=key, user=world.leaders[0], read_at__isnull=True).exists()
    services.minutes_return(actor=world.leaders[0], meeting=meeting, reason="Bổ sung danh sách đại biểu")
    assert not Notification.objects.filter(key=key, read_at__isnull=True).exists()
    sweep()
    assert to("Sửa biên bản") == [world.secretary.email]
    mail.outbox.clear()
    services.minutes_submit(actor=world.secretary, meeting=meeting)  # resubmitted: one unread notification
    assert Notification.objects.filter(key=key, user=world.leaders[0], read_at__isnull=True).count() == 1
    sweep()
    assert to("Duyệt biên bản") == [world.leaders[0].email]  # and one mail for the new submission
    sweep()
    assert len(to("Duyệt biên bản")) == 1
