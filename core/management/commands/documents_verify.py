from django.core.management.base import BaseCommand, CommandError

from core.hashing import sha256_of_file
from core.models import IssuedDocument, JobStatus


class Command(BaseCommand):
    help = (
        "Check every issued PDF against the SHA-256 recorded when it was made (after a restore, a "
        "disk move). Exits 0 when all match; otherwise lists the missing or changed files and exits 1."
    )

    def handle(self, *args, **options):
        bad = []
        done = IssuedDocument.objects.filter(status=JobStatus.DONE).order_by("pk")
        count = 0
        for document in done.iterator():
            count += 1
            try:
                with document.file.open("rb") as stored:
                    digest = sha256_of_file(stored)
            except (FileNotFoundError, ValueError, OSError):
                bad.append(f"{document.code}: file missing ({document.file.name or '-'})")
                continue
            if digest != document.sha256:
                bad.append(f"{document.code}: file changed (sha256 {digest} != recorded {document.sha256})")
        for line in bad:
            self.stderr.write(line)
        if bad:
            raise CommandError(f"{len(bad)} of {count} issued documents do not verify.")
        self.stdout.write(f"All {count} issued documents verify.")
