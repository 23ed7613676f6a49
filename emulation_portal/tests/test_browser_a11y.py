"""axe-core (vendored, test-only, no network) finds no serious or critical violation on the main page
of each role, on the demo data; htmx (``data-hx-*`` attributes) still polls with the CSRF header."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from blocs.models import BlocYear, Role, RoleAssignment, User
from core.models import IssuedDocument
from emulation_portal.testing import log_in, screenshot
from meetings.models import Article, MeetingKind
from meetings.services import scheduling
from pledges.models import Pledge, PledgeState, PledgeVersion
from pledges.services import drafting

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
DEMO_PASSWORD = "demo12345"
SIGNING_LEADER = "ld.sgtvt"


@pytest.fixture
def demo(transactional_db):
    """The demo portal, plus what it lacks for the pages of work in progress: a pledge draft and a
    scheduled meeting whose minutes are still to write (both in a bloc-year of the secretary)."""
    call_command("load_demo", stdout=StringIO())
    secretary = User.objects.get(username="thuky")
    bloc_years = BlocYear.objects.filter(
        pk__in=RoleAssignment.objects.filter(user=secretary, role=Role.SECRETARY).values("bloc_year")
    ).order_by("year")
    free = next(by for by in bloc_years if not Pledge.objects.filter(bloc_year=by).exists())
    draft = drafting.pledge_create(actor=secretary, bloc_year=free, place="Ninh Thuận", preamble="Thực hiện Chỉ thị")
    meeting = scheduling.meeting_schedule(
        actor=secretary, bloc_year=free, kind=MeetingKind.MID_YEAR, venue="Hội trường Sở Nội vụ",
        starts_at=timezone.make_aware(datetime.datetime(free.year, 6, 17, 8, 0)),
    )
    signed = PledgeVersion.objects.filter(state=PledgeState.SIGNED).first()
    signing = PledgeVersion.objects.filter(state=PledgeState.SIGNING).first()
    article = Article.objects.filter(is_published=True).select_related("province", "meeting").first()
    return {
        "draft": draft, "new_meeting": meeting, "signed": signed, "signing": signing, "article": article,
        "pledge_code": IssuedDocument.objects.filter(kind="pledge").values_list("code", flat=True).first(),
        "minutes_code": IssuedDocument.objects.filter(kind="minutes").values_list("code", flat=True).first(),
    }


def pages_of_each_role(demo):
    article, signed = demo["article"], demo["signed"]
    return {
        None: [
            reverse("login"),
            reverse("verify_lookup"),
            reverse("verify", args=[demo["pledge_code"]]),
            reverse("verify", args=[demo["minutes_code"]]),
            reverse("meetings:news_index"),
            reverse("meetings:news_list", args=[article.province.code]),
            reverse("meetings:news_detail", args=[article.province.code, article.pk]),
        ],
        "bantdkt": [
            reverse("home"),
            reverse("blocs:bloc_list"),
            reverse("blocs:blocyear_list"),
            reverse("blocs:agency_list"),
            reverse("blocs:blocyear_detail", args=[signed.pledge.bloc_year_id]),
            reverse("blocs:agency_edit", args=[User.objects.get(username="canbo").agency_id]),
            reverse("pledges:detail", args=[signed.pk]),
        ],
        "trunguong": [reverse("home"), reverse("pledges:list"), reverse("meetings:list")],
        "thuky": [
            reverse("home"),
            reverse("blocs:my_bloc"),
            reverse("pledges:detail", args=[signed.pk]),
            reverse("pledges:edit", args=[demo["draft"].pk]),
            reverse("meetings:timeline", args=[article.meeting.bloc_year_id]),
            reverse("meetings:detail", args=[article.meeting.pk]),
            reverse("meetings:edit", args=[demo["new_meeting"].pk]),
            reverse("meetings:minutes", args=[demo["new_meeting"].pk]),
            reverse("meetings:article", args=[article.meeting.pk]),
        ],
        "lanhdao": [reverse("home"), reverse("pledges:detail", args=[signed.pk])],
        # A leader of the economy bloc, whose pledge is open for signing and not yet signed by his agency.
        SIGNING_LEADER: [reverse("home"), reverse("pledges:detail", args=[demo["signing"].pk]), reverse("pledges:sign", args=[demo["signing"].pk])],
        "canbo": [reverse("home"), reverse("meetings:detail", args=[article.meeting.pk]), reverse("notifications")],
    }


def axe_violations(page):
    """Serious and critical axe violations of the page, one readable line per rule."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} — "
        + "; ".join(f"{' '.join(n['target'])} ({n.get('failureSummary', '').splitlines()[-1].strip()})" for n in v["nodes"][:4])
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def test_main_pages_of_each_role_have_no_serious_accessibility_violation(demo, browser, live_server):
    assert AXE.is_file() and "static" not in AXE.parts  # test-only: the portal never serves it
    found = {}
    for username, urls in pages_of_each_role(demo).items():
        # The portal's CSP allows only its own scripts; the test injects axe past it.
        context = browser.new_context(bypass_csp=True, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        if username:
            log_in(page, live_server, username, DEMO_PASSWORD)
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.status == 200, (username, url, response.status)
            page.wait_for_load_state("networkidle")
            violations = axe_violations(page)
            if violations:
                found[f"{username or 'anonymous'} {url}"] = violations
            screenshot(page, "a11y", f"axe-{username or 'anonymous'}-{url.strip('/').replace('/', '-') or 'home'}")
        context.close()
    assert found == {}, "\n".join(f"{where}\n  " + "\n  ".join(lines) for where, lines in found.items())


def test_axe_reports_a_violation_it_is_shown(demo, browser, live_server):
    """The check can fail: an image without a text alternative on the login page is reported."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    page.evaluate("() => { const b = document.createElement('button'); b.id = 'unnamed'; document.querySelector('main').append(b); }")
    violations = axe_violations(page)
    context.close()
    assert any("button-name" in line and "#unnamed" in line for line in violations), violations


def test_htmx_polls_the_signing_board_with_the_csrf_header(demo, page, live_server):
    """``data-hx-get``/``data-hx-trigger`` poll the pledge's status, ``data-hx-headers`` on <body> adds the token."""
    version = demo["signing"]
    log_in(page, live_server, SIGNING_LEADER, DEMO_PASSWORD)
    page.goto(live_server.url + reverse("pledges:detail", args=[version.pk]))
    assert page.locator("body[data-hx-headers]").count() == 1 and page.locator("[hx-get], [hx-headers]").count() == 0
    status_url = reverse("pledges:status", args=[version.pk])
    with page.expect_request(lambda r: r.url.endswith(status_url), timeout=10_000) as polled:
        pass
    headers = polled.value.headers
    assert headers.get("hx-request") == "true" and len(headers.get("x-csrftoken", "")) >= 32
    page.wait_for_load_state("networkidle")
    assert page.locator("#pledge-status").count() == 1  # swapped in place, not nested
    screenshot(page, "a11y", "htmx-polled-pledge")
