"""The keyed audit chain: `audit_verify` finds a changed entry, a forgery re-hashed without the key
and a cut tail (through the anchor written outside the database); a clean chain passes."""

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.audit import GENESIS, _fields, _legacy_digest, _payload, audit_record, audit_verify_chain
from core.models import AuditEntry
from core.tasks import audit_anchor as audit_anchor_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _anchor_file(settings, tmp_path):
    settings.AUDIT_ANCHOR_PATH = tmp_path / "anchors" / "audit.jsonl"
    return settings.AUDIT_ANCHOR_PATH


@pytest.fixture
def chain(world):
    return [audit_record(actor=world.board, action=f"test.step{n}", obj=world.bloc_year, data={"n": n}) for n in range(5)]


def verify():
    """Run ``manage.py audit_verify``: (exit code, output)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, err.getvalue() + str(exc)
    return 0, out.getvalue()


def test_clean_chain_passes(chain):
    call_command("audit_anchor", stdout=io.StringIO())
    code, output = verify()
    assert code == 0
    assert "holds" in output and "anchor" in output


def test_changed_entry_is_reported(chain):
    AuditEntry.objects.filter(pk=chain[2].pk).update(data={"n": 99})
    code, output = verify()
    assert code == 1
    assert f"#{chain[2].pk}" in output and "test.step2" in output


def test_forgery_rehashed_without_the_key_is_detected(chain):
    # Whoever can write the database recomputes the chain from the forged entry on, as the old
    # unkeyed format allowed: the hashes link up but were not made with the key.
    forged = AuditEntry.objects.get(pk=chain[2].pk)
    forged.data = {"n": 99}
    prev_hash = chain[1].entry_hash
    for entry in [forged, *AuditEntry.objects.filter(pk__gt=forged.pk).order_by("id")]:
        entry.prev_hash = prev_hash
        entry.entry_hash = hashlib.sha256(_payload(prev_hash, _fields(entry))).hexdigest()
        AuditEntry.objects.filter(pk=entry.pk).update(data=entry.data, prev_hash=entry.prev_hash, entry_hash=entry.entry_hash)
        prev_hash = entry.entry_hash
    assert audit_verify_chain().pk == forged.pk
    code, output = verify()
    assert code == 1 and f"#{forged.pk}" in output


def test_cut_tail_is_detected_through_the_anchor(chain, world):
    call_command("audit_anchor", stdout=io.StringIO())
    AuditEntry.objects.filter(pk__in=[chain[-2].pk, chain[-1].pk]).delete()
    assert audit_verify_chain() is None  # the remaining chain links up: only the anchor tells
    code, output = verify()
    assert code == 1
    assert f"#{chain[-1].pk}" in output and "missing" in output


def test_entries_after_the_anchor_and_a_new_anchor(chain, world, settings):
    audit_anchor_task()
    audit_record(actor=world.board, action="test.after", obj=world.bloc_year)
    assert verify()[0] == 0
    audit_anchor_task()
    lines = settings.AUDIT_ANCHOR_PATH.read_text().splitlines()
    assert [json.loads(line)["count"] for line in lines] == [5, 6]
    AuditEntry.objects.order_by("-id").first().delete()
    assert verify()[0] == 1


def test_anchored_hash_replaced_is_detected(chain):
    call_command("audit_anchor", stdout=io.StringIO())
    AuditEntry.objects.filter(pk=chain[-1].pk).delete()
    # A replacement entry written by someone with the key cannot have the anchored hash.
    replacement = audit_record(actor=None, action="test.replacement", obj=chain[0])
    AuditEntry.objects.filter(pk=replacement.pk).update(id=chain[-1].pk)
    code, output = verify()
    assert code == 1 and "anchored" in output


def test_unreadable_anchor_file_fails(chain, _anchor_file):
    _anchor_file.parent.mkdir(parents=True)
    _anchor_file.write_text("not json\n")
    assert verify()[0] == 1


def test_the_key_comes_from_the_settings(chain, settings):
    settings.AUDIT_KEY = "another key"
    assert audit_verify_chain().pk == chain[0].pk


def test_legacy_chain_is_rekeyed_once(world):
    # A chain written before the key: plain SHA-256.
    prev_hash = GENESIS
    for n in range(3):
        entry = audit_record(actor=world.board, action=f"test.old{n}", obj=world.bloc_year)
        entry.prev_hash = prev_hash
        entry.entry_hash = _legacy_digest(prev_hash, _fields(entry))
        AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=entry.prev_hash, entry_hash=entry.entry_hash)
        prev_hash = entry.entry_hash
    assert verify()[0] == 1
    call_command("audit_verify", "--rekey-legacy", stdout=io.StringIO())
    assert verify()[0] == 0


def test_legacy_rekey_refuses_a_tampered_chain(chain):
    AuditEntry.objects.filter(pk=chain[1].pk).update(data={"n": 99})
    with pytest.raises(CommandError):
        call_command("audit_verify", "--rekey-legacy", stdout=io.StringIO(), stderr=io.StringIO())
    assert AuditEntry.objects.get(pk=chain[1].pk).entry_hash == chain[1].entry_hash
