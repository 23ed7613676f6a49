from django.conf import settings
from django.core.management.base import BaseCommand

from core.audit import audit_anchor_write


class Command(BaseCommand):
    help = "Append the audit chain's newest hash and entry count to AUDIT_ANCHOR_PATH (run it periodically)."

    def handle(self, *args, **options):
        anchor = audit_anchor_write()
        if anchor is None:
            self.stdout.write("The audit log is empty: nothing to anchor.")
            return
        self.stdout.write(f"Anchored {anchor['count']} entries up to #{anchor['last_id']} in {settings.AUDIT_ANCHOR_PATH}.")
