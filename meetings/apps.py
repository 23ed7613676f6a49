from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Hội nghị")

    def ready(self):
        from meetings import documents, home, reminders, rules  # noqa: F401  (register rules, the minutes document, the home panel, reminders)
