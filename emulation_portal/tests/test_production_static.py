"""A production start: collectstatic with the manifest storage, then pages rendered with DEBUG off.

The manifest storage rewrites every url() in the CSS and every sourceMappingURL in the JS to a
hashed name, so a vendored file that references a file not committed makes collectstatic fail
and every page answer 500. Only the project's own static files are collected and compression is
skipped (it takes half a minute and is not what can break here), so the test stays fast.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.urls import reverse

PRODUCTION_STATIC_BACKEND = "whitenoise.storage.CompressedManifestStaticFilesStorage"
HASHED = r"[0-9a-f]{12}"


@pytest.fixture
def collected(settings, tmp_path):
    """collectstatic into a fresh STATIC_ROOT with the storage production uses, DEBUG off."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.WHITENOISE_SKIP_COMPRESS_EXTENSIONS = sorted(
        {path.suffix.lstrip(".") or path.name for path in Path(django_settings.STATICFILES_DIRS[0]).rglob("*") if path.is_file()}
    )
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STATIC_BACKEND}}
    settings.DEBUG = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_collectstatic_finds_every_file_the_vendored_code_references(collected):
    manifest = staticfiles_storage.hashed_files
    for name in (
        "vendor/bootstrap-icons/font/fonts/bootstrap-icons.woff",
        "vendor/bootstrap-icons/font/fonts/bootstrap-icons.woff2",
        "vendor/chartjs/chart.umd.min.js.map",
        "vendor/bootstrap/bootstrap.min.css.map",
    ):
        assert name in manifest, name
        assert (collected / manifest[name]).is_file()
    icons_css = (collected / manifest["vendor/bootstrap-icons/font/bootstrap-icons.min.css"]).read_text()
    assert re.search(rf'url\("fonts/bootstrap-icons\.{HASHED}\.woff\?', icons_css)
    assert re.search(rf'url\("fonts/bootstrap-icons\.{HASHED}\.woff2\?', icons_css)


@pytest.mark.parametrize("url_name", ["home", "blocs:agency_list", "blocs:blocyear_list", "meetings:list"])
def test_pages_render_with_hashed_static_urls_when_debug_is_off(collected, world, client_for, url_name):
    response = client_for(world.board).get(reverse(url_name))
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(rf"/static/vendor/bootstrap/bootstrap\.min\.{HASHED}\.css", page)
    assert re.search(rf"/static/vendor/bootstrap-icons/font/bootstrap-icons\.min\.{HASHED}\.css", page)
    assert re.search(rf"/static/css/portal\.{HASHED}\.css", page)
    assert "/static/vendor/bootstrap/bootstrap.min.css" not in page


def test_login_page_renders_with_debug_off(collected, client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert re.search(rf"/static/vendor/htmx/htmx\.min\.{HASHED}\.js", response.content.decode())
