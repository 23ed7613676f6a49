"""Nomination services: propose from the frozen ranking (checks, justification, forged ids,
duplicates), edit with a stale-tab check, withdraw; pending cases; the province-wide quotas."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awards.models import AwardType, BallotState, Nomination, NominationState, PendingCase
from awards.nominations import selectors, services
from awards.selectors import rule_set_for
from awards.tests.helpers import ensure_templates
from awards.tests.yearend import award_type, frozen_round, make_ballot, make_nomination
from core.models import AuditEntry
from emulation_portal.testing import build_world, make_agency, make_bloc_year, race

pytestmark = pytest.mark.django_db

JUSTIFIED = "Khối xác nhận đơn vị hoàn thành vượt mức các chỉ tiêu thi đua năm 2022."


@pytest.fixture
def frozen(world):
    ensure_templates()
    return frozen_round(world)


def propose(world, agency=None, code="co-ubnd-tinh", **kwargs):
    kwargs.setdefault("actor", world.secretary)
    kwargs.setdefault("reason", "Dẫn đầu khối, hoàn thành xuất sắc các chỉ tiêu.")
    kwargs.setdefault("justification", JUSTIFIED)
    return services.nomination_propose(bloc_year=world.bloc_year, award_type=award_type(world, code), agency=agency or world.agencies[0],
                                       **kwargs)


# --- propose -----------------------------------------------------------------------------------------------


def test_propose_the_leader_for_the_provincial_flag(world, frozen):
    nomination = propose(world)
    assert nomination.state == NominationState.PROPOSED and nomination.created_by == world.secretary
    assert nomination.justification == JUSTIFIED and nomination.position == 0
    entry = AuditEntry.objects.get(action="nomination.propose")
    assert entry.object_id == str(nomination.pk) and entry.data["award_type"] == "co-ubnd-tinh" and entry.data["warnings"] == ["declared"]
    second = propose(world, world.agencies[1], "bang-khen-thu-tuong", justification="")
    assert second.position == 0 and second.justification == ""


def test_board_may_propose(world, frozen):
    assert propose(world, actor=world.board).created_by == world.board


@pytest.mark.parametrize("who", ["leader", "officer", "central", "nonmember", "outsider", "stranger"])
def test_others_may_not_propose(world, frozen, who):
    with pytest.raises(PermissionDenied):
        propose(world, actor=getattr(world, who))
    assert not Nomination.objects.exists()


def test_propose_needs_the_frozen_ranking(world, ninh_thuan_rules):
    with pytest.raises(ValidationError, match="chưa được chốt") as error:
        propose(world)
    assert error.value.code == "not_frozen" and not Nomination.objects.exists()


def test_a_failed_hard_check_refuses_listing_the_reasons(world, frozen):
    with pytest.raises(ValidationError) as error:
        propose(world, world.agencies[1])
    assert {e.code for e in error.value.error_list} == {"ineligible"}
    assert any("Xếp thứ 2 trong khối" in m for m in error.value.messages)
    assert not Nomination.objects.exists()


def test_a_warning_needs_a_justification(world, frozen):
    with pytest.raises(ValidationError) as error:
        propose(world, justification="   ")
    assert error.value.error_dict["justification"][0].code == "needs_justification"
    assert "Hoàn thành vượt mức" in error.value.message_dict["justification"][0]


def test_a_merged_agency_is_refused(world, frozen):
    agency = world.agencies[0]
    agency.status, agency.status_date = "merged", datetime.date(2022, 8, 1)
    agency.successor = make_agency(world.province, name="Sở Mới")
    agency.save()
    with pytest.raises(ValidationError, match="sáp nhập vào Sở Mới từ ngày 01/08/2022"):
        propose(world)


def test_duplicate_is_a_message(world, frozen):
    propose(world)
    with pytest.raises(ValidationError, match="đã được đề nghị") as error:
        propose(world)
    assert error.value.code == "duplicate" and Nomination.objects.count() == 1


def test_forged_award_type_of_another_rule_set(world, frozen):
    templates = ensure_templates()
    forged = AwardType.objects.get(rule_set=templates["Nghị định 152/2025/NĐ-CP"], code="co-ubnd-tinh")
    with pytest.raises(ValidationError) as error:
        services.nomination_propose(actor=world.secretary, bloc_year=world.bloc_year, award_type=forged, agency=world.agencies[0],
                                    reason="Lý do", justification=JUSTIFIED)
    assert "award_type" in error.value.message_dict


@pytest.mark.parametrize("agency", ["outside_agency", "other_agency"])
def test_forged_agency_of_another_bloc(world, frozen, agency):
    with pytest.raises(ValidationError) as error:
        propose(world, getattr(world, agency), "bang-khen-thu-tuong")
    assert "agency" in error.value.message_dict


@pytest.mark.parametrize("reason, field", [
    ("Dẫn đầu\x00khối", "reason"),
    ("x" * 4001, "reason"),
    ("", "reason"),
    ("\u200b \n", "reason"),
])
def test_hostile_text_refused(world, frozen, reason, field):
    with pytest.raises(ValidationError) as error:
        propose(world, reason=reason)
    assert field in error.value.message_dict
    assert not Nomination.objects.exists()


def test_justification_nul_refused(world, frozen):
    with pytest.raises(ValidationError) as error:
        propose(world, justification="Xác nhận\x00")
    assert "justification" in error.value.message_dict


def test_text_is_normalised(world, frozen):
    nomination = propose(world, reason="  Dẫn đầu khối\u200b  ")
    assert nomination.reason == "Dẫn đầu khối"


def test_quota_counts_under_the_bloc_year_lock(world, frozen):
    AwardType.objects.filter(rule_set=rule_set_for(world.bloc_year), code="bang-khen-thu-tuong").update(per_bloc_quota=1)
    from awards.models import RuleSet, new_version

    RuleSet.objects.filter(pk=rule_set_for(world.bloc_year).pk).update(version=new_version())
    propose(world, world.agencies[1], "bang-khen-thu-tuong")
    with pytest.raises(ValidationError, match="vượt số lượng tối đa 1"):
        propose(world, world.agencies[2], "bang-khen-thu-tuong")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_secretaries_at_once_respect_the_quota():
    from awards.models import RuleSet, new_version
    from blocs.models import Role, RoleAssignment
    from emulation_portal.testing import make_user

    ensure_templates()
    world = build_world()
    frozen_round(world)
    rule_set = rule_set_for(world.bloc_year)
    AwardType.objects.filter(rule_set=rule_set, code="bang-khen-thu-tuong").update(per_bloc_quota=1)
    RuleSet.objects.filter(pk=rule_set.pk).update(version=new_version())
    other = make_user("secretary2", agency=world.agencies[0])
    RoleAssignment.objects.create(user=other, role=Role.SECRETARY, bloc_year=world.bloc_year)
    errors = race([
        lambda: propose(world, world.agencies[1], "bang-khen-thu-tuong"),
        lambda: propose(world, world.agencies[2], "bang-khen-thu-tuong", actor=other),
    ])
    assert Nomination.objects.count() == 1
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)


# --- edit ----------------------------------------------------------------------------------------------------


def test_edit_changes_text_and_version(world, frozen):
    nomination = propose(world)
    old = nomination.version
    edited = services.nomination_edit(actor=world.secretary, nomination=nomination, reason="Lý do mới", justification=JUSTIFIED,
                                      version=old)
    assert edited.reason == "Lý do mới" and edited.version != old
    entry = AuditEntry.objects.get(action="nomination.edit")
    assert entry.data["changed"] == ["reason"] and entry.data["before"]["reason"].startswith("Dẫn đầu")


def test_stale_edit_names_who_changed_what(world, frozen):
    nomination = propose(world)
    stale = nomination.version
    services.nomination_edit(actor=world.board, nomination=nomination, reason="Ban sửa lý do", justification=JUSTIFIED, version=stale)
    with pytest.raises(services.StaleNomination) as error:
        services.nomination_edit(actor=world.secretary, nomination=nomination, reason="Thư ký sửa", justification=JUSTIFIED, version=stale)
    message = error.value.messages[0]
    assert world.board.get_full_name() in message and "thành tích, lý do đề nghị" in message
    nomination.refresh_from_db()
    assert nomination.reason == "Ban sửa lý do"


def test_edit_keeps_the_justification_a_warning_needs(world, frozen):
    nomination = propose(world)
    with pytest.raises(ValidationError) as error:
        services.nomination_edit(actor=world.secretary, nomination=nomination, reason="Lý do", justification="", version=nomination.version)
    assert "justification" in error.value.message_dict


@pytest.mark.parametrize("state", [NominationState.VOTED, NominationState.SUBMITTED, NominationState.AWARDED])
def test_edit_refused_once_voted(world, frozen, state):
    nomination = make_nomination(world, state=state, justification=JUSTIFIED)
    with pytest.raises(ValidationError, match="không sửa được"):
        services.nomination_edit(actor=world.secretary, nomination=nomination, reason="Lý do", justification=JUSTIFIED,
                                 version=nomination.version)


def test_edit_of_a_returned_nomination(world, frozen):
    nomination = make_nomination(world, state=NominationState.RETURNED, justification=JUSTIFIED)
    services.nomination_edit(actor=world.secretary, nomination=nomination, reason="Đã bổ sung", justification=JUSTIFIED,
                             version=nomination.version)
    nomination.refresh_from_db()
    assert nomination.reason == "Đã bổ sung" and nomination.state == NominationState.RETURNED


@pytest.mark.parametrize("who", ["leader", "officer", "central"])
def test_edit_refused_to_readers(world, frozen, who):
    nomination = propose(world)
    with pytest.raises(PermissionDenied):
        services.nomination_edit(actor=getattr(world, who), nomination=nomination, reason="x", justification=JUSTIFIED,
                                 version=nomination.version)


# --- withdraw ------------------------------------------------------------------------------------------------------


def test_withdraw_deletes_and_keeps_the_values_in_the_audit(world, frozen):
    nomination = propose(world)
    pk = nomination.pk
    services.nomination_withdraw(actor=world.secretary, nomination=nomination)
    assert not Nomination.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(action="nomination.withdraw")
    assert entry.object_id == str(pk) and entry.data["reason"].startswith("Dẫn đầu") and entry.data["bloc_year"] == world.bloc_year.pk


def test_withdraw_refused_once_voted(world, frozen):
    nomination = make_nomination(world, state=NominationState.VOTED)
    with pytest.raises(ValidationError, match="chưa đưa ra bỏ phiếu"):
        services.nomination_withdraw(actor=world.secretary, nomination=nomination)
    assert Nomination.objects.filter(pk=nomination.pk).exists()


def test_withdraw_refused_while_on_a_ballot(world, frozen):
    nomination = make_nomination(world)
    make_ballot(world, [nomination], state=BallotState.DRAFT, elect=False)
    with pytest.raises(ValidationError, match="phiếu bình xét"):
        services.nomination_withdraw(actor=world.secretary, nomination=nomination)


@pytest.mark.parametrize("who", ["leader", "central", "outsider"])
def test_withdraw_refused_to_others(world, frozen, who):
    nomination = make_nomination(world)
    with pytest.raises(PermissionDenied):
        services.nomination_withdraw(actor=getattr(world, who), nomination=nomination)


# --- pending cases ---------------------------------------------------------------------------------------------------


def open_case(world, **kwargs):
    kwargs.setdefault("actor", world.board)
    kwargs.setdefault("agency", world.agencies[1])
    kwargs.setdefault("kind", "discipline")
    kwargs.setdefault("description", "Xem xét kỷ luật người đứng đầu")
    kwargs.setdefault("opened_on", datetime.date(2022, 10, 1))
    return services.case_open(**kwargs)


def test_case_open_and_close(world):
    case = open_case(world)
    assert case.closed_on is None and case.recorded_by == world.board
    closed = services.case_close(actor=world.board, case=case, closed_on=datetime.date(2022, 11, 1))
    assert closed.closed_on == datetime.date(2022, 11, 1)
    actions = AuditEntry.objects.filter(object_type="awards.pendingcase").order_by("id").values_list("action", flat=True)
    assert list(actions) == ["case.open", "case.close"]
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.case_close(actor=world.board, case=case, closed_on=datetime.date(2022, 11, 2))


@pytest.mark.parametrize("who", ["secretary", "leader", "central", "outsider"])
def test_cases_are_the_boards(world, who):
    with pytest.raises(PermissionDenied):
        open_case(world, actor=getattr(world, who))
    case = open_case(world)
    with pytest.raises(PermissionDenied):
        services.case_close(actor=getattr(world, who), case=case, closed_on=datetime.date(2022, 11, 1))


def test_case_bad_input(world):
    with pytest.raises(ValidationError) as error:
        open_case(world, kind="forged")
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        open_case(world, opened_on=timezone.localdate() + datetime.timedelta(days=3))
    assert "opened_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        open_case(world, description="a\x00b")
    assert "description" in error.value.message_dict
    case = open_case(world)
    with pytest.raises(ValidationError) as error:
        services.case_close(actor=world.board, case=case, closed_on=datetime.date(2022, 9, 1))
    assert "closed_on" in error.value.message_dict
    with pytest.raises(ValidationError, match="đã được ghi"):
        open_case(world)
    assert PendingCase.objects.count() == 1


def test_an_open_case_refuses_a_proposal_under_nd_152(world):
    ensure_templates()
    from blocs.models import BlocYear, Membership

    bloc_year = BlocYear.objects.create(bloc=world.bloc, year=2025)
    Membership.objects.bulk_create([Membership(bloc_year=bloc_year, agency=a, year=2025) for a in world.agencies])
    from awards.nominations import eligibility

    open_case(world, agency=world.agencies[2], opened_on=datetime.date(2025, 9, 1))
    award = AwardType.objects.get(rule_set=rule_set_for(bloc_year), code="bang-khen-thu-tuong")
    checks = {c.code: c for c in eligibility.checks_for_candidate(bloc_year, award, world.agencies[2])}
    assert checks["pending_case"].status == "fail" and "Đang xem xét kỷ luật" in checks["pending_case"].reason


# --- province quotas (the board's inbox) -------------------------------------------------------------------------------


def test_province_quotas(world, frozen):
    others = [make_agency(world.province) for _ in range(10)]
    other_year = make_bloc_year(world.province, others, year=2022)
    for agency in others[:5]:
        make_nomination(world, agency, "co-ubnd-tinh", bloc_year=other_year, state=NominationState.SUBMITTED)
    make_nomination(world, others[5], "co-ubnd-tinh", bloc_year=other_year, state=NominationState.PROPOSED)  # not before the board
    make_nomination(world, world.agencies[0], "co-chinh-phu", state=NominationState.APPROVED)
    make_nomination(world, others[0], "co-chinh-phu", bloc_year=other_year, state=NominationState.AWARDED)
    rows = {r.code: r for r in selectors.province_quotas(world.province.pk, 2022)}
    assert rows["co-ubnd-tinh"].count == 5 and rows["co-ubnd-tinh"].cap is None
    government = rows["co-chinh-phu"]
    assert (government.count, government.cap, government.over) == (2, 1, True)
    assert "20 % của 5 tập thể" in government.cap_text and "NĐ 91/2017" in government.source
    assert rows["tap-the-ldxs"].count == 0
    assert selectors.province_quotas(world.other_province.pk, 2022)[0].count == 0


def test_province_quotas_per_bloc_quota_of_nd_152(world):
    ensure_templates()
    make_bloc_year(world.province, [make_agency(world.province)], year=2025)
    make_bloc_year(world.province, [make_agency(world.province)], year=2025)
    rows = {r.code: r for r in selectors.province_quotas(world.province.pk, 2025)}
    assert rows["co-ubnd-tinh"].cap == 2 and "1 mỗi khối × 2 khối" in rows["co-ubnd-tinh"].cap_text


def test_province_quotas_query_count_flat(world, frozen):
    selectors.province_quotas(world.province.pk, 2022)
    with CaptureQueriesContext(connection) as small:
        selectors.province_quotas(world.province.pk, 2022)
    for _ in range(5):
        agencies = [make_agency(world.province) for _ in range(3)]
        bloc_year = make_bloc_year(world.province, agencies, year=2022)
        for agency in agencies:
            make_nomination(world, agency, "co-ubnd-tinh", bloc_year=bloc_year, state=NominationState.SUBMITTED)
    with CaptureQueriesContext(connection) as large:
        rows = selectors.province_quotas(world.province.pk, 2022)
    assert len(small.captured_queries) == len(large.captured_queries) <= 4
    assert {r.code: r.count for r in rows}["co-ubnd-tinh"] == 15
