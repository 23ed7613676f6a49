"""Uploaded documents are checked by what they are, not only by their first bytes (issue 8, #10)."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import uploads
from core.tests.upload_samples import declare_size, make_office, make_pdf, zip_of

JS_ACTION = b"<< /S /JavaScript /JS (app.alert('x');) >>"


def refusal(name, content):
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(SimpleUploadedFile(name, content))
    return " ".join(error.value.message_dict["file"])


def real_xlsx():
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Giao ước thi đua"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("ke-hoach.pdf", make_pdf(), "pdf"),
        ("lien-ket.pdf", make_pdf(b"<< /S /URI /URI (https://example.org/) >>", root_extra=b"/OpenAction [3 0 R /Fit]"), "pdf"),
        ("quy-che.docx", make_office("docx"), "docx"),
        ("cham-diem.xlsx", make_office("xlsx"), "xlsx"),
        ("openpyxl.xlsx", real_xlsx(), "xlsx"),
    ],
)
def test_real_documents_are_accepted(name, content, kind):
    upload = SimpleUploadedFile(name, content)
    assert uploads.check_upload(upload)[:2] == (kind, len(content))
    assert upload.read() == content  # left at the start for saving


# --- PDF ---


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n",
        b"%PDF-1.7\n" + b"x" * 500,
        make_pdf()[:-60],  # cut short: no cross-reference table
    ],
)
def test_a_file_that_only_starts_like_a_pdf_is_refused(content):
    assert "không phải tệp PDF thật" in refusal("tai-lieu.pdf", content)


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (make_pdf(JS_ACTION, root_extra=b"/OpenAction 4 0 R"), "/J"),
        (make_pdf(b"<< /S /Launch /F (cmd.exe) >>", root_extra=b"/OpenAction 4 0 R"), "/Launch"),
        (make_pdf(b"<< /S /L#61unch /F (calc.exe) >>", root_extra=b"/OpenAction 4 0 R"), "/Launch"),  # name escapes
        (make_pdf(b"<< /O << /S /GoTo /D [3 0 R /Fit] >> >>", root_extra=b"/AA 4 0 R"), "/AA"),
        (make_pdf(b"<< /Names [(a) 5 0 R] >>", JS_ACTION, root_extra=b"/Names << /JavaScript 4 0 R >>"), "/JavaScript"),
        (make_pdf(b"<< /Length 10 >>\nstream\napp.alert(1)\nendstream", root_extra=b"/OpenAction << /S /JavaScript /JS 4 0 R >>"), "/J"),
        (make_pdf(unlisted=JS_ACTION), "/J"),  # an object no cross-reference table lists
    ],
)
def test_a_pdf_with_scripts_or_launch_actions_is_refused(content, named):
    message = refusal("ke-hoach.pdf", content)
    assert "chứa mã JavaScript hoặc lệnh tự chạy" in message and named in message


def test_a_script_word_inside_a_stream_is_not_an_action():
    content = make_pdf(b"<< /Length 21 >>\nstream\nBT (/JS /AA /Launch) ET\nendstream")
    assert uploads.check_upload(SimpleUploadedFile("van-ban.pdf", content))[0] == "pdf"


def test_a_pdf_locked_with_a_password_is_refused():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt(user_password="mat-khau", owner_password="chu", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "đặt mật khẩu" in refusal("khoa.pdf", buffer.getvalue())


# --- Office Open XML ---


@pytest.mark.parametrize(
    ("name", "kind", "extra"),
    [
        ("bang.xlsx", "xlsx", {"xl/shell.php": b"<?php system($_GET['c']); ?>"}),
        ("bang.xlsx", "xlsx", {"xl/media/run.exe": b"MZ\x90\x00"}),
        ("bang.xlsx", "xlsx", {"payload.html": b"<script>alert(1)</script>"}),
        ("bang.xlsx", "xlsx", {"ppt/slides/slide1.xml": b"<p/>"}),  # another program's folder
        ("quy-che.docx", "docx", {"xl/workbook.xml": b"<w/>"}),
        ("bang.xlsx", "xlsx", {"xl/../../evil.xml": b"<x/>"}),
        ("quy-che.docx", "docx", {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}),
        ("quy-che.docx", "docx", {"word/run.js": b"WScript.Shell"}),
    ],
)
def test_office_files_holding_foreign_parts_are_refused(name, kind, extra):
    message = refusal(name, make_office(kind, extra=extra))
    assert "thành phần lạ không thuộc định dạng Office" in message
    assert next(iter(extra)).rsplit("/", 1)[-1] in message


@pytest.mark.parametrize(
    ("name", "kind", "extra"),
    [
        ("quy-che.docx", "docx", {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
        ("bang.xlsx", "xlsx", {"xl/activeX/activeX1.xml": b"<ax/>"}),
    ],
)
def test_office_files_with_macros_are_refused(name, kind, extra):
    assert "chứa macro hoặc điều khiển ActiveX" in refusal(name, make_office(kind, extra=extra))


def test_a_macro_enabled_workbook_renamed_to_xlsx_is_refused():
    content = make_office("xlsx", content_types="application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    assert "chứa macro" in refusal("bang.xlsx", content)


@pytest.mark.parametrize(
    ("name", "kind", "missing"),
    [("quy-che.docx", "docx", "_rels/.rels"), ("quy-che.docx", "docx", "word/document.xml"), ("bang.xlsx", "xlsx", "xl/workbook.xml")],
)
def test_office_files_missing_required_parts_are_refused(name, kind, missing):
    message = refusal(name, make_office(kind, without=[missing]))
    assert "thiếu thành phần bắt buộc" in message and missing in message


def test_office_content_types_must_name_the_main_document():
    assert "thiếu thành phần bắt buộc" in refusal("bang.xlsx", make_office("xlsx", content_types="text/plain"))


def test_a_zip_declaring_a_huge_unpacked_size_is_refused():
    content = declare_size(make_office("xlsx"), "xl/worksheets/sheet1.xml", 1024 * 1024 * 1024)
    assert "khi giải nén quá lớn" in refusal("bang.xlsx", content)


def test_many_members_adding_up_past_the_bound_are_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_TOTAL_UNPACKED", 4096)
    content = make_office("xlsx", extra={f"xl/worksheets/sheet{n}.xml": b"<row/>" * 200 for n in range(2, 6)})
    assert "khi giải nén quá lớn" in refusal("bang.xlsx", content)


def test_a_part_that_inflates_out_of_proportion_is_refused():
    content = make_office("xlsx", extra={"xl/worksheets/sheet2.xml": b"<c/>" * (4 * 1024 * 1024)})  # 16 MB of repeats
    assert "nén bất thường" in refusal("bang.xlsx", content)


def test_too_many_parts_are_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_OFFICE_PARTS", 10)
    content = make_office("xlsx", extra={f"xl/worksheets/sheet{n}.xml": b"<x/>" for n in range(2, 12)})
    assert "quá nhiều thành phần" in refusal("bang.xlsx", content)


def test_a_damaged_office_file_is_refused_with_a_message():
    content = make_office("docx")
    damaged = content[:40] + b"\x00" * 40 + content[80:]
    message = refusal("quy-che.docx", damaged)
    assert "bị hỏng" in message or "Chỉ nhận tệp PDF" in message


def test_a_bare_zip_with_office_folder_names_is_refused():
    content = zip_of({"[Content_Types].xml": b"<Types/>", "xl/document.xml": b"<x/>"})
    assert "Excel" in refusal("bang.xlsx", content) or "XLSX" in refusal("bang.xlsx", content)


# --- through the service: nothing is saved ---


def test_a_refused_attachment_saves_nothing_and_keeps_what_was_there(world):
    from pledges import services
    from pledges.tests.helpers import make_draft

    version = make_draft(world)
    kept = services.attachment_add(
        actor=world.secretary, version=version, kind="plan", title="Kế hoạch", uploaded=SimpleUploadedFile("kh.pdf", make_pdf())
    )
    hostile = make_office("xlsx", extra={"xl/shell.php": b"<?php ?>"})
    with pytest.raises(ValidationError, match="thành phần lạ"):
        services.attachment_add(
            actor=world.secretary, version=version, kind="plan", title="", uploaded=SimpleUploadedFile("bang.xlsx", hostile)
        )
    assert list(version.attachments.all()) == [kept]
