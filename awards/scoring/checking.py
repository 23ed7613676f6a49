"""The bloc's cross-check of submitted sheets, line by line (issue 10).

A checker (the secretaries, a panel agency or the paired agency: ``awards.check_line``) accepts a
line (checked points = claimed), adjusts it (points within the line's bounds, a multiple of the
rule set's step, with a required reason) or queries it (a required question; the agency's
writers are told). Every change goes through ``LINE_FLOW.run``; the rule keeps a checker off
their own agency and the guard keeps it to submitted sheets of an open round.

Two checkers on one line: the caller passes the line's ``revision`` its page was loaded with.
Under the row lock a different revision raises ``StaleLine`` (who checked it, when, what they
set) and nothing is written; the same post sent twice by the same checker is taken as done.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import LineKind, LineState, RoundState, ScoreLine, ScoreSheet, SheetState
from awards.reminders import answer_key
from awards.scoring.points import POINTS_LIMIT, fmt, parse_decimal, step_of
from awards.selectors import rules_of
from awards.workflow import LINE_FLOW
from blocs.models import Role, RoleAssignment, User
from core.access import restrict, rule_q
from core.cleaning import clean_text
from core.notifications import notify

NOTE_MAX_LENGTH = 2000


def line_label(line: ScoreLine) -> str:
    if line.kind == LineKind.CRITERION and line.criterion_id:
        text = line.criterion.text
    else:
        text = f"{line.get_kind_display()}: {line.reason}"
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79] + "…"


class StaleLine(ValidationError):
    """The page was loaded before someone else changed the line; ``line`` is the line as saved now."""

    def __init__(self, message, *, line: ScoreLine):
        super().__init__(message, code="stale")
        self.line = line


def _what_was_set(row: ScoreLine) -> str:
    if row.check_state == LineState.ACCEPTED:
        return _("chấp nhận %(points)s điểm") % {"points": fmt(row.checked_points)}
    if row.check_state == LineState.ADJUSTED:
        return _("điều chỉnh thành %(points)s điểm (lý do: %(note)s)") % {"points": fmt(row.checked_points), "note": row.check_note}
    if row.check_state == LineState.QUERIED:
        return _("yêu cầu bổ sung minh chứng (“%(note)s”)") % {"note": row.check_note}
    return str(row.get_check_state_display())


def stale_message(row: ScoreLine) -> str:
    label = line_label(row)
    if row.check_state in (LineState.ACCEPTED, LineState.ADJUSTED, LineState.QUERIED) and row.checked_by_id:
        when = timezone.localtime(row.checked_at).strftime("%H:%M %d/%m/%Y") if row.checked_at else "…"
        return _(
            "Dòng “%(line)s” đã được %(name)s kiểm tra lúc %(when)s: %(what)s. Trang anh/chị đang xem đã cũ; "
            "hãy xem lại dòng này rồi quyết định lại."
        ) % {"line": label, "name": row.checked_by.get_full_name(), "when": when, "what": _what_was_set(row)}
    return _(
        "Dòng “%(line)s” đã thay đổi sau khi anh/chị mở trang (hiện: %(state)s). Hãy xem lại dòng này rồi quyết định lại."
    ) % {"line": label, "state": row.get_check_state_display()}


# --- checks on the numbers and texts --------------------------------------------------------


def _note(text, *, message: str) -> str:
    note = clean_text(str(text or ""), multiline=True, max_length=NOTE_MAX_LENGTH)
    if not note:
        raise ValidationError({"note": message})
    return note


def _points(value) -> Decimal:
    message = _("Điểm phải là một số, ví dụ 9,5.")
    try:
        points = value if isinstance(value, Decimal) else parse_decimal(value, maximum=POINTS_LIMIT)
    except ValidationError as error:
        raise ValidationError({"points": _("Điểm quá lớn.") if error.code == "too_big" else message}) from None
    if points is None or not points.is_finite():
        raise ValidationError({"points": message})
    if points < 0:
        raise ValidationError({"points": _("Điểm không được âm.")})
    if points > POINTS_LIMIT:
        raise ValidationError({"points": _("Điểm quá lớn.")})
    return points


def check_points(row: ScoreLine, points: Decimal) -> None:
    """Points the line may hold: 0..max for a criterion, the sheet's bonus (penalty) total within
    the cap, a multiple of the rule set's step."""
    rules = rules_of(row.sheet.round.rule_set)
    step = step_of(rules)
    if points % step != 0:
        raise ValidationError({"points": _("Điểm phải là bội số của %(step)s (bước điểm của quy chế), ví dụ %(a)s hoặc %(b)s.")
                               % {"step": fmt(step), "a": fmt((points // step) * step), "b": fmt((points // step + 1) * step)}})
    if row.kind == LineKind.CRITERION:
        maximum = row.criterion.max_points
        if points > maximum:
            raise ValidationError({"points": _("Điểm của tiêu chí này từ 0 đến %(max)s.") % {"max": fmt(maximum)}})
        return
    cap = rules.bonus_cap if row.kind == LineKind.BONUS else rules.penalty_cap
    if cap is None:
        return
    others = sum(
        (line.points or 0 for line in ScoreLine.objects.filter(sheet_id=row.sheet_id, kind=row.kind).exclude(pk=row.pk)),
        Decimal(0),
    )
    if others + points > cap:
        what = _("điểm thưởng") if row.kind == LineKind.BONUS else _("điểm trừ")
        raise ValidationError({"points": _(
            "Tổng %(what)s của phiếu sẽ là %(total)s, vượt mức tối đa %(cap)s của quy chế (các dòng khác đã có %(others)s)."
        ) % {"what": what, "total": fmt(others + points), "cap": fmt(cap), "others": fmt(others)}})


# --- the three actions ---------------------------------------------------------------------


def _same_post(row: ScoreLine, *, actor, state, points, note) -> bool:
    """The line already holds what this checker posts (a double click, a resent form)."""
    return (
        row.checked_by_id == actor.pk and row.check_state == state
        and (points is None or row.checked_points == points) and row.check_note == note
    )


def _run(name: str, *, actor, line: ScoreLine, revision: int, ip, state, points, note, extra=None) -> tuple[ScoreLine, bool]:
    """Lock the line, compare the revision the page saw, then take the transition; returns the
    row and whether it was changed (False: the same post again, already done)."""
    with transaction.atomic():
        row = LINE_FLOW.lock(line)
        if revision != row.revision:
            # Only a checker hears who checked it (the workflow asks the rule again below).
            if not ScoreLine.objects.filter(rule_q(actor, "awards.check_line"), pk=row.pk).exists():
                raise PermissionDenied
            if revision == row.revision - 1 and _same_post(row, actor=actor, state=state, points=points, note=note):
                return row, False
            raise StaleLine(stale_message(row), line=row)

        def apply(locked):
            before = {"points": str(locked.checked_points) if locked.checked_points is not None else None, "note": locked.check_note}
            if extra is not None:
                extra(locked)
            locked.checked_points = points if points is not None else locked.checked_points
            locked.check_note = note
            locked.checked_by = actor
            locked.checked_at = timezone.now()
            locked.revision += 1
            return {
                "points": str(locked.checked_points) if locked.checked_points is not None else None,
                "note": note, "before": before, "revision": locked.revision,
            }

        return LINE_FLOW.run(name, obj=row, actor=actor, ip=ip, apply=apply), True


def line_accept(*, actor: User, line: ScoreLine, revision: int, ip: str | None = None) -> ScoreLine:
    """The checker agrees with the agency: checked points = claimed points."""

    def extra(row):
        if row.claimed_points is None:
            raise ValidationError(_("Dòng này chưa có điểm tự chấm: hãy điều chỉnh điểm và ghi lý do."))
        row.checked_points = row.claimed_points

    return _run("accept", actor=actor, line=line, revision=revision, ip=ip, state=LineState.ACCEPTED, points=None, note="",
                extra=extra)[0]


def line_adjust(*, actor: User, line: ScoreLine, points, reason: str, revision: int, ip: str | None = None) -> ScoreLine:
    """The checker sets other points, with a reason the agency and the bloc will read."""
    errors = {}
    try:
        points = _points(points)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        note = _note(reason, message=_("Hãy ghi lý do điều chỉnh điểm."))
    except ValidationError as error:
        errors.setdefault("note", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)

    def extra(row):
        check_points(row, points)

    return _run("adjust", actor=actor, line=line, revision=revision, ip=ip, state=LineState.ADJUSTED, points=points, note=note,
                extra=extra)[0]


def sheet_url(sheet_id: int, line_id: int | None = None) -> str:
    """The agency's sheet page (at the line), when the sheets' pages exist."""
    try:
        url = reverse("awards:sheet_detail", args=[sheet_id])
    except NoReverseMatch:
        return ""
    return f"{url}#line-{line_id}" if line_id else url


def writers_of(agency_id: int):
    """The agency's officers and leaders: who write and answer its sheet."""
    user_ids = RoleAssignment.objects.filter(role__in=[Role.OFFICER, Role.LEADER], agency_id=agency_id).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk")


def line_query(*, actor: User, line: ScoreLine, question: str, revision: int, ip: str | None = None) -> ScoreLine:
    """The checker asks for more evidence: the line goes back to the agency with the question."""
    note = _note(question, message=_("Hãy ghi nội dung cần đơn vị bổ sung, giải trình."))
    row, changed = _run("query", actor=actor, line=line, revision=revision, ip=ip, state=LineState.QUERIED, points=None, note=note)
    if changed:
        message = _("%(checker)s yêu cầu %(agency)s bổ sung minh chứng cho dòng “%(line)s”: %(question)s") % {
            "checker": actor.get_full_name(), "agency": row.sheet.agency.name, "line": line_label(row), "question": note,
        }
        notify(users=writers_of(row.sheet.agency_id), message=message, url=sheet_url(row.sheet_id, row.pk), key=answer_key(row))
    return row


@transaction.atomic
def sheet_check_all_accept(*, actor: User, sheet: ScoreSheet, revisions: Mapping[int, int], ip: str | None = None) -> list[ScoreLine]:
    """"Chấp nhận tất cả dòng còn lại": accept every line of ``revisions`` (``{line id: revision
    seen}``) still waiting for a check. All or nothing: a line someone else changed since the page
    was loaded (``StaleLine``) or a refused one writes none; lines this checker decided meanwhile
    are no longer "remaining" and are left as decided."""
    lines = list(
        ScoreLine.objects.filter(sheet=sheet, pk__in=list(revisions), check_state=LineState.PENDING).order_by("kind", "position", "pk")
    )
    seen = {line.pk for line in lines}
    already = []
    for line_id, revision in revisions.items():
        if line_id in seen:
            continue
        moved = ScoreLine.objects.filter(sheet=sheet, pk=line_id).select_related("checked_by", "criterion").first()
        if moved is None or moved.revision == revision:
            continue
        if moved.revision == revision + 1 and _same_post(moved, actor=actor, state=LineState.ACCEPTED, points=None, note=""):
            already.append(moved)  # this very form, sent twice
        elif moved.checked_by_id != actor.pk:
            raise StaleLine(stale_message(moved), line=moved)
        # else: decided by this checker on the same page since (one line at a time): no longer "remaining".
    if not lines and not already:
        raise ValidationError(_("Không còn dòng nào chờ kiểm tra."))
    return already + [line_accept(actor=actor, line=line, revision=revisions[line.pk], ip=ip) for line in lines]


# --- reading -------------------------------------------------------------------------------


def checkable_sheets(user):
    """Sheets ``user`` checks (``awards.check_sheet``)."""
    return restrict(ScoreSheet.objects.all(), user, "awards.check_sheet")


@dataclass(frozen=True)
class LineCounts:
    pending: int = 0
    answered: int = 0
    queried: int = 0
    accepted: int = 0
    adjusted: int = 0
    sheets: int = 0

    @property
    def total(self):
        return self.pending + self.answered + self.queried + self.accepted + self.adjusted

    @property
    def to_do(self):
        return self.pending + self.answered

    @property
    def done(self):
        return self.accepted + self.adjusted


STATE_COUNTS = {state: Count("pk", filter=Q(check_state=state)) for state in LineState.values}


def checking_panel(scoring, user) -> dict:
    """The round page's checking part: how many lines of the sheets ``user`` checks are in each
    state. One query (none for who cannot check there)."""
    if user is None or not user.is_authenticated:
        return {"checking": None}
    lines = ScoreLine.objects.filter(
        Q(sheet__in=ScoreSheet.objects.filter(rule_q(user, "awards.check_sheet"), round_id=scoring.pk).values("pk")),
        sheet__state=SheetState.SUBMITTED,
    )
    totals = lines.aggregate(**STATE_COUNTS, sheets=Count("sheet", distinct=True))
    counts = LineCounts(**{k: v or 0 for k, v in totals.items()})
    if not counts.sheets and not ScoreSheet.objects.filter(rule_q(user, "awards.check_sheet"), round_id=scoring.pk).exists():
        return {"checking": None}
    try:
        queue = reverse("awards:check_queue")
    except NoReverseMatch:  # pragma: no cover - the URL is this module's own
        queue = ""
    return {"checking": {"counts": counts, "queue_url": queue, "open": scoring.state == RoundState.OPEN}}


QUEUE_PER_PAGE = 50


def queue_page(user, number):
    """The sheets ``user`` checks in open rounds, a page of them: newest bloc-year first, then the
    latest submitted; with per-state line counts. Two queries (the count, the page's rows with
    their counts, grouped over that page alone)."""
    from core.pagination import paginate

    sheets = checkable_sheets(user).filter(round__state=RoundState.OPEN).order_by(
        "-round__bloc_year__year", "round__bloc_year__bloc__name", "round_id",
        F("submitted_at").desc(nulls_last=True), "agency__name",
    )

    def decorate(rows):
        return rows.select_related("agency", "round__bloc_year__bloc").annotate(
            **{f"n_{state}": Count("lines", filter=Q(lines__check_state=state)) for state in LineState.values},
            n_lines=Count("lines"),
        )

    page = paginate(sheets, number, per_page=QUEUE_PER_PAGE, decorate=decorate)
    for sheet in page.object_list:
        sheet.counts = LineCounts(**{state: getattr(sheet, f"n_{state}") for state in LineState.values})
        sheet.is_submitted = sheet.state == SheetState.SUBMITTED
    return page


@dataclass(frozen=True)
class Totals:
    criteria: Decimal
    bonus: Decimal
    penalty: Decimal
    total: Decimal


def _totals(lines, points_of, rules) -> Totals:
    sums = {kind: Decimal(0) for kind in LineKind.values}
    for line in lines:
        points = points_of(line)
        if points is not None:
            sums[line.kind] += points
    bonus, penalty = sums[LineKind.BONUS], sums[LineKind.PENALTY]
    if rules.bonus_cap is not None:
        bonus = min(bonus, rules.bonus_cap)
    if rules.penalty_cap is not None:
        penalty = min(penalty, rules.penalty_cap)
    criteria = sums[LineKind.CRITERION]
    return Totals(criteria, bonus, penalty, criteria + bonus - penalty)


KIND_ORDER = {LineKind.CRITERION: 0, LineKind.BONUS: 1, LineKind.PENALTY: 2}  # as the sheet reads


@dataclass(frozen=True)
class SheetCheck:
    """What the check page shows of a sheet: its lines, the rules, totals and counts."""

    sheet: ScoreSheet
    lines: list
    rules: object
    claimed: Totals
    current: Totals
    counts: LineCounts
    open_for_check: bool


def sheet_check(sheet: ScoreSheet, *, may_check: bool) -> SheetCheck:
    """The sheet's lines (criterion, checker, evidence) and totals: three queries whatever the size
    (the lines, their evidence, the rule set once cached). ``line.allowed`` says which of
    accept/adjust/query the page offers: the ``awards.check_line`` rule is ``awards.check_sheet``
    reached through the line, and the workflow's guard is the sheet's state and its round's, so
    the sheet's answer and the line's state decide, without a query per line."""
    from django.db.models import Prefetch

    from awards.models import Evidence

    lines = sorted(
        ScoreLine.objects.filter(sheet=sheet).select_related("criterion", "checked_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk"))),
        key=lambda line: (KIND_ORDER.get(line.kind, 9), line.position, line.pk),
    )
    rules = rules_of(sheet.round.rule_set)
    open_for_check = may_check and sheet.state == SheetState.SUBMITTED and sheet.round.state == RoundState.OPEN
    counts = {state: 0 for state in LineState.values}
    for line in lines:
        counts[line.check_state] += 1
        line.allowed = {
            name: open_for_check and line.check_state in LINE_FLOW[name].source for name in ("accept", "adjust", "query")
        }
        line.allowed["accept"] = line.allowed["accept"] and line.check_state != LineState.ACCEPTED  # nothing to do
        line.difference = (
            line.checked_points - (line.claimed_points or 0)
            if line.check_state in (LineState.ACCEPTED, LineState.ADJUSTED) and line.checked_points is not None else None
        )
        # Lower criterion or bonus points, or a higher penalty, count against the agency.
        line.difference_bad = line.difference is not None and (
            line.difference > 0 if line.kind == LineKind.PENALTY else line.difference < 0
        )
        line.maximum = line.criterion.max_points if line.criterion_id else (
            rules.bonus_cap if line.kind == LineKind.BONUS else rules.penalty_cap
        )
    return SheetCheck(
        sheet=sheet, lines=lines, rules=rules,
        claimed=_totals(lines, lambda line: line.claimed_points, rules),
        current=_totals(lines, lambda line: line.points, rules),
        counts=LineCounts(**counts, sheets=1), open_for_check=open_for_check,
    )
