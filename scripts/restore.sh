#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and media folder, then check
# it: the audit chain (same AUDIT_KEY as the backed-up portal) and every issued PDF's SHA-256.
#   DATABASE_URL=postgres://…/new_db MEDIA_ROOT=/srv/portal/media-new scripts/restore.sh /backups/2026-12-02
set -euo pipefail
source_dir="${1:?usage: scripts/restore.sh BACKUP_DIR}"
: "${DATABASE_URL:?set DATABASE_URL to the (empty) target database}"
: "${MEDIA_ROOT:?set MEDIA_ROOT to the (empty) target media folder}"
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
pg_restore --no-owner --exit-on-error --dbname="$DATABASE_URL" "$source_dir/database.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$source_dir/media.tar.gz"
"$PY" manage.py audit_verify
"$PY" manage.py documents_verify
echo "restored from $source_dir and verified"
