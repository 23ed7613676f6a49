"""The English catalogue is complete and the footer switch changes the interface language."""

import ast
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

PO = Path(django_settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdif%]")


def parse_po(text):
    """Entries of a .po file as dicts: msgid, msgid_plural, msgstr (list of forms), flags, line."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and not entry["obsolete"]:
            entries.append(entry)

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgid": "", "msgid_plural": None, "msgstr": {}, "flags": set(), "obsolete": False, "line": number}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            field = "msgctxt"
        elif line.startswith("msgid_plural "):
            field = "msgid_plural"
            entry[field] = ast.literal_eval(line[len("msgid_plural ") :])
        elif line.startswith("msgid "):
            field = "msgid"
            entry[field] = ast.literal_eval(line[len("msgid ") :])
        elif line.startswith("msgstr["):
            index, _, rest = line[len("msgstr[") :].partition("] ")
            field = ("msgstr", int(index))
            entry["msgstr"][int(index)] = ast.literal_eval(rest)
        elif line.startswith("msgstr "):
            field = ("msgstr", 0)
            entry["msgstr"][0] = ast.literal_eval(line[len("msgstr ") :])
        elif line.startswith('"'):
            piece = ast.literal_eval(line)
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += piece
            elif field in ("msgid", "msgid_plural"):
                entry[field] += piece
        else:
            raise AssertionError(f"{PO.name}:{number}: cannot read {raw!r}")
    finish()
    return entries


@pytest.fixture(scope="module")
def catalogue():
    entries = parse_po(PO.read_text(encoding="utf-8"))
    header = [e for e in entries if e["msgid"] == ""]
    assert len(header) == 1, "the .po has one header entry"
    return header[0], [e for e in entries if e["msgid"] != ""]


def test_every_string_has_an_english_translation(catalogue):
    header, entries = catalogue
    assert "fuzzy" not in header["flags"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]
    assert len(entries) > 500, "the catalogue looks truncated"
    untranslated = [e["msgid"] for e in entries if not e["msgstr"] or not all(s.strip() for s in e["msgstr"].values())]
    assert untranslated == [], f"{len(untranslated)} strings have no English translation: {untranslated[:10]}"
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert fuzzy == [], f"{len(fuzzy)} translations are marked fuzzy: {fuzzy[:10]}"
    plurals = [e for e in entries if e["msgid_plural"] is not None]
    assert all(sorted(e["msgstr"]) == [0, 1] for e in plurals), "plural entries need both English forms"


def test_translations_keep_the_placeholders(catalogue):
    _, entries = catalogue
    wrong = []
    for e in entries:
        for index, text in e["msgstr"].items():
            source = e["msgid_plural"] if index and e["msgid_plural"] is not None else e["msgid"]
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                wrong.append((e["line"], e["msgid"], text))
    assert wrong == []


def test_translations_use_the_agreed_terms(catalogue):
    _, entries = catalogue
    english = {e["msgid"]: e["msgstr"].get(0, "") for e in entries}
    terms = {
        "Trưởng khối": "bloc head",
        "Phó khối": "bloc deputy",
        "Thư ký khối": "bloc secretary",
        "Ban Thi đua – Khen thưởng": "emulation and commendation board",
        "Ký thay (KT.)": "signing for (kt.)",
        "Thừa lệnh (TL.)": "by order of (tl.)",
        "giao ước thi đua": "emulation pledge",
        "Hội nghị sơ kết 6 tháng": "mid-year review",
        "Hội nghị tổng kết": "year-end review",
    }
    for msgid, term in terms.items():
        if msgid in english:
            assert term in english[msgid].lower(), (msgid, english[msgid])


@pytest.fixture
def english_catalogue(settings):
    """Compiles the .mo when it is missing or older than the .po (``make test`` does it first), and
    makes Django reload its catalogues; the ``settings`` fixture resets the active language afterwards."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        if shutil.which("msgfmt") is None:
            pytest.skip("gettext (msgfmt) is not installed; run `make test`")
        call_command("compilemessages", locale=["en"], ignore_patterns=[".venv", "node_modules"], verbosity=0)
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)


def _switch(client, language, next_url):
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    return response


def test_login_page_switches_to_english(client, english_catalogue):
    login = reverse("login")
    _switch(client, "en", login)
    page = client.get(login).content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page
    assert "Username" in page and "Password" in page
    assert "Đăng nhập" not in page
    assert "Mật khẩu" not in page


def test_home_page_switches_to_english(world, client_for, english_catalogue):
    client = client_for(world.leader)
    home = reverse("home")
    _switch(client, "en", home)
    page = client.get(home).content.decode()
    assert '<html lang="en">' in page
    assert "Log out" in page and "Pledges" in page and "Meetings" in page
    assert "Đăng xuất" not in page
    assert "Trang chủ" not in page


def test_default_stays_vietnamese(world, client, client_for, english_catalogue):
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page
    assert "Log in" not in page
    page = client_for(world.leader).get(reverse("home")).content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng xuất" in page and "Log out" not in page


def test_switching_back_to_vietnamese(client, english_catalogue):
    login = reverse("login")
    _switch(client, "en", login)
    _switch(client, "vi", login)
    page = client.get(login).content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page


def test_footer_switch_works_without_javascript(client):
    page = client.get(reverse("login")).content.decode()
    form = re.search(r'<form method="post" action="%s".*?</form>' % re.escape(reverse("set_language")), page, re.S)
    assert form, "the footer has a language form"
    form = unicodedata.normalize("NFC", form.group(0))  # Django spells "Tiếng Việt" with combining accents
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'name="next" value="%s"' % reverse("login") in form
    assert '<option value="vi" lang="vi" selected>Tiếng Việt</option>' in form
    assert '<option value="en" lang="en">English</option>' in form
    assert 'type="submit"' in form
    assert "style=" not in form and "onchange" not in form and "<script" not in form


def test_unknown_language_keeps_vietnamese(client):
    login = reverse("login")
    client.post(reverse("set_language"), {"language": "fr", "next": login})
    page = client.get(login).content.decode()
    assert '<html lang="vi">' in page


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client, english_catalogue):
    login = reverse("login")
    page = client.get(login, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in page
    _switch(client, "en", login)
    assert "Đăng nhập" not in client.get(login, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
