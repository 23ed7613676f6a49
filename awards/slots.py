"""What the awards app adds to other apps' pages (``core.slots``)."""

from awards import selectors
from core.access import can
from core.slots import slot


@slot("blocyear_detail", order=10)
def _rules_line(request, bloc_year):
    """ "Quy chế áp dụng: …" on the bloc-year page, and the board's "Đổi" form."""
    choice = selectors.chosen_rule_set(bloc_year)
    part = {"template": "awards/_blocyear_rules_line.html", "applied_choice": choice, "applied_missing": ""}
    if choice is not None:
        part["applied_rule_set"] = choice.rule_set
    else:
        part["applied_rule_set"] = selectors.rule_set_in_force(bloc_year.bloc.province_id, selectors.reference_date(bloc_year))
        if part["applied_rule_set"] is None:
            part["applied_missing"] = True
    if can(request.user, "awards.choose", bloc_year):
        part["rule_set_choices"] = list(selectors.choosable_rule_sets(bloc_year))
    return part


@slot("blocyear_detail", order=20)
def _scoring_link(request, bloc_year):
    """ "Chấm điểm" (the round) or the secretaries' "Mở chấm điểm" on the bloc-year page."""
    from awards.models import ScoringRound

    scoring = ScoringRound.objects.filter(bloc_year=bloc_year).only("pk", "state", "bloc_year_id").first()
    if scoring is not None:
        return {"template": "awards/scoring/round_slot.html", "scoring": scoring} if can(request.user, "awards.view_round", scoring) else None
    if can(request.user, "awards.open_scoring", bloc_year):
        return {"template": "awards/scoring/round_slot.html", "scoring": None}
    return None
