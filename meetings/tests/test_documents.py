import shutil
import subprocess

from django.urls import reverse

from core.models import IssuedDocument, JobStatus
from meetings import services
from meetings.models import MeetingKind

from .factories import approve, approved, attendance_rows, local, record, schedule


def pdf_text(document):
    command = [shutil.which("pdftotext") or "/usr/bin/pdftotext", "-layout", document.file.path, "-"]
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout  # noqa: S603 (fixed command, test file)


def test_minutes_pdf_has_attendance_and_decisions_with_diacritics(world):
    approved(world)
    document = IssuedDocument.objects.get(kind="minutes")
    assert document.status == JobStatus.DONE, document.error
    text = pdf_text(document)
    for expected in (
        "BIÊN BẢN",
        "Hội nghị sơ kết 6 tháng năm 2022",
        "Ninh Thuận, ngày 17 tháng 6 năm 2022",  # Decree 30: no leading zero for months 3-12
        "Số: 02/BB-KTĐ",
        "4/4 đơn vị",
        "Đại Diện Đơn Vị 1",
        "Lê Thị Khách",
        "Thống nhất báo cáo sơ kết 6 tháng đầu năm",
        "Giao Trưởng khối hoàn thiện phương hướng 6 tháng cuối năm",
        "Trần Thư Ký",
        "Nguyễn Văn Chủ Trì",
        document.code,
    ):
        assert expected in " ".join(text.split()), expected
    assert world.agencies[3].name in text


def test_verify_page_finds_the_minutes(world, client):
    approved(world)
    document = IssuedDocument.objects.get(kind="minutes")
    response = client.get(reverse("verify", args=[document.code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Biên bản Hội nghị sơ kết 6 tháng năm 2022" in body
    assert "Quyết nghị: Thống nhất báo cáo sơ kết 6 tháng đầu năm" in body
    assert "Có mặt 4/4 đơn vị" in body
    with document.file.open("rb") as handle:
        response = client.post(reverse("verify", args=[document.code]), {"file": handle})
    assert "trùng khớp hoàn toàn" in response.content.decode()


def test_user_text_is_escaped_in_the_pdf(world):
    meeting = schedule(world, kind=MeetingKind.OTHER, venue="<b>Hội trường</b>")
    record(world, meeting, decisions=["<script>alert('x')</script> Thông qua"], discussion="<i>nghiêng</i> & đậm")
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    approve(world, meeting)
    document = IssuedDocument.objects.get(kind="minutes")
    text = " ".join(pdf_text(document).split())
    assert "<script>alert('x')</script> Thông qua" in text
    assert "<i>nghiêng</i> & đậm" in text
    assert "<b>Hội trường</b>" in text


def test_failed_render_shows_error_and_retry(world, client_for, monkeypatch):
    from core import documents

    def broken(html):
        raise RuntimeError("máy in hỏng")

    monkeypatch.setattr(documents, "html_to_pdf", broken)
    meeting = approved(world, starts_at=local(2022, 6, 20))
    document = IssuedDocument.objects.get(kind="minutes")
    assert document.status == JobStatus.FAILED
    page = client_for(world.secretary).get(meeting.get_absolute_url()).content.decode()
    assert "máy in hỏng" in page
    assert reverse("document_retry", args=[document.code]) in page
    # Members see that it failed, not the server's error text.
    member_page = client_for(world.officer).get(meeting.get_absolute_url()).content.decode()
    assert "Lỗi khi tạo PDF" in member_page and "máy in hỏng" not in member_page
    assert reverse("document_retry", args=[document.code]) not in member_page
    monkeypatch.undo()
    response = client_for(world.secretary).post(reverse("document_retry", args=[document.code]), {"next": meeting.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()


def test_pending_document_shows_in_progress(world, client_for):
    meeting = schedule(world)
    record(world, meeting)
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    services.minutes_approve(actor=world.leaders[0], meeting=meeting)  # on_commit never runs: still pending
    page = client_for(world.leader).get(meeting.get_absolute_url()).content.decode()
    assert "đang tạo" in page
    fragment = client_for(world.leader).get(reverse("meetings:documents", args=[meeting.pk]), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "đang tạo" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_preview_of_draft_minutes(world, client_for):
    meeting = schedule(world)
    record(world, meeting)
    response = client_for(world.officer).get(reverse("meetings:minutes_preview", args=[meeting.pk]))
    assert response.status_code == 200
    assert "Bản xem trước" in response.content.decode()


def test_minutes_pdf_gives_the_absent_members_reason(world):
    meeting = schedule(world)
    rows = attendance_rows(world, present=len(world.agencies) - 1)
    rows[-1]["absence_reason"] = "Đi công tác tại Hà Nội"
    record(world, meeting, attendance=rows)
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    approve(world, meeting)
    text = " ".join(pdf_text(IssuedDocument.objects.get(kind="minutes")).split())
    assert "Lý do: Đi công tác tại Hà Nội" in text
    assert meeting.revisions.get().snapshot["attendance"][-1]["absence_reason"] == "Đi công tác tại Hà Nội"
