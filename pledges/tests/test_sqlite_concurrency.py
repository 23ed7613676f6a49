"""Fifteen leaders signing at once on SQLite, the embedded default: all succeed (writers wait)."""

import sqlite3

import pytest
from django.db import connection, connections

from core import documents
from core.models import IssuedDocument
from emulation_portal.testing import build_world, race
from pledges.models import PledgeState, Signature
from pledges.tests.helpers import make_signing, sign

pytestmark = pytest.mark.django_db(transaction=True)

SIGNERS = 15


@pytest.fixture
def sqlite_file_db(transactional_db, tmp_path):
    """Point every connection at a file copy of the (empty, migrated) test database.

    The in-memory test database uses SQLite's shared cache, whose table locks do not wait at all;
    production runs on a file, which is what this test must exercise.
    """
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    settings_dict = connection.settings_dict  # shared by the connections every thread opens
    memory_name, memory_connection = settings_dict["NAME"], connections["default"]
    path = tmp_path / "portal.sqlite3"
    memory_connection.ensure_connection()
    target = sqlite3.connect(path)
    memory_connection.connection.backup(target)
    target.close()
    settings_dict["NAME"] = str(path)
    connections["default"] = connections.create_connection("default")
    try:
        yield path
    finally:
        connections["default"].close()
        settings_dict["NAME"] = memory_name
        connections["default"] = memory_connection



def test_fifteen_leaders_sign_at_once(sqlite_file_db, monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    world = build_world(members=SIGNERS)
    version = make_signing(world)
    enqueued = []
    monkeypatch.setattr(documents, "_enqueue", lambda document_id, **kwargs: enqueued.append(document_id))

    errors = race([lambda leader=leader: sign(version, leader) for leader in world.leaders])

    assert errors == []
    version.refresh_from_db()
    assert version.state == PledgeState.SIGNED
    assert Signature.objects.filter(version=version, voided_at__isnull=True).count() == SIGNERS
    assert IssuedDocument.objects.filter(source_id=version.pk, kind="pledge").count() == 1
    assert len(enqueued) == 1
