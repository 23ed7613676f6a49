"""The rules a ballot counts by, copied from the bloc-year's rule set when the ballot opens (with
their sources), so a later edit of the rule set never changes a result; and the count itself, as
pure functions over plain numbers (table-tested in ``test_ballots_counting``).

- quorum: ``present >= ballot_quorum × members_count``;
- threshold: ``yes / base`` compared with ``ballot_threshold`` by ``ballot_threshold_rule``
  (``more_than``: >, ``at_least``: ≥), the base named by ``ballot_threshold_base`` (all members,
  those present, or the valid ballots), in exact ``Fraction`` arithmetic;
- an agree / disagree question passes every candidate meeting the threshold; a choose-N question
  the top N of those meeting it (a tie at the boundary leaves the tied ones undecided); a head or
  deputy question elects the single top candidate meeting it (a tie or nobody: undecided).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from awards import catalogue
from awards.selectors import rules_for

RULE_KEYS = ("ballot_quorum", "ballot_threshold", "ballot_threshold_rule", "ballot_threshold_base", "ballot_max_rounds", "tie_break")
REQUIRED_KEYS = ("ballot_quorum", "ballot_threshold", "ballot_threshold_rule", "ballot_threshold_base")

MORE_THAN, AT_LEAST = "more_than", "at_least"
ALL_MEMBERS, PRESENT, VALID_BALLOTS = "all_members", "present", "valid_ballots"


def rules_snapshot(bloc_year) -> dict:
    """``{"values": {key: stored text}, "sources": {key: source}, "rule_set": name}`` of the
    counting keys of the bloc-year's rule set (a missing key is simply absent)."""
    rules = rules_for(bloc_year)
    values = {key: rules.values[key].text for key in RULE_KEYS if key in rules.values}
    return {
        "rule_set": rules.name,
        "values": values,
        "sources": {key: rules.source(key) for key in values},
    }


@dataclass(frozen=True)
class CountRules:
    quorum: Fraction
    threshold: Fraction
    rule: str
    base: str
    max_rounds: int
    tie_break: str
    rule_set: str = ""
    sources: dict = field(default_factory=dict)

    def label(self, key: str) -> str:
        """The catalogue's words for a choice value (e.g. "Tổng số thành viên của khối")."""
        spec = catalogue.key(key)
        value = {"ballot_threshold_rule": self.rule, "ballot_threshold_base": self.base, "tie_break": self.tie_break}[key]
        return str(spec.choice_label(value)) if value else ""


def parse_rules(snapshot: dict) -> CountRules:
    """The typed counting rules of a ballot's snapshot. Raises ValidationError (Vietnamese) naming
    the keys the rule set lacks or holds in a form that cannot be read."""
    values = (snapshot or {}).get("values") or {}
    problems, typed = [], {}
    for key in RULE_KEYS:
        text = values.get(key)
        if text in (None, ""):
            if key in REQUIRED_KEYS:
                problems.append(_("thiếu “%(label)s”") % {"label": catalogue.key(key).label})
            continue
        try:
            typed[key] = catalogue.parse(catalogue.key(key), text)
        except ValidationError:
            problems.append(_("“%(label)s” không đọc được (%(text)s)") % {"label": catalogue.key(key).label, "text": text})
    if problems:
        raise ValidationError(
            _("Quy chế áp dụng chưa đủ quy tắc kiểm phiếu: %(problems)s. Ban Thi đua – Khen thưởng cần bổ sung trước khi mở bỏ phiếu.")
            % {"problems": "; ".join(problems)},
            code="rules",
        )
    return CountRules(
        quorum=typed["ballot_quorum"],
        threshold=typed["ballot_threshold"],
        rule=typed["ballot_threshold_rule"],
        base=typed["ballot_threshold_base"],
        max_rounds=int(typed.get("ballot_max_rounds", 1)),
        tie_break=typed.get("tie_break", ""),
        rule_set=(snapshot or {}).get("rule_set", ""),
        sources=dict((snapshot or {}).get("sources") or {}),
    )


# --- numbers -----------------------------------------------------------------------------------


def quorum_met(*, present: int, members_count: int, quorum: Fraction) -> bool:
    """At least ``quorum`` of the members present (compared with ≥, exactly)."""
    return members_count > 0 and Fraction(present) >= quorum * members_count


def quorum_needed(*, members_count: int, quorum: Fraction) -> int:
    """The smallest number present that meets the quorum."""
    needed = quorum * members_count
    return int(needed) if needed.denominator == 1 else int(needed) + 1


def base_of(base: str, *, members_count: int, present: int, valid: int) -> int:
    """The number the threshold is counted against."""
    return {ALL_MEMBERS: members_count, PRESENT: present, VALID_BALLOTS: valid}[base]


def meets(yes: int, base: int, *, threshold: Fraction, rule: str) -> bool:
    if base <= 0:
        return False
    share = Fraction(yes, base)
    return share > threshold if rule == MORE_THAN else share >= threshold


def percent(yes: int, base: int) -> Decimal | None:
    """``yes`` as a percentage of ``base`` to two decimals (None when the base is 0)."""
    if base <= 0:
        return None
    return (Decimal(yes) * 100 / Decimal(base)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- deciding a question ----------------------------------------------------------------------


@dataclass
class Outcome:
    """What a question's count decided: per candidate key True (passed / elected), False (not), or
    None (undecided: goes to the next round); ``resolved`` when nothing is left undecided."""

    outcomes: dict
    resolved: bool
    note: str = ""
    elected: object = None
    base: int = 0
    quorum: bool = True


def _names(candidates, keys, names):
    return ", ".join(str(names.get(key, key)) for key, _yes in candidates if key in keys)


def decide_agree(candidates, *, base, threshold, rule) -> Outcome:
    """Agree / disagree on each candidate: each one passes on its own."""
    return Outcome({key: meets(yes, base, threshold=threshold, rule=rule) for key, yes in candidates}, resolved=True, base=base)


def decide_choose(candidates, n, *, base, threshold, rule, names=None) -> Outcome:
    """Choose up to ``n``: the top ``n`` meeting the threshold; a tie at the last seat leaves the
    tied candidates undecided (those clearly above pass, the others do not)."""
    names = names or {}
    passing = sorted([(key, yes) for key, yes in candidates if meets(yes, base, threshold=threshold, rule=rule)], key=lambda c: -c[1])
    outcomes = dict.fromkeys((key for key, _yes in candidates), False)
    if len(passing) <= n:
        outcomes.update(dict.fromkeys((key for key, _yes in passing), True))
        return Outcome(outcomes, resolved=True, base=base)
    boundary = passing[n - 1][1]
    if passing[n][1] != boundary:
        outcomes.update(dict.fromkeys((key for key, _yes in passing[:n]), True))
        return Outcome(outcomes, resolved=True, base=base)
    tied = {key for key, yes in passing if yes == boundary}
    outcomes.update({key: True for key, yes in passing if yes > boundary})
    outcomes.update(dict.fromkeys(tied, None))
    seats = n - sum(1 for _key, yes in passing if yes > boundary)
    note = _("%(names)s bằng số phiếu (%(yes)s) ở vị trí cuối, còn %(seats)s suất: chưa có kết quả.") % {
        "names": _names(passing, tied, names), "yes": boundary, "seats": seats}
    return Outcome(outcomes, resolved=False, note=note, base=base)


def decide_single(candidates, *, base, threshold, rule, exclude=(), names=None, excluded_note="") -> Outcome:
    """Elect one: the single top candidate meeting the threshold. ``exclude`` (e.g. the agency just
    elected head, when electing the deputy) are passed over: the next one is taken."""
    names = names or {}
    exclude = set(exclude)
    outcomes = {key: False for key, _yes in candidates if key in exclude}
    eligible = [(key, yes) for key, yes in candidates if key not in exclude]
    passing = sorted([(key, yes) for key, yes in eligible if meets(yes, base, threshold=threshold, rule=rule)], key=lambda c: -c[1])
    notes = [excluded_note] if excluded_note and outcomes else []
    if not passing:
        outcomes.update(dict.fromkeys((key for key, _yes in eligible), None))
        notes.append(_("Không đơn vị nào đạt tỷ lệ đồng ý cần thiết: chưa bầu được."))
        return Outcome(outcomes, resolved=False, note=" ".join(notes), base=base)
    top = passing[0][1]
    tied = {key for key, yes in passing if yes == top}
    if len(tied) > 1:
        outcomes.update({key: (None if key in tied else False) for key, _yes in eligible})
        notes.append(_("%(names)s bằng số phiếu cao nhất (%(yes)s): chưa bầu được.") % {"names": _names(passing, tied, names), "yes": top})
        return Outcome(outcomes, resolved=False, note=" ".join(notes), base=base)
    elected = passing[0][0]
    outcomes.update({key: key == elected for key, _yes in eligible})
    return Outcome(outcomes, resolved=True, note=" ".join(notes), elected=elected, base=base)


def decide(*, kind: str, max_choices: int, candidates, members_count: int, present: int, valid: int, rules: CountRules,
           exclude=(), names=None, excluded_note="") -> Outcome:
    """Count one question. ``candidates``: ``[(key, yes), …]``; ``kind``: "award", "head" or
    "deputy". No quorum: every candidate undecided, with the reason."""
    base = base_of(rules.base, members_count=members_count, present=present, valid=valid)
    if not quorum_met(present=present, members_count=members_count, quorum=rules.quorum):
        note = _("Không đủ số thành viên có mặt: %(present)s/%(members)s, cần ít nhất %(needed)s (%(quorum)s).") % {
            "present": present, "members": members_count, "needed": quorum_needed(members_count=members_count, quorum=rules.quorum),
            "quorum": f"{rules.quorum.numerator}/{rules.quorum.denominator}"}
        return Outcome(dict.fromkeys((key for key, _yes in candidates), None), resolved=False, note=note, base=base, quorum=False)
    if base <= 0:
        return Outcome(dict.fromkeys((key for key, _yes in candidates), None), resolved=False,
                       note=_("Không có phiếu hợp lệ để tính tỷ lệ: chưa có kết quả."), base=base)
    common = {"base": base, "threshold": rules.threshold, "rule": rules.rule}
    if kind == "award":
        if max_choices <= 0:
            return decide_agree(candidates, **common)
        return decide_choose(candidates, max_choices, names=names, **common)
    return decide_single(candidates, exclude=exclude, names=names, excluded_note=excluded_note, **common)
