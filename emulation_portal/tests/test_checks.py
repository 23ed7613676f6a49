"""`check --deploy` warns while SITE_URL (printed in every PDF's QR code) is not the real https address."""

import re
from pathlib import Path

import pytest

from emulation_portal.checks import check_site_url
from emulation_portal.tests.test_settings import PRODUCTION, manage

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("http://127.0.0.1:8000", "development default"),
        ("https://localhost", "development default"),
        ("http://thidua.example.gov.vn", "does not use https"),
        ("https://thidua.example.gov.vn", None),
    ],
)
def test_site_url_check(settings, site_url, expected):
    settings.SITE_URL = site_url
    messages = check_site_url()
    if expected is None:
        assert messages == []
    else:
        assert [m.id for m in messages] == ["portal.W001"] and expected in messages[0].msg and "SITE_URL" in messages[0].hint


def test_check_deploy_warns_with_the_default_site_url(tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "SITE_URL": ""}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "portal.W001" in result.stderr + result.stdout and "development default" in result.stderr + result.stdout
    # The warning is only for deployment: the plain check (make run, tests) stays quiet.
    plain = manage("check", "--fail-level", "WARNING", **env)
    assert plain.returncode == 0 and "portal.W001" not in plain.stderr + plain.stdout


def test_make_run_reminds_to_set_site_url():
    recipe = re.search(r"^run:.*?\n((?:\t.*\n)+)", (BASE_DIR / "Makefile").read_text(), re.M).group(1)
    reminder, serve = recipe.index("SITE_URL"), recipe.index("runserver")
    assert reminder < serve and "https" in recipe[reminder:serve]
