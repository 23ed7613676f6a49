"""Document jobs survive a broker that is down and a worker killed mid-render (issue 8, #1 and #2)."""

import datetime
import io
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from core import documents
from core.models import IssuedDocument, JobStatus
from core.tasks import render_document, sweep_documents
from emulation_portal.testing import build_world, wait_until_done
from pledges.models import PledgeState
from pledges.tests.helpers import make_signing, sign, sign_all

ROLES = ["board", "central", "secretary", "leader", "officer", "nonmember", "outsider", "stranger"]
# The pledge's manage rule (pledges.edit): the board and the bloc's secretary may retry.
RETRY = {"board": 302, "central": 403, "secretary": 302, "leader": 403, "officer": 403,
         "nonmember": 404, "outsider": 404, "stranger": 404}


def _broker_down():
    """``delay`` as it behaves when Redis does not answer."""
    return mock.patch.object(render_document, "delay", side_effect=OperationalError("Error 111 connecting to 127.0.0.1:6379."))


def _age(document, *, seconds, status=None):
    fields = {"status_since": timezone.now() - datetime.timedelta(seconds=seconds)}
    if status:
        fields["status"] = status
    IssuedDocument.objects.filter(pk=document.pk).update(**fields)


def _pledge_document(version):
    return IssuedDocument.objects.get(source_id=version.pk, kind="pledge")


def _signed_with_pending_document(world, django_capture_on_commit_callbacks):
    """A signed pledge whose render message never reached the broker."""
    version = make_signing(world)
    with _broker_down(), django_capture_on_commit_callbacks(execute=True):
        sign_all(version, world.leaders)
    return version, _pledge_document(version)


# (a) the broker is down at the last signature


def test_last_signature_succeeds_with_the_broker_down(world, django_capture_on_commit_callbacks):
    version, document = _signed_with_pending_document(world, django_capture_on_commit_callbacks)
    version.refresh_from_db()
    assert version.state == PledgeState.SIGNED
    assert document.status == JobStatus.PENDING and document.attempts == 0


@pytest.mark.django_db(transaction=True)
def test_last_signature_view_succeeds_with_a_closed_broker_port(client_for):
    """A real commit (on_commit runs inside the request) and a real connection refused."""
    from emulation_portal.celery import app

    world = build_world(members=2)
    version = make_signing(world)
    sign(version, world.leaders[0])
    last = world.leaders[1]
    app.conf.task_always_eager = False  # the autouse fixture restores it
    broker_url = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        with mock.patch.object(app, "_pool", None), mock.patch.object(app.amqp, "_producer_pool", None):
            response = client_for(last).post(
                reverse("pledges:sign", args=[version.pk]),
                {"signer_name": last.get_full_name(), "signer_title": "Giám đốc", "capacity": "self",
                 "content_hash": version.content_hash, "confirm": "on"},
            )
    finally:
        app.conf.broker_url = broker_url
    assert response.status_code == 302, response.content.decode()[:2000]
    version.refresh_from_db()
    assert version.state == PledgeState.SIGNED
    document = _pledge_document(version)
    assert document.status == JobStatus.PENDING and document.attempts == 0


def test_sweep_renders_a_lost_job_once(world, django_capture_on_commit_callbacks):
    _version, document = _signed_with_pending_document(world, django_capture_on_commit_callbacks)
    assert documents.documents_sweep() == []  # not pending long enough yet: its message may be on the way
    _age(document, seconds=django_settings.DOCUMENT_PENDING_SECONDS + 1)
    assert sweep_documents() == [document.pk]
    document.refresh_from_db()
    assert document.status == JobStatus.DONE and document.attempts == 1 and document.file
    assert sweep_documents() == []
    document.refresh_from_db()
    assert document.attempts == 1


def test_sweep_leaves_the_row_pending_while_the_broker_is_still_down(world, django_capture_on_commit_callbacks):
    _version, document = _signed_with_pending_document(world, django_capture_on_commit_callbacks)
    _age(document, seconds=django_settings.DOCUMENT_PENDING_SECONDS + 1)
    with _broker_down():
        assert documents.documents_sweep() == []
    document.refresh_from_db()
    assert document.status == JobStatus.PENDING and document.attempts == 0
    assert documents.documents_sweep() == []  # just tried: it waits for the next round
    _age(document, seconds=django_settings.DOCUMENT_PENDING_SECONDS + 1)
    assert documents.documents_sweep() == [document.pk]
    document.refresh_from_db()
    assert document.status == JobStatus.DONE and document.attempts == 1


def test_a_duplicate_message_does_not_render_twice(world, django_capture_on_commit_callbacks):
    version = make_signing(world)
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(version, world.leaders)
    document = _pledge_document(version)
    assert document.status == JobStatus.DONE and document.attempts == 1
    render_document.delay(document.pk)
    IssuedDocument.objects.filter(pk=document.pk).update(status=JobStatus.RUNNING)  # another worker is on it
    render_document.delay(document.pk)
    document.refresh_from_db()
    assert document.attempts == 1


def test_sweep_query_count_is_flat(world, django_capture_on_commit_callbacks):
    version, document = _signed_with_pending_document(world, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as idle:
        documents.documents_sweep()
    assert len(idle) == 1
    for kind in ("copy-1", "copy-2", "copy-3"):
        IssuedDocument.objects.create(code=documents.new_code(), kind=kind, title="x", source_type=document.source_type, source_id=version.pk)
    IssuedDocument.objects.update(status_since=timezone.now() - datetime.timedelta(days=1))
    with mock.patch.object(documents, "_send", return_value=True), CaptureQueriesContext(connection) as busy:
        assert len(documents.documents_sweep()) == 4
    assert len(busy) == 2


# (b) a worker killed mid-render


def test_stale_running_job_is_taken_back(world, django_capture_on_commit_callbacks):
    _version, document = _signed_with_pending_document(world, django_capture_on_commit_callbacks)
    _age(document, seconds=django_settings.DOCUMENT_STALE_SECONDS + 1, status=JobStatus.RUNNING)
    IssuedDocument.objects.filter(pk=document.pk).update(attempts=1)  # the killed worker's attempt
    assert documents.documents_sweep() == [document.pk]
    document.refresh_from_db()
    assert document.status == JobStatus.DONE and document.attempts == 2 and document.file


def test_fresh_running_job_is_left_to_its_worker(world, django_capture_on_commit_callbacks):
    _version, document = _signed_with_pending_document(world, django_capture_on_commit_callbacks)
    _age(document, seconds=django_settings.DOCUMENT_STALE_SECONDS - 30, status=JobStatus.RUNNING)
    assert documents.documents_sweep() == []
    render_document.delay(document.pk)  # Redis redelivering the message: the worker is still on it
    document.refresh_from_db()
    assert document.status == JobStatus.RUNNING and document.attempts == 0


def test_redelivered_message_takes_back_a_stale_job(world, django_capture_on_commit_callbacks):
    _version, document = _signed_with_pending_document(world, django_capture_on_commit_callbacks)
    _age(document, seconds=django_settings.DOCUMENT_STALE_SECONDS + 1, status=JobStatus.RUNNING)
    render_document.delay(document.pk)
    document.refresh_from_db()
    assert document.status == JobStatus.DONE and document.attempts == 1


def test_is_stale():
    now = timezone.now()
    old = now - datetime.timedelta(seconds=django_settings.DOCUMENT_STALE_SECONDS + 1)
    assert IssuedDocument(status=JobStatus.RUNNING, status_since=old).is_stale
    assert IssuedDocument(status=JobStatus.PENDING, status_since=old).may_retry
    assert not IssuedDocument(status=JobStatus.RUNNING, status_since=now).may_retry
    assert not IssuedDocument(status=JobStatus.DONE, status_since=old).may_retry
    assert IssuedDocument(status=JobStatus.FAILED, status_since=now).may_retry


# (c) the retry button


@pytest.mark.parametrize("status", [JobStatus.PENDING, JobStatus.RUNNING])
def test_stale_job_offers_a_retry_to_the_manager_only(world, client_for, django_capture_on_commit_callbacks, status):
    version, document = _signed_with_pending_document(world, django_capture_on_commit_callbacks)
    retry = reverse("document_retry", args=[document.code])
    detail = reverse("pledges:detail", args=[version.pk])
    _age(document, seconds=10, status=status)
    assert retry not in client_for(world.secretary).get(detail).content.decode()  # fresh: no button yet
    _age(document, seconds=django_settings.DOCUMENT_STALE_SECONDS + 1, status=status)
    assert retry in client_for(world.secretary).get(detail).content.decode()
    assert retry in client_for(world.secretary).get(reverse("pledges:status", args=[version.pk])).content.decode()
    assert retry not in client_for(world.leader).get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.secretary).post(retry, {"next": detail})
    assert response.status_code == 302 and response["Location"] == detail
    document.refresh_from_db()
    assert document.status == JobStatus.DONE and document.attempts == 1


def test_fresh_job_is_not_retried(world, client_for, django_capture_on_commit_callbacks):
    _version, document = _signed_with_pending_document(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(world.secretary).post(reverse("document_retry", args=[document.code]))
    assert response.status_code == 302 and callbacks == []
    document.refresh_from_db()
    assert document.status == JobStatus.PENDING


def test_stale_minutes_offer_a_retry_to_the_manager_only(world, client_for):
    from meetings import services
    from meetings.tests.factories import record, schedule

    meeting = schedule(world)
    record(world, meeting)
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    services.minutes_approve(actor=world.leaders[0], meeting=meeting)  # on_commit never runs: still pending
    document = IssuedDocument.objects.get(kind="minutes")
    retry = reverse("document_retry", args=[document.code])
    assert retry not in client_for(world.secretary).get(meeting.get_absolute_url()).content.decode()
    _age(document, seconds=django_settings.DOCUMENT_STALE_SECONDS + 1)
    assert retry in client_for(world.secretary).get(meeting.get_absolute_url()).content.decode()
    assert retry in client_for(world.secretary).get(reverse("meetings:documents", args=[meeting.pk])).content.decode()
    assert retry not in client_for(world.officer).get(meeting.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_retry_by_role(world, client_for, django_capture_on_commit_callbacks, role):
    _version, document = _signed_with_pending_document(world, django_capture_on_commit_callbacks)
    _age(document, seconds=django_settings.DOCUMENT_STALE_SECONDS + 1, status=JobStatus.RUNNING)
    retry = reverse("document_retry", args=[document.code])
    client = client_for(getattr(world, role))
    assert client.get(retry).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry).status_code == RETRY[role]
    document.refresh_from_db()
    assert document.status == (JobStatus.DONE if RETRY[role] == 302 else JobStatus.RUNNING)


# (d) configuration


def test_beat_and_visibility_timeout_are_configured():
    from emulation_portal.celery import app

    entry = app.conf.beat_schedule["documents-sweep"]
    assert entry["task"] == sweep_documents.name == "core.tasks.sweep_documents"
    assert entry["schedule"] == django_settings.DOCUMENT_SWEEP_SECONDS <= 300
    timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert 0 < timeout < 3600  # kombu's default hour is what kept a killed render "đang tạo"
    from core.tasks import _MAX_RETRY_DELAY

    assert _MAX_RETRY_DELAY < timeout
    assert django_settings.DOCUMENT_PENDING_SECONDS < django_settings.DOCUMENT_STALE_SECONDS <= 600


def test_worker_start_sends_a_sweep():
    from celery.signals import worker_ready

    from emulation_portal.celery import app

    with mock.patch.object(app, "send_task") as send_task:
        worker_ready.send(sender=mock.Mock(app=app))
    send_task.assert_called_once_with("core.tasks.sweep_documents")


# With a real Redis and worker




@pytest.mark.broker
def test_lost_and_stale_jobs_render_through_the_broker(celery_worker_app):
    world = build_world(members=2)
    version = make_signing(world)
    sign(version, world.leaders[0])
    with _broker_down():
        sign(version, world.leaders[1])  # committed; the message never left
    document = _pledge_document(version)
    assert document.status == JobStatus.PENDING and document.attempts == 0
    _age(document, seconds=django_settings.DOCUMENT_STALE_SECONDS + 1, status=JobStatus.RUNNING)  # and its worker died
    sweep_documents.delay()
    document = wait_until_done(document)
    assert document.status == JobStatus.DONE, document.error
    assert document.attempts == 1 and document.file


def test_documents_verify_command_checks_every_stored_pdf(world):
    """``manage.py documents_verify`` (run after a restore): all match, then a changed file is named."""
    from django.core.management import CommandError, call_command

    version = sign_all(make_signing(world), world.leaders)
    document = documents.document_render(document_id=IssuedDocument.objects.get(source_id=version.pk, kind="pledge").pk)
    assert document.status == JobStatus.DONE
    out = io.StringIO()
    call_command("documents_verify", stdout=out)
    assert "All 1 issued documents verify." in out.getvalue()
    path = Path(document.file.path)
    path.write_bytes(path.read_bytes() + b"%changed")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("documents_verify", stderr=err)
    assert document.code in err.getvalue() and "changed" in err.getvalue()
    path.unlink()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("documents_verify", stderr=err)
    assert "missing" in err.getvalue()
