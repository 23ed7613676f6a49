"""Reading rule sets: which one is in force, which one a bloc-year uses, and its values.

Later steps (scoring, ballots, nominations, reminders) read the rules only through here::

    rules = rules_for(bloc_year)
    rules.bonus_cap               # Decimal("3"): every catalogue key is an attribute (None if absent)
    rules.value("ballot_quorum")  # Fraction(2, 3)
    rules.source("bonus_cap")     # "Cần Thơ QĐ 2579/QĐ-UBND (21/11/2025), Điều 3–4"
    rules.band_for(total, has_zero_criterion=False)
    rules.award_type("co-ubnd-tinh").per_bloc_quota

A bloc-year uses the rule set the board chose for it (``BlocYearRuleSet``), else the one in force
in its province on 31 December of its year (the year-end review, the vote and the dossier all
fall at the year's end, so the basis in force then governs them), else the national template in
force on that date.
"""

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from awards import catalogue
from awards.models import AwardType, BlocYearRuleSet, LegalBasis, RatingBand, RuleSet, RuleValue


class NoRuleSet(LookupError):
    """No rule set applies; ``str()`` is a Vietnamese message for the page."""


def reference_date(bloc_year) -> datetime.date:
    """The date whose rule set a bloc-year uses: 31 December of its year."""
    return datetime.date(bloc_year.year, 12, 31)


def in_force_q(on: datetime.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def rule_set_in_force(province, on: datetime.date) -> RuleSet | None:
    """The province's rule set in force on ``on`` (the latest started, if several), else the
    national template in force then, else None. One query."""
    province_id = getattr(province, "pk", province)
    return (
        RuleSet.objects.filter(in_force_q(on), Q(province_id=province_id) | Q(province__isnull=True))
        .select_related("legal_basis", "province")
        .order_by(F("province_id").desc(nulls_last=True), "-valid_from", "-pk")
        .first()
    )


def chosen_rule_set(bloc_year) -> BlocYearRuleSet | None:
    try:
        return BlocYearRuleSet.objects.select_related("rule_set__legal_basis", "rule_set__province", "chosen_by").get(bloc_year=bloc_year)
    except ObjectDoesNotExist:
        return None


def rule_set_for(bloc_year) -> RuleSet:
    """The board's choice for ``bloc_year``, else the rule set in force on its reference date.
    Raises ``NoRuleSet`` (a Vietnamese message) when none applies. One or two queries."""
    choice = chosen_rule_set(bloc_year)
    if choice is not None:
        return choice.rule_set
    found = rule_set_in_force(bloc_year.bloc.province_id, reference_date(bloc_year))
    if found is None:
        raise NoRuleSet(
            _("Chưa có bộ quy tắc thi đua nào có hiệu lực ngày %(day)s cho %(bloc_year)s. Ban Thi đua – Khen thưởng cần "
              "thêm căn cứ pháp lý hoặc sao chép một bộ quy tắc có hiệu lực vào ngày đó.")
            % {"day": reference_date(bloc_year).strftime("%d/%m/%Y"), "bloc_year": bloc_year}
        )
    return found


@dataclass(frozen=True)
class Value:
    key: str
    label: str
    kind: str
    text: str
    display: str
    value: object
    set_by: str
    source: str

    @property
    def by_decree(self):
        return self.set_by == catalogue.DECREE


@dataclass(frozen=True)
class Band:
    name: str
    min_total: Decimal | None
    max_total: Decimal | None
    requires_no_zero_criterion: bool
    source: str


@dataclass(frozen=True)
class Condition:
    kind: str
    value: str
    text: str
    severity: str
    source: str

    @property
    def hard(self):
        return self.severity == "hard"


@dataclass(frozen=True)
class Award:
    code: str
    name: str
    level: str
    recipients: str
    per_bloc_quota: int | None
    source: str
    pk: int | None = None
    conditions: tuple = ()


@dataclass(frozen=True)
class Rules:
    """A rule set's values, read once; immutable. Catalogue keys read as attributes."""

    rule_set_id: int
    name: str
    legal_basis: str
    values: dict = field(repr=False)
    bands: tuple = ()
    award_types: tuple = ()

    def __getattr__(self, name):
        if name in catalogue.KEYS:
            return self.value(name)
        raise AttributeError(name)

    def value(self, key: str, default=None):
        found = self.values.get(key)
        return default if found is None else found.value

    def source(self, key: str) -> str:
        found = self.values.get(key)
        return "" if found is None else found.source

    def band_for(self, total: Decimal, *, has_zero_criterion: bool) -> Band | None:
        """The first band (best first) whose range and conditions hold. A total in a band whose
        condition fails (e.g. 97 with a criterion at 0) falls to the next band without it."""
        demoted = False
        for band in self.bands:
            in_range = (band.min_total is None or total >= band.min_total) and (band.max_total is None or total < band.max_total)
            if band.requires_no_zero_criterion and has_zero_criterion:
                demoted = demoted or in_range
                continue
            if in_range or (demoted and (band.min_total is None or total >= band.min_total)):
                return band
        return None

    def award_type(self, code: str) -> Award | None:
        return next((a for a in self.award_types if a.code == code), None)


_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 64


def _value_of(row) -> Value:
    spec = catalogue.KEYS.get(row.key)
    if spec is None:  # a key a later version dropped: shown as text, never lost
        return Value(row.key, row.key, catalogue.TEXT, row.value, row.value, row.value, row.set_by, row.source)
    try:
        typed = catalogue.parse(spec, row.value)
    except Exception:  # a stored value the catalogue now refuses: kept as text
        typed = row.value
    return Value(row.key, str(spec.label), spec.kind, row.value, catalogue.display(spec, row.value), typed, row.set_by, row.source)


def rules_of(rule_set: RuleSet) -> Rules:
    """The ``Rules`` of a rule set (four queries the first time; cached by its version token)."""
    cache_key = (rule_set.pk, rule_set.version)
    if cache_key in _CACHE:
        _CACHE.move_to_end(cache_key)
        return _CACHE[cache_key]
    order = {k: i for i, k in enumerate(catalogue.KEYS)}
    rows = sorted(RuleValue.objects.filter(rule_set=rule_set), key=lambda r: (order.get(r.key, len(order)), r.key))
    rules = Rules(
        rule_set_id=rule_set.pk,
        name=rule_set.name,
        legal_basis=rule_set.legal_basis.name,
        values={row.key: _value_of(row) for row in rows},
        bands=tuple(
            Band(b.name, b.min_total, b.max_total, b.requires_no_zero_criterion, b.source)
            for b in RatingBand.objects.filter(rule_set=rule_set).order_by("order", "pk")
        ),
        award_types=tuple(
            Award(a.code, a.name, a.level, a.recipients, a.per_bloc_quota, a.source, pk=a.pk, conditions=tuple(
                Condition(c.kind, c.value, c.text, c.severity, c.source) for c in a.conditions.all()
            ))
            for a in AwardType.objects.filter(rule_set=rule_set).prefetch_related("conditions").order_by("pk")
        ),
    )
    _CACHE[cache_key] = rules
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return rules


def rules_for(bloc_year) -> Rules:
    """The rules ``bloc_year`` is run by (see ``rule_set_for``): one or two queries once cached."""
    return rules_of(rule_set_for(bloc_year))


def rule_sets_grouped(queryset):
    """``[(legal_basis, [rule_set, …]), …]`` for the list page: two queries whatever the size."""
    today = timezone.localdate()
    sets = list(queryset.select_related("legal_basis", "province", "copied_from").order_by("province__name", "-valid_from", "pk"))
    by_basis = {}
    for rule_set in sets:
        rule_set.in_force_today = rule_set.covers(today)
        by_basis.setdefault(rule_set.legal_basis_id, []).append(rule_set)
    bases = list(LegalBasis.objects.order_by("valid_from"))
    for basis in bases:
        basis.in_force_today = basis.covers(today)
    return [(basis, by_basis.get(basis.pk, [])) for basis in bases]


def choosable_rule_sets(bloc_year):
    """What the board may pick for a bloc-year: its province's rule sets and the templates."""
    return (
        RuleSet.objects.filter(Q(province_id=bloc_year.bloc.province_id) | Q(province__isnull=True))
        .select_related("legal_basis")
        .order_by("legal_basis__valid_from", "province_id", "-valid_from", "pk")
    )
