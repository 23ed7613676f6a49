import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.tests.upload_samples import make_office, make_pdf, zip_of
from pledges import services
from pledges.tests.helpers import edit_data, make_draft

PDF = make_pdf()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def office(marker):
    """A real .docx/.xlsx for Word's or Excel's folder; a bare zip for any other folder."""
    kind = {"word/": "docx", "xl/": "xlsx"}.get(marker)
    if kind:
        return make_office(kind)
    return zip_of({"[Content_Types].xml": b"<Types/>", f"{marker}document.xml": b"<x/>"})


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("ke-hoach.pdf", PDF, "pdf"), ("quy-che.docx", office("word/"), "docx"), ("cham-diem.xlsx", office("xl/"), "xlsx")],
)
def test_allowed_types_by_content(world, name, content, kind):
    version = make_draft(world)
    attachment = services.attachment_add(
        actor=world.secretary, version=version, kind="plan", title="", uploaded=SimpleUploadedFile(name, content)
    )
    assert attachment.file_type == kind and attachment.size == len(content) and attachment.title == name
    assert attachment.file.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("anh.pdf", PNG, "Chỉ nhận tệp PDF"),
        ("script.pdf", b"#!/bin/sh\necho hi\n", "Chỉ nhận tệp PDF"),
        ("zip.docx", office("other/"), "Chỉ nhận tệp PDF"),
        ("bang.docx", office("xl/"), "nội dung là tệp XLSX"),
        ("van-ban.exe", PDF, "nội dung là tệp PDF"),
        ("rong.pdf", b"", "Tệp rỗng"),
    ],
)
def test_refused_types(world, name, content, message):
    version = make_draft(world)
    with pytest.raises(ValidationError, match=message):
        services.attachment_add(actor=world.secretary, version=version, kind="plan", title="", uploaded=SimpleUploadedFile(name, content))
    assert not version.attachments.exists()


def test_size_limit(world, settings, client_for):
    settings.UPLOAD_MAX_BYTES = 1000
    version = make_draft(world)
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * 2000)
    response = client_for(world.secretary).post(
        reverse("pledges:edit", args=[version.pk]),
        edit_data(version, attach="", **{"attachment-kind": "plan", "attachment-title": "Lớn", "attachment-file": big}),
    )
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()
    assert not version.attachments.exists()


def test_refusal_through_the_page_is_a_message_not_a_500(world, client_for):
    version = make_draft(world)
    data = edit_data(version, attach="", **{"attachment-kind": "plan", "attachment-title": "Ảnh", "attachment-file": SimpleUploadedFile("a.pdf", PNG)})
    response = client_for(world.secretary).post(reverse("pledges:edit", args=[version.pk]), data)
    assert response.status_code == 400 and "Chỉ nhận tệp PDF" in response.content.decode()


def test_download_and_remove(world, client_for):
    version = make_draft(world)
    attachment = services.attachment_add(
        actor=world.secretary, version=version, kind="regulation", title="Quy chế", uploaded=SimpleUploadedFile("qc.pdf", PDF)
    )
    response = client_for(world.officer).get(reverse("pledges:attachment", args=[attachment.pk]))
    assert b"".join(response.streaming_content) == PDF
    client_for(world.secretary).post(reverse("pledges:edit", args=[version.pk]), edit_data(version, remove=str(attachment.pk)))
    assert not version.attachments.exists()
