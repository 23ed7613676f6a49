from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Chấm điểm, bình xét, khen thưởng")

    def ready(self):
        from awards import home, reminders, rules, slots  # noqa: F401  (register the access rules, the home panel, the bloc-year page's line, reminders)

        # Issue 11: page parts of nominations, ballots and the dossier; the vote-count record and cover
        # letter PDF builders; the year-end minutes' ballot results.
        from awards.ballots import documents as ballot_documents  # noqa: F401
        from awards.ballots import minutes as ballot_minutes  # noqa: F401
        from awards.ballots import slots as ballot_slots  # noqa: F401
        from awards.decisions import documents as decision_documents  # noqa: F401
        from awards.decisions import slots as decision_slots  # noqa: F401
        from awards.nominations import slots as nomination_slots  # noqa: F401
        from awards.scoring import documents, minutes  # noqa: F401  (the score-table PDF builder; the year-end minutes' ranking)
