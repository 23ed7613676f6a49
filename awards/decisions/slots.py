"""What the decisions part adds to other pages (``core.slots``), registered at start-up by
``AwardsConfig.ready``: the "Hồ sơ đề nghị" line of the bloc-year page and, on a nomination's
page, its achievement report and the board's and the secretary's actions."""

from awards.models import AchievementReport, Dossier
from awards.workflow import NOMINATION_FLOW
from core.access import can
from core.slots import slot


@slot("blocyear_detail", order=50)
def _dossier_line(request, bloc_year):
    """ "Hồ sơ đề nghị: …" with its state, or the secretaries' "Lập hồ sơ đề nghị"."""
    dossier = Dossier.objects.filter(bloc_year=bloc_year).only("pk", "state", "deadline", "bloc_year_id").first()
    if dossier is not None:
        return (
            {"template": "awards/decisions/blocyear_slot.html", "dossier": dossier}
            if can(request.user, "awards.view_dossier", dossier)
            else None
        )
    if can(request.user, "awards.propose", bloc_year):
        return {"template": "awards/decisions/blocyear_slot.html", "dossier": None}
    return None


@slot("nomination_detail", order=50)
def _board_part(request, nomination):
    if not can(request.user, "awards.view_nomination", nomination):
        return None
    from awards.decisions.dossier import bloc_secretary, report_may_change

    dossier = Dossier.objects.filter(bloc_year_id=nomination.bloc_year_id).only("pk", "state", "bloc_year_id").first()
    actions = NOMINATION_FLOW.actions(nomination, request.user)
    part = {
        "template": "awards/decisions/nomination_slot.html",
        "dossier": dossier,
        "actions": actions,
        "report": AchievementReport.objects.filter(nomination_id=nomination.pk).first(),
        "bloc_secretary": bloc_secretary(request.user, nomination.bloc_year_id),
        "report_may_change": bloc_secretary(request.user, nomination.bloc_year_id)
        and can(request.user, "awards.edit_nomination", nomination)
        and report_may_change(nomination, dossier.state if dossier else None),
        "blocking_resubmit": [],
    }
    if not part["bloc_secretary"]:
        actions.allowed["resubmit"] = False  # the bloc sends a returned nomination back, not the board
    if actions.resubmit:
        from awards.nominations.eligibility import checks_for, problems

        checks = checks_for(nomination.bloc_year, nominations=[nomination]).get(nomination.pk, [])
        part["blocking_resubmit"] = list(problems(nomination, checks)) + ([] if part["report"] else [_missing_report()])
    return part


def _missing_report():
    from django.utils.translation import gettext as _

    return _("Thiếu báo cáo thành tích.")
