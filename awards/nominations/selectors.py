"""Reading nominations: the bloc-year's nominations page (frozen ranking, award types with their
nominations and checks), one nomination's page, the province-wide quotas for the board's inbox, an
agency's pending cases. Each in a fixed number of queries whatever the size."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from awards.models import Nomination, NominationState, PendingCase, RankingEntry, RoundState, ScoringRound
from awards.nominations import eligibility
from awards.selectors import NoRuleSet, rule_set_in_force, rules_for, rules_of
from blocs.models import BlocYear
from core.audit import audit_for

# The states a province-wide count reads: what the blocs have put before the board, and after.
BOARD_STATES = (NominationState.SUBMITTED, NominationState.APPROVED, NominationState.FORWARDED, NominationState.AWARDED)
# The states in which what blocks a submission is worth showing: before the board decides.
OPEN_STATES = (NominationState.PROPOSED, NominationState.VOTED, NominationState.RETURNED)


@dataclass(frozen=True)
class QuotaRow:
    code: str
    name: str
    count: int
    cap: int | None
    cap_text: str
    source: str

    @property
    def over(self) -> bool:
        return self.cap is not None and self.count > self.cap


def province_quotas(province_id: int, year: int) -> list[QuotaRow]:
    """Per award type of the province's rule set in force on 31/12 of ``year``: how many of the
    province's nominations that year are before the board or decided (submitted, approved,
    forwarded, awarded) and the cap where one applies — the Cờ CP cap (``cp_flag_proposal_cap`` %
    of the Cờ tỉnh count, at least one, see ``eligibility``) and the per-bloc quota times the
    province's blocs that year. A handful of queries whatever the number of blocs and nominations."""
    rule_set = rule_set_in_force(province_id, datetime.date(year, 12, 31))
    if rule_set is None:
        return []
    rules = rules_of(rule_set)
    counts = dict(
        Nomination.objects.filter(bloc_year__bloc__province_id=province_id, bloc_year__year=year, state__in=BOARD_STATES)
        .values_list("award_type__code").annotate(n=Count("pk")).values_list("award_type__code", "n")
    )
    needs_blocs = any(a.per_bloc_quota is not None for a in rules.award_types)
    blocs = BlocYear.objects.filter(bloc__province_id=province_id, year=year).count() if needs_blocs else 0
    percent = rules.value("cp_flag_proposal_cap")
    rows = []
    for award in rules.award_types:
        count = counts.get(award.code, 0)
        cap, cap_text, source = None, "", award.source
        if award.code == eligibility.GOVERNMENT_FLAG and percent is not None:
            base = counts.get(eligibility.PROVINCE_FLAG, 0)
            cap = eligibility.cp_cap(percent, base)
            flag = rules.award_type(eligibility.PROVINCE_FLAG)
            cap_text = _("%(percent)s %% của %(base)s tập thể đề nghị %(flag)s") % {
                "percent": eligibility.number_text(percent), "base": base, "flag": flag.name if flag else eligibility.PROVINCE_FLAG,
            }
            source = rules.source("cp_flag_proposal_cap")
        elif award.per_bloc_quota is not None:
            cap = award.per_bloc_quota * blocs
            cap_text = _("%(quota)s mỗi khối × %(blocs)s khối") % {"quota": award.per_bloc_quota, "blocs": blocs}
        rows.append(QuotaRow(award.code, award.name, count, cap, cap_text, source))
    return rows


# --- the bloc-year's nominations page ------------------------------------------------------------------


@dataclass
class AwardSection:
    award: object  # awards.selectors.Award
    nominations: list = field(default_factory=list)
    suggestion: object = None  # the ranking entry suggested for it (rank 1 where the award wants the leader)

    @property
    def live_count(self) -> int:
        return sum(1 for n in self.nominations if n.state not in eligibility.DEAD_STATES)


@dataclass
class NominationsPage:
    rules: object | None
    refusal: str
    scoring: dict | None
    ranking: list
    sections: list
    others: list  # nominations of an award type the rule set no longer has

    @property
    def frozen(self) -> bool:
        return self.scoring is not None and self.scoring["state"] == RoundState.FROZEN


def frozen_ranking(bloc_year) -> tuple[dict | None, list]:
    """The bloc-year's round (``{"pk", "state"}`` or None) and, when frozen, its ranking rows."""
    scoring = ScoringRound.objects.filter(bloc_year=bloc_year).values("pk", "state").first()
    if scoring is None or scoring["state"] != RoundState.FROZEN:
        return scoring, []
    return scoring, list(RankingEntry.objects.filter(round_id=scoring["pk"]).select_related("agency").order_by("rank", "agency__name"))


def nominations_of(bloc_year) -> list:
    return list(
        Nomination.objects.filter(bloc_year=bloc_year).select_related("agency", "award_type", "created_by")
        .order_by("award_type_id", "position", "pk")
    )


def nominations_page(bloc_year) -> NominationsPage:
    """Everything the nominations page shows, each nomination with ``.checks`` and ``.blocking`` (what
    blocks its submission, while it is not yet before the board)."""
    try:
        rules = rules_for(bloc_year)
        refusal = ""
    except NoRuleSet as error:
        rules, refusal = None, str(error)
    scoring, ranking = frozen_ranking(bloc_year)
    nominations = nominations_of(bloc_year)
    checks = eligibility.checks_for(bloc_year, nominations)
    for nomination in nominations:
        nomination.checks = checks.get(nomination.pk, [])
        nomination.blocking = eligibility.problems(nomination, nomination.checks) if nomination.state in OPEN_STATES else []
    leader = next((e for e in ranking if e.rank == 1), None)
    sections, by_type = [], {}
    for award in rules.award_types if rules else ():
        wants_leader = any(c.kind == "leads_bloc" for c in award.conditions)
        section = AwardSection(award=award, suggestion=leader if wants_leader else None)
        sections.append(section)
        by_type[award.pk] = section
    others = []
    for nomination in nominations:
        (by_type[nomination.award_type_id].nominations if nomination.award_type_id in by_type else others).append(nomination)
    return NominationsPage(rules=rules, refusal=refusal, scoring=scoring, ranking=ranking, sections=sections, others=others)


def nomination_checks(nomination) -> list:
    return eligibility.checks_for(nomination.bloc_year, [nomination]).get(nomination.pk, [])


def nomination_history(nomination) -> list:
    """The audit entries about the nomination, oldest first (at most 100)."""
    return list(audit_for(nomination).order_by("id")[:100])


def agency_cases(agency) -> list:
    return list(PendingCase.objects.filter(agency=agency).select_related("recorded_by").order_by("-opened_on", "-pk"))
