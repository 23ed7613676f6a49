"""Paper ballots: the counts must add up; two different people; the mismatch shown to both; the
confirmation of what was read (stale tab); the close counts only agreeing entries."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards.ballots import paper, services
from awards.models import BallotMode, BallotState, NominationState, PaperCount, QuestionKind
from awards.tests.test_ballots_helpers import nominate, opened, questions
from blocs.models import BlocYear
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def ballot(world, ninh_thuan_rules):
    nominate(world, (0, 1))
    return opened(world, mode=BallotMode.PAPER, elect_deputy=False)


def counts_for(ballot, *, issued=4, returned=4, valid=4, invalid=0, yes=None, head=None):
    """The round's counts; ``yes``: {agency: n} of the award questions, ``head``: of the elections (default 0)."""
    yes = {getattr(a, "pk", a): n for a, n in (yes or {}).items()}
    head = {getattr(a, "pk", a): n for a, n in (head or {}).items()}
    return {
        str(q.pk): {"issued": issued, "returned": returned, "valid": valid, "invalid": invalid,
                    "yes": {str(c.pk): (yes if q.kind == QuestionKind.AWARD else head).get(c.agency_id, 0) for c in q.candidates.all()}}
        for q in questions(ballot)
    }


def test_two_people_enter_the_same_counts_then_close(world, ballot):
    a = world.agencies
    counts = counts_for(ballot, yes={a[0]: 4, a[1]: 2}, head={a[0]: 4})
    first = paper.paper_count_enter(actor=world.secretary, ballot=ballot, counts=counts)
    second = paper.paper_count_enter(actor=world.leaders[0], ballot=ballot, counts=counts)  # the head agency's leader
    assert (first.entry, second.entry) == (1, 2) and paper.paper_mismatches(ballot) == []
    ballot = services.ballot_close(actor=world.secretary, ballot=ballot)
    assert ballot.state == BallotState.CLOSED
    award = questions(ballot)[0]
    assert (award.issued, award.returned, award.valid, award.invalid) == (4, 4, 4, 0)
    assert {c.agency_id: (c.yes, c.no, c.passed) for c in award.candidates.all()} == {a[0].pk: (4, 0, True), a[1].pk: (2, 2, False)}
    head = next(q for q in questions(ballot) if q.kind == QuestionKind.HEAD)
    assert head.resolved is True and head.candidates.get(agency=a[0]).passed is True  # 4 of 4
    assert BlocYear.objects.get(bloc=world.bloc, year=2023).head == a[0]
    actions = list(AuditEntry.objects.filter(action="ballot.paper_count").order_by("pk").values_list("data", flat=True))
    assert [d["entry"] for d in actions] == [1, 2] and all("yes" not in d for d in actions)


def test_the_board_confirms_what_it_read(world, ballot):
    counts = counts_for(ballot, yes={world.agencies[0]: 3})
    first = paper.paper_count_enter(actor=world.secretary, ballot=ballot, counts=counts)
    confirmed = paper.paper_count_confirm(actor=world.board, ballot=ballot, seen=paper.fingerprint(first))
    assert confirmed.entry == 2 and confirmed.counts == first.counts and confirmed.entered_by == world.board
    assert paper.agreed_counts(ballot) == first.counts


def test_a_stale_confirmation_is_refused(world, ballot):
    first = paper.paper_count_enter(actor=world.secretary, ballot=ballot, counts=counts_for(ballot, yes={world.agencies[0]: 3}))
    seen = paper.fingerprint(first)
    paper.paper_count_enter(actor=world.secretary, ballot=ballot, counts=counts_for(ballot, yes={world.agencies[0]: 2}))
    with pytest.raises(ValidationError) as error:
        paper.paper_count_confirm(actor=world.board, ballot=ballot, seen=seen)
    assert error.value.code == "stale" and PaperCount.objects.count() == 1


def test_the_same_person_cannot_confirm_their_own_entry(world, ballot):
    paper.paper_count_enter(actor=world.secretary, ballot=ballot, counts=counts_for(ballot))
    with pytest.raises(ValidationError, match="khác với người nhập"):
        paper.paper_count_confirm(actor=world.secretary, ballot=ballot)
    # entering again corrects one's own entry: still one entry
    paper.paper_count_enter(actor=world.secretary, ballot=ballot, counts=counts_for(ballot, yes={world.agencies[1]: 1}))
    assert PaperCount.objects.count() == 1
    with pytest.raises(ValidationError, match="hai người nhập"):
        services.ballot_close(actor=world.secretary, ballot=ballot)


def test_mismatch_is_shown_and_blocks_the_close(world, ballot):
    a = world.agencies
    paper.paper_count_enter(actor=world.secretary, ballot=ballot, counts=counts_for(ballot, yes={a[0]: 3}))
    paper.paper_count_enter(actor=world.board, ballot=ballot, counts=counts_for(ballot, returned=3, valid=3, yes={a[0]: 2}))
    lines = paper.paper_mismatches(ballot)
    assert any("số phiếu thu về" in line and "lần 1 nhập 4, lần 2 nhập 3" in line for line in lines)
    assert any(a[0].name in line for line in lines)
    with pytest.raises(ValidationError, match="chưa khớp"):
        services.ballot_close(actor=world.secretary, ballot=ballot)
    # the board corrects its own entry: they agree, the round can close
    paper.paper_count_enter(actor=world.board, ballot=ballot, counts=counts_for(ballot, yes={a[0]: 3}))
    assert paper.paper_mismatches(ballot) == []
    assert services.ballot_close(actor=world.secretary, ballot=ballot).state == BallotState.CLOSED


def test_a_third_person_is_refused(world, ballot):
    paper.paper_count_enter(actor=world.secretary, ballot=ballot, counts=counts_for(ballot))
    paper.paper_count_enter(actor=world.board, ballot=ballot, counts=counts_for(ballot))
    with pytest.raises(ValidationError, match="hai người"):
        paper.paper_count_enter(actor=world.leaders[0], ballot=ballot, counts=counts_for(ballot))


@pytest.mark.parametrize(("change", "message"), [
    ({"valid": 3}, "phải bằng số phiếu thu về"),
    ({"returned": 5, "valid": 5, "issued": 4}, "không được lớn hơn số phiếu phát ra"),
    ({"issued": 5, "returned": 5, "valid": 5}, "số thành viên"),
    ({"yes": 5}, "không được lớn hơn số phiếu hợp lệ"),
    ({"head_sum": True}, "mỗi phiếu bầu một đơn vị"),
    ({"valid": -1, "invalid": 5}, "không âm"),
    ({"valid": 10**9}, "quá lớn"),
    ({"valid": "bốn"}, "số nguyên"),
    ({"valid": True}, "số nguyên"),
    ({"valid": None}, "chưa nhập"),
])
def test_counts_must_add_up(world, ballot, change, message):
    counts = counts_for(ballot)
    for key, numbers in counts.items():
        question = next(q for q in questions(ballot) if str(q.pk) == key)
        for name, value in change.items():
            if name == "yes" and question.kind == QuestionKind.AWARD:
                numbers["yes"][next(iter(numbers["yes"]))] = value
            elif name == "head_sum" and question.kind == QuestionKind.HEAD:
                numbers["yes"] = {cid: 2 for cid in numbers["yes"]}
            elif name not in ("yes", "head_sum"):
                numbers[name] = value
    with pytest.raises(ValidationError, match=message):
        paper.paper_count_enter(actor=world.secretary, ballot=ballot, counts=counts)
    assert not PaperCount.objects.exists()


def test_choose_n_sum_limit(world, ninh_thuan_rules):
    nominations = nominate(world, (0, 1, 2))
    ballot = opened(world, mode=BallotMode.PAPER, max_choices={nominations[0].award_type_id: 1}, elect_head=False, elect_deputy=False)
    counts = counts_for(ballot, yes={world.agencies[0]: 3, world.agencies[1]: 2})  # 5 choices on 4 ballots choosing one
    with pytest.raises(ValidationError, match="vượt quá"):
        paper.paper_count_enter(actor=world.secretary, ballot=ballot, counts=counts)


@pytest.mark.parametrize("forgery", ["question", "candidate", "not_a_dict", "yes_not_a_dict"])
def test_forged_ids_refused(world, ballot, forgery):
    counts = counts_for(ballot)
    key = next(iter(counts))
    if forgery == "question":
        counts["999999"] = counts[key]
    elif forgery == "candidate":
        counts[key]["yes"]["999999"] = 0
    elif forgery == "not_a_dict":
        counts = [1, 2]
    else:
        counts[key]["yes"] = [1]
    with pytest.raises(ValidationError):
        paper.paper_count_enter(actor=world.secretary, ballot=ballot, counts=counts)


@pytest.mark.parametrize("who", ["leader", "officer", "outsider", "central", "nonmember"])
def test_only_counters_enter(world, ballot, who):
    with pytest.raises(PermissionDenied):
        paper.paper_count_enter(actor=getattr(world, who), ballot=ballot, counts=counts_for(ballot))


def test_online_ballots_take_no_paper_counts(world, ninh_thuan_rules):
    nominate(world, (0,))
    ballot = opened(world)
    with pytest.raises(ValidationError, match="trực tuyến"):
        paper.paper_count_enter(actor=world.secretary, ballot=ballot, counts={})


def test_paper_nominations_follow_the_counts(world, ballot):
    a = world.agencies
    counts = counts_for(ballot, issued=4, returned=3, valid=3, yes={a[0]: 3, a[1]: 1})
    paper.paper_count_enter(actor=world.secretary, ballot=ballot, counts=counts)
    paper.paper_count_confirm(actor=world.board, ballot=ballot)
    services.ballot_close(actor=world.secretary, ballot=ballot)
    states = dict(ballot.bloc_year.nominations.values_list("agency_id", "state"))
    assert states == {a[0].pk: NominationState.VOTED, a[1].pk: NominationState.NOT_PASSED}
