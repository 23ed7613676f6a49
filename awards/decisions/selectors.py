"""Reads of the board's pages: the inbox of a province's dossiers for a year, the nominations a
decision may award. A constant number of queries whatever the number of blocs and dossiers."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from awards.models import Decision, DossierState, Nomination, NominationState
from awards.selectors import rule_set_in_force, rules_of
from blocs.models import BlocYear

N = NominationState

NO_DOSSIER = "none"
OVERDUE = "overdue"
INBOX_STATES = (
    (DossierState.SUBMITTED, gettext_lazy("Chờ tiếp nhận")),
    (DossierState.RECEIVED, gettext_lazy("Đã tiếp nhận")),
    (DossierState.RETURNED, gettext_lazy("Đã trả lại")),
    (OVERDUE, gettext_lazy("Quá hạn chưa nộp")),
    (DossierState.DRAFT, gettext_lazy("Khối đang chuẩn bị")),
    (NO_DOSSIER, gettext_lazy("Chưa lập hồ sơ")),
)


@dataclass
class InboxRow:
    bloc_year: BlocYear
    dossier: object
    deadline: datetime.date | None
    overdue: bool
    counts: dict

    @property
    def state(self):
        if self.dossier is None:
            return OVERDUE if self.overdue else NO_DOSSIER
        return OVERDUE if self.overdue else self.dossier.state


def _default_deadline(province_id, year):
    """The deadline of the province's rule set in force at the year's end (for blocs with no dossier yet)."""
    rule_set = rule_set_in_force(province_id, datetime.date(year, 12, 31))
    day_month = rules_of(rule_set).dossier_deadline if rule_set is not None else None
    if not isinstance(day_month, tuple):
        return None
    try:
        return datetime.date(year, day_month[1], day_month[0])
    except ValueError:
        return datetime.date(year, day_month[1], 28)


def inbox_years(province_id) -> list[int]:
    return list(
        BlocYear.objects.filter(bloc__province_id=province_id).order_by("-year").values_list("year", flat=True).distinct()[:30]
    )


def board_inbox(*, province_id: int, year: int) -> list[InboxRow]:
    """Every bloc-year of the province in ``year`` with its dossier (or none yet), its deadline,
    whether it is overdue and its nominations counted by state. Two queries (the rule set's
    values are cached)."""
    states = [N.SUBMITTED, N.RETURNED, N.APPROVED, N.FORWARDED, N.AWARDED, N.REJECTED]
    counted = {f"n_{s}": Count("nominations", filter=Q(nominations__state=s)) for s in states}
    rows = list(
        BlocYear.objects.filter(bloc__province_id=province_id, year=year)
        .select_related("bloc", "dossier", "head")
        .annotate(**counted)
        .order_by("bloc__name", "pk")
    )
    default = _default_deadline(province_id, year) if any(_dossier(r) is None for r in rows) else None
    today = timezone.localdate()
    inbox = []
    for bloc_year in rows:
        dossier = _dossier(bloc_year)
        deadline = dossier.deadline if dossier is not None else default
        waiting = dossier is None or dossier.state in (DossierState.DRAFT, DossierState.RETURNED)
        overdue = waiting and deadline is not None and today > deadline
        inbox.append(InboxRow(bloc_year, dossier, deadline, overdue, {s: getattr(bloc_year, f"n_{s}") for s in states}))
    return inbox


def _dossier(bloc_year):
    try:
        return bloc_year.dossier
    except BlocYear.dossier.RelatedObjectDoesNotExist:
        return None


def state_counts(inbox: list[InboxRow]) -> list[tuple[str, str, int]]:
    counts = dict.fromkeys([key for key, _label in INBOX_STATES], 0)
    for row in inbox:
        counts[row.state] += 1
    return [(key, label, counts[key]) for key, label in INBOX_STATES]


def awardable_q(level: str) -> Q:
    """Nominations a decision of ``level`` may award: approved (province level) or forwarded (government level)."""
    state = N.APPROVED if level == "province" else N.FORWARDED
    return Q(award_type__level=level, state=state)


def awardable_nominations(*, province_id: int, year: int, level: str):
    return (
        Nomination.objects.filter(awardable_q(level), bloc_year__bloc__province_id=province_id, bloc_year__year=year)
        .select_related("award_type", "agency", "bloc_year__bloc")
        .order_by("award_type_id", "bloc_year__bloc__name", "agency__name", "pk")
    )


def recent_decisions(*, province_id: int, year: int):
    """The decisions that awarded nominations of ``year`` in the province, with how many each."""
    return (
        Decision.objects.filter(province_id=province_id, nominations__bloc_year__year=year)
        .annotate(awarded=Count("nominations"))
        .order_by("-date", "number")
    )
