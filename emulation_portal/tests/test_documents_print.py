"""Documents as official paper: Decree 30 dates, tagged PDFs with metadata, the render after the
response when there is no broker, and the verify page answering the question asked first."""

import datetime
from io import BytesIO

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from core.documents import date_in_words
from core.models import IssuedDocument, JobStatus
from pledges.tests.helpers import make_signing, sign, sign_all


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (datetime.date(2022, 2, 5), "ngày 05 tháng 02 năm 2022"),
        (datetime.date(2022, 1, 28), "ngày 28 tháng 01 năm 2022"),
        (datetime.date(2020, 6, 17), "ngày 17 tháng 6 năm 2020"),
        (datetime.date(2020, 7, 9), "ngày 09 tháng 7 năm 2020"),
        (datetime.date(2021, 12, 31), "ngày 31 tháng 12 năm 2021"),
        (datetime.date(2021, 3, 1), "ngày 01 tháng 3 năm 2021"),
    ],
)
def test_dates_in_words_follow_decree_30(day, words):
    assert date_in_words(day) == words
    rendered = Template("{% load portal %}{{ d|place_date:'Ninh Thuận' }}|{{ d|place_date }}|{{ d|date_words }}").render(Context({"d": day}))
    assert rendered == f"Ninh Thuận, {words}|N{words[1:]}|{words}"


def _pdf(document):
    with document.file.open("rb") as handle:
        return PdfReader(BytesIO(handle.read()))


def test_issued_pdf_is_tagged_with_title_author_and_dates(world, django_capture_on_commit_callbacks):
    version = make_signing(world)
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(version, world.leaders)
    document = IssuedDocument.objects.get(kind="pledge")
    assert document.status == JobStatus.DONE, document.error
    reader = _pdf(document)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "vi"
    info = reader.metadata
    assert info.title == version.title
    assert info.author == world.bloc.name
    assert info.creation_date is not None and info.modification_date is not None


@pytest.mark.django_db(transaction=True)
def test_last_signature_returns_before_the_render_and_renders_when_the_response_is_closed(settings):
    """No broker (Celery in-process): the last signer's POST answers with the document still
    pending; the server's ``response.close()`` (after sending it) renders it."""
    from emulation_portal.celery import app
    from emulation_portal.testing import build_world

    assert app.conf.task_always_eager
    world = build_world()
    version = make_signing(world)
    for leader in world.leaders[:-1]:
        sign(version, leader)
    last = world.leaders[-1]
    session = Client()
    session.force_login(last)
    version.refresh_from_db()
    data = {"signer_name": last.get_full_name(), "signer_title": "Giám đốc", "capacity": "self", "original_name": "",
            "original_title": "", "content_hash": version.content_hash, "confirm": "on"}
    request = RequestFactory().post(reverse("pledges:sign", args=[version.pk]), data,
                                    HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={session.session.session_key}")

    class Handler(WSGIHandler):
        """What a WSGI server does, up to sending the response: close() is left to the test."""

        def get_response(self, request):
            request._dont_enforce_csrf_checks = True
            return super().get_response(request)

    response = Handler()(request.environ, lambda status, headers: None)
    assert response.status_code == 302
    document = IssuedDocument.objects.get(kind="pledge")
    assert document.status == JobStatus.PENDING and not document.file, "not rendered inside the request"
    response.close()
    document.refresh_from_db()
    assert document.status == JobStatus.DONE and document.sha256, document.error


def test_without_a_request_the_render_is_not_deferred(world, django_capture_on_commit_callbacks):
    version = make_signing(world)
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(version, world.leaders)
    assert IssuedDocument.objects.get(kind="pledge").status == JobStatus.DONE


def test_verify_answers_a_mismatched_upload_first_in_red(world, client, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    version = make_signing(world)
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(version, world.leaders)
    document = IssuedDocument.objects.get(kind="pledge")
    url = reverse("verify", args=[document.code])
    body = client.post(url, {"file": SimpleUploadedFile("gia-mao.pdf", b"%PDF-1.7 khac", content_type="application/pdf")}).content.decode()
    answer = body.index('id="verify-result"')
    assert "alert-danger" in body[answer - 80 : answer]
    assert "KHÔNG trùng khớp" in body[answer : answer + 400]
    assert answer < body.index("<h1"), "the answer comes before the validity panel"
    assert "Văn bản hợp lệ" not in body, "no big green 'valid' over a file that does not match"
    with document.file.open("rb") as handle:
        body = client.post(url, {"file": handle}).content.decode()
    assert "trùng khớp hoàn toàn" in body and body.index('id="verify-result"') < body.index("<h1")
    body = client.get(url).content.decode()
    assert 'id="verify-result"' not in body and "Văn bản hợp lệ" in body

