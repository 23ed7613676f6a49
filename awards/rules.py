"""Access rules of the awards app (see ``core.access``).

- ``awards.view_ruleset``: the board reads its province's rule sets and the national templates;
  central readers (and superusers) read all.
- ``awards.change_ruleset``: the board edits its province's rule sets (templates: administrators).
- ``awards.manage`` (over ``Province``): the board copies a rule set into its province.
- ``awards.view_applied`` / ``awards.choose`` (over ``BlocYear``): whoever sees the bloc-year
  reads the rule set it uses ("Quy chế áp dụng"); the province's board chooses it.
"""

from django.db.models import Exists, F, OuterRef, Q

from blocs.access import bloc_years_where, member_bloc_years_where
from core.access import EVERYTHING, NOTHING, any_of, rule


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


# --- Year-end scoring -------------------------------------------------------------------------
#
# - ``awards.open_scoring`` (BlocYear): the secretaries and the board open a bloc-year's scoring.
# - ``awards.view_round`` / ``awards.run_round`` (ScoringRound): whoever sees the bloc-year sees its
#   round; its secretaries and the board run it (checkers, publish, freeze, reopen, answer objections).
# - ``awards.view_sheet`` (ScoreSheet): the agency's own people; the secretaries and the board;
#   central readers; the sheet's checkers; every member of the bloc once the draft is published.
# - ``awards.write_sheet`` / ``awards.approve_sheet`` (ScoreSheet): the agency's officers and
#   leaders write it; its leaders approve it or send it back.
# - ``awards.check_sheet`` (ScoreSheet): the named checkers: the secretaries (and the board) in
#   "secretary" mode (and the deputy agency for the head agency's sheet, since the secretaries
#   usually work in the head agency), the panel's agencies in "panel" mode, the paired agency in
#   "pairs" mode. Nobody checks their own agency.
# - ``awards.check_line`` / ``awards.answer_line`` (ScoreLine): the same, reached through the sheet.
# - ``awards.object`` (ScoringRound): people of a member agency comment on the published draft.


def _checked_by_my_agency(roles, at=""):
    """Sheets the user's agency checks as a panel member, the paired agency or, in secretary mode, the
    deputy agency checking the head agency (never its own)."""
    from awards.models import CheckerAssignment, CheckMode

    panel = CheckerAssignment.objects.filter(
        round_id=OuterRef(f"{at}round_id"), checker_agency_id=roles.agency_id, checked_agency__isnull=True
    )
    pair = CheckerAssignment.objects.filter(
        round_id=OuterRef(f"{at}round_id"), checker_agency_id=roles.agency_id, checked_agency_id=OuterRef(f"{at}agency_id")
    )
    # In secretary mode the secretaries usually work in the head agency, which nobody checks
    # for itself: the deputy agency (Phó khối) checks the head agency's sheet.
    head_by_deputy = Q(**{
        f"{at}round__check_mode": CheckMode.SECRETARY,
        f"{at}agency_id": F(f"{at}round__bloc_year__head_id"),
        f"{at}round__bloc_year__deputy_id": roles.agency_id,
    })
    return (
        (Q(**{f"{at}round__check_mode": CheckMode.PANEL}) & Q(Exists(panel)))
        | (Q(**{f"{at}round__check_mode": CheckMode.PAIRS}) & Q(Exists(pair)))
        | head_by_deputy
    ) & ~Q(**{f"{at}agency_id": roles.agency_id})


def _sheet_viewers(roles, at=""):
    """``Q`` over sheets; ``at`` is the path from the filtered model to the sheet (e.g. "sheet__")."""
    from awards.models import RoundState

    if roles.reads_everything:
        return EVERYTHING
    terms = [bloc_years_where(roles, "run", at=f"{at}round__bloc_year")]
    if roles.agency_id is not None:
        published = Q(**{f"{at}round__state__in": [RoundState.PUBLISHED, RoundState.FROZEN]})
        terms += [
            Q(**{f"{at}agency_id": roles.agency_id}),
            published & member_bloc_years_where({roles.agency_id}, at=f"{at}round__bloc_year"),
            _checked_by_my_agency(roles, at),
        ]
    return any_of(*terms)


def _sheet_checkers(roles, at=""):
    from awards.models import CheckMode

    if roles.is_superuser:
        return EVERYTHING
    run = bloc_years_where(roles, "run", at=f"{at}round__bloc_year")
    secretaries = None if run == NOTHING else Q(**{f"{at}round__check_mode": CheckMode.SECRETARY}) & run
    if roles.agency_id is None:
        return any_of(secretaries)
    own = ~Q(**{f"{at}agency_id": roles.agency_id})
    return any_of(secretaries & own if secretaries is not None else None, _checked_by_my_agency(roles, at))


def _sheet_writers(roles, at=""):
    agencies = sorted(roles.officer_agency_ids | roles.leader_agency_ids)
    return Q(**{f"{at}agency_id__in": agencies}) if agencies else NOTHING


def _sheet_approvers(roles, at=""):
    return Q(**{f"{at}agency_id__in": sorted(roles.leader_agency_ids)}) if roles.leader_agency_ids else NOTHING


@rule("awards.open_scoring", model="blocs.BlocYear")
def _open_scoring(roles) -> Q:
    return bloc_years_where(roles, "run", at="pk")


@rule("awards.view_round", model="awards.ScoringRound")
def _view_round(roles) -> Q:
    return bloc_years_where(roles, "view")


@rule("awards.run_round", model="awards.ScoringRound")
def _run_round(roles) -> Q:
    return bloc_years_where(roles, "run")


@rule("awards.object", model="awards.ScoringRound")
def _object(roles) -> Q:
    if roles.agency_id is None:
        return NOTHING
    return member_bloc_years_where({roles.agency_id})


@rule("awards.view_sheet", model="awards.ScoreSheet")
def _view_sheet(roles) -> Q:
    return _sheet_viewers(roles)


@rule("awards.write_sheet", model="awards.ScoreSheet")
def _write_sheet(roles) -> Q:
    return _sheet_writers(roles)


@rule("awards.approve_sheet", model="awards.ScoreSheet")
def _approve_sheet(roles) -> Q:
    return _sheet_approvers(roles)


@rule("awards.check_sheet", model="awards.ScoreSheet")
def _check_sheet(roles) -> Q:
    return _sheet_checkers(roles)


@rule("awards.check_line", model="awards.ScoreLine")
def _check_line(roles) -> Q:
    return _sheet_checkers(roles, at="sheet__")


@rule("awards.answer_line", model="awards.ScoreLine")
def _answer_line(roles) -> Q:
    return _sheet_writers(roles, at="sheet__")


@rule("awards.view_line", model="awards.ScoreLine")
def _view_line(roles) -> Q:
    return _sheet_viewers(roles, at="sheet__")


# --- Nominations, ballots, dossier, decisions, award history (issue 11) ------------------------
#
# - ``awards.view_nominations`` / ``awards.propose`` (BlocYear): whoever sees the bloc-year reads
#   its nominations; its secretaries and the board propose.
# - ``awards.view_nomination`` / ``awards.edit_nomination`` (Nomination): the same, per row.
# - ``awards.decide`` (Nomination): the province's board approves, returns, rejects, forwards,
#   records the decision and corrects it.
# - ``awards.view_ballot`` / ``awards.run_ballot`` (Ballot): the bloc-year's viewers / runners.
# - ``awards.vote`` (Ballot): the leaders of a member agency (the leader, or a deputy leader the
#   leader authorised: both hold the agency's "leader" role); the agency votes once.
# - ``awards.count_paper`` (Ballot): who may enter or confirm a paper ballot's counts: the
#   secretaries, the board and the head agency's leaders (the service wants two different people).
# - ``awards.view_dossier`` (Dossier): the bloc-year's viewers; ``awards.submit_dossier``: its
#   secretaries; ``awards.review_dossier``: the province's board.
# - ``awards.record_decision`` / ``awards.manage_cases`` (Province / Agency): the board.
# - ``awards.view_award_history`` (Agency): whoever sees the agency, and the members of a bloc it
#   took part in.


@rule("awards.view_nominations", model="blocs.BlocYear")
def _view_nominations(roles) -> Q:
    return bloc_years_where(roles, "view", at="pk")


@rule("awards.propose", model="blocs.BlocYear")
def _propose(roles) -> Q:
    return bloc_years_where(roles, "run", at="pk")


@rule("awards.view_nomination", model="awards.Nomination")
def _view_nomination(roles) -> Q:
    return bloc_years_where(roles, "view")


@rule("awards.edit_nomination", model="awards.Nomination")
def _edit_nomination(roles) -> Q:
    return bloc_years_where(roles, "run")


@rule("awards.decide", model="awards.Nomination")
def _decide(roles) -> Q:
    return bloc_years_where(roles, "change")


@rule("awards.view_ballot", model="awards.Ballot")
def _view_ballot(roles) -> Q:
    return bloc_years_where(roles, "view")


@rule("awards.run_ballot", model="awards.Ballot")
def _run_ballot(roles) -> Q:
    return bloc_years_where(roles, "run")


@rule("awards.vote", model="awards.Ballot")
def _vote(roles) -> Q:
    return member_bloc_years_where(roles.leader_agency_ids)


@rule("awards.count_paper", model="awards.Ballot")
def _count_paper(roles) -> Q:
    head_leaders = Q(bloc_year__head_id__in=sorted(roles.leader_agency_ids)) if roles.leader_agency_ids else None
    return any_of(bloc_years_where(roles, "run"), head_leaders)


@rule("awards.view_dossier", model="awards.Dossier")
def _view_dossier(roles) -> Q:
    return bloc_years_where(roles, "view")


@rule("awards.submit_dossier", model="awards.Dossier")
def _submit_dossier(roles) -> Q:
    if roles.is_superuser:
        return EVERYTHING
    return Q(bloc_year_id__in=sorted(roles.secretary_bloc_year_ids)) if roles.secretary_bloc_year_ids else NOTHING


@rule("awards.review_dossier", model="awards.Dossier")
def _review_dossier(roles) -> Q:
    return bloc_years_where(roles, "change")


@rule("awards.record_decision", model="blocs.Province", anywhere=lambda roles: roles.is_board)
def _record_decision(roles) -> Q:
    if roles.is_superuser:
        return EVERYTHING
    return Q(pk__in=sorted(roles.board_province_ids)) if roles.board_province_ids else NOTHING


@rule("awards.manage_cases", model="blocs.Agency")
def _manage_cases(roles) -> Q:
    if roles.is_superuser:
        return EVERYTHING
    return Q(province_id__in=sorted(roles.board_province_ids)) if roles.board_province_ids else NOTHING


@rule("awards.view_award_history", model="blocs.Agency")
def _view_award_history(roles) -> Q:
    from blocs.access import taking_part_where
    from blocs.models import BlocYear, Membership

    if roles.reads_everything:
        return EVERYTHING
    taking_part = taking_part_where(roles)
    fellow_members = (
        None if taking_part == NOTHING
        else Q(pk__in=Membership.objects.filter(bloc_year__in=BlocYear.objects.filter(taking_part).values("pk")).values("agency_id"))
    )
    return any_of(
        Q(province_id__in=sorted(roles.board_province_ids)) if roles.board_province_ids else None,
        Q(pk=roles.agency_id) if roles.agency_id is not None else None,
        fellow_members,
    )
