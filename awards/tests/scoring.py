"""Scoring test data built straight on the models (no scoring service), so every part of the
scoring can be tested on its own: a round over the world's signed pledge, sheets with lines,
submitted sheets, checked lines."""

import datetime
from decimal import Decimal

from awards.models import (
    CheckerAssignment,
    CheckMode,
    LineKind,
    LineState,
    RoundState,
    ScoreLine,
    ScoreSheet,
    ScoringRound,
    SheetState,
)
from awards.selectors import rule_set_for
from awards.tests.helpers import ensure_templates
from pledges.tests.helpers import make_signing, sign_all


def signed_pledge(world, **kwargs):
    return sign_all(make_signing(world, **kwargs), world.leaders)


def make_round(world, *, mode=CheckMode.SECRETARY, version=None, pairs=None, panel=None, state=RoundState.OPEN,
               deadline=datetime.date(2022, 11, 30)):
    """A round over the world's signed pledge with one draft sheet (and its criterion lines) per member.

    ``panel``: agencies of the checking panel (panel mode); ``pairs``: ``[(checker, checked), …]`` (pairs mode)."""
    ensure_templates()
    version = version or signed_pledge(world)
    scoring = ScoringRound.objects.create(
        bloc_year=world.bloc_year, pledge_version=version, rule_set=rule_set_for(world.bloc_year),
        self_score_deadline=deadline, check_mode=mode, state=state, opened_by=world.secretary,
    )
    for agency in panel or ():
        CheckerAssignment.objects.create(round=scoring, checker_agency=agency)
    for checker, checked in pairs or ():
        CheckerAssignment.objects.create(round=scoring, checker_agency=checker, checked_agency=checked)
    criteria = list(version.criteria.order_by("position", "pk"))
    for agency in world.agencies:
        sheet = ScoreSheet.objects.create(round=scoring, agency=agency)
        ScoreLine.objects.bulk_create(
            ScoreLine(sheet=sheet, kind=LineKind.CRITERION, criterion=c, position=i) for i, c in enumerate(criteria)
        )
    return scoring


def fill(sheet, *, ratio=Decimal("0.9"), bonus=None, penalty=None):
    """Claim ``ratio`` of each criterion's maximum (rounded down to 0.25), plus optional bonus/penalty lines."""
    for line in sheet.lines.filter(kind=LineKind.CRITERION).select_related("criterion"):
        points = (line.criterion.max_points * ratio * 4).to_integral_value(rounding="ROUND_FLOOR") / 4
        line.claimed_points = points
        line.result_text = "Hoàn thành các chỉ tiêu đề ra."
        line.save(update_fields=["claimed_points", "result_text"])
    for kind, points in ((LineKind.BONUS, bonus), (LineKind.PENALTY, penalty)):
        if points is not None:
            ScoreLine.objects.create(sheet=sheet, kind=kind, claimed_points=Decimal(points), reason=f"Lý do {kind}", position=99)
    return sheet


def submit(sheet, leader=None):
    sheet.state = SheetState.SUBMITTED
    sheet.submitted_by = leader
    sheet.save(update_fields=["state", "submitted_by"])
    return sheet


def accept_all(sheet, checker):
    for line in sheet.lines.all():
        line.check_state = LineState.ACCEPTED
        line.checked_points = line.claimed_points
        line.checked_by = checker
        line.save(update_fields=["check_state", "checked_points", "checked_by"])
    return sheet


def scored_round(world, ratios=None, **kwargs):
    """A round where every sheet is filled (``ratios`` per agency), submitted and accepted."""
    scoring = make_round(world, **kwargs)
    ratios = ratios or [Decimal("0.95") - Decimal("0.05") * i for i in range(len(world.agencies))]
    for sheet, ratio in zip(scoring.sheets.order_by("agency_id"), ratios, strict=False):
        accept_all(submit(fill(sheet, ratio=ratio)), world.secretary)
    return scoring
