"""Reminder rules of the awards app (core.reminders): self-scores due, queried score lines, ballots
open and not voted, dossiers waiting for the board.

The ballot and dossier rules read the models only (their services live in awards.ballots and
awards.decisions): an open online ballot waits for the leaders of each member agency with no voter
row in its current round; a submitted dossier waits for the province's board.
"""

import datetime

from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext_lazy as _

from awards.models import (
    Ballot,
    BallotMode,
    BallotState,
    BallotVoter,
    Dossier,
    DossierState,
    LineState,
    RoundState,
    ScoreLine,
    ScoreSheet,
    SheetState,
)
from blocs.models import Role, RoleAssignment
from blocs.reminders import member_people
from core.reminders import AT_OPENING, BEFORE_DEADLINE, Step, end_of_day, reminder_rule

SELF_SCORE = "awards.self_score"
ANSWER_LINE = "awards.answer_line"
VOTE = "awards.vote"
DOSSIER = "awards.dossier"


def answer_key(line) -> str:
    """The key of "answer the checker's question on this line" (in-app notification and reminder rule)."""
    return f"{ANSWER_LINE}:{line.pk}"


def _bloc_year_label(bloc_year):
    return _("%(bloc)s năm %(year)s") % {"bloc": bloc_year.bloc.name, "year": bloc_year.year}


def _agency_people(roles, objects, path):
    return (
        RoleAssignment.objects.filter(role__in=roles, user__is_active=True)
        .annotate(object_id=F(path))
        .filter(object_id__in=objects.values("pk"))
    )


@reminder_rule(
    SELF_SCORE, model="awards.ScoreSheet", title=_("Tự chấm điểm thi đua"),
    due=lambda now: ScoreSheet.objects.filter(
        round__state=RoundState.OPEN, state__in=[SheetState.DRAFT, SheetState.AWAITING_LEADER]
    ).select_related("agency", "round__bloc_year__bloc"),
    label=lambda sheet: _("%(agency)s – %(bloc_year)s") % {"agency": sheet.agency.name, "bloc_year": _bloc_year_label(sheet.round.bloc_year)},
    url=lambda sheet: sheet.get_absolute_url(), deadline=lambda sheet: end_of_day(sheet.round.self_score_deadline),
    steps=BEFORE_DEADLINE[1:], escalate=True, bloc_year_id=lambda sheet: sheet.round.bloc_year_id,
    reason=lambda sheet: sheet.return_reason if sheet.state == SheetState.DRAFT else "",
    view="awards.view_sheet", sweep_related=("round",),
)
def sheet_writers(sheets):
    """A draft: the agency's officers and leaders; a sheet sent to the leader: its leaders."""
    return [
        _agency_people([Role.OFFICER, Role.LEADER], sheets.filter(state=SheetState.DRAFT), "agency__score_sheets"),
        _agency_people([Role.LEADER], sheets.filter(state=SheetState.AWAITING_LEADER), "agency__score_sheets"),
    ]


@reminder_rule(
    ANSWER_LINE, model="awards.ScoreLine", title=_("Bổ sung minh chứng dòng chấm điểm bị hỏi lại"),
    due=lambda now: ScoreLine.objects.filter(check_state=LineState.QUERIED, sheet__round__state=RoundState.OPEN)
    .select_related("sheet__agency", "sheet__round__bloc_year__bloc", "criterion"),
    label=lambda line: _("“%(line)s” – %(agency)s, %(bloc_year)s") % {
        "line": str(line)[:80], "agency": line.sheet.agency.name, "bloc_year": _bloc_year_label(line.sheet.round.bloc_year)},
    url=lambda line: line.sheet.get_absolute_url() + f"#line-{line.pk}", steps=(AT_OPENING,),
    reason=lambda line: line.check_note, view="awards.view_line", cycle=lambda line: line.checked_at,
)
def line_writers(lines):
    return [_agency_people([Role.OFFICER, Role.LEADER], lines, "agency__score_sheets__lines")]


def _ballot_deadline(ballot):
    return ballot.closes_at


@reminder_rule(
    VOTE, model="awards.Ballot", title=_("Bỏ phiếu bình xét"),
    due=lambda now: Ballot.objects.filter(state=BallotState.OPEN, mode=BallotMode.ONLINE).select_related("bloc_year__bloc"),
    label=lambda ballot: _("%(title)s – %(bloc_year)s") % {"title": ballot.title, "bloc_year": _bloc_year_label(ballot.bloc_year)},
    url=lambda ballot: ballot.get_absolute_url(),
    deadline=_ballot_deadline,
    steps=(AT_OPENING, Step("T-1", -datetime.timedelta(days=1)), Step("T-3h", -datetime.timedelta(hours=3))),
    essential=True, escalate=True, bloc_year_id=lambda ballot: ballot.bloc_year_id,
    manage="awards.run_ballot", view="awards.view_ballot", cycle=lambda ballot: ballot.round,
)
def leaders_not_voted(ballots):
    voted = BallotVoter.objects.filter(ballot_id=OuterRef("object_id"), agency_id=OuterRef("agency_id"), round=F("ballot__round"))
    return [member_people([Role.LEADER], bloc_year_path="ballots", objects=ballots).exclude(Exists(voted))]


@reminder_rule(
    DOSSIER, model="awards.Dossier", title=_("Tiếp nhận hồ sơ đề nghị khen thưởng"),
    due=lambda now: Dossier.objects.filter(state=DossierState.SUBMITTED).select_related("bloc_year__bloc"),
    label=lambda dossier: _bloc_year_label(dossier.bloc_year),
    url=lambda dossier: dossier.get_absolute_url(),
    steps=(AT_OPENING,), essential=True, view="awards.view_dossier",
)
def board_of_province(dossiers):
    return [_agency_people([Role.BOARD], dossiers, "province__blocs__years__dossier")]
