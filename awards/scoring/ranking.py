"""The ranking of a scoring round (issue 10): totals, caps, bands, ranks and ties computed from the
lines; the draft published to the members, their objections and the secretary's answers, the
freeze, and a reopen with a reason that keeps what was published in the audit log.

- ``compute(scoring)`` reads the lines (two queries) and returns one ``Result`` per agency, best
  first; ``rank(rows, rules)`` is the pure part the table-driven tests feed.
- ``ranking_publish`` / ``objection_add`` / ``objection_answer`` / ``ranking_freeze`` /
  ``ranking_reopen`` go through ``ROUND_FLOW.run`` (locked, checked, audited).
- Frozen results never change silently: ``RankingEntry`` rows are written by the publication only
  and deleted by a reopen (their values kept in the audit entry); every freeze writes a
  ``RankingRecord`` (the PDF's source and the year-end minutes' ranking).
"""

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import (
    LineKind,
    LineState,
    Objection,
    RankingEntry,
    RankingRecord,
    RoundState,
    ScoreLine,
    ScoreSheet,
    ScoringRound,
    SheetState,
)
from awards.selectors import rules_of
from awards.workflow import ROUND_FLOW
from blocs.models import Membership, Role, User
from core.cleaning import clean_text
from core.notifications import notify

ZERO = Decimal("0.00")
OBJECTION_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Row:
    """What ``rank`` needs of one agency: the points that count on each kind of line."""

    agency_id: int
    agency_name: str
    criteria: tuple = ()  # points of the criterion lines (None: not claimed)
    claimed: tuple = ()  # the agency's own points of the criterion lines
    bonus: tuple = ()
    bonus_claimed: tuple = ()
    penalty: tuple = ()
    penalty_claimed: tuple = ()
    partial_year: bool = False


@dataclass(frozen=True)
class Result:
    agency_id: int
    agency_name: str
    self_total: Decimal
    criteria_total: Decimal
    bonus: Decimal
    penalty: Decimal
    total: Decimal
    has_zero_criterion: bool
    band: str
    rank: int
    tied: bool
    partial_year: bool

    @property
    def difference(self) -> Decimal:
        """Checked total minus the agency's own total (negative: the check took points off)."""
        return self.total - self.self_total


def _sum(points) -> Decimal:
    return sum((Decimal(p) for p in points if p is not None), ZERO)


def _capped(points, cap) -> Decimal:
    total = _sum(points)
    return min(total, Decimal(cap)) if cap is not None else total


def _total(criteria, bonus, penalty, rules):
    criteria_total = _sum(criteria)
    bonus_total, penalty_total = _capped(bonus, rules.bonus_cap), _capped(penalty, rules.penalty_cap)
    return criteria_total, bonus_total, penalty_total, criteria_total + bonus_total - penalty_total


def rank(rows, rules) -> list[Result]:
    """Totals (bonus and penalty each capped by the rule set), bands and ranks, best first. Equal
    totals share a rank (the next rank skips: 1, 1, 3) and are flagged ``tied``; they are listed
    by agency name; the rule set's ``tie_break`` says who decides between them."""
    scored = []
    for row in rows:
        criteria_total, bonus, penalty, total = _total(row.criteria, row.bonus, row.penalty, rules)
        *_parts, self_total = _total(row.claimed, row.bonus_claimed, row.penalty_claimed, rules)
        has_zero = any(p is None or Decimal(p) == 0 for p in row.criteria)
        band = rules.band_for(total, has_zero_criterion=has_zero)
        scored.append((row, criteria_total, bonus, penalty, total, self_total, has_zero, band.name if band else ""))
    scored.sort(key=lambda item: (-item[4], item[0].agency_name, item[0].agency_id))
    counts = {}
    for item in scored:
        counts[item[4]] = counts.get(item[4], 0) + 1
    results, previous_total, previous_rank = [], None, 0
    for position, (row, criteria_total, bonus, penalty, total, self_total, has_zero, band) in enumerate(scored, start=1):
        place = previous_rank if total == previous_total else position
        previous_total, previous_rank = total, place
        results.append(Result(
            agency_id=row.agency_id, agency_name=row.agency_name, self_total=self_total, criteria_total=criteria_total,
            bonus=bonus, penalty=penalty, total=total, has_zero_criterion=has_zero, band=band, rank=place,
            tied=counts[total] > 1, partial_year=row.partial_year,
        ))
    return results


def rows_of(scoring: ScoringRound) -> list[Row]:
    """The lines of every sheet of the round as ``Row``s: two queries."""
    sheets = list(ScoreSheet.objects.filter(round=scoring).values_list("pk", "agency_id", "agency__name", "partial_year"))
    parts = {pk: {"criteria": [], "claimed": [], "bonus": [], "bonus_claimed": [], "penalty": [], "penalty_claimed": []}
             for pk, *_rest in sheets}
    lines = ScoreLine.objects.filter(sheet__round=scoring).only("sheet_id", "kind", "claimed_points", "checked_points", "check_state")
    for line in lines:
        part = parts[line.sheet_id]
        key = {LineKind.CRITERION: "criteria", LineKind.BONUS: "bonus", LineKind.PENALTY: "penalty"}[line.kind]
        part[key].append(line.points)
        part["claimed" if key == "criteria" else f"{key}_claimed"].append(line.claimed_points)
    return [
        Row(agency_id=agency_id, agency_name=name, partial_year=partial, **{k: tuple(v) for k, v in parts[pk].items()})
        for pk, agency_id, name, partial in sheets
    ]


def rules_of_round(scoring: ScoringRound):
    return rules_of(scoring.rule_set)


def compute(scoring: ScoringRound, rules=None) -> list[Result]:
    """The live ranking of ``scoring`` from its lines (two queries, plus the rule set once)."""
    return rank(rows_of(scoring), rules or rules_of_round(scoring))


def tie_break(rules) -> dict:
    """How the rule set decides between equal totals: the value as displayed and its source."""
    value = rules.values.get("tie_break")
    return {"text": value.display if value else "", "source": value.source if value else ""}


# --- readiness ---------------------------------------------------------------------------------


def missing_for_publication(scoring: ScoringRound) -> list[str]:
    """What keeps the round from being published: sheets not submitted, lines still to check
    (pending, queried, answered). Empty when it is ready. Two queries."""
    missing = []
    unsent = list(
        ScoreSheet.objects.filter(round=scoring).exclude(state=SheetState.SUBMITTED).order_by("agency__name").values_list("agency__name", flat=True)
    )
    if unsent:
        missing.append(_("Phiếu chưa gửi khối: %(agencies)s.") % {"agencies": ", ".join(unsent)})
    open_lines = (
        ScoreLine.objects.filter(sheet__round=scoring, check_state__in=[LineState.PENDING, LineState.QUERIED, LineState.ANSWERED])
        .values("sheet__agency__name").annotate(n=Count("pk")).order_by("sheet__agency__name")
    )
    unchecked = [f"{row['sheet__agency__name']} ({row['n']})" for row in open_lines]
    if unchecked:
        missing.append(_("Dòng chưa kiểm tra xong (chờ kiểm tra, chờ bổ sung hoặc đã trả lời): %(agencies)s.") % {"agencies": ", ".join(unchecked)})
    return missing


def _entry_values(entry: RankingEntry) -> dict:
    return {
        "agency_id": entry.agency_id, "agency": entry.agency.name, "self_total": str(entry.self_total),
        "criteria_total": str(entry.criteria_total), "bonus": str(entry.bonus), "penalty": str(entry.penalty),
        "total": str(entry.total), "has_zero_criterion": entry.has_zero_criterion, "band": entry.band,
        "rank": entry.rank, "tied": entry.tied, "partial_year": entry.partial_year,
    }


def _member_users(scoring):
    agencies = Membership.objects.filter(bloc_year_id=scoring.bloc_year_id).values("agency_id")
    return User.objects.filter(
        is_active=True, role_assignments__role__in=[Role.LEADER, Role.OFFICER], role_assignments__agency_id__in=agencies
    ).distinct()


# --- transitions -------------------------------------------------------------------------------


def ranking_publish(*, actor, scoring: ScoringRound, ip=None) -> ScoringRound:
    """Publish the draft ranking to the members: every sheet submitted and every line checked
    (the refusal lists what is missing). Writes the ``RankingEntry`` rows and the objection
    deadline (today + the rule set's ``objection_window_days``); notifies the members."""

    def apply(row):
        missing = missing_for_publication(row)
        if missing:
            raise ValidationError([_("Chưa công bố được kết quả dự kiến."), *missing])
        rules = rules_of_round(row)
        results = compute(row, rules)
        RankingEntry.objects.filter(round=row).delete()
        RankingEntry.objects.bulk_create(
            RankingEntry(
                round=row, agency_id=r.agency_id, self_total=r.self_total, criteria_total=r.criteria_total, bonus=r.bonus,
                penalty=r.penalty, total=r.total, has_zero_criterion=r.has_zero_criterion, band=r.band, rank=r.rank,
                tied=r.tied, partial_year=r.partial_year,
            )
            for r in results
        )
        row.published_at = timezone.now()
        days = rules.objection_window_days or 0
        row.objection_deadline = timezone.localdate() + timedelta(days=int(days))
        row.frozen_at, row.frozen_by = None, None
        return {
            "objection_deadline": row.objection_deadline.isoformat(),
            "totals": {str(r.agency_id): str(r.total) for r in results},
        }

    scoring = ROUND_FLOW.run("publish", obj=scoring, actor=actor, ip=ip, apply=apply)
    notify(
        users=_member_users(scoring),
        message=_("Kết quả chấm điểm dự kiến của %(bloc_year)s đã công bố; góp ý đến hết ngày %(day)s.")
        % {"bloc_year": scoring.bloc_year, "day": scoring.objection_deadline.strftime("%d/%m/%Y")},
        url=score_table_url(scoring),
    )
    return scoring


def score_table_url(scoring):
    from django.urls import reverse

    return reverse("awards:score_table", args=[scoring.pk])


def _clean(text, *, field, max_length):
    text = clean_text(text or "", multiline=True)
    if not text:
        raise ValidationError({field: _("Hãy nhập nội dung.")})
    if len(text) > max_length:
        raise ValidationError({field: _("Nội dung dài quá %(n)s ký tự.") % {"n": max_length}})
    return text


def objection_add(*, actor, scoring: ScoringRound, text: str, ip=None) -> Objection:
    """A member agency's comment on the published draft (its people, while it is published)."""
    text = _clean(text, field="text", max_length=OBJECTION_MAX_LENGTH)
    created = {}

    def apply(row):
        agency_id = _agency_of(actor, row)
        if agency_id is None:
            raise ValidationError(_("Đồng chí không thuộc đơn vị thành viên của khối."))
        if Objection.objects.filter(round=row, author=actor, text=text, answer="").exists():
            raise ValidationError(_("Góp ý này đã được gửi."))
        created["objection"] = Objection.objects.create(round=row, agency_id=agency_id, author=actor, text=text)
        return {"objection": created["objection"].pk, "agency": agency_id}

    scoring = ROUND_FLOW.run("object", obj=scoring, actor=actor, ip=ip, apply=apply)
    secretaries = User.objects.filter(is_active=True, role_assignments__role=Role.SECRETARY, role_assignments__bloc_year_id=scoring.bloc_year_id)
    notify(users=secretaries, message=_("Có góp ý mới về kết quả chấm điểm dự kiến của %(bloc_year)s.") % {"bloc_year": scoring.bloc_year},
           url=score_table_url(scoring))
    return created["objection"]


def _agency_of(actor, scoring):
    from blocs.access import roles_of

    agency_id = roles_of(actor).agency_id
    if agency_id is None or not Membership.objects.filter(bloc_year_id=scoring.bloc_year_id, agency_id=agency_id).exists():
        return None
    return agency_id


def objection_answer(*, actor, objection: Objection, answer: str, ip=None) -> Objection:
    """The secretary's answer to an objection (once; while the draft is published)."""
    answer = _clean(answer, field="answer", max_length=OBJECTION_MAX_LENGTH)

    def apply(row):
        current = Objection.objects.select_for_update().get(pk=objection.pk, round=row)
        if current.answer:
            raise ValidationError(_("Góp ý này đã được trả lời."))
        current.answer, current.answered_by, current.answered_at = answer, actor, timezone.now()
        current.save(update_fields=["answer", "answered_by", "answered_at"])
        objection.__dict__.update(answer=current.answer, answered_by_id=actor.pk, answered_at=current.answered_at)
        return {"objection": current.pk}

    ROUND_FLOW.run("answer_objection", obj=objection.round, actor=actor, ip=ip, apply=apply)
    notify(users=[objection.author_id], message=_("Góp ý của đồng chí về kết quả chấm điểm dự kiến đã được trả lời."),
           url=score_table_url(objection.round))
    return objection


def unanswered_objections(scoring) -> int:
    return Objection.objects.filter(round=scoring, answer="").count()


def snapshot_of(scoring: ScoringRound) -> dict:
    """The frozen ranking as printed: the bloc, the year and the published rows."""
    entries = RankingEntry.objects.filter(round=scoring).select_related("agency").order_by("rank", "agency__name")
    bloc_year = scoring.bloc_year
    rules = rules_of_round(scoring)
    return {
        "bloc": bloc_year.bloc.name,
        "year": bloc_year.year,
        "province": bloc_year.bloc.province.name,
        "rule_set": rules.name,
        "tie_break": tie_break(rules),
        "rows": [_entry_values(e) for e in entries],
    }


def ranking_freeze(*, actor, scoring: ScoringRound, ip=None) -> ScoringRound:
    """Freeze the published draft: every objection answered (also before the objection deadline,
    which is then allowed only because nothing is left unanswered). Writes a ``RankingRecord``
    and issues the score-table PDF after the commit."""
    record = {}

    def apply(row):
        left = unanswered_objections(row)
        if left:
            raise ValidationError(
                _("Còn %(n)s góp ý chưa trả lời: trả lời hết rồi mới chốt được kết quả.") % {"n": left}
            )
        now = timezone.now()
        row.frozen_at, row.frozen_by = now, actor
        snapshot = snapshot_of(row)
        digest = hashlib.sha256(json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        number = (RankingRecord.objects.filter(round=row).order_by("-number").values_list("number", flat=True).first() or 0) + 1
        record["row"] = RankingRecord.objects.create(
            round=row, number=number, frozen_at=now, frozen_by=actor, snapshot=snapshot, content_hash=digest
        )
        early = row.objection_deadline is not None and timezone.localdate() <= row.objection_deadline
        return {"record": record["row"].pk, "content_hash": digest, "before_deadline": early}

    scoring = ROUND_FLOW.run("freeze", obj=scoring, actor=actor, ip=ip, apply=apply,
                             on_commit=[lambda: _issue(record["row"])])
    notify(users=_member_users(scoring), message=_("Kết quả chấm điểm của %(bloc_year)s đã được chốt.") % {"bloc_year": scoring.bloc_year},
           url=score_table_url(scoring))
    return scoring


def _issue(record):
    from awards.scoring.documents import issue

    issue(record)


def ranking_reopen(*, actor, scoring: ScoringRound, reason: str, ip=None) -> ScoringRound:
    """Take a published or frozen ranking back to open (reason required): the ``RankingEntry``
    rows are deleted and their values kept in the audit entry; the history shows it."""
    reason = _clean(reason, field="reason", max_length=REASON_MAX_LENGTH)

    def apply(row):
        entries = list(RankingEntry.objects.filter(round=row).select_related("agency").order_by("rank", "agency__name"))
        values = [_entry_values(e) for e in entries]
        RankingEntry.objects.filter(round=row).delete()
        was = {"published_at": row.published_at.isoformat() if row.published_at else None,
               "frozen_at": row.frozen_at.isoformat() if row.frozen_at else None}
        row.published_at = row.objection_deadline = row.frozen_at = None
        row.frozen_by = None
        return {"reason": reason, "ranking": values, **was}

    scoring = ROUND_FLOW.run("reopen", obj=scoring, actor=actor, ip=ip, apply=apply)
    notify(users=_member_users(scoring),
           message=_("Kết quả chấm điểm của %(bloc_year)s được mở lại để sửa: %(reason)s") % {"bloc_year": scoring.bloc_year, "reason": reason},
           url=score_table_url(scoring))
    return scoring


# --- the round page's panel ------------------------------------------------------------------------


def ranking_panel(scoring: ScoringRound, user) -> dict:
    """The ranking part of the round page: the buttons the user may press now and the objection
    counts (at most two queries: the workflow's answers, the counts)."""
    actions = ROUND_FLOW.actions(scoring, user)
    counts = {"total": 0, "open": 0}
    if scoring.state != RoundState.OPEN:
        counts = Objection.objects.filter(round=scoring).aggregate(total=Count("pk"), open=Count("pk", filter=Q(answer="")))
    return {
        "ranking_actions": actions,
        "ranking_objections": counts["total"],
        "ranking_objections_open": counts["open"],
        "ranking_deadline_open": bool(scoring.objection_deadline and timezone.localdate() <= scoring.objection_deadline),
    }


def result_dict(result: Result) -> dict:
    return {**asdict(result), "difference": result.difference}
