#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump, custom format) and MEDIA_ROOT (issued
# PDFs, attachments, photos) into one folder.
#   DATABASE_URL=postgres://… MEDIA_ROOT=/srv/portal/media scripts/backup.sh /backups/2026-12-02
# Keep the audit anchor file (AUDIT_ANCHOR_PATH) and AUDIT_KEY elsewhere: they prove the chain.
set -euo pipefail
target="${1:?usage: scripts/backup.sh TARGET_DIR}"
: "${DATABASE_URL:?set DATABASE_URL to the portal database}"
: "${MEDIA_ROOT:?set MEDIA_ROOT to the portal media folder}"
mkdir -p "$target"
pg_dump --format=custom --no-owner --file="$target/database.dump" "$DATABASE_URL"
tar -C "$MEDIA_ROOT" -czf "$target/media.tar.gz" .
echo "backup written to $target"
