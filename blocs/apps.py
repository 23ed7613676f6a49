from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlocsConfig(AppConfig):
    name = "blocs"
    verbose_name = _("Khối thi đua")

    def ready(self):
        from blocs import access, home, jobs  # noqa: F401  (registers the rules, home panels and job kinds of this app)
        from blocs.reminders import escalation_recipients
        from core.access import set_roles_provider
        from core.reminders import set_escalation_provider

        set_roles_provider(access.roles_of)
        set_escalation_provider(escalation_recipients)
