"""The small shared helpers: model_update, notify, hashing, counts, and the base importing no app."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import OuterRef

from blocs.models import Agency, Bloc, Membership
from core.audit import audit_for
from core.counts import SubqueryCount
from core.hashing import canonical_hash, sha256_of_bytes, sha256_of_file
from core.models import Notification
from core.notifications import notify
from core.services import model_update

CORE = Path(__file__).resolve().parent.parent
APPS = {"blocs", "pledges", "meetings", "awards", "emulation_portal"}


def test_core_imports_no_app():
    for path in CORE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in APPS, f"{path.name} imports {name}"


def test_model_update_sets_validates_saves_and_audits_the_change(world):
    agency = world.agencies[3]
    old_name = agency.name
    changed = model_update(instance=agency, fields={"name": "Sở Mới", "leader_title": agency.leader_title}, actor=world.board, action="agency.update")
    assert changed == ["name"]
    agency.refresh_from_db()
    assert agency.name == "Sở Mới"
    assert audit_for(agency).get(action="agency.update").data == {"changed": {"name": [old_name, "Sở Mới"]}}


def test_model_update_with_nothing_changed_writes_nothing(world):
    agency = world.agencies[3]
    assert model_update(instance=agency, fields={"name": agency.name}, actor=world.board, action="agency.update") == []
    assert not audit_for(agency).exists()


def test_model_update_refuses_invalid_values_and_saves_nothing(world):
    agency = world.agencies[3]
    taken = world.agencies[2].name
    with pytest.raises(ValidationError):
        model_update(instance=agency, fields={"name": taken}, actor=world.board, action="agency.update")
    assert Agency.objects.get(pk=agency.pk).name != taken
    assert not audit_for(agency).exists()


def test_model_update_logs_relations_by_id(world):
    agency = world.agencies[3]
    model_update(
        instance=agency, fields={"status": "merged", "status_date": "2024-05-01", "successor": world.agencies[2]},
        actor=world.board, action="agency.update",
    )
    data = audit_for(agency).get().data["changed"]
    assert data["successor"] == [None, world.agencies[2].pk]


def test_notify_once_per_user(world):
    notify(users=[world.leader, world.leader.pk, world.board, None], message="x" * 600, url="/a/")
    rows = Notification.objects.order_by("user_id")
    assert {n.user_id for n in rows} == {world.leader.pk, world.board.pk}
    assert all(len(n.message) == 500 for n in rows)


def test_canonical_hash_ignores_key_order_and_keeps_unicode():
    assert canonical_hash({"a": 1, "b": "Ninh Thuận"}) == canonical_hash({"b": "Ninh Thuận", "a": 1})
    assert canonical_hash({"a": 1}) != canonical_hash({"a": 2})


def test_file_hash_matches_bytes_hash_and_rewinds():
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4 hello")
    assert sha256_of_file(upload) == sha256_of_bytes(b"%PDF-1.4 hello")
    assert upload.read() == b"%PDF-1.4 hello"


def test_subquery_count_counts_per_row(world):
    blocs = Bloc.objects.annotate(members=SubqueryCount(Membership.objects.filter(bloc_year__bloc=OuterRef("pk"))))
    counts = {b.pk: b.members for b in blocs}
    assert counts[world.bloc.pk] == len(world.agencies)
