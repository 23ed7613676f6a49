"""The score table of a round (issue 10): per agency per criterion the self and checked points,
bonus, penalty, totals, band, rank and the partial-year flag.

Before the draft is published an agency's people see only their own row (``awards.view_sheet``);
the secretaries, the board and central readers see every row, computed live. Once published, the
bloc sees the published (or frozen) ``RankingEntry`` values. A fixed number of queries however
many agencies and criteria: criteria, sheets, lines, and the published rows.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from awards.models import LineKind, RankingEntry, RoundState, ScoreLine, ScoreSheet
from awards.scoring.ranking import Row, rank, rules_of_round, tie_break
from core.access import can, restrict
from pledges.models import Criterion


@dataclass
class TableRow:
    agency_id: int
    agency_name: str
    cells: list = field(default_factory=list)  # [{"claimed", "checked", "state"}] in criteria order
    self_total: Decimal | None = None
    criteria_total: Decimal | None = None
    bonus: Decimal | None = None
    penalty: Decimal | None = None
    total: Decimal | None = None
    band: str = ""
    rank: int | None = None
    tied: bool = False
    partial_year: bool = False
    has_zero_criterion: bool = False
    sheet_state: str = ""
    sheet_state_display: str = ""

    @property
    def difference(self):
        if self.total is None or self.self_total is None:
            return None
        return self.total - self.self_total


@dataclass
class ScoreTable:
    scoring: object
    criteria: list
    rows: list
    published: bool
    full: bool  # every agency's row shown (ranks are meaningful)
    rules: object
    tie_break: dict
    max_total: Decimal

    def chart_data(self) -> dict:
        return {
            "labels": [r.agency_name for r in self.rows],
            "totals": [float(r.total or 0) for r in self.rows],
            "self_totals": [float(r.self_total or 0) for r in self.rows],
        }


def _cell(line):
    return {"claimed": line.claimed_points, "checked": line.points if line.check_state in ("accepted", "adjusted") else None,
            "state": line.check_state}


def score_table(scoring, user) -> ScoreTable:
    """The table ``user`` may see for ``scoring`` (three or four queries)."""
    published = scoring.state in (RoundState.PUBLISHED, RoundState.FROZEN)
    full = published or can(user, "awards.run_round", scoring) or getattr(user, "is_superuser", False) or _reads_everything(user)
    criteria = list(Criterion.objects.filter(version_id=scoring.pledge_version_id).order_by("position", "pk"))
    position = {c.pk: i for i, c in enumerate(criteria)}
    sheets = list(
        restrict(ScoreSheet.objects.filter(round=scoring), user, "awards.view_sheet")
        .select_related("agency").only("pk", "agency_id", "agency__name", "partial_year", "state")
        .order_by("agency__name", "pk")
    )
    by_sheet = {s.pk: TableRow(s.agency_id, s.agency.name, [None] * len(criteria), partial_year=s.partial_year,
                               sheet_state=s.state, sheet_state_display=s.get_state_display()) for s in sheets}
    parts = {pk: {"criteria": [], "claimed": [], "bonus": [], "bonus_claimed": [], "penalty": [], "penalty_claimed": []}
             for pk in by_sheet}
    if sheets:
        lines = ScoreLine.objects.filter(sheet_id__in=list(by_sheet)).only(
            "sheet_id", "kind", "criterion_id", "claimed_points", "checked_points", "check_state"
        )
        for line in lines:
            part = parts[line.sheet_id]
            if line.kind == LineKind.CRITERION:
                if line.criterion_id in position:
                    by_sheet[line.sheet_id].cells[position[line.criterion_id]] = _cell(line)
                part["criteria"].append(line.points)
                part["claimed"].append(line.claimed_points)
            else:
                part[line.kind].append(line.points)
                part[f"{line.kind}_claimed"].append(line.claimed_points)
    rules = rules_of_round(scoring)
    rows = list(by_sheet.values())
    if published:
        entries = {e.agency_id: e for e in RankingEntry.objects.filter(round=scoring)}
        for row in rows:
            entry = entries.get(row.agency_id)
            if entry is not None:
                for name in ("self_total", "criteria_total", "bonus", "penalty", "total", "band", "rank", "tied",
                             "partial_year", "has_zero_criterion"):
                    setattr(row, name, getattr(entry, name))
    else:
        computed = {r.agency_id: r for r in rank(
            [Row(agency_id=row.agency_id, agency_name=row.agency_name, partial_year=row.partial_year,
                 **{k: tuple(v) for k, v in parts[pk].items()}) for pk, row in by_sheet.items()], rules)}
        for row in rows:
            r = computed[row.agency_id]
            row.self_total, row.criteria_total, row.bonus, row.penalty, row.total = r.self_total, r.criteria_total, r.bonus, r.penalty, r.total
            row.band, row.has_zero_criterion = r.band, r.has_zero_criterion
            if full:
                row.rank, row.tied = r.rank, r.tied
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.agency_name))
    max_total = sum((c.max_points for c in criteria), Decimal("0")) + Decimal(rules.bonus_cap or 0)
    return ScoreTable(scoring, criteria, rows, published, full, rules, tie_break(rules), max_total)


def _reads_everything(user):
    from blocs.access import roles_of

    return bool(user.is_authenticated and roles_of(user).reads_everything)
