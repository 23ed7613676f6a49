"""Eligibility checks of nominations, table-driven from the rule sets: every check passing and
failing, the rules in force by date (NĐ 91/2017 for 2022, NĐ 98/2023 for 2024, NĐ 152/2025 for
2025), and the query count flat in the number of nominations and of years looked back over."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards import services as rule_services
from awards.models import (
    AwardCondition,
    AwardType,
    BlocYearRuleSet,
    NominationState,
    PendingCase,
    RankingEntry,
    RoundState,
    RuleSet,
    RuleValue,
    ScoringRound,
    new_version,
)
from awards.nominations import eligibility
from awards.nominations.eligibility import FAIL, NA, PASS, WARN
from awards.selectors import rule_set_for
from awards.tests.helpers import ensure_templates
from awards.tests.yearend import frozen_round, make_nomination, make_record
from blocs.models import AgencyStatus, BlocYear, Membership
from emulation_portal.testing import make_agency, make_bloc_year, make_province

pytestmark = pytest.mark.django_db

TOP = "Hoàn thành xuất sắc nhiệm vụ"
GOOD = "Hoàn thành tốt nhiệm vụ"


# --- helpers -----------------------------------------------------------------------------------------


def by_code(checks):
    return {c.code: c for c in checks}


def check_of(world, nomination, code):
    return by_code(eligibility.checks_for(world.bloc_year)[nomination.pk])[code]


def regulation(world, bloc_year=None, *, basis="Nghị định 91/2017/NĐ-CP", conditions=None, quotas=None, drop=(), values=None):
    """A copy of the ``basis`` template chosen for ``bloc_year``, with ``conditions`` ({code: [(kind,
    value, severity)]}, replacing the seeded ones), ``quotas`` ({code: n}), values dropped or set."""
    templates = ensure_templates()
    template = templates[basis]
    bloc_year = bloc_year or world.bloc_year
    # Each copy in a province of its own: a province's rule sets may not overlap in time.
    copy = rule_services.rule_set_copy(actor=world.board, rule_set=template, province=make_province(),
                                       name=f"Quy chế thử {new_version()[:8]}", valid_from=template.valid_from, valid_to=template.valid_to)
    for code, rows in (conditions or {}).items():
        award = AwardType.objects.get(rule_set=copy, code=code)
        award.conditions.all().delete()
        for kind, value, severity in rows:
            AwardCondition.objects.create(award_type=award, kind=kind, value=value, text=f"Điều kiện {kind} {value}", severity=severity,
                                          source=f"Nguồn thử {kind}")
    for code, quota in (quotas or {}).items():
        AwardType.objects.filter(rule_set=copy, code=code).update(per_bloc_quota=quota)
    RuleValue.objects.filter(rule_set=copy, key__in=list(drop)).delete()
    for key, value in (values or {}).items():
        RuleValue.objects.update_or_create(rule_set=copy, key=key, defaults={"value": value, "source": f"Nguồn thử {key}"})
    RuleSet.objects.filter(pk=copy.pk).update(version=new_version())  # the rules cache is keyed by the version
    BlocYearRuleSet.objects.update_or_create(bloc_year=bloc_year, defaults={"rule_set": copy})
    return copy


def year_of(world, year, *, members=None, bloc=None):
    """A bloc-year of ``year`` (the world's bloc, or a new one) with ``members`` (default: the world's agencies)."""
    members = world.agencies if members is None else members
    if bloc is None:
        bloc_year = BlocYear.objects.create(bloc=world.bloc, year=year)
        Membership.objects.bulk_create([Membership(bloc_year=bloc_year, agency=a, year=year) for a in members])
        return bloc_year
    return make_bloc_year(world.province, members, year=year)


def frozen_entries(bloc_year, version, rows, *, rule_set=None, opened_by):
    """A frozen round of ``bloc_year`` written straight on the models: ``rows`` = [(agency, rank, band, tied)]."""
    scoring = ScoringRound.objects.create(
        bloc_year=bloc_year, pledge_version=version, rule_set=rule_set or rule_set_for(bloc_year),
        self_score_deadline=datetime.date(bloc_year.year, 11, 30), state=RoundState.FROZEN, opened_by=opened_by,
    )
    RankingEntry.objects.bulk_create(
        RankingEntry(round=scoring, agency=agency, self_total=Decimal(90), criteria_total=Decimal(90), bonus=0, penalty=0,
                     total=Decimal(90) - rank, band=band, rank=rank, tied=tied)
        for agency, rank, band, tied in rows
    )
    return scoring


@pytest.fixture
def frozen(world):
    ensure_templates()
    return frozen_round(world)


def set_band(scoring, agency, band):
    RankingEntry.objects.filter(round=scoring, agency=agency).update(band=band)


# --- the agency and the bloc ---------------------------------------------------------------------------


@pytest.mark.parametrize("status, day, successor, expected, reason", [
    (AgencyStatus.ACTIVE, None, False, PASS, "đang hoạt động vào ngày 31/12/2022"),
    (AgencyStatus.MERGED, datetime.date(2022, 7, 1), True, FAIL, "đã sáp nhập vào Sở Kế Thừa từ ngày 01/07/2022"),
    (AgencyStatus.DISSOLVED, datetime.date(2022, 12, 31), False, FAIL, "đã giải thể từ ngày 31/12/2022"),
    (AgencyStatus.MERGED, datetime.date(2023, 3, 1), True, PASS, "đang hoạt động"),
])
def test_agency_active_at_the_reference_date(world, frozen, status, day, successor, expected, reason):
    agency = world.agencies[1]
    agency.status, agency.status_date = status, day
    agency.successor = make_agency(world.province, name="Sở Kế Thừa") if successor else None
    agency.save()
    nomination = make_nomination(world, agency, "bang-khen-thu-tuong")
    check = check_of(world, nomination, "active")
    assert check.status == expected and check.hard and reason in check.reason and "DESIGN" in check.source


def test_member_of_the_bloc_year(world, frozen):
    inside = make_nomination(world, world.agencies[1], "bang-khen-thu-tuong")
    outside = make_nomination(world, world.outside_agency, "bang-khen-thu-tuong")
    checks = eligibility.checks_for(world.bloc_year)
    assert by_code(checks[inside.pk])["member"].status == PASS
    member = by_code(checks[outside.pk])["member"]
    assert member.status == FAIL and member.hard and "Không phải thành viên" in member.reason


@pytest.mark.parametrize("quota, states, expected", [
    (None, [NominationState.PROPOSED], NA),
    (1, [NominationState.PROPOSED], PASS),
    (1, [NominationState.PROPOSED, NominationState.PROPOSED], FAIL),
    (1, [NominationState.PROPOSED, NominationState.NOT_PASSED], PASS),
    (2, [NominationState.VOTED, NominationState.PROPOSED], PASS),
    (1, [NominationState.PROPOSED, NominationState.REJECTED], PASS),
])
def test_per_bloc_quota(world, frozen, quota, states, expected):
    regulation(world, quotas={"bang-khen-thu-tuong": quota} if quota else {})
    nominations = [make_nomination(world, world.agencies[i], "bang-khen-thu-tuong", state=s) for i, s in enumerate(states)]
    check = check_of(world, nominations[0], "bloc_quota")
    assert check.status == expected and check.hard
    assert check.source == AwardType.objects.get(pk=nominations[0].award_type_id).source


def test_candidate_counts_itself_in_the_quota(world, frozen):
    regulation(world, quotas={"bang-khen-thu-tuong": 1})
    award = AwardType.objects.get(rule_set=rule_set_for(world.bloc_year), code="bang-khen-thu-tuong")
    assert by_code(eligibility.checks_for_candidate(world.bloc_year, award, world.agencies[1]))["bloc_quota"].status == PASS
    make_nomination(world, world.agencies[2], "bang-khen-thu-tuong")
    check = by_code(eligibility.checks_for_candidate(world.bloc_year, award, world.agencies[1]))["bloc_quota"]
    assert check.status == FAIL and "Khối đề nghị 2, vượt số lượng tối đa 1" in check.reason


# --- the province-wide Cờ CP cap ---------------------------------------------------------------------------


@pytest.mark.parametrize("province_flags, government_flags, expected, cap", [
    (0, 1, WARN, 0),   # nobody proposed for the Cờ tỉnh yet: no base
    (1, 1, WARN, 0),   # 20 % of 1 rounds down to 0: no minimum invented, the board decides
    (5, 2, WARN, 1),   # 20 % of 5 = 1
    (10, 2, PASS, 2),  # 20 % of 10 = 2
])
def test_province_cap_on_government_flags(world, frozen, province_flags, government_flags, expected, cap):
    regulation(world, conditions={"co-chinh-phu": [], "co-ubnd-tinh": []})  # the conditions have their own tests
    others = [make_agency(world.province) for _ in range(10)]
    other_year = make_bloc_year(world.province, others, year=2022)
    flagged = (list(world.agencies) + others)[:province_flags]
    for agency in flagged:
        bloc_year = world.bloc_year if agency in world.agencies else other_year
        make_nomination(world, agency, "co-ubnd-tinh", bloc_year=bloc_year)
    government = [make_nomination(world, world.agencies[0], "co-chinh-phu")]
    for agency in others[:government_flags - 1]:
        government.append(make_nomination(world, agency, "co-chinh-phu", bloc_year=other_year))
    make_nomination(world, others[-1], "co-chinh-phu", bloc_year=other_year, state=NominationState.REJECTED)  # never counted
    check = check_of(world, government[0], "province_cap")
    assert check.status == expected and not check.hard
    assert f"tối đa {cap}" in check.reason or province_flags == 0
    assert "NĐ 91/2017" in check.source or "Nguồn" in check.source


def test_province_cap_not_applicable_without_the_value(world, frozen):
    regulation(world, drop=["cp_flag_proposal_cap"])
    nomination = make_nomination(world, world.agencies[0], "co-chinh-phu")
    assert check_of(world, nomination, "province_cap").status == NA
    other = make_nomination(world, world.agencies[0], "co-ubnd-tinh")
    assert "province_cap" not in by_code(eligibility.checks_for(world.bloc_year)[other.pk])


# --- the award type's conditions -----------------------------------------------------------------------------


@pytest.mark.parametrize("index, tie, severity, expected, reason", [
    (0, False, "hard", PASS, "Xếp thứ nhất khối"),
    (1, False, "hard", FAIL, "Xếp thứ 2 trong khối"),
    (1, False, "warning", WARN, "Xếp thứ 2 trong khối"),
    (0, True, "hard", WARN, "bằng điểm"),
])
def test_leads_bloc_from_the_frozen_ranking(world, frozen, index, tie, severity, expected, reason):
    regulation(world, conditions={"co-ubnd-tinh": [("leads_bloc", "", severity)]})
    if tie:
        RankingEntry.objects.filter(round=frozen, rank=1).update(tied=True)
    nomination = make_nomination(world, world.agencies[index], "co-ubnd-tinh")
    check = check_of(world, nomination, "leads_bloc")
    assert check.status == expected and reason in check.reason and check.source == "Nguồn thử leads_bloc"


def test_leads_bloc_needs_a_frozen_ranking(world, ninh_thuan_rules):
    from awards.scoring import ranking
    from awards.tests.scoring import scored_round

    scoring = scored_round(world)
    ranking.ranking_publish(actor=world.secretary, scoring=scoring)  # published, not frozen
    nomination = make_nomination(world, world.agencies[0], "co-ubnd-tinh")
    check = check_of(world, nomination, "leads_bloc")
    assert check.status == FAIL and "chưa chốt" in check.reason


@pytest.mark.parametrize("band, expected", [(TOP, PASS), (GOOD, FAIL)])
def test_band_of_the_year(world, frozen, band, expected):
    regulation(world, conditions={"tap-the-ldxs": [("band", TOP, "hard")]})
    set_band(frozen, world.agencies[1], band)
    nomination = make_nomination(world, world.agencies[1], "tap-the-ldxs")
    check = check_of(world, nomination, "band")
    assert check.status == expected and band in check.reason


@pytest.mark.parametrize("earlier, severity, expected, reason", [
    (TOP, "warning", PASS, "các năm 2021, 2022"),
    (GOOD, "warning", WARN, f"năm 2021 xếp loại “{GOOD}”"),
    (None, "warning", WARN, "chưa có dữ liệu năm 2021"),
    (None, "hard", FAIL, "chưa có dữ liệu năm 2021"),
])
def test_top_band_years_running_over_any_bloc_year(world, frozen, earlier, severity, expected, reason):
    regulation(world, conditions={"bang-khen-chu-tich-tinh": [("band_years", "2", severity)]})
    agency = world.agencies[1]
    set_band(frozen, agency, TOP)
    if earlier is not None:
        # 2021: the agency was in another bloc
        bloc_year = make_bloc_year(world.province, [agency], year=2021)
        frozen_entries(bloc_year, frozen.pledge_version, [(agency, 3, earlier, False)], rule_set=frozen.rule_set, opened_by=world.board)
    nomination = make_nomination(world, agency, "bang-khen-chu-tich-tinh")
    check = check_of(world, nomination, "band_years")
    assert check.status == expected and reason in check.reason


def test_top_band_years_this_year_below(world, frozen):
    regulation(world, conditions={"bang-khen-chu-tich-tinh": [("band_years", "1", "hard")]})
    nomination = make_nomination(world, world.agencies[1], "bang-khen-chu-tich-tinh")  # the frozen band is "Không hoàn thành"
    check = check_of(world, nomination, "band_years")
    assert check.status == FAIL and "năm 2022 xếp loại" in check.reason


@pytest.mark.parametrize("record_year, code, expected", [
    (2020, "co-ubnd-tinh", PASS),
    (2019, "co-ubnd-tinh", PASS),
    (2018, "co-ubnd-tinh", FAIL),  # more than 3 years before
    (2022, "co-ubnd-tinh", FAIL),  # the year itself is not "before"
    (2021, "bang-khen-thu-tuong", FAIL),
    (None, None, FAIL),
])
def test_prior_award_look_back(world, frozen, record_year, code, expected):
    regulation(world, conditions={"co-chinh-phu": [("prior_award", "co-ubnd-tinh:3", "hard")]})
    agency = world.agencies[0]
    if record_year is not None:
        make_record(agency, record_year, code=code, name="Khen thưởng thử")
    nomination = make_nomination(world, agency, "co-chinh-phu")
    check = check_of(world, nomination, "prior_award")
    assert check.status == expected
    if expected == FAIL:
        assert "Chưa nhận Cờ thi đua của UBND tỉnh trong 3 năm trước (2019–2021)" in check.reason
    else:
        assert f"năm {record_year}" in check.reason


def test_declared_conditions_always_warn(world, frozen):
    nomination = make_nomination(world, world.agencies[0], "tap-the-ldxs")
    check = check_of(world, nomination, "declared")
    assert check.status == WARN and not check.hard and "Bắc Ninh" in check.source


def test_seeded_conditions_of_the_provincial_flag(world, frozen):
    nomination = make_nomination(world, world.agencies[0])
    checks = by_code(eligibility.checks_for(world.bloc_year)[nomination.pk])
    assert [checks[c].status for c in ("active", "member", "bloc_quota", "leads_bloc", "declared", "pending_case")] == [
        PASS, PASS, NA, PASS, WARN, NA,
    ]


def test_bad_condition_values_do_not_break_the_page(world, frozen):
    regulation(world, conditions={"tap-the-ldxs": [("prior_award", "nonsense", "hard"), ("band_years", "x", "warning")]})
    nomination = make_nomination(world, world.agencies[0], "tap-the-ldxs")
    checks = by_code(eligibility.checks_for(world.bloc_year)[nomination.pk])
    assert checks["prior_award"].status == FAIL and "không hợp lệ" in checks["prior_award"].reason
    assert checks["band_years"].status == WARN


# --- pending cases: in force by date -----------------------------------------------------------------------------


def case(agency, world, opened, closed=None, kind="inspection"):
    return PendingCase.objects.create(agency=agency, kind=kind, description="Thanh tra công vụ", opened_on=opened, closed_on=closed,
                                      recorded_by=world.board)


@pytest.mark.parametrize("year, basis, opened, closed, expected", [
    (2025, "Nghị định 152/2025/NĐ-CP", datetime.date(2025, 10, 1), None, FAIL),
    (2025, "Nghị định 152/2025/NĐ-CP", datetime.date(2025, 10, 1), datetime.date(2026, 1, 10), FAIL),  # open on 31/12/2025
    (2025, "Nghị định 152/2025/NĐ-CP", datetime.date(2025, 3, 1), datetime.date(2025, 6, 1), PASS),
    (2025, "Nghị định 152/2025/NĐ-CP", None, None, PASS),
    (2024, "Nghị định 98/2023/NĐ-CP", datetime.date(2024, 10, 1), None, NA),
    (2022, "Nghị định 91/2017/NĐ-CP", datetime.date(2022, 10, 1), None, NA),
])
def test_pending_case_bars_awards_only_under_nd_152(world, year, basis, opened, closed, expected):
    ensure_templates()
    bloc_year = world.bloc_year if year == 2022 else year_of(world, year)
    rules = rule_set_for(bloc_year)
    assert rules.legal_basis.name == basis  # in force by date, no choice made
    agency = world.agencies[1]
    if opened:
        case(agency, world, opened, closed)
    nomination = make_nomination(world, agency, "bang-khen-thu-tuong", bloc_year=bloc_year)
    check = by_code(eligibility.checks_for(bloc_year)[nomination.pk])["pending_case"]
    assert check.status == expected and check.hard
    if expected == FAIL:
        assert "Đang thanh tra, kiểm tra (từ ngày 01/10/2025)" in check.reason and "NĐ 152/2025" in check.source
    if expected == NA:
        assert basis in check.reason


def test_provincial_flag_quota_of_nd_152(world):
    """NĐ 152's template holds Bắc Ninh's one leading collective per bloc: a second Cờ tỉnh fails."""
    ensure_templates()
    bloc_year = year_of(world, 2025)
    first = make_nomination(world, world.agencies[0], bloc_year=bloc_year)
    make_nomination(world, world.agencies[1], bloc_year=bloc_year)
    check = by_code(eligibility.checks_for(bloc_year)[first.pk])["bloc_quota"]
    assert check.status == FAIL and "Bắc Ninh" in check.source


# --- problems -------------------------------------------------------------------------------------------------------


def test_problems_lists_hard_failures_and_unjustified_warnings(world, frozen):
    nomination = make_nomination(world, world.agencies[1])  # rank 2: leads_bloc fails; declared warns
    checks = eligibility.checks_for(world.bloc_year)[nomination.pk]
    found = eligibility.problems(nomination, checks)
    assert len(found) == 2 and "Xếp thứ 2" in found[0] and "Cần ghi giải trình" in found[1]
    nomination.justification = "Khối xác nhận đơn vị hoàn thành vượt mức các chỉ tiêu."
    assert len(eligibility.problems(nomination, checks)) == 1
    leader = make_nomination(world, world.agencies[0], justification="Khối xác nhận.")
    assert eligibility.problems(leader, eligibility.checks_for(world.bloc_year)[leader.pk]) == []


def test_no_rule_set_is_a_failed_check_not_an_error(world):
    ensure_templates()
    bloc_year = year_of(world, 2010)  # before every legal basis
    nomination = make_nomination(world, world.agencies[0], "co-ubnd-tinh", bloc_year=world.bloc_year)
    nomination.bloc_year = bloc_year
    checks = eligibility.checks_for(bloc_year, [nomination])[nomination.pk]
    assert [c.code for c in checks] == ["rule_set"] and checks[0].status == FAIL


def test_award_type_of_another_rule_set(world, frozen):
    templates = ensure_templates()
    forged = AwardType.objects.get(rule_set=templates["Nghị định 152/2025/NĐ-CP"], code="co-ubnd-tinh")
    checks = eligibility.checks_for_candidate(world.bloc_year, forged, world.agencies[0])
    assert [c.code for c in checks] == ["rule_set"] and checks[0].status == FAIL


# --- query counts -----------------------------------------------------------------------------------------------------


def _count(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_query_count_flat_in_nominations(world, frozen):
    regulation(world, conditions={
        "bang-khen-chu-tich-tinh": [("band_years", "3", "warning"), ("prior_award", "co-ubnd-tinh:5", "warning")],
    }, values={"award_bars": "Đang bị xem xét kỷ luật"})
    codes = ["co-chinh-phu", "co-ubnd-tinh", "bang-khen-thu-tuong", "bang-khen-chu-tich-tinh", "tap-the-ldxs"]
    make_nomination(world, world.agencies[0], "bang-khen-chu-tich-tinh")
    eligibility.checks_for(world.bloc_year)  # warm the rules cache
    one = _count(lambda: eligibility.checks_for(world.bloc_year))
    pairs = [(a, c) for c in codes for a in world.agencies if (a, c) != (world.agencies[0], "bang-khen-chu-tich-tinh")]
    for agency, code in pairs[:9]:
        make_nomination(world, agency, code)
    assert world.bloc_year.nominations.count() == 10
    for agency in world.agencies:
        case(agency, world, datetime.date(2022, 5, 1))
        make_record(agency, 2020)
    ten = _count(lambda: eligibility.checks_for(world.bloc_year))
    assert one == ten, (one, ten)
    assert ten <= 14


def test_query_count_flat_in_years_of_history(world, frozen):
    """One year of history (this one) against ten years of rounds and awards in other bloc-years."""
    regulation(world, conditions={
        "bang-khen-chu-tich-tinh": [("band_years", "10", "warning"), ("prior_award", "co-ubnd-tinh:10", "warning")],
    })
    agency = world.agencies[1]
    nomination = make_nomination(world, agency, "bang-khen-chu-tich-tinh")
    set_band(frozen, agency, TOP)
    eligibility.checks_for(world.bloc_year)
    one = _count(lambda: eligibility.checks_for(world.bloc_year))
    assert "chưa có dữ liệu năm 2013" in by_code(eligibility.checks_for(world.bloc_year)[nomination.pk])["band_years"].reason

    for year in range(2012, 2022):
        bloc_year = year_of(world, year, members=[agency])
        frozen_entries(bloc_year, frozen.pledge_version, [(agency, 1, TOP, False)], rule_set=frozen.rule_set, opened_by=world.board)
        make_record(agency, year)
    ten = _count(lambda: eligibility.checks_for(world.bloc_year))
    assert one == ten, (one, ten)
    checks = by_code(eligibility.checks_for(world.bloc_year)[nomination.pk])
    assert checks["band_years"].status == PASS and "2013" in checks["band_years"].reason
    assert checks["prior_award"].status == PASS and "năm 2021" in checks["prior_award"].reason
