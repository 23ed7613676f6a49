"""Two leaders signing at the same moment: both succeed, the PDF is requested exactly once (PostgreSQL)."""


import pytest
from django.db import connection

from core import documents
from core.models import IssuedDocument
from emulation_portal.testing import build_world, race
from pledges import services
from pledges.models import PledgeState, Signature
from pledges.tests.helpers import make_signing, sign

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks)")



def test_two_last_signatures_at_once(monkeypatch):
    world = build_world(members=4)
    version = make_signing(world)
    sign(version, world.leaders[0])
    sign(version, world.leaders[1])
    enqueued = []
    monkeypatch.setattr(documents, "_enqueue", lambda document_id: enqueued.append(document_id))
    errors = race([lambda leader=leader: sign(version, leader) for leader in world.leaders[2:]])
    assert errors == []
    version.refresh_from_db()
    assert version.state == PledgeState.SIGNED
    assert Signature.objects.filter(version=version, voided_at__isnull=True).count() == 4
    assert IssuedDocument.objects.filter(source_id=version.pk, kind="pledge").count() == 1
    assert len(enqueued) == 1


def test_many_leaders_at_once():
    world = build_world(members=6)
    version = make_signing(world)
    requested = []
    original = services.signing.document_request

    def counting(**kwargs):
        requested.append(kwargs["source"].pk)
        return original(**kwargs)

    services.signing.document_request = counting
    try:
        errors = race([lambda leader=leader: sign(version, leader) for leader in world.leaders])
    finally:
        services.signing.document_request = original
    assert errors == []
    assert requested == [version.pk]
    assert Signature.objects.filter(version=version).count() == 6


def test_same_leader_twice_at_once():
    world = build_world(members=3)
    version = make_signing(world)
    errors = race([lambda: sign(version, world.leaders[0]), lambda: sign(version, world.leaders[0])])
    assert len(errors) == 1 and "đã ký" in str(errors[0])
    assert Signature.objects.filter(version=version).count() == 1
