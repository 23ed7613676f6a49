from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.audit import audit_check, audit_rekey_legacy, audit_verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit chain (keyed hashes, links, the newest anchor written by audit_anchor). "
        "Exits 0 when it holds; otherwise reports the first bad entry and exits 1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rekey-legacy",
            action="store_true",
            help="Once, after upgrading: re-hash a chain written in the old unkeyed format with AUDIT_KEY "
            "(refused unless the whole chain verifies in the old format).",
        )

    def handle(self, *args, **options):
        if options["rekey_legacy"]:
            self._rekey()
        problem, count, anchor = audit_check()
        if problem is not None:
            entry = problem.entry
            if entry is not None:
                when = timezone.localtime(entry.created_at).isoformat()
                self.stderr.write(f"Audit chain broken at entry #{entry.pk} ({when}, {entry.action}, {entry.object_repr}): {problem.message}")
            else:
                self.stderr.write(f"Audit chain broken: {problem.message}")
            raise CommandError("audit chain verification failed", returncode=1)
        anchored = f"; matches the anchor of {anchor['anchored_at']} ({anchor['count']} entries)" if anchor else "; no anchor yet"
        self.stdout.write(self.style.SUCCESS(f"Audit chain holds: {count} entries{anchored}."))

    def _rekey(self):
        if audit_verify_chain() is None:
            self.stdout.write("The chain is already keyed: nothing to re-hash.")
            return
        try:
            done = audit_rekey_legacy()
        except ValueError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(f"Re-hashed {done} entries with the audit key.")
