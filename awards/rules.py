"""Access rules of the awards app (see ``core.access``).

- ``awards.view_ruleset``: the board reads its province's rule sets and the national templates;
  central readers (and superusers) read all.
- ``awards.change_ruleset``: the board edits its province's rule sets (templates: administrators).
- ``awards.manage`` (over ``Province``): the board copies a rule set into its province.
- ``awards.view_applied`` / ``awards.choose`` (over ``BlocYear``): whoever sees the bloc-year
  reads the rule set it uses ("Quy chế áp dụng"); the province's board chooses it.
"""

from django.db.models import Q

from blocs.access import bloc_years_where
from core.access import EVERYTHING, NOTHING, rule


def _reads_rule_sets(roles):
    return roles.is_board or roles.reads_everything


@rule("awards.view_ruleset", model="awards.RuleSet", anywhere=_reads_rule_sets)
def _view(roles) -> Q:
    if roles.reads_everything:
        return EVERYTHING
    if not roles.board_province_ids:
        return NOTHING
    return Q(province_id__in=sorted(roles.board_province_ids)) | Q(province__isnull=True)


@rule("awards.change_ruleset", model="awards.RuleSet")
def _change(roles) -> Q:
    if roles.is_superuser:
        return EVERYTHING
    return Q(province_id__in=sorted(roles.board_province_ids)) if roles.board_province_ids else NOTHING


@rule("awards.manage", model="blocs.Province", anywhere=lambda roles: roles.is_board)
def _manage(roles) -> Q:
    if roles.is_superuser:
        return EVERYTHING
    return Q(pk__in=sorted(roles.board_province_ids)) if roles.board_province_ids else NOTHING


@rule("awards.view_applied", model="blocs.BlocYear")
def _view_applied(roles) -> Q:
    return bloc_years_where(roles, "view", at="pk")


@rule("awards.choose", model="blocs.BlocYear")
def _choose(roles) -> Q:
    return bloc_years_where(roles, "change", at="pk")
