from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Chấm điểm, bình xét, khen thưởng")

    def ready(self):
        from awards import rules, slots  # noqa: F401  (register the access rules and the bloc-year page's line)
