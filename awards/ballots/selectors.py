"""Reading ballots for the pages, the record and the minutes (issue 11).

Results stay hidden until a round is closed: ``questions_of`` copies the tallies (yes, no,
percentages, passed) into its rows only for closed rounds, so no page, document or slot can show
them for a round still open, whoever asks (secretary, board, superuser). Who voted is public:
``turnout`` lists the member agencies and which of them have voted in the current round.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from awards.ballots import counting
from awards.ballots.next_year import next_bloc_year, next_year_warnings
from awards.models import Ballot, BallotCandidate, BallotMode, BallotState, BallotVoter, QuestionKind
from blocs.models import Membership
from core.access import restrict


@dataclass
class CandidateRow:
    pk: int
    agency_id: int
    agency: str
    nomination_id: int | None
    yes: int | None = None
    no: int | None = None
    percent: Decimal | None = None
    passed: bool | None = None


@dataclass
class QuestionRow:
    pk: int
    round: int
    kind: str
    title: str
    max_choices: int
    how: str
    candidates: list = field(default_factory=list)
    counted: bool = False  # the round is closed: the counts below are filled
    issued: int | None = None
    returned: int | None = None
    valid: int | None = None
    invalid: int | None = None
    resolved: bool | None = None
    note: str = ""
    base: int | None = None

    @property
    def elected(self):
        return next((c for c in self.candidates if c.passed is True), None) if self.kind != QuestionKind.AWARD else None


def how_to_answer(kind: str, max_choices: int) -> str:
    if kind != QuestionKind.AWARD:
        return _("Chọn một đơn vị")
    if max_choices <= 0:
        return _("Đồng ý hoặc không đồng ý với từng đơn vị")
    return _("Chọn tối đa %(n)s đơn vị") % {"n": max_choices}


def round_is_closed(ballot: Ballot, round_number: int) -> bool:
    return round_number < ballot.round or ballot.state == BallotState.CLOSED


def questions_of(ballot: Ballot) -> list[QuestionRow]:
    """Every question of every round with its candidates (two queries); counts only for closed rounds."""
    rules = None
    if ballot.state != BallotState.DRAFT:
        try:
            rules = counting.parse_rules(ballot.rules)
        except Exception:  # noqa: BLE001 - an unreadable snapshot shows no percentages, never a 500
            rules = None
    candidates = BallotCandidate.objects.select_related("agency").order_by("position", "pk")
    rows = []
    for question in ballot.questions.order_by("round", "position", "pk").prefetch_related(Prefetch("candidates", candidates)):
        row = QuestionRow(pk=question.pk, round=question.round, kind=question.kind, title=question.title,
                          max_choices=question.max_choices, how=how_to_answer(question.kind, question.max_choices))
        counted = round_is_closed(ballot, question.round) and question.resolved is not None
        if counted:
            row.counted = True
            row.issued, row.returned, row.valid, row.invalid = question.issued, question.returned, question.valid, question.invalid
            row.resolved, row.note = question.resolved, question.note
            if rules is not None:
                row.base = counting.base_of(rules.base, members_count=ballot.members_count, present=question.returned or 0,
                                            valid=question.valid or 0)
        for c in question.candidates.all():
            item = CandidateRow(pk=c.pk, agency_id=c.agency_id, agency=c.agency.name, nomination_id=c.nomination_id)
            if counted:
                item.yes, item.no, item.passed = c.yes, c.no, c.passed
                item.percent = counting.percent(c.yes, row.base) if row.base is not None else None
            row.candidates.append(item)
        rows.append(row)
    return rows


@dataclass
class Turnout:
    members: list
    voted_ids: set
    round: int

    @property
    def count(self):
        return len(self.voted_ids)

    @property
    def total(self):
        return len(self.members)

    @property
    def text(self):
        return _("%(n)s/%(total)s đơn vị đã bỏ phiếu") % {"n": self.count, "total": self.total}


def turnout(ballot: Ballot, round_number: int | None = None) -> Turnout:
    """The member agencies and those that have voted in the round (two queries)."""
    round_number = round_number or ballot.round
    members = [m.agency for m in Membership.objects.filter(bloc_year_id=ballot.bloc_year_id).select_related("agency")
               .order_by("agency__name", "agency_id")]
    voted = set(BallotVoter.objects.filter(ballot=ballot, round=round_number).values_list("agency_id", flat=True))
    return Turnout(members=members, voted_ids=voted, round=round_number)


def rules_view(ballot: Ballot) -> dict | None:
    """The counting rules copied at opening, in words, each with its source (None before opening)."""
    if not ballot.rules.get("values"):
        return None
    try:
        rules = counting.parse_rules(ballot.rules)
    except Exception:  # noqa: BLE001
        return None
    sources = rules.sources
    comparison = _("trên") if rules.rule == counting.MORE_THAN else _("từ")
    return {
        "rule_set": rules.rule_set,
        "quorum": _("có mặt ít nhất %(q)s tổng số thành viên (%(n)s/%(m)s đơn vị)") % {
            "q": f"{rules.quorum.numerator}/{rules.quorum.denominator}",
            "n": counting.quorum_needed(members_count=ballot.members_count, quorum=rules.quorum), "m": ballot.members_count},
        "quorum_source": sources.get("ballot_quorum", ""),
        "threshold": _("đồng ý %(cmp)s %(t)s %(base)s") % {
            "cmp": comparison, "t": f"{rules.threshold.numerator}/{rules.threshold.denominator}",
            "base": rules.label("ballot_threshold_base").lower()},
        "threshold_source": "; ".join(dict.fromkeys(
            s for s in (sources.get(k, "") for k in ("ballot_threshold", "ballot_threshold_rule", "ballot_threshold_base")) if s)),
        "max_rounds": rules.max_rounds,
        "max_rounds_source": sources.get("ballot_max_rounds", ""),
        "tie_break": rules.label("tie_break"),
        "tie_break_source": sources.get("tie_break", ""),
        "last_round": ballot.round >= rules.max_rounds,
    }


def elected(questions: list[QuestionRow]) -> dict:
    """``{"head": CandidateRow, "deputy": CandidateRow}`` elected in the closed rounds."""
    found = {}
    for row in questions:
        if row.counted and row.kind in (QuestionKind.HEAD, QuestionKind.DEPUTY) and row.elected is not None:
            found[row.kind] = row.elected
    return found


def election_outcome(ballot: Ballot, questions: list[QuestionRow]) -> dict:
    """The elected head and deputy, next year's bloc-year and the warnings (one query)."""
    chosen = elected(questions)
    if not chosen:
        return {"elected": {}, "next_bloc_year": None, "warnings": []}
    bloc_year = ballot.bloc_year
    target = next_bloc_year(bloc_year)
    head, deputy = chosen.get(QuestionKind.HEAD), chosen.get(QuestionKind.DEPUTY)
    warnings = next_year_warnings(bloc_year=bloc_year, head_id=head.agency_id if head else None,
                                  deputy_id=deputy.agency_id if deputy else None, target=target)
    return {"elected": chosen, "next_bloc_year": target, "warnings": warnings}


def unresolved_count(ballot: Ballot, questions: list[QuestionRow]) -> int:
    return sum(1 for q in questions if q.round == ballot.round and q.counted and not q.resolved)


def ballots_of(bloc_year, user) -> list[Ballot]:
    """The bloc-year's ballots the user may see, newest first (one query)."""
    return list(restrict(Ballot.objects.filter(bloc_year=bloc_year), user, "awards.view_ballot").order_by("-created_at", "-pk")
                .only("pk", "title", "state", "mode", "round", "bloc_year_id", "created_at"))


def closed_round_info(ballot: Ballot, round_number: int) -> dict:
    """When the round closed, by whom, how many were present (kept in ``rules["closed_rounds"]``)."""
    return dict((ballot.rules.get("closed_rounds") or {}).get(str(round_number)) or {})


def is_online(ballot: Ballot) -> bool:
    return ballot.mode == BallotMode.ONLINE
