"""With the real broker: a Celery worker and beat (sweep every second) deliver the reminders to a real
SMTP server started here (aiosmtpd); the test reads the mails from it. SMTP down: retried with
backoff, delivered once it is back, once."""

import datetime
import email
import socket
import threading
import time
from email import policy

import pytest
from django.utils import timezone

from blocs.models import Role
from core.models import Reminder, ReminderStatus
from emulation_portal.testing import build_world, make_bloc_year, make_user
from meetings import services as meeting_services
from meetings.models import MeetingKind
from pledges.tests.helpers import make_signing

pytestmark = [pytest.mark.broker]


class Inbox:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _smtp(port, inbox):
    from aiosmtpd.controller import Controller

    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


@pytest.fixture
def smtp_settings(settings):
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_TIMEOUT = 5
    settings.REMINDER_RETRY_SECONDS = 1
    settings.REMINDER_MAX_ATTEMPTS = 8
    return port


@pytest.fixture
def beat(celery_worker_app, tmp_path):
    """Celery beat in a thread, running the reminder sweep every second."""
    from celery.beat import EmbeddedService

    app = celery_worker_app
    previous = app.conf.beat_schedule
    app.conf.beat_schedule = {"reminders-sweep": {"task": "core.tasks.sweep_reminders", "schedule": 1.0}}
    service = EmbeddedService(app, thread=True, schedule_filename=str(tmp_path / "beat-schedule"), max_interval=1)
    service.start()
    yield service
    service.stop()
    app.conf.beat_schedule = previous


def _wait(predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def _body(message, subtype):
    return message.get_body(preferencelist=(subtype,)).get_content()


def test_worker_and_beat_deliver_the_mails_to_smtp(smtp_settings, beat):
    inbox = Inbox()
    controller = _smtp(smtp_settings, inbox)
    try:
        world = build_world(members=3)
        version = make_signing(world)
        today = timezone.localdate()
        current = make_bloc_year(world.province, world.agencies, year=today.year, head=world.agencies[0])
        starts = timezone.now() + datetime.timedelta(days=3)
        if timezone.localtime(starts).year != today.year:  # the last days of December: next week is next year
            pytest.skip("a meeting next week falls in another year")
        secretary = make_user(agency=world.agencies[0], role=Role.SECRETARY, bloc_year=current)
        meeting = meeting_services.meeting_schedule(
            actor=secretary, bloc_year=current, kind=MeetingKind.OTHER, starts_at=starts, venue="Hội trường UBND tỉnh",
            host=world.agencies[0], chair_name="Nguyễn Văn A", chair_title="Giám đốc", agenda="Triển khai nhiệm vụ",
        )
        expected = 2 * len(world.leaders)  # each leader: sign the pledge, attend the meeting
        assert _wait(lambda: len(inbox.messages) >= expected), [m["Subject"] for m in inbox.messages]
        time.sleep(2.5)  # more sweeps: nothing new
        assert len(inbox.messages) == expected
        signing = [m for m in inbox.messages if m["Subject"].strip().startswith("Ký giao ước thi đua")]
        assert signing, [m["Subject"] for m in inbox.messages]
        assert sorted(m["To"] for m in signing) == sorted(u.email for u in world.leaders)
        text = _body(signing[0], "plain")
        assert "Kính gửi đồng chí" in text and f"/pledges/{version.pk}/sign/" in text and "/notifications/settings/" in text
        assert f"/pledges/{version.pk}/sign/" in _body(signing[0], "html")
        meetings = [m for m in inbox.messages if m["Subject"].strip().startswith("Dự hội nghị")]
        assert len(meetings) == len(world.leaders)
        attachment = next(meetings[0].iter_attachments())
        assert attachment.get_content_type() == "text/calendar" and attachment.get_filename().endswith(".ics")
        ics = attachment.get_content()
        ics = ics.decode() if isinstance(ics, bytes) else ics
        assert "BEGIN:VEVENT" in ics and f"meeting-{meeting.pk}@" in ics
        assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}
    finally:
        controller.stop()


def test_smtp_down_is_retried_and_delivered_once_back(smtp_settings, celery_worker_app):
    from core.reminders import reminders_sweep

    world = build_world(members=2)
    make_signing(world)
    reminders_sweep()  # SMTP is down: every send fails and is retried with backoff
    assert _wait(lambda: Reminder.objects.filter(attempts__gte=2).count() == 2, seconds=30)
    assert not Reminder.objects.filter(status=ReminderStatus.SENT).exists()
    assert "Connection refused" in Reminder.objects.first().last_error or Reminder.objects.first().last_error
    inbox = Inbox()
    controller = _smtp(smtp_settings, inbox)
    try:
        assert _wait(lambda: Reminder.objects.filter(status=ReminderStatus.SENT).count() == 2, seconds=60)
        time.sleep(2)
        assert sorted(m["To"] for m in inbox.messages) == sorted(u.email for u in world.leaders)  # once each
    finally:
        controller.stop()
