import importlib

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from blocs import demo_data

# Each app with demo data has a ``demo.load()``; they run in this order and are idempotent.
DEMO_APPS = ["blocs", "pledges", "meetings", "awards"]


class Command(BaseCommand):
    help = "Load the demo provinces, blocs, pledges and meetings built from the published reports (idempotent)."

    def handle(self, *args, **options):
        for app in DEMO_APPS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            module.load()
            self.stdout.write(f"demo: {app} loaded")
        self._superuser()
        self.stdout.write(self.style.SUCCESS("Demo logins (password: %s):" % demo_data.DEMO_PASSWORD))
        for username, full_name, title, _agency, role, _scope in demo_data.DEMO_USERS:
            self.stdout.write(f"  {role:<10} {username:<14} {full_name} – {title}")
        self.stdout.write(f"  {'admin':<10} {'admin':<14} Django admin (superuser)")

    def _superuser(self):
        User = get_user_model()
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@thidua.local", demo_data.DEMO_PASSWORD, full_name="Quản trị hệ thống")
