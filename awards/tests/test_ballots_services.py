"""Ballot services: create, open, cast (change of mind refused), close, quorum, threshold, the next
round, the elected head and deputy filling next year's bloc-year."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from awards.ballots import services
from awards.models import (
    Ballot,
    BallotCandidate,
    BallotMode,
    BallotQuestion,
    BallotState,
    BallotVoter,
    NominationState,
    QuestionKind,
    RuleValue,
)
from awards.tests.test_ballots_helpers import answers_for, create, nominate, opened, questions, vote
from awards.tests.yearend import make_nomination
from blocs.models import BlocYear, Membership
from core.models import AuditEntry, IssuedDocument, Notification
from emulation_portal.testing import make_agency, make_bloc_year
from meetings.models import Meeting, MeetingKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(ninh_thuan_rules):
    return ninh_thuan_rules


def meeting_of(bloc_year, kind=MeetingKind.YEAR_END):
    return Meeting.objects.create(bloc_year=bloc_year, kind=kind, starts_at=timezone.now(), venue="Hội trường UBND tỉnh")


# --- create -----------------------------------------------------------------------------------


def test_create_one_question_per_award_type_and_the_elections(world, rules):
    cờ = nominate(world, (0, 1))
    bằng_khen = make_nomination(world, world.agencies[2], "bang-khen-chu-tich-tinh")
    make_nomination(world, world.agencies[3], "bang-khen-thu-tuong", state=NominationState.VOTED)  # already decided: not asked
    meeting = meeting_of(world.bloc_year)
    ballot = create(world, meeting=meeting, max_choices={cờ[0].award_type_id: 1})
    found = questions(ballot)
    assert [(q.kind, q.max_choices) for q in found] == [("award", 1), ("award", 0), ("head", 1), ("deputy", 1)]
    assert [c.nomination_id for c in found[0].candidates.all()] == [n.pk for n in cờ]
    assert [c.nomination_id for c in found[1].candidates.all()] == [bằng_khen.pk]
    assert {c.agency_id for c in found[2].candidates.all()} == {a.pk for a in world.agencies}
    assert ballot.state == BallotState.DRAFT and ballot.meeting == meeting
    assert AuditEntry.objects.filter(action="ballot.create", object_id=str(ballot.pk)).exists()


def test_default_max_choices_is_the_quota(world, rules):
    nominations = nominate(world, (0, 1, 2))
    award = nominations[0].award_type
    award.per_bloc_quota = 2
    award.save()
    ballot = create(world, elect_head=False, elect_deputy=False)
    assert [q.max_choices for q in questions(ballot)] == [2]


def test_meeting_of_another_bloc_year_is_refused(world, rules):
    nominate(world)
    other = make_bloc_year(world.province, [make_agency(world.province)], year=2022)
    with pytest.raises(ValidationError, match="không thuộc khối"):
        create(world, meeting=meeting_of(other))
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("bad", [{"x": 1}, {999999: 1}, {"award": -1}, {"award": 3}, {"award": True}, {"award": 10**9}])
def test_bad_max_choices_refused(world, rules, bad):
    nominations = nominate(world)
    bad = {(nominations[0].award_type_id if key == "award" else key): value for key, value in bad.items()}
    with pytest.raises(ValidationError):
        create(world, max_choices=bad)
    assert not Ballot.objects.exists()


def test_nothing_to_ask_is_refused(world, rules):
    with pytest.raises(ValidationError, match="không có câu hỏi"):
        create(world, elect_head=False, elect_deputy=False)


def test_only_one_unclosed_ballot_per_bloc_year(world, rules):
    nominate(world)
    create(world)
    with pytest.raises(ValidationError) as error:
        create(world)
    assert error.value.code == "unclosed" and Ballot.objects.count() == 1


@pytest.mark.parametrize("who", ["leader", "officer", "nonmember", "outsider", "central", "stranger"])
def test_create_refused_to_others(world, rules, who):
    nominate(world)
    with pytest.raises(PermissionDenied):
        create(world, actor=getattr(world, who))


def test_the_board_may_create(world, rules):
    nominate(world)
    assert create(world, actor=world.board).created_by == world.board


def test_closing_time_must_be_in_the_future_and_online(world, rules):
    nominate(world)
    with pytest.raises(ValidationError):
        create(world, closes_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError):
        create(world, mode=BallotMode.PAPER, closes_at=timezone.now() + datetime.timedelta(days=1))


def test_title_with_a_nul_byte_refused(world, rules):
    nominate(world)
    with pytest.raises(ValidationError):
        create(world, title="Bình xét\x00")


# --- open -------------------------------------------------------------------------------------


def test_open_copies_the_rules_and_tells_the_leaders(world, rules):
    nominate(world)
    ballot = opened(world)
    assert ballot.state == BallotState.OPEN and ballot.opened_at is not None and ballot.members_count == 4
    assert ballot.rules["values"]["ballot_quorum"] == "2/3" and ballot.rules["sources"]["ballot_threshold"]
    notified = set(Notification.objects.filter(url=ballot.get_absolute_url()).values_list("user_id", flat=True))
    assert notified == {leader.pk for leader in world.leaders}
    # a later change of the rule set does not change the ballot's rules
    RuleValue.objects.filter(rule_set=rules, key="ballot_quorum").update(value="4/5")
    ballot.refresh_from_db()
    assert ballot.rules["values"]["ballot_quorum"] == "2/3"


def test_open_paper_tells_nobody(world, rules):
    nominate(world)
    opened(world, mode=BallotMode.PAPER)
    assert not Notification.objects.exists()


def test_open_refused_without_counting_rules(world, rules):
    nominate(world)
    ballot = create(world)
    RuleValue.objects.filter(rule_set=rules, key="ballot_threshold").delete()
    from awards.models import RuleSet

    RuleSet.objects.filter(pk=rules.pk).update(version="changed")  # the cached rules follow the version
    with pytest.raises(ValidationError, match="Tỷ lệ đồng ý"):
        services.ballot_open(actor=world.secretary, ballot=ballot)
    ballot.refresh_from_db()
    assert ballot.state == BallotState.DRAFT


def test_open_twice_refused(world, rules):
    nominate(world)
    ballot = opened(world)
    with pytest.raises(ValidationError, match="đã mở"):
        services.ballot_open(actor=world.secretary, ballot=ballot)


@pytest.mark.parametrize("who", ["leader", "officer", "outsider", "central"])
def test_open_refused_to_others(world, rules, who):
    nominate(world)
    ballot = create(world)
    with pytest.raises(PermissionDenied):
        services.ballot_open(actor=getattr(world, who), ballot=ballot)


# --- vote -------------------------------------------------------------------------------------


def tallies(ballot):
    rows = BallotCandidate.objects.filter(question__ballot=ballot).select_related("question")
    return {(c.question.kind, c.agency_id): (c.yes, c.no) for c in rows}


def test_vote_adds_to_the_tallies_and_records_only_who_voted(world, rules):
    nominate(world, (0, 1))
    ballot = opened(world)
    a = world.agencies
    voter = vote(world, ballot, 1, agree=[a[0]], head=a[2], deputy=a[3])
    assert (voter.agency_id, voter.round, voter.cast_by_id) == (a[1].pk, 1, world.leaders[1].pk)
    t = tallies(ballot)
    assert t[("award", a[0].pk)] == (1, 0) and t[("award", a[1].pk)] == (0, 1)
    assert t[("head", a[2].pk)] == (1, 0) and t[("head", a[0].pk)] == (0, 0) and t[("deputy", a[3].pk)] == (1, 0)
    entry = AuditEntry.objects.get(action="ballot.vote")
    assert {k: v for k, v in entry.data.items() if k not in ("from", "to")} == {"agency": a[1].pk, "round": 1}


def test_change_of_mind_is_refused(world, rules):
    nominate(world, (0,))
    ballot = opened(world)
    vote(world, ballot, 1, agree=[world.agencies[0]])
    before = tallies(ballot)
    with pytest.raises(ValidationError, match="Đơn vị đã bỏ phiếu"):
        vote(world, ballot, 1, agree=[])
    assert tallies(ballot) == before and BallotVoter.objects.count() == 1


def test_a_second_leader_of_the_same_agency_cannot_vote_again(world, rules):
    from blocs.models import Role
    from emulation_portal.testing import make_user

    nominate(world, (0,))
    ballot = opened(world)
    deputy_leader = make_user(agency=world.agencies[1], role=Role.LEADER, agency_id=world.agencies[1].pk)
    vote(world, ballot, 1, agree=[world.agencies[0]])
    with pytest.raises(ValidationError, match="Đơn vị đã bỏ phiếu"):
        services.ballot_vote(actor=deputy_leader, ballot=ballot, answers=answers_for(ballot))


def test_incomplete_vote_writes_nothing(world, rules):
    nominate(world, (0, 1))
    ballot = opened(world)
    answers = answers_for(ballot, agree=[world.agencies[0]])
    award = questions(ballot)[0]
    answers[award.pk] = {award.candidates.first().pk: True}  # the second candidate unanswered
    with pytest.raises(ValidationError, match="từng đơn vị"):
        services.ballot_vote(actor=world.leaders[1], ballot=ballot, answers=answers)
    assert not BallotVoter.objects.exists() and all(v == (0, 0) for v in tallies(ballot).values())


def test_choose_more_than_n_refused(world, rules):
    nominate(world, (0, 1, 2))
    ballot = opened(world, max_choices={})
    award = questions(ballot)[0]
    BallotQuestion.objects.filter(pk=award.pk).update(max_choices=1)
    with pytest.raises(ValidationError, match="tối đa 1"):
        vote(world, ballot, 1, choose=world.agencies[:2])
    assert not BallotVoter.objects.exists()


@pytest.mark.parametrize("forgery", ["other_ballot_candidate", "unknown_question", "string", "two_heads", "bool_id", "not_a_dict"])
def test_forged_answers_refused(world, rules, forgery):
    nominate(world, (0,))
    ballot = opened(world)
    answers = answers_for(ballot, agree=[world.agencies[0]])
    head = next(q for q in questions(ballot) if q.kind == QuestionKind.HEAD)
    if forgery == "other_ballot_candidate":
        other = make_bloc_year(world.province, [make_agency(world.province)], year=2021)
        stranger = Ballot.objects.create(bloc_year=other, title="x", created_by=world.secretary)
        q = BallotQuestion.objects.create(ballot=stranger, kind=QuestionKind.HEAD, title="x", max_choices=1)
        answers[head.pk] = BallotCandidate.objects.create(question=q, agency=other.agencies.first()).pk
    elif forgery == "unknown_question":
        answers[999999] = None
    elif forgery == "string":
        answers[head.pk] = "abc"
    elif forgery == "two_heads":
        answers[head.pk] = [c.pk for c in head.candidates.all()[:2]]
    elif forgery == "bool_id":
        answers[head.pk] = True
    else:
        answers = ["x"]
    with pytest.raises(ValidationError):
        services.ballot_vote(actor=world.leaders[1], ballot=ballot, answers=answers)
    assert not BallotVoter.objects.exists()


def test_blank_head_vote_is_allowed(world, rules):
    nominate(world, (0,))
    ballot = opened(world)
    vote(world, ballot, 2, agree=[world.agencies[0]], head=None, deputy=None)
    assert sum(y for (kind, _a), (y, _n) in tallies(ballot).items() if kind != "award") == 0


@pytest.mark.parametrize("who", ["secretary", "board", "officer", "nonmember", "stranger", "central"])
def test_only_member_leaders_vote(world, rules, who):
    nominate(world, (0,))
    ballot = opened(world)
    with pytest.raises(PermissionDenied):
        services.ballot_vote(actor=getattr(world, who), ballot=ballot, answers=answers_for(ballot))


def test_vote_refused_after_the_deadline_and_on_paper(world, rules):
    nominate(world, (0,))
    ballot = opened(world, closes_at=timezone.now() + datetime.timedelta(hours=1))
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    ballot.refresh_from_db()
    with pytest.raises(ValidationError, match="hết hạn"):
        vote(world, ballot, 1, agree=[world.agencies[0]])
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=None, mode=BallotMode.PAPER)
    ballot.refresh_from_db()
    with pytest.raises(ValidationError):
        vote(world, ballot, 1, agree=[world.agencies[0]])


def test_vote_refused_on_a_draft_or_closed_ballot(world, rules):
    nominate(world, (0,))
    ballot = create(world)
    with pytest.raises(ValidationError, match="không mở"):
        vote(world, ballot, 1, agree=[])


# --- close ------------------------------------------------------------------------------------


def everyone_votes(world, ballot, *, agree, head, deputy):
    for index in range(len(world.agencies)):
        vote(world, ballot, index, agree=agree, head=head, deputy=deputy)


def test_close_counts_and_decides_the_nominations(world, rules, django_capture_on_commit_callbacks):
    first, second = nominate(world, (0, 1))
    ballot = opened(world)
    a = world.agencies
    vote(world, ballot, 0, agree=[a[0], a[1]], head=a[2], deputy=a[3])
    vote(world, ballot, 1, agree=[a[0]], head=a[2], deputy=a[3])
    vote(world, ballot, 2, agree=[a[0], a[1]], head=a[2], deputy=a[3])
    with django_capture_on_commit_callbacks(execute=True):
        ballot = services.ballot_close(actor=world.secretary, ballot=ballot)
    assert ballot.state == BallotState.CLOSED and ballot.closed_by == world.secretary
    first.refresh_from_db()
    second.refresh_from_db()
    # threshold: more than 1/2 of all 4 members → 3 needed
    assert (first.state, first.votes_yes, str(first.votes_percent)) == (NominationState.VOTED, 3, "75.00")
    assert (second.state, second.votes_yes, str(second.votes_percent)) == (NominationState.NOT_PASSED, 2, "50.00")
    award = questions(ballot)[0]
    assert (award.issued, award.returned, award.valid, award.invalid, award.resolved) == (4, 3, 3, 0, True)
    assert IssuedDocument.objects.filter(kind="awards.ballot_record", source_id=ballot.pk).exists()
    nxt = BlocYear.objects.get(bloc=world.bloc, year=2023)
    assert (nxt.head_id, nxt.deputy_id, nxt.notice_number) == (a[2].pk, a[3].pk, "")
    assert set(Membership.objects.filter(bloc_year=nxt).values_list("agency_id", flat=True)) == {x.pk for x in a}


def test_no_quorum_leaves_everything_unresolved(world, rules):
    nomination = nominate(world, (0,))[0]
    ballot = opened(world)
    vote(world, ballot, 0, agree=[world.agencies[0]], head=world.agencies[1])
    vote(world, ballot, 1, agree=[world.agencies[0]], head=world.agencies[1])  # 2 of 4 < 2/3
    ballot = services.ballot_close(actor=world.secretary, ballot=ballot)
    assert all(q.resolved is False and "Không đủ số thành viên" in q.note for q in questions(ballot))
    nomination.refresh_from_db()
    assert nomination.state == NominationState.PROPOSED and nomination.votes_yes is None
    assert not BlocYear.objects.filter(bloc=world.bloc, year=2023).exists()


def test_the_deputy_is_not_the_elected_head(world, rules):
    nominate(world, (0,))
    ballot = opened(world)
    a = world.agencies
    for index, deputy in enumerate([a[2], a[2], a[2], a[3]]):
        vote(world, ballot, index, agree=[a[0]], head=a[2], deputy=deputy)
    services.ballot_close(actor=world.secretary, ballot=ballot)
    deputy_q = next(q for q in questions(ballot) if q.kind == QuestionKind.DEPUTY)
    # a[2] (3 votes) is the head; a[3] has 1 vote of 4: not more than half → unresolved
    assert deputy_q.resolved is False and "Trưởng khối" in deputy_q.note
    assert deputy_q.candidates.get(agency=a[2]).passed is False
    assert BlocYear.objects.get(bloc=world.bloc, year=2023).deputy is None


def test_close_refused_to_leaders_and_twice(world, rules):
    nominate(world, (0,))
    ballot = opened(world)
    with pytest.raises(PermissionDenied):
        services.ballot_close(actor=world.leader, ballot=ballot)
    services.ballot_close(actor=world.secretary, ballot=ballot)
    with pytest.raises(ValidationError):
        services.ballot_close(actor=world.secretary, ballot=ballot)


# --- rounds -----------------------------------------------------------------------------------


def test_second_round_takes_the_unresolved_with_their_undecided_candidates(world, rules):
    from awards.models import RuleSet

    RuleValue.objects.filter(rule_set=rules, key="ballot_threshold_rule").update(value="at_least")
    RuleSet.objects.filter(pk=rules.pk).update(version="at-least")
    nominations = nominate(world, (0, 1, 2))
    award = nominations[0].award_type
    ballot = opened(world, max_choices={award.pk: 2})
    a = world.agencies
    # at least half of 4: choose 2: a0 gets 4, a1 and a2 get 2 each (a tie for the last seat); head a3; deputy: a1, a2 tie
    for index, choose, deputy in ((0, [a[0], a[1]], a[1]), (1, [a[0], a[2]], a[2]), (2, [a[0], a[1]], a[1]), (3, [a[0], a[2]], a[2])):
        vote(world, ballot, index, choose=choose, head=a[3], deputy=deputy)
    ballot = services.ballot_close(actor=world.secretary, ballot=ballot)
    first_round = questions(ballot, 1)
    assert [q.resolved for q in first_round] == [False, True, False]
    nominations[0].refresh_from_db()
    assert nominations[0].state == NominationState.VOTED  # clearly above the tie
    ballot = services.ballot_next_round(actor=world.secretary, ballot=ballot)
    assert (ballot.round, ballot.state) == (2, BallotState.OPEN)
    second = questions(ballot, 2)
    assert [(q.kind, q.max_choices) for q in second] == [("award", 1), ("deputy", 1)]
    assert {c.agency_id for c in second[0].candidates.all()} == {a[1].pk, a[2].pk}
    assert {c.agency_id for c in second[1].candidates.all()} == {a[1].pk, a[2].pk}
    # round 2: a1 wins both
    for index in range(4):
        vote(world, ballot, index, choose=[a[1]], deputy=a[1])
    with pytest.raises(ValidationError, match="Đơn vị đã bỏ phiếu"):
        vote(world, ballot, 0, choose=[a[1]], deputy=a[1])
    ballot = services.ballot_close(actor=world.secretary, ballot=ballot)
    nominations[1].refresh_from_db()
    nominations[2].refresh_from_db()
    assert (nominations[1].state, nominations[2].state) == (NominationState.VOTED, NominationState.NOT_PASSED)
    nxt = BlocYear.objects.get(bloc=world.bloc, year=2023)
    assert (nxt.head_id, nxt.deputy_id) == (a[3].pk, a[1].pk)
    # the last round (2 under the rule set): no third round, the page says who decides
    with pytest.raises(ValidationError, match="tối đa") as error:
        services.ballot_next_round(actor=world.secretary, ballot=ballot)
    assert error.value.code == "last_round"


def test_next_round_refused_when_all_is_resolved(world, rules):
    nominate(world, (0,))
    ballot = opened(world)
    a = world.agencies
    everyone_votes(world, ballot, agree=[a[0]], head=a[1], deputy=a[2])
    ballot = services.ballot_close(actor=world.secretary, ballot=ballot)
    with pytest.raises(ValidationError, match="đã có kết quả"):
        services.ballot_next_round(actor=world.secretary, ballot=ballot)


def test_next_round_refused_while_another_ballot_is_open(world, rules):
    nominate(world, (0,))
    ballot = opened(world, elect_deputy=False)
    ballot = services.ballot_close(actor=world.secretary, ballot=ballot)  # nobody voted: no quorum
    create(world, mode=BallotMode.PAPER, elect_head=False)  # the closed one leaves room for a new one
    with pytest.raises(ValidationError) as error:
        services.ballot_next_round(actor=world.secretary, ballot=ballot)
    assert error.value.code == "unclosed"


# --- next year --------------------------------------------------------------------------------


def test_next_year_existing_without_notice_is_updated(world, rules):
    a = world.agencies
    nxt = make_bloc_year_for(world, members=a[:3], head=a[0], deputy=a[1])
    nominate(world, (0,))
    ballot = opened(world)
    everyone_votes(world, ballot, agree=[a[0]], head=a[1], deputy=a[3])
    services.ballot_close(actor=world.secretary, ballot=ballot)
    nxt.refresh_from_db()
    assert (nxt.head_id, nxt.deputy_id) == (a[1].pk, a[3].pk)
    assert a[3].pk in set(Membership.objects.filter(bloc_year=nxt).values_list("agency_id", flat=True))


def test_next_year_with_a_notice_is_left_alone(world, rules):
    a = world.agencies
    nxt = make_bloc_year_for(world, members=a, head=a[0], deputy=a[1], notice_number="09/TB-UBND")
    nominate(world, (0,))
    ballot = opened(world)
    everyone_votes(world, ballot, agree=[a[0]], head=a[2], deputy=a[3])
    services.ballot_close(actor=world.secretary, ballot=ballot)
    nxt.refresh_from_db()
    assert (nxt.head_id, nxt.deputy_id) == (a[0].pk, a[1].pk)
    from awards.ballots import selectors

    outcome = selectors.election_outcome(ballot, selectors.questions_of(Ballot.objects.get(pk=ballot.pk)))
    assert any("09/TB-UBND" in w for w in outcome["warnings"])


def test_re_election_of_this_years_head_is_allowed_with_a_warning(world, rules):
    from awards.ballots import selectors

    a = world.agencies  # a[0] heads this year
    nominate(world, (1,))
    ballot = opened(world)
    everyone_votes(world, ballot, agree=[a[1]], head=a[0], deputy=a[2])
    ballot = services.ballot_close(actor=world.secretary, ballot=ballot)
    assert BlocYear.objects.get(bloc=world.bloc, year=2023).head == a[0]
    outcome = selectors.election_outcome(ballot, selectors.questions_of(ballot))
    assert any("bầu lại" in w for w in outcome["warnings"])


def test_new_year_skips_members_taken_by_another_bloc(world, rules):
    a = world.agencies
    make_bloc_year(world.province, [a[3]], year=2023)  # a[3] already in another bloc next year
    nominate(world, (0,))
    ballot = opened(world)
    everyone_votes(world, ballot, agree=[a[0]], head=a[1], deputy=a[2])
    services.ballot_close(actor=world.secretary, ballot=ballot)
    nxt = BlocYear.objects.get(bloc=world.bloc, year=2023)
    assert set(Membership.objects.filter(bloc_year=nxt).values_list("agency_id", flat=True)) == {a[0].pk, a[1].pk, a[2].pk}


def make_bloc_year_for(world, *, members, head=None, deputy=None, notice_number=""):
    nxt = BlocYear.objects.create(bloc=world.bloc, year=2023, head=head, deputy=deputy, notice_number=notice_number,
                                  notice_date=datetime.date(2023, 1, 18) if notice_number else None)
    Membership.objects.bulk_create([Membership(bloc_year=nxt, agency=x, year=2023) for x in members])
    return nxt
