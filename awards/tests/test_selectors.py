"""Which rule set is in force on a date, which one a bloc-year uses, and what ``rules_for`` reads."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from awards import selectors, services
from awards.models import BlocYearRuleSet
from blocs.models import BlocYear

D = datetime.date


@pytest.mark.parametrize(
    ("day", "basis"),
    [
        (D(2023, 12, 31), "Nghị định 91/2017/NĐ-CP"),
        (D(2024, 1, 1), "Nghị định 98/2023/NĐ-CP"),
        (D(2025, 6, 30), "Nghị định 98/2023/NĐ-CP"),
        (D(2025, 7, 1), "Nghị định 152/2025/NĐ-CP"),
        (D(2030, 1, 1), "Nghị định 152/2025/NĐ-CP"),
    ],
)
def test_template_in_force_by_date(world, templates, day, basis):
    found = selectors.rule_set_in_force(world.province, day)
    assert found == templates[basis]
    assert found.legal_basis.name == basis


def test_nothing_in_force_before_the_first_basis(world, templates):
    assert selectors.rule_set_in_force(world.province, D(2017, 9, 30)) is None


def test_the_provinces_regulation_wins_over_the_template_only_inside_its_dates(world, templates, ninh_thuan_rules):
    assert selectors.rule_set_in_force(world.province, D(2023, 12, 31)) == ninh_thuan_rules
    assert selectors.rule_set_in_force(world.province, D(2024, 1, 1)) == templates["Nghị định 98/2023/NĐ-CP"]
    # another province still reads the template
    assert selectors.rule_set_in_force(world.other_province, D(2023, 12, 31)) == templates["Nghị định 91/2017/NĐ-CP"]


@pytest.mark.parametrize(("year", "basis"), [(2023, "Nghị định 91/2017/NĐ-CP"), (2024, "Nghị định 98/2023/NĐ-CP"), (2025, "Nghị định 152/2025/NĐ-CP")])
def test_a_bloc_year_uses_the_rule_set_in_force_on_31_december(world, templates, year, basis):
    bloc_year = BlocYear.objects.create(bloc=world.bloc, year=year)
    assert selectors.reference_date(bloc_year) == D(year, 12, 31)
    assert selectors.rule_set_for(bloc_year) == templates[basis]


def test_the_boards_choice_overrides_the_date(world, templates):
    bloc_year = world.bloc_year  # 2022: NĐ 91/2017
    services.bloc_year_rule_set_choose(actor=world.board, bloc_year=bloc_year, rule_set=templates["Nghị định 152/2025/NĐ-CP"])
    assert selectors.rule_set_for(bloc_year) == templates["Nghị định 152/2025/NĐ-CP"]
    services.bloc_year_rule_set_choose(actor=world.board, bloc_year=bloc_year, rule_set=None)
    assert not BlocYearRuleSet.objects.filter(bloc_year=bloc_year).exists()
    assert selectors.rule_set_for(bloc_year) == templates["Nghị định 91/2017/NĐ-CP"]


def test_no_rule_set_is_a_clear_vietnamese_error(world, templates):
    bloc_year = BlocYear.objects.create(bloc=world.bloc, year=2016)
    with pytest.raises(selectors.NoRuleSet, match="Chưa có bộ quy tắc thi đua nào có hiệu lực ngày 31/12/2016"):
        selectors.rule_set_for(bloc_year)


def test_rules_for_reads_typed_values_with_their_sources(world, ninh_thuan_rules):
    rules = selectors.rules_for(world.bloc_year)
    assert rules.rule_set_id == ninh_thuan_rules.pk
    assert rules.scale_total == Decimal("100")
    assert rules.score_step == Decimal("0.25")
    assert rules.bonus_cap == Decimal("3") and rules.penalty_cap == Decimal("3")
    assert rules.ballot_quorum == Fraction(2, 3) and rules.ballot_threshold == Fraction(1, 2)
    assert rules.ballot_threshold_rule == "more_than" and rules.ballot_threshold_base == "all_members"
    assert rules.dossier_deadline == (10, 12)
    assert rules.cp_flag_proposal_cap == Decimal("20")
    assert rules.values["cp_flag_proposal_cap"].by_decree
    assert "Điều 11.1" in rules.source("cp_flag_proposal_cap")
    assert "Cần Thơ QĐ 2579/QĐ-UBND" in rules.source("bonus_cap")
    assert rules.council_award_threshold is None  # NĐ 98/2023's council rule is not in the NĐ 91/2017 set
    assert [a.code for a in rules.award_types] == ["co-chinh-phu", "co-ubnd-tinh", "bang-khen-thu-tuong", "bang-khen-chu-tich-tinh", "tap-the-ldxs"]
    with pytest.raises(AttributeError):
        rules.no_such_key  # noqa: B018
    with pytest.raises(AttributeError):
        rules.bonus_cap = 5  # frozen


def test_every_seeded_value_has_a_source_and_parses(templates):
    from awards import catalogue

    for rule_set in templates.values():
        rules = selectors.rules_of(rule_set)
        assert rules.values and rules.bands and rules.award_types
        for value in rules.values.values():
            assert value.source.strip()
            catalogue.parse(catalogue.KEYS[value.key], value.text)  # raises if a seeded value is not of its kind
        assert all(b.source for b in rules.bands) and all(a.source for a in rules.award_types)


@pytest.mark.parametrize(
    ("total", "zero", "band"),
    [
        ("100", False, "Hoàn thành xuất sắc nhiệm vụ"),
        ("95", False, "Hoàn thành xuất sắc nhiệm vụ"),
        ("94.75", False, "Hoàn thành tốt nhiệm vụ"),
        ("85", False, "Hoàn thành tốt nhiệm vụ"),
        ("84.99", False, "Hoàn thành nhiệm vụ"),
        ("75", False, "Hoàn thành nhiệm vụ"),
        ("74.75", False, "Không hoàn thành nhiệm vụ"),
        ("0", False, "Không hoàn thành nhiệm vụ"),
        ("97", True, "Hoàn thành nhiệm vụ"),  # ≥ 95 but a criterion at 0: neither xuất sắc nor tốt
        ("88", True, "Hoàn thành nhiệm vụ"),
        ("70", True, "Không hoàn thành nhiệm vụ"),
    ],
)
def test_bands_from_the_rule_set(world, ninh_thuan_rules, total, zero, band):
    rules = selectors.rules_for(world.bloc_year)
    assert rules.band_for(Decimal(total), has_zero_criterion=zero).name == band


def test_rules_for_takes_one_or_two_queries_once_read(world, ninh_thuan_rules, django_assert_max_num_queries):
    bloc_year = BlocYear.objects.select_related("bloc").get(pk=world.bloc_year.pk)
    selectors.rules_for(bloc_year)
    with django_assert_max_num_queries(2):
        rules = selectors.rules_for(bloc_year)
    assert rules.bonus_cap == Decimal("3")


def test_an_edit_is_seen_at_once_despite_the_cache(world, ninh_thuan_rules):
    from awards.tests.helpers import value_rows

    assert selectors.rules_for(world.bloc_year).bonus_cap == Decimal("3")
    services.rule_values_save(actor=world.board, rule_set=ninh_thuan_rules,
                              rows=value_rows(ninh_thuan_rules, bonus_cap=("5", "Quy chế hoạt động Khối, Điều 8")))
    assert selectors.rules_for(world.bloc_year).bonus_cap == Decimal("5")
