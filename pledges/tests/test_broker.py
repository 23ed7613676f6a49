"""Signing the last signature renders the PDF through Redis and a real Celery worker (not eager)."""


import pytest

from core.models import IssuedDocument, JobStatus
from emulation_portal.testing import build_world, wait_until_done
from pledges.models import PledgeState
from pledges.tests.helpers import make_signing, sign

pytestmark = [pytest.mark.broker]



def test_last_signature_renders_through_the_broker(celery_worker_app):
    world = build_world(members=2)
    version = make_signing(world)
    sign(version, world.leaders[0])
    sign(version, world.leaders[1])  # commits; on_commit sends the task to Redis
    version.refresh_from_db()
    assert version.state == PledgeState.SIGNED
    document = IssuedDocument.objects.get(source_id=version.pk, kind="pledge")
    document = wait_until_done(document)
    assert document.status == JobStatus.DONE, document.error
    assert document.file and document.sha256 and document.attempts == 1
