"""Every text the portal shows is composed Unicode (NFC): "Tiếng Việt" typed or stored decomposed
(NFD) looks the same but breaks search, sorting, comparisons and some screen readers."""

import ast
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[2]
APPS = ["core", "blocs", "pledges", "meetings", "awards", "emulation_portal"]


def decomposed_lines(text):
    return [(number, line) for number, line in enumerate(text.splitlines(), 1) if not unicodedata.is_normalized("NFC", line)]


def sources():
    yield from (BASE_DIR / "templates").rglob("*.*")
    yield from (BASE_DIR / "locale").rglob("*.po")
    yield from (p for p in (BASE_DIR / "static").rglob("*.*") if "vendor" not in p.parts and p.suffix in {".js", ".css", ".svg"})


def test_templates_catalogues_and_scripts_are_nfc():
    files = [p for p in sources() if p.is_file()]
    assert any(p.suffix == ".po" for p in files) and any(p.name == "base.html" for p in files)
    bad = {str(p.relative_to(BASE_DIR)): decomposed_lines(p.read_text("utf-8"))[:3] for p in files}
    assert {path: lines for path, lines in bad.items() if lines} == {}


def test_python_string_literals_of_the_apps_are_nfc():
    bad, seen = [], 0
    for app in APPS:
        for path in (p for p in (BASE_DIR / app).rglob("*.py") if "tests" not in p.parts):  # tests feed NFD on purpose
            for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    seen += 1
                    if not unicodedata.is_normalized("NFC", node.value):
                        bad.append(f"{path.relative_to(BASE_DIR)}:{node.lineno}: {node.value[:60]!r}")
    assert seen > 1000 and bad == []


def test_the_check_itself_finds_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Tiếng Việt")
    assert decomposed != "Tiếng Việt" and decomposed_lines(f"a\n{decomposed}\n") == [(2, decomposed)]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_pages_and_the_language_switch_are_nfc(world, client_for, language):
    for user, url in [(None, reverse("login")), (world.secretary, reverse("home")), (world.board, reverse("blocs:agency_list"))]:
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        body = client.get(url).content.decode()
        assert ">Tiếng Việt</option>" in body and ">English</option>" in body
        assert decomposed_lines(body) == [], url
