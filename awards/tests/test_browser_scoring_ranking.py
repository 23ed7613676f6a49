"""In Chromium: the secretary sees the live score table and its chart, publishes the draft; a member
objects; the secretary answers and freezes; the .xlsx downloads and opens with the same totals."""

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import RankingEntry, RoundState
from awards.tests.helpers import ensure_templates
from awards.tests.scoring import scored_round
from emulation_portal.testing import build_world, log_in, log_out, screenshot

pytestmark = pytest.mark.browser
SHOTS = "ranking"


@pytest.fixture
def live_round(transactional_db):
    from awards import services

    templates = ensure_templates()
    world = build_world()
    template = templates["Nghị định 91/2017/NĐ-CP"]
    services.rule_set_copy(actor=world.board, rule_set=template, province=world.province, name="Quy chế hoạt động Khối thi đua tỉnh Ninh Thuận",
                           valid_from=template.valid_from, valid_to=template.valid_to)
    return world, scored_round(world)


def test_publish_object_answer_freeze(page, live_server, live_round):
    world, scoring = live_round
    table_url = live_server.url + reverse("awards:score_table", args=[scoring.pk])
    page.set_viewport_size({"width": 1366, "height": 900})

    log_in(page, live_server, "secretary")
    page.goto(table_url)
    page.get_by_role("heading", name="Bảng tổng hợp kết quả chấm điểm").wait_for()
    page.locator("#totals-chart").wait_for(state="visible")  # Chart.js drew the chart (the box is hidden without JS)
    assert page.locator("#score-table tbody tr").count() == len(world.agencies)
    screenshot(page, SHOTS, "01-live-table")
    page.get_by_role("button", name="Công bố kết quả dự kiến").click()
    page.locator(".alert-success", has_text="Đã công bố kết quả dự kiến").wait_for()
    assert "Đã công bố kết quả dự kiến" in page.locator("#round-state").inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải .xlsx").click()
    sheet = load_workbook(io.BytesIO(open(download_info.value.path(), "rb").read()), read_only=True).active  # noqa: SIM115
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[6]
    got = {r[1]: D(str(r[header.index("Tổng điểm")])) for r in rows[7:7 + len(world.agencies)]}
    assert got == {e.agency.name: e.total for e in RankingEntry.objects.filter(round=scoring).select_related("agency")}
    screenshot(page, SHOTS, "02-published")
    log_out(page)

    log_in(page, live_server, "officer")
    page.goto(table_url)
    page.get_by_label("Góp ý về kết quả dự kiến").fill("")
    page.get_by_role("button", name="Gửi góp ý").click()
    page.get_by_label("Góp ý về kết quả dự kiến").fill("Đề nghị Khối xem lại điểm tiêu chí 2 của đơn vị.")
    page.get_by_role("button", name="Gửi góp ý").click()
    page.locator(".alert-success", has_text="Đã gửi góp ý").wait_for()
    assert page.locator("#score-table tbody tr").count() == len(world.agencies)  # published: the whole bloc sees every row
    screenshot(page, SHOTS, "03-member-objected")
    log_out(page)

    log_in(page, live_server, "secretary")
    page.goto(table_url)
    page.get_by_text("trả lời hết rồi mới chốt được").wait_for()
    assert page.get_by_role("button", name="Chốt kết quả").count() == 0
    page.get_by_label("Trả lời góp ý").fill("Khối đã xem lại minh chứng; giữ nguyên điểm.")
    page.get_by_role("button", name="Trả lời", exact=True).click()
    page.locator(".alert-success", has_text="Đã trả lời góp ý").wait_for()
    page.get_by_text("chốt sớm được vì mọi góp ý đã được trả lời").wait_for()
    screenshot(page, SHOTS, "04-answered")
    page.get_by_role("button", name="Chốt kết quả").click()
    page.locator(".alert-success", has_text="Đã chốt kết quả").wait_for()
    assert "Đã chốt kết quả" in page.locator("#round-state").inner_text()
    page.locator("#ranking-history").get_by_text("chốt kết quả").wait_for()
    screenshot(page, SHOTS, "05-frozen")
    scoring.refresh_from_db()
    assert scoring.state == RoundState.FROZEN

    page.goto(live_server.url + reverse("awards:round_detail", args=[scoring.pk]))
    panel = page.locator("section", has=page.locator("#ranking-panel-heading"))
    panel.get_by_role("link", name="Bảng tổng hợp kết quả chấm điểm").wait_for()
    assert "Mở lại để sửa" in panel.inner_text()  # the secretary's button, from ROUND_FLOW.actions
    screenshot(page, SHOTS, "06-round-panel")

    # The year-end review's minutes show the frozen ranking.
    from meetings.models import MeetingKind
    from meetings.tests.factories import approved, local

    meeting = approved(world, kind=MeetingKind.YEAR_END, starts_at=local(2022, 12, 20, 8, 0), render=False)
    page.goto(live_server.url + meeting.get_absolute_url())
    page.locator("#year-end-ranking").wait_for()
    for agency in world.agencies:
        page.locator("table", has_text=agency.name).first.wait_for()
    screenshot(page, SHOTS, "07-year-end-minutes")
    log_out(page)
