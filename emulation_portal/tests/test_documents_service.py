"""The shared document service, exercised with a small builder of its own."""

import hashlib
import shutil
import subprocess

import pytest
from django.urls import reverse

from core import documents
from core.documents import DocumentContent, document_builder
from core.models import IssuedDocument, JobStatus

FAIL = {"on": False}


@document_builder("test-bloc-sheet", view_rule="blocs.view_blocyear", manage_rule="blocs.run_blocyear")
def _build(bloc_year):
    if FAIL["on"]:
        raise RuntimeError("máy in hỏng")
    members = [m.agency.name for m in bloc_year.memberships.select_related("agency")]
    return DocumentContent(
        template_name="documents/base.html",
        context={
            "issuer_parent": "UBND TỈNH NINH THUẬN",
            "issuer_name": bloc_year.bloc.name,
            "number": "01/DS-KTĐ",
            "title": "Danh sách thành viên khối",
            "subtitle": ", ".join(members),
        },
        summary={"title": "Danh sách thành viên", "bloc": bloc_year.bloc.name, "year": bloc_year.year},
        content_hash="ab" * 32,
    )


@pytest.fixture(autouse=True)
def _reset():
    FAIL["on"] = False
    yield
    FAIL["on"] = False


def _pdf_text(path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_request_renders_once_and_is_idempotent(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = documents.document_request(source=world.bloc_year, kind="test-bloc-sheet", title="DS")
    doc.refresh_from_db()
    assert doc.status == JobStatus.DONE
    data = doc.file.read()
    assert hashlib.sha256(data).hexdigest() == doc.sha256
    assert data.startswith(b"%PDF")
    # Asking again returns the same document; rendering again keeps the one stored file.
    with django_capture_on_commit_callbacks(execute=True):
        again = documents.document_request(source=world.bloc_year, kind="test-bloc-sheet", title="DS")
    assert again.pk == doc.pk
    documents.document_render(document_id=doc.pk)
    doc.refresh_from_db()
    assert doc.attempts == 1
    assert IssuedDocument.objects.count() == 1


def test_pdf_keeps_vietnamese_text_and_prints_code(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = documents.document_request(source=world.bloc_year, kind="test-bloc-sheet", title="DS")
    doc.refresh_from_db()
    text = _pdf_text(doc.file.path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert doc.code in text
    # Names wrap at different places as the test counter in them grows: compare with spacing folded.
    flat = " ".join(text.split())
    for agency in world.agencies:
        assert agency.name in flat


def test_failed_render_is_recorded_and_can_be_retried(world, client_for, django_capture_on_commit_callbacks):
    FAIL["on"] = True
    with django_capture_on_commit_callbacks(execute=True):
        doc = documents.document_request(source=world.bloc_year, kind="test-bloc-sheet", title="DS")
    doc.refresh_from_db()
    assert doc.status == JobStatus.FAILED
    assert "máy in hỏng" in doc.error

    FAIL["on"] = False
    url = reverse("document_retry", args=[doc.code])
    assert client_for(world.stranger).post(url).status_code == 404
    assert client_for(world.leader).post(url).status_code == 403
    assert client_for(world.secretary).get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.secretary).post(url, {"next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == reverse("home")
    doc.refresh_from_db()
    assert doc.status == JobStatus.DONE


def test_verify_page_matches_only_the_issued_file(world, client, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        doc = documents.document_request(source=world.bloc_year, kind="test-bloc-sheet", title="DS")
    doc.refresh_from_db()
    data = doc.file.read()
    url = reverse("verify", args=[doc.code])
    page = client.get(url).content.decode()
    assert doc.sha256 in page and "Danh sách thành viên" in page
    same = client.post(url, {"file": SimpleUploadedFile("a.pdf", data, "application/pdf")}).content.decode()
    assert "trùng khớp hoàn toàn" in same
    altered = client.post(url, {"file": SimpleUploadedFile("a.pdf", data + b" ", "application/pdf")}).content.decode()
    assert "KHÔNG trùng khớp" in altered
    assert client.get(reverse("verify", args=["ZZZZ-ZZZZ-ZZZZ"])).status_code == 404
    assert client.get(reverse("verify_lookup"), {"code": doc.code.lower()}).url == url


def test_document_fetches_nothing_but_static_files():
    with pytest.raises(ValueError):
        documents._static_only_fetcher().fetch("https://example.com/x.css")
    response = documents._static_only_fetcher().fetch(documents._PDF_BASE_URL + "static/documents/document.css")
    assert b"Portal Serif" in response.read()


def test_the_issued_file_downloads_by_its_code_without_login(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = documents.document_request(source=world.bloc_year, kind="test-bloc-sheet", title="DS")
    doc.refresh_from_db()
    response = client.get(reverse("verify_download", args=[doc.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == doc.sha256
    assert reverse("verify_download", args=[doc.code]) in client.get(reverse("verify", args=[doc.code])).content.decode()
    assert client.get(reverse("verify_download", args=["ZZZZ-ZZZZ-ZZZZ"])).status_code == 404
    assert client.post(reverse("verify_download", args=[doc.code])).status_code == 405


def test_the_renderer_reads_collected_static_files_and_nothing_outside_them(tmp_path, settings):
    """With DEBUG off, {% static %} names the hashed copies collectstatic wrote to STATIC_ROOT,
    which the finders do not know: the renderer still loads them (a production PDF keeps its
    stylesheet), and a path climbing out of STATIC_ROOT is refused."""
    settings.STATIC_ROOT = str(tmp_path / "collected")
    (tmp_path / "collected" / "documents").mkdir(parents=True)
    (tmp_path / "collected" / "documents" / "document.0123abcd.css").write_text("p { color: red; }")
    (tmp_path / "secret.txt").write_text("không được đọc")
    fetcher = documents._static_only_fetcher()
    prefix = documents._PDF_BASE_URL.rstrip("/") + settings.STATIC_URL

    response = fetcher.fetch(prefix + "documents/document.0123abcd.css")
    try:
        assert response.read() == b"p { color: red; }"
    finally:
        response.close()
    with pytest.raises(ValueError):
        fetcher.fetch(prefix + "../secret.txt")
    with pytest.raises(ValueError):
        fetcher.fetch(prefix + "documents/absent.css")
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.com/x.css")
