"""Signing the last signature renders the PDF through Redis and a real Celery worker (not eager)."""

import time

import pytest
from django.conf import settings

from core.models import IssuedDocument, JobStatus
from emulation_portal.testing import build_world
from pledges.models import PledgeState
from pledges.tests.helpers import make_signing, sign

pytestmark = [pytest.mark.broker]


@pytest.fixture
def worker(transactional_db):
    if not settings.CELERY_BROKER_URL:
        pytest.skip("needs CELERY_BROKER_URL (Redis) for a real worker")
    from celery.contrib.testing.worker import start_worker

    from emulation_portal.celery import app

    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        yield app


def test_last_signature_renders_through_the_broker(worker):
    world = build_world(members=2)
    version = make_signing(world)
    sign(version, world.leaders[0])
    sign(version, world.leaders[1])  # commits; on_commit sends the task to Redis
    version.refresh_from_db()
    assert version.state == PledgeState.SIGNED
    document = IssuedDocument.objects.get(source_id=version.pk, kind="pledge")
    deadline = time.monotonic() + 60
    while document.status != JobStatus.DONE and time.monotonic() < deadline:
        time.sleep(0.2)
        document.refresh_from_db()
    assert document.status == JobStatus.DONE, document.error
    assert document.file and document.sha256 and document.attempts == 1
