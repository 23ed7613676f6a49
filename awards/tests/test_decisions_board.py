"""The board's services: receive or return a dossier; approve, return, reject each nomination with
a reason; the secretary's resubmission; forward and the central outcome; the decision, all or
nothing; corrections of a decided nomination, never silent. Every transition, reasons required,
wrong states, double posts, forged ids and hostile text."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from awards.decisions import board
from awards.decisions import dossier as dossiers
from awards.models import AwardRecord, Decision, DossierState, Nomination, NominationCorrection, NominationState
from awards.tests.test_dossier_world import JUSTIFICATION, pdf, received, submitted
from awards.tests.yearend import make_decision, make_nomination, make_record
from core.models import AuditEntry, Notification
from emulation_portal.testing import make_bloc_year

pytestmark = pytest.mark.django_db
N = NominationState
DAY = datetime.date(2023, 1, 20)


def messages_of(error):
    return " ".join(error.value.messages)


def fresh(obj):
    obj.refresh_from_db()
    return obj


# --- the dossier ---------------------------------------------------------------------------------------


def test_receive_then_return_is_refused(world, ninh_thuan_rules):
    found = submitted(world)
    dossier = board.dossier_receive(actor=world.board, dossier=found.dossier)
    assert dossier.state == DossierState.RECEIVED and dossier.received_by == world.board
    assert Notification.objects.filter(user=world.secretary, message__contains="đã tiếp nhận").exists()
    with pytest.raises(ValidationError):
        board.dossier_receive(actor=world.board, dossier=dossier)  # the same button twice
    with pytest.raises(ValidationError) as error:
        board.dossier_return(actor=world.board, dossier=dossier, reason="Muộn quá")
    assert "chưa tiếp nhận" in messages_of(error)


@pytest.mark.parametrize("who", ["secretary", "leader", "central", "outsider"])
def test_only_the_provinces_board_receives(world, ninh_thuan_rules, who):
    found = submitted(world)
    with pytest.raises(PermissionDenied):
        board.dossier_receive(actor=getattr(world, who), dossier=found.dossier)


@pytest.mark.parametrize("reason", ["", "   \u200b ", "Lý do\x00"])
def test_dossier_return_needs_a_clean_reason(world, ninh_thuan_rules, reason):
    found = submitted(world)
    with pytest.raises(ValidationError) as error:
        board.dossier_return(actor=world.board, dossier=found.dossier, reason=reason)
    assert "reason" in error.value.message_dict
    assert fresh(found.dossier).state == DossierState.SUBMITTED


def test_dossier_return_keeps_the_nominations_submitted(world, ninh_thuan_rules):
    found = submitted(world)
    board.dossier_return(actor=world.board, dossier=found.dossier, reason="Bổ sung biên bản có chữ ký.")
    assert {fresh(n).state for n in found.nominations} == {N.SUBMITTED}
    assert AuditEntry.objects.get(action="dossier.return").data["reason"] == "Bổ sung biên bản có chữ ký."
    assert Notification.objects.filter(user=world.secretary, message__contains="Bổ sung biên bản").exists()


# --- each nomination ----------------------------------------------------------------------------------


def test_nothing_is_decided_before_the_dossier_is_received(world, ninh_thuan_rules):
    found = submitted(world)
    with pytest.raises(ValidationError) as error:
        board.nomination_approve(actor=world.board, nomination=found.nominations[0])
    assert "tiếp nhận hồ sơ" in messages_of(error)


def test_approve_return_reject_each_with_its_reason_and_the_secretaries_told(world, ninh_thuan_rules):
    found = received(world, nominations=(("co-ubnd-tinh", 0, 4), ("bang-khen-chu-tich-tinh", 1, 3), ("tap-the-ldxs", 2, 3)))
    flag, merit, excellent = found.nominations
    assert board.nomination_approve(actor=world.board, nomination=flag).state == N.APPROVED
    returned = board.nomination_return(actor=world.board, nomination=merit, reason="Bổ sung số liệu năm 2022.")
    assert returned.state == N.RETURNED and returned.board_note == "Bổ sung số liệu năm 2022."
    rejected = board.nomination_reject(actor=world.board, nomination=excellent, reason="Chưa đủ 70 % lao động tiên tiến.")
    assert rejected.state == N.REJECTED and rejected.decided_by == world.board
    told = list(Notification.objects.filter(user=world.secretary).values_list("message", flat=True))
    assert (
        any("đồng ý đề nghị" in m for m in told) and any("Bổ sung số liệu" in m for m in told) and any("70 %" in m for m in told)
    )
    with pytest.raises(ValidationError) as error:  # the same approve posted twice
        board.nomination_approve(actor=world.board, nomination=flag)
    assert "không ở trạng thái chờ Ban" in messages_of(error)


@pytest.mark.parametrize("service", [board.nomination_return, board.nomination_reject, board.central_reject])
@pytest.mark.parametrize("reason", ["", "\x00", "x" * (board.REASON_MAX_LENGTH + 1)])
def test_reasons_are_required_and_clean(world, ninh_thuan_rules, service, reason):
    found = received(world)
    with pytest.raises(ValidationError) as error:
        service(actor=world.board, nomination=found.nominations[0], reason=reason)
    assert "reason" in error.value.message_dict
    assert fresh(found.nominations[0]).state == N.SUBMITTED


@pytest.mark.parametrize("who", ["secretary", "leader", "central", "outsider"])
def test_only_the_provinces_board_decides(world, ninh_thuan_rules, who):
    found = received(world)
    with pytest.raises(PermissionDenied):
        board.nomination_approve(actor=getattr(world, who), nomination=found.nominations[0])


def test_resubmit_once_fixed(world, ninh_thuan_rules):
    found = received(world)
    merit = found.nominations[1]
    board.nomination_return(actor=world.board, nomination=merit, reason="Ghi rõ giải trình.")
    Nomination.objects.filter(pk=merit.pk).update(justification="")
    merit = fresh(merit)
    with pytest.raises(ValidationError) as error:
        board.nomination_resubmit(actor=world.secretary, nomination=merit)
    assert "Cần ghi giải trình" in messages_of(error)
    merit.report.delete()
    Nomination.objects.filter(pk=merit.pk).update(justification=JUSTIFICATION)
    with pytest.raises(ValidationError) as error:
        board.nomination_resubmit(actor=world.secretary, nomination=fresh(merit))
    assert "Thiếu báo cáo thành tích" in messages_of(error)
    with pytest.raises(PermissionDenied):
        dossiers.report_upload(actor=world.leader, nomination=merit, uploaded=pdf())
    dossiers.report_upload(actor=world.secretary, nomination=merit, uploaded=pdf())
    for who in (world.leader, world.board):  # the bloc sends it back, the board does not write it
        with pytest.raises(PermissionDenied):
            board.nomination_resubmit(actor=who, nomination=fresh(merit))
    again = board.nomination_resubmit(actor=world.secretary, nomination=fresh(merit))
    assert again.state == N.SUBMITTED
    assert Notification.objects.filter(user=world.board, message__contains="gửi lại").exists()
    with pytest.raises(ValidationError):
        board.nomination_resubmit(actor=world.secretary, nomination=again)
    assert board.nomination_approve(actor=world.board, nomination=again).state == N.APPROVED


def test_forward_only_government_level_and_the_central_outcome(world, ninh_thuan_rules):
    found = received(world, nominations=(("co-ubnd-tinh", 0, 4), ("bang-khen-thu-tuong", 1, 4)))
    province, government = found.nominations
    for nomination in found.nominations:
        board.nomination_approve(actor=world.board, nomination=nomination)
    with pytest.raises(ValidationError) as error:
        board.nomination_forward(actor=world.board, nomination=fresh(province))
    assert "không trình Trung ương" in messages_of(error)
    forwarded = board.nomination_forward(actor=world.board, nomination=fresh(government))
    assert forwarded.state == N.FORWARDED and forwarded.forwarded_at is not None
    with pytest.raises(ValidationError):
        board.central_reject(actor=world.board, nomination=fresh(province), reason="Không")
    result = board.central_reject(
        actor=world.board, nomination=forwarded, reason="Hội đồng Thi đua – Khen thưởng Trung ương chưa xét."
    )
    assert result.state == N.REJECTED and "Trung ương" in result.board_note


# --- the decision ----------------------------------------------------------------------------------------


def approved(world, **kwargs):
    found = received(world, **kwargs)
    for nomination in found.nominations:
        board.nomination_approve(actor=world.board, nomination=nomination)
    found.nominations = [fresh(n) for n in found.nominations]
    return found


def record(world, nominations, **fields):
    values = {
        "number": "125/QĐ-UBND",
        "date": DAY,
        "signer_title": "Chủ tịch UBND tỉnh",
        "signer_name": "Lưu Xuân Vĩnh",
        "level": "province",
    }
    values.update(fields)
    return board.decision_record(actor=world.board, province=world.province, nominations=nominations, **values)


def test_decision_awards_each_nomination_and_writes_the_history(world, ninh_thuan_rules):
    found = approved(world)
    decision = record(world, found.nominations)
    assert str(decision) == "Quyết định số 125/QĐ-UBND ngày 20/01/2023 của Chủ tịch UBND tỉnh"
    for nomination in found.nominations:
        nomination = fresh(nomination)
        assert nomination.state == N.AWARDED and nomination.decision == decision
        row = AwardRecord.objects.get(nomination=nomination)
        assert (row.agency, row.year, row.award_code, row.decision, row.bloc_year) == (
            nomination.agency,
            2022,
            nomination.award_type.code,
            decision,
            world.bloc_year,
        )
    assert AuditEntry.objects.filter(action="nomination.award").count() == 2
    with pytest.raises(ValidationError) as error:  # the same form posted twice
        record(world, found.nominations)
    assert "đã có quyết định khen thưởng" in messages_of(error)
    assert Decision.objects.count() == 1 and AwardRecord.objects.count() == 2


def test_a_decision_refused_for_one_nomination_writes_nothing(world, ninh_thuan_rules):
    found = received(world)
    flag, merit = found.nominations
    board.nomination_approve(actor=world.board, nomination=flag)
    other_year = make_bloc_year(world.other_province, [world.other_agency], year=2022)
    foreign = make_nomination(world, world.other_agency, "co-ubnd-tinh", state=N.APPROVED, bloc_year=other_year)
    with pytest.raises(ValidationError) as error:
        record(world, [flag, merit, foreign])
    text = messages_of(error)
    assert merit.agency.name in text and "chưa được Ban đồng ý" in text
    assert world.other_agency.name in text and "thuộc tỉnh khác" in text
    assert not Decision.objects.exists() and not AwardRecord.objects.exists()
    assert fresh(flag).state == N.APPROVED


def test_a_decision_of_one_level_only(world, ninh_thuan_rules):
    found = approved(world, nominations=(("co-ubnd-tinh", 0, 4), ("bang-khen-thu-tuong", 1, 4)))
    province, government = found.nominations
    with pytest.raises(ValidationError) as error:
        record(world, [province, government])
    assert "khác cấp" in messages_of(error)
    with pytest.raises(ValidationError) as error:
        record(world, [government], level="government", number="12/QĐ-TTg", signer_title="Thủ tướng Chính phủ")
    assert "chưa trình Trung ương" in messages_of(error)
    board.nomination_forward(actor=world.board, nomination=government)
    decision = record(world, [government], level="government", number="12/QĐ-TTg", signer_title="Thủ tướng Chính phủ")
    assert fresh(government).state == N.AWARDED and decision.level == "government"


def test_the_same_decision_number_adds_a_second_batch_only_when_it_matches(world, ninh_thuan_rules):
    found = approved(world)
    flag, merit = found.nominations
    decision = record(world, [flag])
    with pytest.raises(ValidationError) as error:
        record(world, [merit], signer_title="Phó Chủ tịch UBND tỉnh")
    assert "đã được ghi với cấp hoặc người ký khác" in messages_of(error)
    assert record(world, [merit]).pk == decision.pk
    assert decision.records.count() == 2


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"number": ""}, "number"),
        ({"number": "125/QĐ\x00"}, "number"),
        ({"signer_title": "  "}, "signer_title"),
        ({"signer_name": "Tên\u202eđảo"}, "signer_name"),
        ({"date": datetime.date.today() + datetime.timedelta(days=2)}, "date"),
        ({"level": "council"}, "level"),
    ],
)
def test_decision_fields_are_checked(world, ninh_thuan_rules, fields, field):
    found = approved(world)
    with pytest.raises(ValidationError) as error:
        record(world, found.nominations, **fields)
    assert field in error.value.message_dict
    assert not Decision.objects.exists()


def test_decision_needs_nominations_and_the_right_people(world, ninh_thuan_rules):
    found = approved(world)
    with pytest.raises(ValidationError) as error:
        record(world, [])
    assert "nominations" in error.value.message_dict
    with pytest.raises(ValidationError):
        record(world, [10**9])  # a forged id
    for who in ("secretary", "central", "outsider", "leader"):
        with pytest.raises(PermissionDenied):
            board.decision_record(
                actor=getattr(world, who),
                province=world.province,
                nominations=found.nominations,
                number="1/QĐ",
                date=DAY,
                signer_title="Chủ tịch UBND tỉnh",
                level="province",
            )


def test_a_hand_entered_award_of_the_same_year_refuses_the_decision(world, ninh_thuan_rules):
    found = approved(world)
    make_record(found.nominations[0].agency, 2022)
    with pytest.raises(ValidationError) as error:
        record(world, found.nominations)
    assert "đã có hình thức khen thưởng này trong năm 2022" in messages_of(error)


# --- corrections ---------------------------------------------------------------------------------------------


def awarded(world):
    found = approved(world)
    found.decision = record(world, found.nominations)
    found.nominations = [fresh(n) for n in found.nominations]
    return found


def test_correct_the_decision(world, ninh_thuan_rules):
    found = awarded(world)
    nomination = found.nominations[0]
    right = make_decision(world, number="126/QĐ-UBND", date=DAY)
    correction = board.nomination_correct(
        actor=world.board,
        nomination=nomination,
        field="decision",
        new_value=str(right.pk),
        reason="Nhầm số quyết định.",
        version=nomination.version,
    )
    assert correction.old_value == str(found.decision) and correction.new_value == str(right)
    assert fresh(nomination).decision == right and AwardRecord.objects.get(nomination=nomination).decision == right
    entry = AuditEntry.objects.get(action="nomination.correct")
    assert entry.data["reason"] == "Nhầm số quyết định." and entry.data["field"] == "decision"


def test_awarded_to_rejected_removes_the_history_row_and_back_to_approved(world, ninh_thuan_rules):
    found = awarded(world)
    nomination = found.nominations[1]
    board.nomination_correct(
        actor=world.board,
        nomination=nomination,
        field="state",
        new_value=N.REJECTED,
        reason="Phát hiện vi phạm sau khi khen thưởng.",
    )
    nomination = fresh(nomination)
    assert nomination.state == N.REJECTED and nomination.decision is None
    assert not AwardRecord.objects.filter(nomination=nomination).exists()
    assert AuditEntry.objects.get(action="nomination.correct").data["removed_record"]["year"] == 2022
    board.nomination_correct(
        actor=world.board, nomination=nomination, field="state", new_value=N.APPROVED, reason="Đã xác minh lại."
    )
    assert fresh(nomination).state == N.APPROVED
    assert NominationCorrection.objects.filter(nomination=nomination).count() == 2


def test_corrections_refused(world, ninh_thuan_rules):
    found = awarded(world)
    nomination = found.nominations[0]
    seen = nomination.version
    cases = [
        ({"field": "decision", "new_value": "0"}, "new_value"),
        ({"field": "decision", "new_value": "abc\x00"}, "new_value"),
        ({"field": "state", "new_value": N.APPROVED}, "new_value"),
        ({"field": "award_type", "new_value": "1"}, "field"),
        ({"field": "board_note", "new_value": "Ghi chú", "reason": ""}, "reason"),
    ]
    other = make_decision(world, number="9/QĐ-UBND")
    other.province = world.other_province
    other.save()
    cases.append(({"field": "decision", "new_value": str(other.pk)}, "new_value"))
    for fields, key in cases:
        with pytest.raises(ValidationError) as error:
            board.nomination_correct(actor=world.board, nomination=nomination, **{"reason": "Lý do", **fields})
        assert key in error.value.message_dict, (fields, error.value)
    board.nomination_correct(
        actor=world.board, nomination=nomination, field="board_note", new_value="Ghi chú mới", reason="Bổ sung.", version=seen
    )
    with pytest.raises(ValidationError) as error:  # a stale tab
        board.nomination_correct(
            actor=world.board, nomination=nomination, field="board_note", new_value="Khác", reason="Lần hai.", version=seen
        )
    assert "người khác thay đổi" in messages_of(error)
    with pytest.raises(PermissionDenied):
        board.nomination_correct(actor=world.secretary, nomination=nomination, field="board_note", new_value="x", reason="y")


def test_a_nomination_not_decided_is_not_corrected(world, ninh_thuan_rules):
    found = approved(world)
    with pytest.raises(ValidationError) as error:
        board.nomination_correct(
            actor=world.board, nomination=found.nominations[0], field="board_note", new_value="x", reason="y"
        )
    assert "đã có kết quả" in messages_of(error)


# --- at the same moment (PostgreSQL) ----------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_board_members_record_decisions_for_the_same_nomination_at_once():
    from awards import services
    from awards.tests.helpers import ensure_templates
    from blocs.models import Role
    from emulation_portal.testing import build_world, make_user, race

    template = ensure_templates()["Nghị định 91/2017/NĐ-CP"]
    world = build_world()
    services.rule_set_copy(
        actor=world.board,
        rule_set=template,
        province=world.province,
        name="Quy chế Ninh Thuận",
        valid_from=template.valid_from,
        valid_to=template.valid_to,
    )
    found = approved(world)
    other = make_user("board2", agency=world.agencies[0], role=Role.BOARD, province=world.province)

    def decide(actor, number):
        return lambda: board.decision_record(
            actor=actor,
            province=world.province,
            nominations=found.nominations,
            number=number,
            date=DAY,
            signer_title="Chủ tịch UBND tỉnh",
            level="province",
        )

    errors = race([decide(world.board, "125/QĐ-UBND"), decide(other, "126/QĐ-UBND")])
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), errors
    assert AwardRecord.objects.count() == 2 and Decision.objects.count() == 1
    assert {n.decision_id for n in Nomination.objects.all()} == {Decision.objects.get().pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_secretaries_submit_the_dossier_at_once():
    from awards import services
    from awards.decisions import documents as letters
    from awards.tests.helpers import ensure_templates
    from awards.tests.test_dossier_world import ready
    from blocs.models import Role
    from core.models import IssuedDocument
    from emulation_portal.testing import build_world, make_user, race

    template = ensure_templates()["Nghị định 91/2017/NĐ-CP"]
    world = build_world()
    services.rule_set_copy(
        actor=world.board,
        rule_set=template,
        province=world.province,
        name="Quy chế Ninh Thuận",
        valid_from=template.valid_from,
        valid_to=template.valid_to,
    )
    found = ready(world)
    other = make_user("secretary2", agency=world.agencies[0], role=Role.SECRETARY, bloc_year=world.bloc_year)
    errors = race([lambda who=who: dossiers.dossier_submit(actor=who, dossier=found.dossier) for who in (world.secretary, other)])
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), errors
    assert IssuedDocument.objects.filter(kind__startswith=letters.KIND).count() == 1
    assert AuditEntry.objects.filter(action="nomination.submit").count() == 2
