"""Backup and restore as the README says: scripts/backup.sh, then scripts/restore.sh into a new
database and media folder; the same rows, every issued PDF verifies, the audit chain holds."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from blocs.models import Agency, BlocYear, Membership
from core.models import AuditEntry, IssuedDocument, JobStatus
from emulation_portal.testing import build_world
from pledges.models import Signature
from pledges.tests.helpers import make_signing, sign_all

ROOT = Path(settings.BASE_DIR)
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
COUNTED = [Agency, BlocYear, Membership, Signature, IssuedDocument, AuditEntry]


@pytest.fixture(autouse=True)
def _postgres_with_tools():
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore back up PostgreSQL")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql")):
        pytest.skip("postgresql-client is not installed")


def _url(name):
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


def _run(command, env, expect_ok=True):
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    if expect_ok:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_backup_then_restore_into_a_new_database(tmp_path, settings):
    world = build_world(members=3)
    version = sign_all(make_signing(world), world.leaders)
    document = IssuedDocument.objects.get(source_id=version.pk, kind="pledge")
    assert document.status == JobStatus.DONE
    before = {model.__name__: model.objects.count() for model in COUNTED}

    restored = f"{connection.settings_dict['NAME']}_restored"
    base_env = {
        **os.environ,
        "SECRET_KEY": settings.SECRET_KEY,
        "AUDIT_KEY": settings.AUDIT_KEY,
        "AUDIT_ANCHOR_PATH": str(tmp_path / "no-anchor.jsonl"),
        "PYTHON": sys.executable,
        "CELERY_BROKER_URL": "",
    }
    backup = tmp_path / "backup"
    _run(["bash", "scripts/backup.sh", str(backup)], {**base_env, "DATABASE_URL": _url(connection.settings_dict["NAME"]), "MEDIA_ROOT": str(settings.MEDIA_ROOT)})
    assert (backup / "database.dump").stat().st_size > 0 and (backup / "media.tar.gz").exists()

    admin_env = {**base_env, "DATABASE_URL": _url("postgres")}
    _run(["psql", _url("postgres"), "-c", f'DROP DATABASE IF EXISTS "{restored}"'], admin_env)
    _run(["psql", _url("postgres"), "-c", f'CREATE DATABASE "{restored}"'], admin_env)
    try:
        media = tmp_path / "media-restored"
        env = {**base_env, "DATABASE_URL": _url(restored), "MEDIA_ROOT": str(media)}
        result = _run(["bash", "scripts/restore.sh", str(backup)], env)
        assert "All 1 issued documents verify." in result.stdout
        assert "restored from" in result.stdout

        counts = _run(
            [sys.executable, "manage.py", "shell", "-c",
             "from blocs.models import Agency, BlocYear, Membership; from pledges.models import Signature; "
             "from core.models import IssuedDocument, AuditEntry; "
             "print({m.__name__: m.objects.count() for m in [Agency, BlocYear, Membership, Signature, IssuedDocument, AuditEntry]})"],
            env,
        )
        assert counts.stdout.strip().splitlines()[-1] == str(before)

        # A changed PDF in the restored media is caught, and the command says which.
        pdf = next(media.rglob("*.pdf"))
        pdf.write_bytes(pdf.read_bytes() + b"%tampered")
        refused = _run([sys.executable, "manage.py", "documents_verify"], env, expect_ok=False)
        assert refused.returncode != 0 and document.code in refused.stderr
    finally:
        _run(["psql", _url("postgres"), "-c", f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)'], admin_env)
