"""The dossier's services: created with the rule set's deadline; what is present and missing;
the achievement report; the submission refused with every reason, after the deadline, twice;
the cover letter issued per submission (the first stays verifiable); the board moves the deadline."""

import datetime
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.decisions import board
from awards.decisions import documents as letters
from awards.decisions import dossier as dossiers
from awards.models import AchievementReport, Dossier, DossierState, NominationState, RuleValue
from awards.tests.test_dossier_world import JUSTIFICATION, docx, future, pdf, ready, submitted
from core.documents import document_render
from core.models import AuditEntry, IssuedDocument, JobStatus, Notification
from core.tests.upload_samples import make_office

pytestmark = pytest.mark.django_db


def messages_of(error):
    return " ".join(error.value.messages)


# --- the dossier and its status ---------------------------------------------------------------------


def test_dossier_for_takes_the_rule_sets_deadline_and_is_created_once(world, ninh_thuan_rules):
    first = dossiers.dossier_for(world.bloc_year)
    assert first.state == DossierState.DRAFT and first.deadline == datetime.date(2022, 12, 10)
    assert dossiers.dossier_for(world.bloc_year).pk == first.pk
    assert Dossier.objects.count() == 1


def test_no_deadline_when_the_rule_set_has_none(world, ninh_thuan_rules):
    RuleValue.objects.filter(rule_set=ninh_thuan_rules, key="dossier_deadline").delete()
    ninh_thuan_rules.version = "changed"
    ninh_thuan_rules.save(update_fields=["version"])
    assert dossiers.dossier_for(world.bloc_year).deadline is None


def test_status_names_each_missing_document_and_report(world, ninh_thuan_rules):
    found = ready(world, reports=False, minutes=False, ballot=False, score=False)
    status = dossiers.dossier_status(found.dossier)
    missing = " ".join(status.missing)
    for text in ("biên bản hội nghị tổng kết", "biên bản kiểm phiếu", "bảng tổng hợp kết quả chấm điểm"):
        assert text in missing.lower(), text
    for nomination in found.nominations:
        assert nomination.agency.name in missing
    assert not status.ready and status.missing_reports == 2


def test_status_is_a_constant_number_of_queries(world, ninh_thuan_rules, django_assert_max_num_queries):
    from awards.tests.yearend import make_nomination

    found = ready(world)
    with django_assert_max_num_queries(40) as few:
        dossiers.dossier_status(found.dossier)
    for agency in world.agencies[2:]:
        nomination = make_nomination(world, agency, "tap-the-ldxs", state=NominationState.VOTED, justification=JUSTIFICATION)
        dossiers.report_upload(actor=world.secretary, nomination=nomination, uploaded=pdf())
    with django_assert_max_num_queries(len(few.captured_queries)):
        status = dossiers.dossier_status(found.dossier)
    assert len(status.nominations) == 4


# --- the achievement report -------------------------------------------------------------------------


def test_report_upload_pdf_then_word_replaces_and_audits(world, ninh_thuan_rules, django_capture_on_commit_callbacks):
    found = ready(world, reports=False)
    nomination = found.nominations[0]
    first = dossiers.report_upload(actor=world.secretary, nomination=nomination, uploaded=pdf("bao-cao.pdf"))
    first_path = first.file.path
    with django_capture_on_commit_callbacks(execute=True):
        second = dossiers.report_upload(actor=world.secretary, nomination=nomination, uploaded=docx("bao-cao-moi.docx"))
    assert AchievementReport.objects.filter(nomination=nomination).count() == 1
    assert second.original_name == "bao-cao-moi.docx" and second.content_type.endswith("wordprocessingml.document")
    assert not __import__("os").path.exists(first_path)  # the replaced file is gone once committed
    entry = AuditEntry.objects.filter(action="nomination.report_upload").order_by("-id").first()
    assert entry.data["replaced"]["name"] == "bao-cao.pdf" and entry.data["sha256"] == second.sha256


@pytest.mark.parametrize(
    "upload, message",
    [
        (lambda: SimpleUploadedFile("bang.xlsx", make_office("xlsx")), "chỉ nhận tệp PDF hoặc Word"),
        (lambda: SimpleUploadedFile("gia.pdf", b"%PDF-1.7 not really"), "PDF"),
        (lambda: SimpleUploadedFile("rong.pdf", b""), "rỗng"),
        (lambda: SimpleUploadedFile("anh.docx", make_office("xlsx")), "đuôi"),
    ],
)
def test_report_upload_refuses_what_is_not_a_clean_pdf_or_word(world, ninh_thuan_rules, upload, message):
    found = ready(world, reports=False)
    with pytest.raises(ValidationError) as error:
        dossiers.report_upload(actor=world.secretary, nomination=found.nominations[0], uploaded=upload())
    assert message in messages_of(error)
    assert not AchievementReport.objects.exists()


@pytest.mark.parametrize("who", ["board", "leader", "officer", "central", "outsider", "stranger"])
def test_only_the_blocs_secretaries_upload_reports(world, ninh_thuan_rules, who):
    found = ready(world, reports=False)
    with pytest.raises(PermissionDenied):
        dossiers.report_upload(actor=getattr(world, who), nomination=found.nominations[0], uploaded=pdf())


def test_report_locked_while_the_board_holds_the_dossier_and_open_again_when_returned(world, ninh_thuan_rules):
    found = submitted(world)
    nomination = found.nominations[0]
    with pytest.raises(ValidationError) as error:
        dossiers.report_upload(actor=world.secretary, nomination=nomination, uploaded=pdf())
    assert "không thay báo cáo" in messages_of(error)
    board.dossier_return(actor=world.board, dossier=found.dossier, reason="Bổ sung báo cáo có xác nhận của thủ trưởng.")
    dossiers.report_upload(actor=world.secretary, nomination=nomination, uploaded=pdf("ban-moi.pdf"))
    assert AchievementReport.objects.get(nomination=nomination).original_name == "ban-moi.pdf"


# --- submitting ---------------------------------------------------------------------------------------


def test_submit_refused_with_every_reason_and_nothing_changes(world, ninh_thuan_rules):
    found = ready(world, reports=False, minutes=False)
    with pytest.raises(ValidationError) as error:
        dossiers.dossier_submit(actor=world.secretary, dossier=found.dossier)
    reasons = error.value.messages
    assert any("biên bản hội nghị tổng kết" in r.lower() for r in reasons)
    assert sum("báo cáo thành tích" in r for r in reasons) == 2
    found.dossier.refresh_from_db()
    assert found.dossier.state == DossierState.DRAFT
    assert {n.state for n in found.nominations} == {NominationState.VOTED}
    assert not IssuedDocument.objects.filter(kind__startswith=letters.KIND).exists()


def test_submit_refused_while_a_warning_has_no_justification(world, ninh_thuan_rules):
    found = ready(world)
    nomination = found.nominations[1]
    nomination.justification = ""
    nomination.save(update_fields=["justification"])
    with pytest.raises(ValidationError) as error:
        dossiers.dossier_submit(actor=world.secretary, dossier=found.dossier)
    assert "Cần ghi giải trình" in messages_of(error) and nomination.agency.name in messages_of(error)


def test_submit_refused_with_nothing_voted(world, ninh_thuan_rules):
    found = ready(world, nominations=())
    with pytest.raises(ValidationError) as error:
        dossiers.dossier_submit(actor=world.secretary, dossier=found.dossier)
    assert "Chưa có đề nghị nào" in messages_of(error)


def test_submit_after_the_deadline_is_refused_until_the_board_moves_it(world, ninh_thuan_rules):
    found = ready(world, deadline="rules")
    assert found.dossier.deadline == datetime.date(2022, 12, 10)
    with pytest.raises(ValidationError) as error:
        dossiers.dossier_submit(actor=world.secretary, dossier=found.dossier)
    assert "quá hạn nộp hồ sơ (10/12/2022)" in messages_of(error)
    with pytest.raises(PermissionDenied):
        dossiers.dossier_deadline_set(actor=world.secretary, dossier=found.dossier, deadline=future())
    moved = dossiers.dossier_deadline_set(
        actor=world.board, dossier=found.dossier, deadline=future(), version=found.dossier.version
    )
    entry = AuditEntry.objects.get(action="dossier.deadline")
    assert entry.data == {"from": "2022-12-10", "to": future().isoformat()}
    assert dossiers.dossier_submit(actor=world.secretary, dossier=moved).state == DossierState.SUBMITTED


def test_deadline_from_a_stale_tab_is_refused(world, ninh_thuan_rules):
    found = ready(world)
    seen = found.dossier.version
    dossiers.dossier_deadline_set(actor=world.board, dossier=found.dossier, deadline=future(40), version=seen)
    with pytest.raises(ValidationError) as error:
        dossiers.dossier_deadline_set(actor=world.board, dossier=found.dossier, deadline=future(50), version=seen)
    assert "người khác thay đổi" in messages_of(error)
    found.dossier.refresh_from_db()
    assert found.dossier.deadline == future(40)


def test_submit_sends_the_voted_nominations_issues_the_letter_and_tells_the_board(world, ninh_thuan_rules):
    found = submitted(world)
    dossier = found.dossier
    assert dossier.state == DossierState.SUBMITTED and dossier.number == "15/TTr-KTĐ3" and dossier.submitted_by == world.secretary
    assert {n.state for n in found.nominations} == {NominationState.SUBMITTED}
    letter = IssuedDocument.objects.get(kind=letters.KIND)
    assert letter.source == dossier and "Tờ trình đề nghị khen thưởng năm 2022" in letter.title
    entry = AuditEntry.objects.get(action="dossier.submit")
    assert entry.data["letter"] == 1 and len(entry.data["cover_letter"]["nominations"]) == 2 and entry.data["content_hash"]
    assert AuditEntry.objects.filter(action="nomination.submit").count() == 2
    assert Notification.objects.filter(user=world.board, url=dossier.get_absolute_url()).exists()
    with pytest.raises(ValidationError) as error:  # the same form posted twice
        dossiers.dossier_submit(actor=world.secretary, dossier=dossier)
    assert "Hồ sơ đã nộp" in messages_of(error)
    assert IssuedDocument.objects.filter(kind__startswith=letters.KIND).count() == 1


@pytest.mark.parametrize("who", ["board", "leader", "officer", "central", "outsider"])
def test_only_the_secretaries_submit(world, ninh_thuan_rules, who):
    found = ready(world)
    with pytest.raises(PermissionDenied):
        dossiers.dossier_submit(actor=getattr(world, who), dossier=found.dossier)


@pytest.mark.parametrize("number", ["15/TTr\x00", "x" * 61, "dòng một\ndòng hai"])
def test_hostile_letter_numbers_are_a_field_error(world, ninh_thuan_rules, number):
    found = ready(world)
    with pytest.raises(ValidationError) as error:
        dossiers.dossier_submit(actor=world.secretary, dossier=found.dossier, number=number)
    assert "number" in error.value.message_dict


def pdf_text(document):
    command = [shutil.which("pdftotext") or "/usr/bin/pdftotext", document.file.path, "-"]
    return " ".join(subprocess.run(command, capture_output=True, check=True, text=True).stdout.split())  # noqa: S603


def test_resubmission_issues_a_new_letter_and_the_first_stays_as_issued(world, ninh_thuan_rules):
    found = submitted(world)
    first = IssuedDocument.objects.get(kind=letters.KIND)
    board.dossier_return(actor=world.board, dossier=found.dossier, reason="Thiếu chữ ký trên báo cáo thành tích.")
    dossier = Dossier.objects.get(pk=found.dossier.pk)
    assert dossier.state == DossierState.RETURNED and "chữ ký" in dossier.return_reason
    again = dossiers.dossier_submit(actor=world.secretary, dossier=dossier, number="16/TTr-KTĐ3")
    assert again.state == DossierState.SUBMITTED and again.return_reason == ""
    shown = letters.letters_of(again)
    assert [d.kind for d in shown] == [f"{letters.KIND}.2", letters.KIND] and shown[1].pk == first.pk
    for document in shown:
        document_render(document_id=document.pk)
    first.refresh_from_db()
    second = IssuedDocument.objects.get(kind=f"{letters.KIND}.2")
    assert first.status == JobStatus.DONE and second.status == JobStatus.DONE, (first.error, second.error)
    first_text, second_text = pdf_text(first), pdf_text(second)
    assert "15/TTr-KTĐ3" in first_text and "16/TTr-KTĐ3" in second_text and "16/TTr" not in first_text
    for text in (first_text, second_text):
        assert "TỜ TRÌNH" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Ban Thi đua – Khen thưởng" in text
        for nomination in found.nominations:
            assert nomination.agency.name in text and nomination.award_type.name in text
    assert first.content_hash and first.content_hash != second.content_hash
    assert first.summary["number"] == "15/TTr-KTĐ3"
