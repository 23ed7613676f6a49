"""Year-end test data (nominations, ballots, dossier, decisions) built straight on the models, so
each part can be tested on its own. Shared by the tests of nominations, ballots and decisions."""

import datetime

from awards.ballots.counting import rules_snapshot
from awards.models import (
    AwardRecord,
    AwardType,
    Ballot,
    BallotCandidate,
    BallotMode,
    BallotQuestion,
    BallotState,
    Decision,
    Dossier,
    DossierState,
    Nomination,
    NominationState,
    QuestionKind,
)
from awards.scoring import ranking
from awards.selectors import rule_set_for
from awards.tests.helpers import ensure_templates
from awards.tests.scoring import scored_round


def frozen_round(world, ratios=None, **kwargs):
    """A round scored, published and frozen through the ranking services: members ranked by
    ``ratios`` (default: the head agency first, then the others in order)."""
    scoring = scored_round(world, ratios=ratios, **kwargs)
    ranking.ranking_publish(actor=world.secretary, scoring=scoring)
    scoring.refresh_from_db()
    return ranking.ranking_freeze(actor=world.secretary, scoring=scoring)


def award_type(world, code="co-ubnd-tinh", bloc_year=None):
    ensure_templates()
    return AwardType.objects.get(rule_set=rule_set_for(bloc_year or world.bloc_year), code=code)


def make_nomination(world, agency=None, code="co-ubnd-tinh", *, state=NominationState.PROPOSED, bloc_year=None, **fields):
    bloc_year = bloc_year or world.bloc_year
    fields.setdefault("reason", "Dẫn đầu khối, hoàn thành xuất sắc các chỉ tiêu giao ước.")
    return Nomination.objects.create(
        bloc_year=bloc_year, award_type=award_type(world, code, bloc_year), agency=agency or world.agencies[0],
        state=state, created_by=world.secretary, **fields,
    )


def make_ballot(world, nominations=(), *, mode=BallotMode.ONLINE, state=BallotState.OPEN, elect=True, meeting=None,
                closes_at=None):
    """A ballot with one agree/disagree question per award type of ``nominations`` and, with
    ``elect``, the head and deputy questions over every member."""
    members = list(world.agencies)
    ballot = Ballot.objects.create(
        bloc_year=world.bloc_year, meeting=meeting, title=f"Bình xét, suy tôn năm {world.bloc_year.year}", mode=mode, state=state,
        members_count=len(members), rules=rules_snapshot(world.bloc_year), created_by=world.secretary, closes_at=closes_at,
        opened_at=None if state == BallotState.DRAFT else datetime.datetime(2022, 12, 20, 8, tzinfo=datetime.UTC),
    )
    by_type = {}
    for nomination in nominations:
        by_type.setdefault(nomination.award_type, []).append(nomination)
    position = 0
    for award, listed in by_type.items():
        question = BallotQuestion.objects.create(ballot=ballot, kind=QuestionKind.AWARD, award_type=award, title=award.name,
                                                 position=position)
        position += 1
        for i, nomination in enumerate(listed):
            BallotCandidate.objects.create(question=question, agency=nomination.agency, nomination=nomination, position=i)
    if elect:
        for kind, title in ((QuestionKind.HEAD, "Trưởng khối năm sau"), (QuestionKind.DEPUTY, "Phó khối năm sau")):
            question = BallotQuestion.objects.create(ballot=ballot, kind=kind, title=title, max_choices=1, position=position)
            position += 1
            for i, agency in enumerate(members):
                BallotCandidate.objects.create(question=question, agency=agency, position=i)
    return ballot


def make_dossier(world, *, state=DossierState.DRAFT, **fields):
    return Dossier.objects.create(bloc_year=world.bloc_year, state=state, deadline=datetime.date(world.bloc_year.year, 12, 10), **fields)


def make_decision(world, number="125/QĐ-UBND", date=datetime.date(2023, 1, 20), level="province", **fields):
    fields.setdefault("signer_title", "Chủ tịch UBND tỉnh")
    return Decision.objects.create(province=world.province, number=number, date=date, level=level, recorded_by=world.board, **fields)


def make_record(agency, year, code="co-ubnd-tinh", name="Cờ thi đua của UBND tỉnh", *, decision=None, level="province", **fields):
    if decision is None:
        fields.setdefault("decision_text", f"Quyết định số 1/QĐ-UBND ngày 15/01/{year + 1} của Chủ tịch UBND tỉnh")
    return AwardRecord.objects.create(agency=agency, year=year, award_code=code, award_name=name, level=level, decision=decision, **fields)
