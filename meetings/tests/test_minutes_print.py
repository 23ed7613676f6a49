"""The minutes PDF and the meeting page print the same sections; the approval stamp has its time;
the verify page says who approved the minutes."""

import shutil
import subprocess

from django.urls import reverse
from django.utils import timezone

from core.models import IssuedDocument, JobStatus
from meetings.documents import MINUTES_SECTIONS, minutes_sections
from meetings.models import MinutesRevision

from .factories import approved


def pdf_text(document):
    command = [shutil.which("pdftotext") or "/usr/bin/pdftotext", document.file.path, "-"]
    return " ".join(subprocess.run(command, capture_output=True, check=True, text=True).stdout.split())  # noqa: S603


def test_every_minutes_section_heading_is_in_the_pdf_and_on_the_page(world, client_for):
    meeting = approved(world)
    document = IssuedDocument.objects.get(kind="minutes")
    assert document.status == JobStatus.DONE, document.error
    text = pdf_text(document)
    page = " ".join(client_for(world.secretary).get(meeting.get_absolute_url()).content.decode().split())
    sections = minutes_sections(MinutesRevision.objects.get(meeting=meeting).snapshot)
    assert [s["key"] for s in sections] == [key for key, _heading in MINUTES_SECTIONS], "the factory fills every section"
    assert sections == minutes_sections(meeting), "the page's source and the PDF's agree"
    for section in sections:
        assert f"{section['heading']}:" in text, section["heading"]
        assert f">{section['heading']}</h3>" in page, section["heading"]
        for paragraph in section["paragraphs"]:
            assert paragraph in text and paragraph in page
    # The discussion prints under its own heading, not under the previous section's.
    assert text.index("Diễn biến, thảo luận:") < text.index("Các đại biểu đóng góp ý kiến cho Báo cáo.")
    assert text.index("Phương hướng, nhiệm vụ:") < text.index("Diễn biến, thảo luận:") < text.index("Kết luận:")


def test_minutes_stamp_shows_the_approval_time_and_verify_names_the_approver(world, client):
    meeting = approved(world)
    revision = MinutesRevision.objects.get(meeting=meeting)
    document = IssuedDocument.objects.get(kind="minutes")
    at = timezone.localtime(revision.approved_at).strftime("%d/%m/%Y %H:%M")
    assert f"Đã duyệt trên Cổng thi đua khối {at}" in pdf_text(document)
    body = " ".join(client.get(reverse("verify", args=[document.code])).content.decode().split())
    approver = world.leaders[0].get_full_name()
    assert f"Biên bản đã được duyệt bởi {approver} lúc {at}" in body
