"""Eligibility checks of nominations, computed from the bloc-year's rule set and the records (never
stored): each check passes, fails, warns or does not apply, with its reason and the text it comes from.

- ``checks_for(bloc_year, nominations=None)`` → ``{nomination pk: [Check, …]}`` for the bloc-year's
  nominations (or the ones given), in a fixed number of queries whatever their number and however
  many years the look-back rules reach: the ranking, the members, the agencies, the pending cases,
  the award records and the earlier years' ranking rows are each read once.
- ``checks_for_candidate(bloc_year, award_type, agency)``: the same checks for a nomination not yet
  made (the propose form; it counts itself in the quotas).
- ``problems(nomination, checks)``: what blocks a submission, in Vietnamese: the failed hard checks,
  and the warnings while the nomination has no written justification.

Statuses: a hard check that is not met ``fail``s; a warning that is not met ``warn``s (so does a
condition the portal cannot verify, and a first place shared with another agency); ``na``: the
rule does not apply (e.g. the award bars of NĐ 152/2025 in a year under NĐ 98/2023).
"""

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from awards.models import (
    AwardRecord,
    ConditionKind,
    Nomination,
    NominationState,
    PendingCase,
    RankingEntry,
    RatingBand,
    RoundState,
    ScoringRound,
)
from awards.selectors import NoRuleSet, reference_date, rules_for
from blocs.models import Agency, AgencyStatus, Membership

PASS, FAIL, WARN, NA = "pass", "fail", "warn", "na"
SYMBOLS = {PASS: "✓", FAIL: "✗", WARN: "!", NA: "–"}

# Nominations that no longer count against a quota.
DEAD_STATES = (NominationState.NOT_PASSED, NominationState.REJECTED)
# The award codes the province-wide cap relates (the codes of the seeded award types).
GOVERNMENT_FLAG = "co-chinh-phu"
PROVINCE_FLAG = "co-ubnd-tinh"


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    status: str  # "pass" | "fail" | "warn" | "na"
    hard: bool
    reason: str
    source: str

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.status]

    @property
    def failed(self) -> bool:
        return self.status == FAIL

    @property
    def warning(self) -> bool:
        return self.status == WARN


@dataclass(frozen=True)
class _Candidate:
    """What the checks read of a nomination (a saved one, or one the propose form is about)."""

    pk: int | None
    agency_id: int
    award_type_id: int
    state: str = NominationState.PROPOSED


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def number_text(value) -> str:
    if isinstance(value, Decimal):
        value = value.normalize()
        text = format(value, "f")
    else:
        text = str(value)
    return text.replace(".", ",")


def cp_cap(percent, base: int) -> int:
    """How many Cờ CP proposals the province may make: ``percent`` % of ``base`` rounded down, as the
    source reads ("≤ 20 %"). No minimum is invented: in a small province (20 % of 3 is 0) the bloc
    sees a warning and the board decides."""
    if base <= 0:
        return 0
    return math.floor(Decimal(percent) * base / 100)


# --- loading, once per call ----------------------------------------------------------------------


class _Context:
    """Everything the checks of one bloc-year read, loaded in a fixed number of queries."""

    def __init__(self, bloc_year, rules, candidates):
        self.bloc_year = bloc_year
        self.rules = rules
        self.year = bloc_year.year
        self.ref = reference_date(bloc_year)
        self.awards = {a.pk: a for a in rules.award_types}
        self.award_names = {a.code: a.name for a in rules.award_types}
        agency_ids = sorted({c.agency_id for c in candidates})
        self.agencies = Agency.objects.select_related("successor").in_bulk(agency_ids)
        self.members = set(Membership.objects.filter(bloc_year=bloc_year).values_list("agency_id", flat=True))
        scoring = ScoringRound.objects.filter(bloc_year=bloc_year).values("pk", "state", "rule_set_id").first()
        self.frozen = scoring is not None and scoring["state"] == RoundState.FROZEN
        self.round_rule_set_id = scoring["rule_set_id"] if scoring else None
        self.ranking = {}
        if self.frozen:
            self.ranking = {e.agency_id: e for e in RankingEntry.objects.filter(round_id=scoring["pk"])}
        live = list(Nomination.objects.filter(bloc_year=bloc_year).exclude(state__in=DEAD_STATES).values_list("pk", "award_type_id"))
        self.live_pks = {pk for pk, _type in live}
        self.live_by_type = Counter(type_id for _pk, type_id in live)
        # What is read depends on the rule set only, never on which or how many nominations are checked.
        conditions = [condition for award in rules.award_types for condition in award.conditions]
        self._load_province_counts()
        self._load_pending(agency_ids)
        self._load_records(agency_ids, conditions)
        self._load_history(agency_ids, conditions)

    def _load_province_counts(self):
        self.province_counts = Counter()
        if self.rules.value("cp_flag_proposal_cap") is None or self.rules.award_type(GOVERNMENT_FLAG) is None:
            return
        rows = (
            Nomination.objects.filter(bloc_year__bloc__province_id=self.bloc_year.bloc.province_id, bloc_year__year=self.year,
                                      award_type__code__in=[GOVERNMENT_FLAG, PROVINCE_FLAG])
            .exclude(state__in=DEAD_STATES).values_list("award_type__code", flat=True)
        )
        self.province_counts = Counter(rows)

    def _load_pending(self, agency_ids):
        self.pending = defaultdict(list)
        if self.rules.value("award_bars") is None or not agency_ids:
            return
        # Open on the reference date, or still open now (a case opened after the year's end while
        # the nomination is being decided bars it just the same).
        cases = PendingCase.objects.filter(agency_id__in=agency_ids).filter(
            Q(closed_on__isnull=True) | Q(opened_on__lte=self.ref, closed_on__gt=self.ref)
        ).order_by("opened_on", "pk")
        for case in cases:
            self.pending[case.agency_id].append(case)

    def _load_records(self, agency_ids, conditions):
        self.records = defaultdict(list)
        wanted = [_prior(c.value) for c in conditions if c.kind == ConditionKind.PRIOR_AWARD]
        wanted = [w for w in wanted if w is not None]
        if not wanted or not agency_ids:
            return
        years = max(y for _code, y in wanted)
        rows = AwardRecord.objects.filter(
            agency_id__in=agency_ids, award_code__in=sorted({code for code, _y in wanted}), year__lt=self.year, year__gte=self.year - years,
        ).values_list("agency_id", "award_code", "year", "award_name").order_by("-year")
        for agency_id, code, year, name in rows:
            self.records[(agency_id, code)].append((year, name))

    def _load_history(self, agency_ids, conditions):
        """The frozen ranking rows of earlier years (any bloc-year) and each round's top band."""
        self.history = {}
        self.top_bands = {}
        spans = [_years(c.value) for c in conditions if c.kind == ConditionKind.BAND_YEARS]
        spans = [n for n in spans if n is not None]
        if not spans or not agency_ids:
            return
        first_year = self.year - max(spans) + 1
        rows = list(
            RankingEntry.objects.filter(agency_id__in=agency_ids, round__state=RoundState.FROZEN,
                                        round__bloc_year__year__gte=first_year, round__bloc_year__year__lt=self.year)
            .values_list("agency_id", "round__bloc_year__year", "band", "round__rule_set_id")
        )
        rule_set_ids = {row[3] for row in rows} | ({self.round_rule_set_id} if self.round_rule_set_id else set())
        bands = RatingBand.objects.filter(rule_set_id__in=sorted(rule_set_ids)).order_by("rule_set_id", "order", "pk")
        for rule_set_id, name in bands.values_list("rule_set_id", "name"):
            self.top_bands.setdefault(rule_set_id, name)
        for agency_id, year, band, rule_set_id in rows:
            self.history[(agency_id, year)] = (band, self.top_bands.get(rule_set_id))

    def top_band_now(self):
        if self.round_rule_set_id in self.top_bands:
            return self.top_bands[self.round_rule_set_id]
        return self.rules.bands[0].name if self.rules.bands else None


def _prior(value: str):
    """``"<award code>:<years>"`` → ``(code, years)``, or None when it does not read."""
    code, sep, years = (value or "").partition(":")
    if not sep or not code.strip() or not years.strip().isdigit() or not 0 < int(years) <= 50:
        return None
    return code.strip(), int(years)


def _years(value: str):
    text = (value or "").strip()
    return int(text) if text.isdigit() and 0 < int(text) <= 50 else None


# --- the checks ----------------------------------------------------------------------------------


def _active(ctx, agency) -> Check:
    label = _("Đơn vị còn hoạt động")
    source = _("Quy định của cổng (DESIGN): đơn vị đã giải thể hoặc sáp nhập không được đề nghị khen thưởng sau ngày có hiệu lực")
    if agency is None:
        return Check("active", label, FAIL, True, _("Không tìm thấy đơn vị."), source)
    if agency.status == AgencyStatus.ACTIVE or (agency.status_date is not None and agency.status_date > ctx.ref):
        reason = _("Đơn vị đang hoạt động vào ngày %(day)s.") % {"day": _day(ctx.ref)}
        return Check("active", label, PASS, True, reason, source)
    day = _day(agency.status_date) if agency.status_date else "?"
    if agency.status == AgencyStatus.MERGED:
        successor = agency.successor.name if agency.successor_id else _("đơn vị khác")
        reason = _("Đơn vị đã sáp nhập vào %(successor)s từ ngày %(day)s.") % {"successor": successor, "day": day}
    else:
        reason = _("Đơn vị đã giải thể từ ngày %(day)s.") % {"day": day}
    return Check("active", label, FAIL, True, reason, source)


def _member(ctx, candidate) -> Check:
    bloc_year = ctx.bloc_year
    label = _("Thành viên của khối")
    if bloc_year.notice_number:
        source = _("Thông báo số %(number)s về thành viên khối năm %(year)s") % {"number": bloc_year.notice_number, "year": ctx.year}
    else:
        source = _("Danh sách thành viên khối năm %(year)s do Ban Thi đua – Khen thưởng lập") % {"year": ctx.year}
    if candidate.agency_id in ctx.members:
        return Check("member", label, PASS, True, _("Là thành viên của khối năm %(year)s.") % {"year": ctx.year}, source)
    return Check("member", label, FAIL, True, _("Không phải thành viên của khối năm %(year)s.") % {"year": ctx.year}, source)


def _bloc_quota(ctx, candidate, award) -> Check:
    label = _("Số lượng tối đa mỗi khối")
    if award.per_bloc_quota is None:
        return Check("bloc_quota", label, NA, True, _("Bộ quy tắc không giới hạn số lượng mỗi khối."), award.source)
    count = ctx.live_by_type[candidate.award_type_id]
    if candidate.pk is None or candidate.pk not in ctx.live_pks:
        count += 1
    values = {"count": count, "quota": award.per_bloc_quota}
    if count <= award.per_bloc_quota:
        return Check("bloc_quota", label, PASS, True, _("Khối đề nghị %(count)s/%(quota)s.") % values, award.source)
    return Check("bloc_quota", label, FAIL, True,
                 _("Khối đề nghị %(count)s, vượt số lượng tối đa %(quota)s mỗi khối.") % values, award.source)


def _province_cap(ctx, candidate) -> Check:
    label = _("Tỷ lệ đề nghị Cờ thi đua của Chính phủ trong tỉnh")
    percent = ctx.rules.value("cp_flag_proposal_cap")
    source = ctx.rules.source("cp_flag_proposal_cap")
    if percent is None:
        return Check("province_cap", label, NA, False, _("Bộ quy tắc không quy định tỷ lệ tối đa."), source)
    government = ctx.province_counts[GOVERNMENT_FLAG]
    if candidate.pk is None or candidate.pk not in ctx.live_pks:
        government += 1
    base = ctx.province_counts[PROVINCE_FLAG]
    cap = cp_cap(percent, base)
    values = {
        "count": government, "cap": cap, "percent": number_text(percent), "base": base,
        "flag": ctx.award_names.get(PROVINCE_FLAG, _("Cờ thi đua của UBND tỉnh")),
    }
    if government <= cap:
        reason = _("Tỉnh đề nghị %(count)s, trong mức tối đa %(cap)s (%(percent)s %% của %(base)s tập thể được đề nghị %(flag)s).")
        return Check("province_cap", label, PASS, False, reason % values, source)
    if base == 0:
        reason = _("Trong tỉnh chưa có tập thể nào được đề nghị %(flag)s năm nay: chưa tính được mức tối đa; "
                   "Ban Thi đua – Khen thưởng xem xét.")
    else:
        reason = _("Tỉnh đề nghị %(count)s, vượt mức tối đa %(cap)s (%(percent)s %% của %(base)s tập thể được đề nghị %(flag)s); "
                   "Ban Thi đua – Khen thưởng cân đối toàn tỉnh.")
    return Check("province_cap", label, WARN, False, reason % values, source)


def _not_met(condition) -> str:
    return FAIL if condition.hard else WARN


def _leads_bloc(ctx, candidate, condition) -> tuple[str, str]:
    if not ctx.frozen:
        return _not_met(condition), _("Khối chưa chốt kết quả chấm điểm năm %(year)s.") % {"year": ctx.year}
    entry = ctx.ranking.get(candidate.agency_id)
    if entry is None or entry.rank is None:
        return _not_met(condition), _("Đơn vị không có trong kết quả chấm điểm đã chốt.")
    values = {"rank": entry.rank, "total": number_text(entry.total)}
    if entry.rank == 1 and entry.tied:
        return WARN, _("Xếp thứ nhất nhưng bằng điểm với đơn vị khác (%(total)s điểm): khối giải trình lựa chọn.") % values
    if entry.rank == 1:
        return PASS, _("Xếp thứ nhất khối (%(total)s điểm).") % values
    return _not_met(condition), _("Xếp thứ %(rank)s trong khối (%(total)s điểm), không phải đơn vị dẫn đầu.") % values


def _band(ctx, candidate, condition) -> tuple[str, str]:
    entry = ctx.ranking.get(candidate.agency_id) if ctx.frozen else None
    if entry is None:
        return _not_met(condition), _("Chưa có xếp loại đã chốt của năm %(year)s.") % {"year": ctx.year}
    values = {"year": ctx.year, "band": entry.band or "—", "wanted": condition.value}
    if entry.band == condition.value:
        return PASS, _("Năm %(year)s xếp loại “%(band)s”.") % values
    return _not_met(condition), _("Năm %(year)s xếp loại “%(band)s”, không phải “%(wanted)s”.") % values


def _band_years(ctx, candidate, condition) -> tuple[str, str]:
    span = _years(condition.value)
    if span is None:
        return _not_met(condition), _("Điều kiện ghi số năm không hợp lệ (“%(value)s”).") % {"value": condition.value}
    missing, below = [], []
    for year in range(ctx.year - span + 1, ctx.year + 1):
        if year == ctx.year:
            entry = ctx.ranking.get(candidate.agency_id) if ctx.frozen else None
            found = (entry.band, ctx.top_band_now()) if entry is not None else None
        else:
            found = ctx.history.get((candidate.agency_id, year))
        if found is None:
            missing.append(year)
        elif not found[0] or found[0] != found[1]:
            below.append((year, found[0] or "—"))
    if not missing and not below:
        years = ", ".join(str(y) for y in range(ctx.year - span + 1, ctx.year + 1))
        return PASS, _("Đạt mức xếp loại cao nhất các năm %(years)s.") % {"years": years}
    parts = [_("năm %(year)s xếp loại “%(band)s”") % {"year": y, "band": b} for y, b in below]
    parts += [_("chưa có dữ liệu năm %(year)s") % {"year": y} for y in missing]
    return _not_met(condition), _("Không đủ %(n)s năm liền đạt mức cao nhất: %(parts)s.") % {"n": span, "parts": "; ".join(parts)}


def _prior_award(ctx, candidate, condition) -> tuple[str, str]:
    parsed = _prior(condition.value)
    if parsed is None:
        return _not_met(condition), _("Điều kiện ghi giá trị không hợp lệ (“%(value)s”).") % {"value": condition.value}
    code, years = parsed
    found = [(y, n) for y, n in ctx.records.get((candidate.agency_id, code), ()) if ctx.year - years <= y < ctx.year]
    if found:
        year, name = found[0]
        return PASS, _("Đã nhận %(name)s năm %(year)s.") % {"name": name, "year": year}
    values = {"name": ctx.award_names.get(code, code), "n": years, "first": ctx.year - years, "last": ctx.year - 1}
    return _not_met(condition), _("Chưa nhận %(name)s trong %(n)s năm trước (%(first)s–%(last)s).") % values


def _declared(ctx, candidate, condition) -> tuple[str, str]:
    return WARN, _("Cổng không tự kiểm tra được điều kiện này: khối xác nhận trong phần giải trình.")


_CONDITIONS = {
    ConditionKind.LEADS_BLOC: _leads_bloc,
    ConditionKind.BAND: _band,
    ConditionKind.BAND_YEARS: _band_years,
    ConditionKind.PRIOR_AWARD: _prior_award,
    ConditionKind.DECLARED: _declared,
}


def _conditions(ctx, candidate, award) -> list[Check]:
    checks, seen = [], Counter()
    for condition in award.conditions:
        seen[condition.kind] += 1
        code = condition.kind if seen[condition.kind] == 1 else f"{condition.kind}_{seen[condition.kind]}"
        evaluate = _CONDITIONS.get(condition.kind)
        if evaluate is None:
            status, reason = _not_met(condition), _("Loại điều kiện không được hỗ trợ.")
        else:
            status, reason = evaluate(ctx, candidate, condition)
        checks.append(Check(code, condition.text, status, condition.hard, reason, condition.source))
    return checks


def _pending(ctx, candidate) -> Check:
    label = _("Không có vụ việc kỷ luật, thanh tra, khiếu nại đang xử lý")
    bars = ctx.rules.value("award_bars")
    if bars is None:
        reason = _("Không áp dụng: bộ quy tắc của năm %(year)s (%(basis)s) không có quy định này.") % {
            "year": ctx.year, "basis": ctx.rules.legal_basis,
        }
        return Check("pending_case", label, NA, True, reason, "")
    source = ctx.rules.source("award_bars")
    cases = ctx.pending.get(candidate.agency_id, ())
    if not cases:
        return Check("pending_case", label, PASS, True, _("Không có vụ việc đang xử lý."), source)
    listed = "; ".join(
        _("%(kind)s (từ ngày %(day)s)") % {"kind": case.get_kind_display(), "day": _day(case.opened_on)} for case in cases
    )
    return Check("pending_case", label, FAIL, True, _("Đang có vụ việc: %(cases)s.") % {"cases": listed}, source)


def _checks(ctx, candidate) -> list[Check]:
    award = ctx.awards.get(candidate.award_type_id)
    if award is None:
        return [Check("rule_set", _("Hình thức khen thưởng"), FAIL, True,
                      _("Hình thức khen thưởng không thuộc bộ quy tắc áp dụng cho khối (%(name)s).") % {"name": ctx.rules.name}, "")]
    checks = [_active(ctx, ctx.agencies.get(candidate.agency_id)), _member(ctx, candidate), _bloc_quota(ctx, candidate, award)]
    if award.code == GOVERNMENT_FLAG:
        checks.append(_province_cap(ctx, candidate))
    checks += _conditions(ctx, candidate, award)
    checks.append(_pending(ctx, candidate))
    return checks


def _no_rules(error) -> list[Check]:
    return [Check("rule_set", _("Bộ quy tắc"), FAIL, True, str(error), "")]


# --- public ----------------------------------------------------------------------------------------


def checks_for(bloc_year, nominations=None) -> dict[int, list[Check]]:
    """``{nomination pk: [Check, …]}`` for ``nominations`` (default: every nomination of ``bloc_year``)."""
    if nominations is None:
        nominations = Nomination.objects.filter(bloc_year=bloc_year).only("pk", "agency_id", "award_type_id", "state")
    candidates = [_Candidate(n.pk, n.agency_id, n.award_type_id, n.state) for n in nominations]
    if not candidates:
        return {}
    try:
        rules = rules_for(bloc_year)
    except NoRuleSet as error:
        return {c.pk: _no_rules(error) for c in candidates}
    ctx = _Context(bloc_year, rules, candidates)
    return {c.pk: _checks(ctx, c) for c in candidates}


def checks_for_candidate(bloc_year, award_type, agency) -> list[Check]:
    """The checks of proposing ``agency`` for ``award_type`` (an AwardType or its pk) in ``bloc_year``."""
    candidate = _Candidate(None, getattr(agency, "pk", agency), getattr(award_type, "pk", award_type))
    try:
        rules = rules_for(bloc_year)
    except NoRuleSet as error:
        return _no_rules(error)
    return _checks(_Context(bloc_year, rules, [candidate]), candidate)


def problems(nomination, checks) -> list[str]:
    """What blocks submitting ``nomination``: each failed hard check, and each warning while the
    nomination has no written justification (Vietnamese messages)."""
    found = [_("%(label)s: %(reason)s") % {"label": c.label, "reason": c.reason} for c in checks if c.status == FAIL]
    if not (getattr(nomination, "justification", "") or "").strip():
        found += [
            _("%(label)s: %(reason)s Cần ghi giải trình.") % {"label": c.label, "reason": c.reason} for c in checks if c.status == WARN
        ]
    return found


def summary(checks) -> dict:
    """Counts by status (for badges and the audit entry)."""
    counts = Counter(c.status for c in checks)
    return {status: counts.get(status, 0) for status in (PASS, FAIL, WARN, NA)}
