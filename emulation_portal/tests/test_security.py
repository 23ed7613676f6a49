"""Portal-wide security: what anonymous visitors reach, CSRF on every unsafe method, redirects, public endpoints."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import IssuedDocument, JobStatus

# URL names an anonymous visitor may reach (everything else sends them to the login page).
PUBLIC = {
    "healthz", "verify_lookup", "verify", "verify_download", "login", "password_reset", "password_reset_done",
    "password_reset_confirm", "password_reset_complete", "set_language", "logout",
    "meetings:photo", "meetings:news_index", "meetings:news_list", "meetings:news_detail",
    "awards:public_awards",  # the awards decided, with their decision numbers (công bố)
    "reminder_settings_token",  # the signed link of every reminder mail (404 for a bad token; core/tests/test_reminder_views.py)
}
DUMMY = {"int": "999999", "str": "NOPE-NOPE-NOPE", "slug": "nope", "path": "nope"}


def _portal_urls():
    """(name, path) of every URL of the portal (not the admin site), with placeholder arguments."""
    found = []

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                if route.startswith("admin/"):
                    continue
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + route, ns)
            elif isinstance(entry, URLPattern) and entry.name:
                path = prefix + route
                for converter, value in DUMMY.items():
                    while f"<{converter}:" in path:
                        start = path.index(f"<{converter}:")
                        path = path[:start] + value + path[path.index(">", start) + 1 :]
                found.append((f"{namespace}{entry.name}", "/" + path.lstrip("^").rstrip("$")))

    walk(get_resolver().url_patterns, "", "")
    return found


PORTAL_URLS = _portal_urls()


def test_the_url_sweep_finds_every_app():
    names = {name for name, _path in PORTAL_URLS}
    assert {"blocs:agency_list", "pledges:sign", "meetings:approve", "verify", "home"} <= names


@pytest.mark.parametrize(("name", "path"), [u for u in PORTAL_URLS if u[0] not in PUBLIC])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login_everywhere_else(db, client, name, path, method):
    response = getattr(client, method)(path)
    assert response.status_code in (302, 405), (name, response.status_code)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login")), name


@pytest.mark.parametrize(("name", "path"), [u for u in PORTAL_URLS if u[0] not in PUBLIC])
def test_every_post_needs_the_csrf_token(world, name, path):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.board)
    response = client.post(path, {"reason": "x", "body": "x"})
    assert response.status_code in (403, 405), (name, response.status_code)


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "http:/evil.example", " //evil.example"]
)
def test_document_retry_does_not_redirect_off_site(world, client_for, monkeypatch, target):
    from pledges.tests.helpers import make_signing, sign_all

    version = sign_all(make_signing(world), world.leaders)
    document = IssuedDocument.objects.get(source_id=version.pk, kind="pledge")
    IssuedDocument.objects.filter(pk=document.pk).update(status=JobStatus.FAILED)
    monkeypatch.setattr("core.documents._enqueue", lambda document_id: None)
    response = client_for(world.secretary).post(reverse("document_retry", args=[document.code]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_login_does_not_redirect_off_site(world, client, target):
    from emulation_portal.testing import PASSWORD

    response = client.post(reverse("login"), {"username": "board", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_healthz_does_not_tell_visitors_why_the_database_is_down(db, client, monkeypatch):
    """An anonymous endpoint: the error's text (host, port, database user) goes to the log, not to the visitor."""
    class Broken:
        def __enter__(self):
            raise RuntimeError('connection to server at "10.1.2.3", port 5432 failed: password authentication failed for user "portal"')

        def __exit__(self, *exc):
            return False

    class Connection:
        vendor = "postgresql"

        def cursor(self):
            return Broken()

    monkeypatch.setattr("emulation_portal.views.connection", Connection())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.content.decode()
    assert response.json()["database"]["ok"] is False
    assert "10.1.2.3" not in body and "portal" not in body


def test_healthz_does_not_tell_visitors_the_brokers_address(db, client, settings):
    settings.CELERY_BROKER_URL = "redis://:s3cret@127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.content.decode()
    assert "s3cret" not in body and "127.0.0.1" not in body


def _issued(world, pdf=b"%PDF-1.7\nissued\n"):
    """A done document (its file and SHA-256) without running the renderer."""
    import hashlib

    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from blocs.models import BlocYear

    document = IssuedDocument(
        code="ABCD-EFGH-JKLM", kind="pledge", title="Giao ước", status=JobStatus.DONE, sha256=hashlib.sha256(pdf).hexdigest(),
        source_type=ContentType.objects.get_for_model(BlocYear), source_id=world.bloc_year.pk, rendered_at=timezone.now(),
    )
    document.file.save("ABCD-EFGH-JKLM.pdf", ContentFile(pdf), save=False)
    document.save()
    return document


def test_verify_refuses_an_oversized_upload_before_reading_it(world, client, settings):
    document = _issued(world)
    settings.UPLOAD_MAX_BYTES = 1024
    upload = SimpleUploadedFile("ban-sao.pdf", b"%PDF-1.7\n" + b"0" * 200_000, content_type="application/pdf")
    response = client.post(reverse("verify", args=[document.code]), {"file": upload})
    assert response.status_code == 413


def test_verify_still_checks_a_normal_upload(world, client):
    document = _issued(world)
    upload = SimpleUploadedFile("ban-sao.pdf", b"%PDF-1.7\nissued\n", content_type="application/pdf")
    response = client.post(reverse("verify", args=[document.code]), {"file": upload})
    assert response.status_code == 200
    assert response.context["result"] is True
