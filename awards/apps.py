from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Chấm điểm, bình xét, khen thưởng")

    def ready(self):
        from awards import home, rules, slots  # noqa: F401  (register the access rules, the home panel and the bloc-year page's line)
        from awards.scoring import documents, minutes  # noqa: F401  (the score-table PDF builder; the year-end minutes' ranking)
