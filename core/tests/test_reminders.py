"""The reminder engine (core.reminders) through the pledges' signing rule: steps, who, done, escalation,
opt-out, idempotence, failures, and the sweep's fixed number of queries per batch."""

import datetime
from types import SimpleNamespace

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blocs.models import Role
from core import reminders
from core.models import Notification, Reminder, ReminderStatus
from core.reminders import ESCALATE_BOARD, ESCALATE_HEAD, reminders_sweep
from emulation_portal.testing import make_agency, make_bloc_year, make_user
from pledges.models import PledgeVersion
from pledges.tests.helpers import make_signing, sign

pytestmark = pytest.mark.django_db


def sweep(now=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return reminders_sweep(now=now)


def rows(rule="pledges.sign"):
    """(username, step without its cycle, status)."""
    return sorted((u, reminders.base_step(step), status)
                  for u, step, status in Reminder.objects.filter(rule=rule).values_list("user__username", "step", "status"))


@pytest.fixture
def signing(world):
    version = make_signing(world)
    PledgeVersion.objects.filter(pk=version.pk).update(signing_deadline=timezone.localdate() + datetime.timedelta(days=10))
    version.refresh_from_db()
    return version


def test_opening_mails_each_leader_who_has_not_signed_once(world, signing):
    sign(signing, world.leaders[0])
    sweep()
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == sorted(u.email for u in world.leaders[1:])
    message = mail.outbox[0]
    assert "Ký giao ước thi đua" in message.subject and "hạn" in message.subject
    assert f"/pledges/{signing.pk}/sign/" in message.body
    deadline = (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    assert deadline in message.body and deadline in message.subject
    assert "/notifications/settings/" in message.body
    html = message.alternatives[0][0]
    assert "Kính gửi đồng chí" in html and f"/pledges/{signing.pk}/sign/" in html
    assert {r[1] for r in rows()} == {"open"} and all(r[2] == ReminderStatus.SENT for r in rows())
    mail.outbox.clear()
    sweep()
    assert mail.outbox == []  # a second run sends nothing new


def test_steps_before_the_deadline_and_only_the_latest_after_a_pause(world, signing):
    deadline = reminders.end_of_day(signing.signing_deadline)
    sweep(now=deadline - datetime.timedelta(days=9))
    assert {r[1] for r in rows()} == {"open"}
    sweep(now=deadline - datetime.timedelta(days=6))
    assert {r[1] for r in rows()} == {"open", "T-7"}
    sweep(now=deadline - datetime.timedelta(hours=12))  # T-3 skipped: one mail, the latest
    assert {r[1] for r in rows()} == {"open", "T-7", "T-1"}
    assert len(mail.outbox) == 3 * len(world.leaders)


def test_done_stops_the_reminders(world, signing):
    for leader in world.leaders[:-1]:
        sign(signing, leader)
    sweep()
    assert [m.to[0] for m in mail.outbox] == [world.leaders[-1].email]
    sign(signing, world.leaders[-1])  # everyone has signed: not due any more
    mail.outbox.clear()
    sweep(now=reminders.end_of_day(signing.signing_deadline) - datetime.timedelta(days=2))
    assert mail.outbox == []


def test_a_reminder_whose_person_acted_before_the_mail_went_is_skipped(world, signing):
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        reminders_sweep()
    sign(signing, world.leaders[0])
    for callback in callbacks:
        callback()
    skipped = Reminder.objects.get(user=world.leaders[0])
    assert skipped.status == ReminderStatus.SKIPPED
    assert world.leaders[0].email not in [m.to[0] for m in mail.outbox]


def test_escalation_to_the_head_leader_then_the_board_each_once(world, signing):
    deadline = reminders.end_of_day(signing.signing_deadline)
    sweep(now=deadline + datetime.timedelta(hours=1))
    head = [r for r in rows() if r[1] == ESCALATE_HEAD]
    assert head == [(world.leaders[0].username, ESCALATE_HEAD, "sent")]
    assert not [r for r in rows() if r[1] == ESCALATE_BOARD]
    sweep(now=deadline + datetime.timedelta(days=3, hours=1))
    sweep(now=deadline + datetime.timedelta(days=4))
    assert [r for r in rows() if r[1] == ESCALATE_BOARD] == [(world.board.username, ESCALATE_BOARD, "sent")]
    assert len([r for r in rows() if r[1] == ESCALATE_HEAD]) == 1
    board_mail = [m for m in mail.outbox if m.to == [world.board.email]][0]
    assert "[Quá hạn]" in board_mail.subject and "đôn đốc" in board_mail.body


def test_essential_reminders_ignore_the_opt_out(world, signing):
    reminders.preference_set(user=world.leaders[1], optional_off=True)
    sweep()
    assert world.leaders[1].email in [m.to[0] for m in mail.outbox]


def test_inactive_or_mailless_people_get_nothing(world, signing):
    world.leaders[1].is_active = False
    world.leaders[1].save()
    world.leaders[2].email = ""
    world.leaders[2].save()
    sweep()
    to = [m.to[0] for m in mail.outbox]
    assert world.leaders[1].email not in to and world.leaders[2].username not in "".join(to)
    assert Reminder.objects.get(user=world.leaders[2]).status == ReminderStatus.SKIPPED


def test_dry_run_lists_and_sends_nothing(world, signing):
    report = reminders_sweep(dry_run=True)
    assert len(report.rows) == len(world.leaders) and not Reminder.objects.exists() and mail.outbox == []


def test_smtp_failure_is_recorded_retried_and_failed_after_the_last_try(world, signing, settings, monkeypatch):
    settings.REMINDER_MAX_ATTEMPTS = 2

    def down(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", down)
    sweep()
    first = Reminder.objects.get(user=world.leaders[1])
    assert first.status == ReminderStatus.PENDING and first.attempts == 1 and "SMTP down" in first.last_error
    settings.REMINDER_PENDING_SECONDS = 0
    sweep()  # the lost/failed pending rows are sent again
    first.refresh_from_db()
    assert first.status == ReminderStatus.FAILED and first.attempts == 2
    monkeypatch.undo()
    sweep()
    first.refresh_from_db()
    assert first.status == ReminderStatus.FAILED and mail.outbox == []  # shown as failed, not dropped, not resent


def test_a_duplicate_message_never_sends_twice(world, signing):
    sweep()
    sent = len(mail.outbox)
    for reminder in Reminder.objects.all():
        assert reminders.reminder_deliver(reminder_id=reminder.pk) == "busy"
    assert len(mail.outbox) == sent


def test_a_send_interrupted_mid_way_is_marked_failed_not_resent(world, signing, settings):
    with TestCase.captureOnCommitCallbacks(execute=False):
        reminders_sweep()
    settings.REMINDER_PENDING_SECONDS = 0
    Reminder.objects.filter(user=world.leaders[1]).update(status=ReminderStatus.SENDING)
    sweep()
    assert Reminder.objects.get(user=world.leaders[1]).status == ReminderStatus.FAILED
    assert world.leaders[1].email not in [m.to[0] for m in mail.outbox]


def test_the_sweep_costs_the_same_queries_per_batch_for_1_or_many_objects(world, settings):
    settings.REMINDER_BATCH = 1000
    make_signing(world)

    def count():
        Reminder.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx, TestCase.captureOnCommitCallbacks(execute=False):
            reminders.sweep_rule(reminders.get_rule("pledges.sign"))
        return len(ctx.captured_queries)

    one = count()
    for _n in range(4):
        agencies = [make_agency(world.province) for _ in range(3)]
        bloc_year = make_bloc_year(world.province, agencies, head=agencies[0], year=2022)
        for agency in agencies:
            make_user(agency=agency, role=Role.LEADER, agency_id=agency.pk)
        secretary = make_user(agency=agencies[0], role=Role.SECRETARY, bloc_year=bloc_year)
        make_signing(SimpleNamespace(bloc_year=bloc_year, secretary=secretary))
    many = count()
    assert Reminder.objects.count() == len(world.leaders) + 12
    assert many == one


def test_in_app_notification_is_read_once_the_agency_signs_and_not_duplicated(world, signing):
    key = f"pledges.sign:{signing.pk}"
    leader = world.leaders[1]
    assert Notification.objects.filter(user=leader, key=key, read_at__isnull=True).count() == 1
    from core.notifications import notify

    notify(users=[leader], message="again", key=key)
    assert Notification.objects.filter(user=leader, key=key).count() == 1
    deputy = make_user(agency=world.agencies[1], role=Role.LEADER, agency_id=world.agencies[1].pk)
    notify(users=[deputy], message="x", key=key)
    sign(signing, deputy)  # the deputy signs for the agency: both leaders' notifications are read
    assert not Notification.objects.filter(key=key, read_at__isnull=True, user__in=[leader, deputy]).exists()


def test_reopened_signing_starts_the_steps_again(world, signing):
    from pledges import services

    sweep()
    assert len(mail.outbox) == len(world.leaders)
    services.signing_reopen(actor=world.secretary, version=signing, reason="Sửa tiêu chí 2")
    signing.refresh_from_db()
    services.review_open(actor=world.secretary, version=signing)
    services.signing_open(actor=world.secretary, version=signing)
    mail.outbox.clear()
    sweep()
    assert len(mail.outbox) == len(world.leaders)  # the new signing is announced again, once
    sweep()
    assert len(mail.outbox) == len(world.leaders)
