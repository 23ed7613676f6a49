"""The shared year-end factories build what the tests of nominations, ballots and decisions need."""

from awards.models import AwardCondition, BallotCandidate, RankingEntry, RoundState
from awards.tests.yearend import frozen_round, make_ballot, make_decision, make_dossier, make_nomination, make_record


def test_frozen_round_ranks_head_first(world, ninh_thuan_rules):
    scoring = frozen_round(world)
    assert scoring.state == RoundState.FROZEN
    assert RankingEntry.objects.get(round=scoring, rank=1).agency == world.agencies[0]


def test_ballot_over_nominations_and_elections(world, ninh_thuan_rules):
    nominations = [make_nomination(world, world.agencies[0]), make_nomination(world, world.agencies[1], "bang-khen-chu-tich-tinh")]
    ballot = make_ballot(world, nominations)
    assert [q.kind for q in ballot.questions.all()] == ["award", "award", "head", "deputy"]
    assert BallotCandidate.objects.filter(question__ballot=ballot).count() == 2 + 2 * len(world.agencies)
    assert ballot.rules["values"]["ballot_quorum"] == "2/3" and ballot.rules["sources"]["ballot_quorum"]
    assert make_dossier(world).deadline.month == 12
    decision = make_decision(world)
    assert "125/QĐ-UBND" in str(decision) and make_record(world.agencies[0], 2020).decision_text


def test_seeded_conditions_follow_the_copied_rule_set(world, ninh_thuan_rules):
    assert AwardCondition.objects.filter(award_type__rule_set=ninh_thuan_rules, award_type__code="co-ubnd-tinh", kind="leads_bloc").exists()
