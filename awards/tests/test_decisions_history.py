"""The award history: year by year with the decision as printed; the board's hand entries for the
years before the portal; the public list of decided awards."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards.decisions import history
from awards.models import AwardRecord, NominationState
from awards.tests.yearend import make_decision, make_nomination, make_record
from core.models import AuditEntry

pytestmark = pytest.mark.django_db
TEXT = "Quyết định số 125/QĐ-UBND ngày 20/01/2020 của Chủ tịch UBND tỉnh"


def test_history_year_by_year_with_the_decision_text(world, ninh_thuan_rules):
    agency = world.agencies[0]
    decision = make_decision(world)
    make_record(agency, 2022, decision=decision, bloc_year=world.bloc_year)
    make_record(agency, 2019, decision_text=TEXT)
    make_record(agency, 2019, "bang-khen-chu-tich-tinh", "Bằng khen của Chủ tịch UBND tỉnh", decision_text=TEXT)
    years = history.agency_history(agency)
    assert [year for year, _rows in years] == [2022, 2019]
    assert years[0][1][0].decision_shown == "Quyết định số 125/QĐ-UBND ngày 20/01/2023 của Chủ tịch UBND tỉnh"
    assert {r.decision_shown for r in years[1][1]} == {TEXT} and len(years[1][1]) == 2


def test_award_choices_one_per_code(world, ninh_thuan_rules):
    codes = [c.code for c in history.award_choices(world.province.pk)]
    assert len(codes) == len(set(codes)) and {"co-chinh-phu", "co-ubnd-tinh", "tap-the-ldxs"} <= set(codes)


def test_board_adds_a_past_award_audited_once(world, ninh_thuan_rules):
    agency = world.agencies[1]
    record = history.award_record_add(
        actor=world.board, agency=agency, year=2021, award_code="co-ubnd-tinh", decision_text=f"  {TEXT} "
    )
    assert record.decision_text == TEXT and record.level == "province" and record.bloc_year is None  # no membership in 2021
    assert record.award_name == "Cờ thi đua của UBND tỉnh" and record.recorded_by == world.board
    assert AuditEntry.objects.get(action="award_record.add").data["year"] == 2021
    with pytest.raises(ValidationError) as error:
        history.award_record_add(actor=world.board, agency=agency, year=2021, award_code="co-ubnd-tinh", decision_text=TEXT)
    assert "đã có" in " ".join(error.value.messages)
    assert AwardRecord.objects.count() == 1


def test_a_past_award_in_a_year_of_membership_names_the_bloc(world, ninh_thuan_rules):
    record = history.award_record_add(
        actor=world.board, agency=world.agencies[0], year=2022, award_code="tap-the-ldxs", decision_text=TEXT
    )
    assert record.bloc_year == world.bloc_year


@pytest.mark.parametrize(
    "fields, key",
    [
        ({"year": 1800}, "year"),
        ({"year": "2020"}, "year"),
        ({"award_code": "khong-co"}, "award_code"),
        ({"decision_text": ""}, "decision_text"),
        ({"decision_text": "QĐ\x00"}, "decision_text"),
        ({"decision_text": "x" * 301}, "decision_text"),
    ],
)
def test_past_award_refused(world, ninh_thuan_rules, fields, key):
    values = {"year": 2020, "award_code": "co-ubnd-tinh", "decision_text": TEXT, **fields}
    with pytest.raises(ValidationError) as error:
        history.award_record_add(actor=world.board, agency=world.agencies[0], **values)
    assert key in error.value.message_dict
    assert not AwardRecord.objects.exists()


@pytest.mark.parametrize("who", ["secretary", "leader", "central", "outsider"])
def test_only_the_provinces_board_adds_past_awards(world, ninh_thuan_rules, who):
    with pytest.raises(PermissionDenied):
        history.award_record_add(
            actor=getattr(world, who), agency=world.agencies[0], year=2020, award_code="co-ubnd-tinh", decision_text=TEXT
        )


def test_public_list_keeps_decided_awards_of_the_year(world, ninh_thuan_rules):
    decision = make_decision(world)
    awarded = make_nomination(world, world.agencies[0], state=NominationState.AWARDED, decision=decision)
    make_record(world.agencies[0], 2022, decision=decision, nomination=awarded)
    approved = make_nomination(world, world.agencies[1], "bang-khen-chu-tich-tinh", state=NominationState.APPROVED)
    make_record(world.agencies[1], 2022, "bang-khen-chu-tich-tinh", "Bằng khen", nomination=approved)
    make_record(world.other_agency, 2022, decision_text=TEXT)
    make_record(world.agencies[2], 2021, decision_text=TEXT)
    rows = list(history.public_awards(year=2022))
    assert {r.agency for r in rows} == {world.agencies[0], world.other_agency}
    assert [r.agency for r in history.public_awards(year=2022, province_id=world.province.pk)] == [world.agencies[0]]
    assert history.public_years() == [2022, 2021]
