"""Two (four) sweeps at the same instant on PostgreSQL send each reminder once."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from core import reminders
from core.models import Reminder, ReminderStatus
from emulation_portal.testing import build_world, race
from pledges.models import PledgeVersion
from pledges.tests.helpers import make_signing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent inserts on the unique index)")


def test_sweeps_at_once_send_each_reminder_once(monkeypatch):
    world = build_world(members=6)
    version = make_signing(world)
    PledgeVersion.objects.filter(pk=version.pk).update(signing_deadline=timezone.localdate() + datetime.timedelta(days=2))
    enqueued = []
    real_send = reminders.send
    monkeypatch.setattr(reminders, "send", lambda pk: enqueued.append(pk) or real_send(pk))
    mail.outbox = []
    errors = race([reminders.reminders_sweep for _ in range(4)])
    assert errors == []
    rows = Reminder.objects.filter(rule="pledges.sign")
    assert rows.count() == 6  # one per leader, at the step reached (T-3)
    assert sorted(enqueued) == sorted(rows.values_list("pk", flat=True))  # each claimed by one sweep only
    assert set(rows.values_list("status", flat=True)) == {ReminderStatus.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in world.leaders)


def test_duplicate_messages_at_once_send_once():
    world = build_world(members=2)
    make_signing(world)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reminders, "send", lambda pk: True)  # keep the rows pending
        reminders.reminders_sweep()
    pk = Reminder.objects.order_by("pk").values_list("pk", flat=True).first()
    mail.outbox = []
    outcomes = []
    errors = race([lambda: outcomes.append(reminders.reminder_deliver(reminder_id=pk)) for _ in range(4)])
    assert errors == [] and sorted(outcomes) == ["busy", "busy", "busy", "sent"]
    assert len(mail.outbox) == 1
