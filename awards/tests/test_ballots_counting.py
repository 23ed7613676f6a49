"""The count's pure functions, table by table: quorum (≥), threshold (> or ≥, three bases, exact
fractions), agree / disagree, choose-N with a tie at the boundary, head and deputy elections."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from awards.ballots import counting
from awards.ballots.counting import CountRules, decide, decide_choose, decide_single, meets, percent, quorum_met


def rules(quorum="2/3", threshold="1/2", rule="more_than", base="all_members", rounds=2, tie="head_and_deputy"):
    return counting.parse_rules({"rule_set": "Quy chế thử", "values": {
        "ballot_quorum": quorum, "ballot_threshold": threshold, "ballot_threshold_rule": rule, "ballot_threshold_base": base,
        "ballot_max_rounds": str(rounds), "tie_break": tie}, "sources": {"ballot_quorum": "Quy chế khối, Điều 8"}})


@pytest.mark.parametrize(("present", "members", "quorum", "ok"), [
    (5, 7, "2/3", True),   # 5 ≥ 4.67
    (4, 7, "2/3", False),
    (4, 6, "2/3", True),   # exactly two thirds: ≥ holds
    (3, 6, "2/3", False),
    (8, 10, "4/5", True),  # 80 %, exactly
    (7, 10, "4/5", False),
    (0, 0, "2/3", False),  # no members: never a quorum
])
def test_quorum(present, members, quorum, ok):
    assert quorum_met(present=present, members_count=members, quorum=counting.catalogue.parse(counting.catalogue.key("ballot_quorum"),
                                                                                                quorum)) is ok


@pytest.mark.parametrize(("members", "quorum", "needed"), [(7, "2/3", 5), (6, "2/3", 4), (10, "4/5", 8), (15, "2/3", 10)])
def test_quorum_needed(members, quorum, needed):
    assert counting.quorum_needed(members_count=members, quorum=Fraction(quorum)) == needed


@pytest.mark.parametrize(("yes", "base", "threshold", "rule", "ok"), [
    (4, 7, "1/2", "more_than", True),
    (3, 6, "1/2", "more_than", False),  # exactly half is not "more than half"
    (3, 6, "1/2", "at_least", True),
    (8, 10, "4/5", "at_least", True),   # 80 %
    (8, 10, "4/5", "more_than", False),
    (7, 10, "4/5", "at_least", False),
    (2, 3, "2/3", "at_least", True),    # no float rounding: 2/3 is 2/3
    (0, 0, "1/2", "at_least", False),   # no base: nothing passes
])
def test_threshold(yes, base, threshold, rule, ok):
    assert meets(yes, base, threshold=Fraction(threshold), rule=rule) is ok


@pytest.mark.parametrize(("base", "expected"), [("all_members", 7), ("present", 6), ("valid_ballots", 5)])
def test_threshold_base(base, expected):
    assert counting.base_of(base, members_count=7, present=6, valid=5) == expected


def test_percent_two_decimals_half_up():
    assert percent(2, 3) == Decimal("66.67")
    assert percent(1, 8) == Decimal("12.50")
    assert percent(5, 0) is None


def test_base_changes_the_outcome():
    """4 yes of 7 members, 6 present, 5 valid: more than half of each base, but not "at least 4/5"."""
    for base in ("all_members", "present", "valid_ballots"):
        outcome = decide(kind="award", max_choices=0, candidates=[("a", 4)], members_count=7, present=6, valid=5, rules=rules(base=base))
        assert outcome.outcomes == {"a": True} and outcome.resolved
    at_least = rules(threshold="4/5", rule="at_least", base="valid_ballots")
    more_than = rules(threshold="4/5", rule="more_than", base="valid_ballots")
    common = {"kind": "award", "max_choices": 0, "candidates": [("a", 4)], "members_count": 7, "present": 6, "valid": 5}
    assert decide(rules=at_least, **common).outcomes == {"a": True}  # 4 of 5 valid: exactly 4/5
    assert decide(rules=more_than, **common).outcomes == {"a": False}
    assert decide(rules=rules(threshold="4/5", rule="at_least", base="all_members"), **common).outcomes == {"a": False}


def test_four_fifths_of_valid_ballots():
    outcome = decide(kind="award", max_choices=0, candidates=[("a", 4), ("b", 3)], members_count=7, present=6, valid=5,
                     rules=rules(threshold="4/5", rule="at_least", base="valid_ballots"))
    assert outcome.outcomes == {"a": True, "b": False} and outcome.base == 5


def test_no_quorum_leaves_everything_undecided_with_the_reason():
    outcome = decide(kind="award", max_choices=0, candidates=[("a", 4), ("b", 4)], members_count=7, present=4, valid=4, rules=rules())
    assert outcome.outcomes == {"a": None, "b": None} and not outcome.resolved and not outcome.quorum
    assert "4/7" in outcome.note and "5" in outcome.note


@pytest.mark.parametrize(("tallies", "n", "expected", "resolved"), [
    ({"a": 6, "b": 5, "c": 4, "d": 2}, 2, {"a": True, "b": True, "c": False, "d": False}, True),
    ({"a": 6, "b": 5, "c": 5, "d": 2}, 2, {"a": True, "b": None, "c": None, "d": False}, False),   # tie for the last seat
    ({"a": 5, "b": 5, "c": 5, "d": 5}, 3, {"a": None, "b": None, "c": None, "d": None}, False),  # a four-way tie
    ({"a": 6, "b": 3, "c": 2, "d": 1}, 2, {"a": True, "b": False, "c": False, "d": False}, True),  # only one passes (> 7/2)
    ({"a": 6, "b": 6, "c": 2}, 2, {"a": True, "b": True, "c": False}, True),                      # a tie inside the seats
    ({"a": 4, "b": 4, "c": 4}, 3, {"a": True, "b": True, "c": True}, True),
])
def test_choose_n(tallies, n, expected, resolved):
    outcome = decide_choose(list(tallies.items()), n, base=7, threshold=Fraction(1, 2), rule="more_than")
    assert outcome.outcomes == expected and outcome.resolved is resolved
    if not resolved:
        assert "bằng số phiếu" in outcome.note


@pytest.mark.parametrize(("tallies", "exclude", "elected", "undecided"), [
    ({"a": 5, "b": 2}, (), "a", set()),
    ({"a": 3, "b": 3, "c": 1}, (), None, set()),            # nobody has more than half of 7
    ({"a": 4, "b": 4}, (), None, {"a", "b"}),                # base 7, both pass: a tie at the top
    ({"a": 6, "b": 4}, ("a",), "b", set()),                  # the deputy may not be the elected head: the next one
    ({"a": 6, "b": 2}, ("a",), None, {"b"}),                 # …who must still meet the threshold
])
def test_single(tallies, exclude, elected, undecided):
    outcome = decide_single(list(tallies.items()), base=7, threshold=Fraction(1, 2), rule="more_than", exclude=exclude)
    assert outcome.elected == elected
    assert outcome.resolved is (elected is not None)
    for key in exclude:
        assert outcome.outcomes[key] is False
    if undecided:
        assert {k for k, v in outcome.outcomes.items() if v is None} == undecided
    if elected is None and not undecided:
        assert all(v is None for k, v in outcome.outcomes.items() if k not in exclude)


def test_parse_rules_names_what_is_missing():
    with pytest.raises(ValidationError, match="thiếu") as error:
        counting.parse_rules({"values": {"ballot_quorum": "2/3"}})
    assert error.value.code == "rules"
    with pytest.raises(ValidationError, match="không đọc được"):
        counting.parse_rules({"values": {"ballot_quorum": "2/0", "ballot_threshold": "1/2", "ballot_threshold_rule": "more_than",
                                         "ballot_threshold_base": "present"}})
    parsed = rules()
    assert isinstance(parsed, CountRules) and parsed.max_rounds == 2 and parsed.label("tie_break").startswith("Trưởng khối")
    assert parsed.sources["ballot_quorum"] == "Quy chế khối, Điều 8"


def test_max_rounds_defaults_to_one():
    parsed = counting.parse_rules({"values": {"ballot_quorum": "2/3", "ballot_threshold": "1/2", "ballot_threshold_rule": "more_than",
                                              "ballot_threshold_base": "present"}})
    assert parsed.max_rounds == 1 and parsed.tie_break == ""
