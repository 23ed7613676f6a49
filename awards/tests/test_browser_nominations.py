"""In Chromium: the secretary opens the nominations of a bloc-year whose ranking is frozen, proposes
the leading agency for the Cờ thi đua của UBND tỉnh (a warning asks for a justification first), is
refused for the second agency (not the leader), proposes a warning-only award with a justification,
and reads the checks on the list and on the nomination's page."""

import pytest
from django.urls import reverse

from awards.models import Nomination
from awards.tests.helpers import ensure_templates
from awards.tests.yearend import frozen_round
from emulation_portal.testing import build_world, log_in, screenshot

pytestmark = pytest.mark.browser
SHOTS = "nominations"


@pytest.fixture
def live_world(transactional_db):
    ensure_templates()
    world = build_world()
    frozen_round(world)
    return world


def test_secretary_proposes_from_the_frozen_ranking(page, live_server, live_world):
    world = live_world
    leader, second = world.agencies[0], world.agencies[1]
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server, "secretary")

    page.goto(live_server.url + reverse("blocs:blocyear_detail", args=[world.bloc_year.pk]))
    page.locator("#blocyear-nominations").get_by_role("link", name="0 đề nghị").click()
    page.get_by_role("heading", name="Kết quả xếp hạng đã chốt").wait_for()
    assert page.locator("#frozen-ranking tbody tr").count() == len(world.agencies)
    screenshot(page, SHOTS, "01-page")

    # The suggestion of the Cờ tỉnh: the agency ranked first.
    flag = page.locator("#award-co-ubnd-tinh")
    flag.get_by_role("link", name="Đề xuất").click()
    form = page.locator("#propose")
    assert form.get_by_label("Đơn vị được đề nghị").input_value() == str(leader.pk)
    assert form.get_by_label("Hình thức khen thưởng").locator("option:checked").inner_text() == "Cờ thi đua của UBND tỉnh"
    form.locator('#candidate-checks [data-code="leads_bloc"][data-status="pass"]').wait_for()
    form.get_by_label("Thành tích, lý do đề nghị").fill("Dẫn đầu khối năm 2022, hoàn thành xuất sắc các chỉ tiêu giao ước.")
    form.get_by_role("button", name="Đề nghị", exact=True).click()
    form.get_by_text("Có cảnh báo cần khối giải trình").wait_for()
    assert not Nomination.objects.exists()
    screenshot(page, SHOTS, "02-needs-justification")
    form.get_by_label("Giải trình").fill("Khối xác nhận đơn vị hoàn thành vượt mức các chỉ tiêu thi đua năm 2022.")
    form.get_by_role("button", name="Đề nghị", exact=True).click()
    page.locator(".alert-success", has_text="Đã đề nghị").wait_for()
    page.locator("#award-co-ubnd-tinh .nominations-table").get_by_role("link", name=leader.name).wait_for()

    # The second agency is not the leader: a hard check refuses it, with the reason.
    form = page.locator("#propose")
    form.get_by_label("Hình thức khen thưởng").select_option(label="Cờ thi đua của UBND tỉnh")
    form.get_by_label("Đơn vị được đề nghị").select_option(str(second.pk))
    form.get_by_label("Thành tích, lý do đề nghị").fill("Hoàn thành tốt các chỉ tiêu.")
    form.get_by_label("Giải trình").fill("Khối xác nhận.")
    form.get_by_role("button", name="Đề nghị", exact=True).click()
    form.get_by_text("Xếp thứ 2 trong khối").first.wait_for()
    assert Nomination.objects.count() == 1
    screenshot(page, SHOTS, "03-refused")

    # A warning-only award: Bằng khen của Chủ tịch UBND tỉnh (two years running "xuất sắc").
    form.get_by_label("Hình thức khen thưởng").select_option(label="Bằng khen của Chủ tịch UBND tỉnh")
    form.get_by_label("Đơn vị được đề nghị").select_option(str(second.pk))
    form.get_by_role("button", name="Xem điều kiện").click()
    form.locator('#candidate-checks [data-code="band_years"][data-status="warn"]').wait_for()
    assert "chưa có dữ liệu năm 2021" in form.locator("#candidate-checks").inner_text()
    form.get_by_label("Thành tích, lý do đề nghị").fill("Hoàn thành tốt nhiệm vụ, nhiều mô hình cải cách hành chính.")
    form.get_by_label("Giải trình").fill("Năm 2021 đơn vị thuộc khối khác, đạt hoàn thành xuất sắc nhiệm vụ (Quyết định số 15/QĐ-UBND).")
    form.get_by_role("button", name="Đề nghị", exact=True).click()
    page.locator(".alert-success", has_text="Đã đề nghị").wait_for()
    row = page.locator("#award-bang-khen-chu-tich-tinh .nominations-table tbody tr")
    assert row.count() == 1 and second.name in row.inner_text()
    assert row.locator('[data-code="band_years"][data-status="warn"]').count() == 1
    assert Nomination.objects.count() == 2
    page.locator("#award-co-ubnd-tinh").scroll_into_view_if_needed()
    screenshot(page, SHOTS, "04-proposed")

    # The nomination's own page: its checks, reason, history.
    page.locator("#award-co-ubnd-tinh .nominations-table").get_by_role("link", name=leader.name).click()
    page.get_by_role("heading", name="Điều kiện khen thưởng").wait_for()
    assert "Dẫn đầu khối năm 2022" in page.locator("#nomination-reason").inner_text()
    assert "Đề xuất" in page.locator("#nomination-history").inner_text()
    assert page.locator("#nomination-blocking").count() == 0
    screenshot(page, SHOTS, "05-detail")


def test_board_records_and_closes_a_pending_case(page, live_server, live_world):
    world = live_world
    agency = world.agencies[1]
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server, "board")
    page.goto(live_server.url + reverse("awards:agency_cases", args=[agency.pk]))
    page.get_by_role("heading", name="Ghi vụ việc mới").wait_for()
    page.get_by_label("Loại vụ việc").select_option("inspection")
    page.get_by_label("Ngày bắt đầu").fill("01/10/2022")
    page.get_by_label("Nội dung").fill("Thanh tra việc chấp hành pháp luật về phòng, chống tham nhũng.")
    page.get_by_role("button", name="Ghi vụ việc").click()
    page.locator(".alert-success", has_text="Đã ghi vụ việc").wait_for()
    assert "1 đang xử lý" in page.locator("#cases-title").inner_text()
    screenshot(page, SHOTS, "06-case-open")
    page.locator("#case-list").get_by_label("Ngày kết thúc").fill("15/11/2022")
    page.locator("#case-list").get_by_role("button", name="Ghi kết thúc").click()
    page.locator(".alert-success", has_text="Đã ghi ngày kết thúc").wait_for()
    assert "15/11/2022" in page.locator("#case-list").inner_text()
    screenshot(page, SHOTS, "07-case-closed")
