import datetime
import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import IssuedDocument, JobStatus
from pledges.models import PledgeState, PledgeVersion, Signature
from pledges.tests.helpers import CRITERIA, make_draft, make_signing, sign_all


def pdf_text(document):
    with document.file.open("rb") as handle:
        data = handle.read()
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)  # noqa: S603, S607
    return result.stdout.decode("utf-8")


def flat(text):
    return " ".join(text.split())


@pytest.fixture
def demo(db):
    from blocs import demo as blocs_demo
    from pledges import demo as pledges_demo

    blocs_demo.load()
    pledges_demo.load()
    pledges_demo.load()  # idempotent
    return PledgeVersion.objects.select_related("pledge__bloc_year__bloc").get(
        pledge__bloc_year__bloc__name="Khối thi đua các cơ quan tham mưu tổng hợp", pledge__bloc_year__year=2022
    )


def test_demo_has_a_signed_pledge_with_its_pdf_and_one_collecting_signatures(demo):
    assert demo.state == PledgeState.SIGNED
    assert IssuedDocument.objects.get(source_id=demo.pk, kind="pledge").status == JobStatus.DONE
    collecting = PledgeVersion.objects.get(pledge__bloc_year__bloc__name__contains="Kinh tế", pledge__bloc_year__year=2022)
    assert collecting.state == PledgeState.SIGNING
    live = collecting.signatures.filter(voided_at__isnull=True).count()
    assert 0 < live < collecting.pledge.bloc_year.memberships.count()
    assert collecting.comments.count() == 4 and collecting.declines.filter(voided_at__isnull=True).count() == 1
    assert PledgeVersion.objects.count() == 2


def test_demo_pdf_text_has_every_member_and_criterion_with_diacritics(demo):
    document = IssuedDocument.objects.get(source_id=demo.pk, kind="pledge")
    text = flat(pdf_text(document))
    members = demo.pledge.bloc_year.memberships.select_related("agency")
    assert members.count() == 7
    for membership in members:
        assert flat(membership.agency.name.upper()) in text
    for signature in demo.signatures.all():
        assert signature.signer_name in text
    assert "Nguyễn Thị Hồng Nhung" in text and "Đỗ Thị Lan" in text
    for criterion in demo.criteria.all():
        assert flat(criterion.text) in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Ninh Thuận, ngày 28 tháng 02 năm 2022" in text
    assert "Chỉ thị số 02/CT-UBND ngày 10/01/2022" in text
    assert document.code in text


def test_content_hash_on_the_pdf_equals_every_signature_hash(demo):
    document = IssuedDocument.objects.get(source_id=demo.pk, kind="pledge")
    printed = set(re.findall(r"SHA-256 nội dung: ([0-9a-f]{64})", pdf_text(document)))
    assert printed == {demo.content_hash}
    hashes = set(Signature.objects.filter(version=demo).values_list("content_hash", flat=True))
    assert hashes == {demo.content_hash}
    assert document.content_hash == demo.content_hash


def test_verify_page_finds_the_pdf_and_checks_uploads(demo, client):
    document = IssuedDocument.objects.get(source_id=demo.pk, kind="pledge")
    page = client.get(reverse("verify", args=[document.code.lower()]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Khối thi đua các cơ quan tham mưu tổng hợp" in body and "2022" in body and document.sha256 in body
    for signature in demo.signatures.all():
        assert signature.signer_name in body
    assert "28/02/2022 14:30" in body
    with document.file.open("rb") as handle:
        original = handle.read()
    same = client.post(reverse("verify", args=[document.code]), {"file": SimpleUploadedFile("a.pdf", original)})
    assert "trùng khớp hoàn toàn" in same.content.decode()
    altered = original[:-10] + b"0123456789"
    other = client.post(reverse("verify", args=[document.code]), {"file": SimpleUploadedFile("a.pdf", altered)})
    assert "KHÔNG trùng khớp" in other.content.decode()


def test_pdf_download_follows_access(demo, client_for):
    from blocs.models import User

    member = User.objects.get(username="lanhdao")
    response = client_for(member).get(reverse("pledges:pdf", args=[demo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    outsider = User.objects.get(username="b.bantdkt")
    assert client_for(outsider).get(reverse("pledges:pdf", args=[demo.pk])).status_code == 404


def test_preview_before_signing_uses_the_document_template(world, client_for):
    version = make_draft(world)
    body = client_for(world.officer).get(reverse("pledges:preview", args=[version.pk])).content.decode()
    assert "Bản xem trước" in body and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body
    for criterion in CRITERIA:
        assert criterion["text"] in body


def test_failed_render_shows_the_error_and_a_retry(world, client_for, monkeypatch, django_capture_on_commit_callbacks):
    import pledges.documents

    version = make_signing(world)

    def broken(content):
        raise RuntimeError("hỏng mẫu")

    monkeypatch.setattr(pledges.documents, "for_display", broken)
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(version, world.leaders)
    document = IssuedDocument.objects.get(source_id=version.pk, kind="pledge")
    assert document.status == JobStatus.FAILED
    version.refresh_from_db()
    assert version.state == PledgeState.SIGNED  # a failed render leaves the pledge signed
    page = client_for(world.secretary).get(reverse("pledges:detail", args=[version.pk])).content.decode()
    assert "hỏng mẫu" in page and reverse("document_retry", args=[document.code]) in page
    leader_page = client_for(world.leader).get(reverse("pledges:detail", args=[version.pk])).content.decode()
    assert reverse("document_retry", args=[document.code]) not in leader_page
    assert "Tạo tệp PDF bị lỗi" in leader_page and "hỏng mẫu" not in leader_page  # not the server's error text
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.secretary).post(
            reverse("document_retry", args=[document.code]), {"next": reverse("pledges:detail", args=[version.pk])}
        )
    assert response.status_code == 302 and response["Location"] == reverse("pledges:detail", args=[version.pk])
    document.refresh_from_db()
    assert document.status == JobStatus.DONE
    page = client_for(world.leader).get(reverse("pledges:detail", args=[version.pk])).content.decode()
    assert reverse("pledges:pdf", args=[version.pk]) in page


def test_rendering_twice_keeps_one_file(world, django_capture_on_commit_callbacks, settings):
    from core.documents import document_render

    version = make_signing(world)
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(version, world.leaders)
    document = IssuedDocument.objects.get(source_id=version.pk, kind="pledge")
    before = (document.file.name, document.sha256)
    IssuedDocument.objects.filter(pk=document.pk).update(
        status=JobStatus.RUNNING, status_since=timezone.now() - datetime.timedelta(hours=1)
    )  # a worker died mid-render
    document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == JobStatus.DONE and document.file.name == before[0]
    files = list((settings.MEDIA_ROOT / "documents").rglob("*.pdf"))
    assert len(files) == 1


def test_issuer_line():
    from core.documents import issuer_parent

    assert issuer_parent("Ninh Thuận") == "UBND tỉnh Ninh Thuận"  # printed in capitals by the layout
    assert issuer_parent("Thành phố Huế") == "UBND Thành phố Huế"
