from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = _("Giao ước thi đua")

    def ready(self):
        from pledges import documents, home, reminders, rules, workflow  # noqa: F401  (register rules, the workflow, the PDF builder, the home panel, reminders)
