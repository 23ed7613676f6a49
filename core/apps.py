from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared base: access rules, workflows, audit log, notifications, issued documents, reminders.

    It imports no other app of the project; the apps import it.
    """

    name = "core"
    verbose_name = _("Nền tảng chung")

    def ready(self):
        from core import todo  # noqa: F401  (the home page's "Việc cần làm")
