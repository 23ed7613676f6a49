from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.reminders import reminders_sweep


class Command(BaseCommand):
    help = "Create and send the reminders that have come due (what Celery beat runs every few minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the reminders that would be sent; send nothing.")

    def handle(self, *args, dry_run=False, **options):
        report = reminders_sweep(dry_run=dry_run)
        if dry_run:
            for rule, object_id, user_id, step in report.rows:
                self.stdout.write(f"{rule} #{object_id} → user {user_id} ({step})")
            self.stdout.write(_("%(n)s nhắc việc sẽ được gửi (chạy thử, chưa gửi gì).") % {"n": len(report.rows)})
            return
        self.stdout.write(
            _("Đã tạo %(n)s nhắc việc; gửi lại %(r)s thư còn chờ; %(f)s thư bị gián đoạn được đánh dấu lỗi.")
            % {"n": report.created, "r": report.requeued, "f": report.failed_stale}
        )
