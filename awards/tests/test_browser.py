"""In Chromium: the board copies the template rule set, edits the bonus cap with a source, sees
it, and chooses the rule set for a bloc-year; a secretary reads it as "Quy chế áp dụng"."""

import pytest

from awards.tests.helpers import ensure_templates
from emulation_portal.testing import build_world, log_in, log_out, screenshot

pytestmark = pytest.mark.browser
SHOTS = "rules"


@pytest.fixture
def live_world(transactional_db):
    ensure_templates()
    return build_world()


def test_board_copies_edits_and_chooses_a_rule_set(page, live_server, live_world):
    world = live_world
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "board")
    page.get_by_role("link", name="Bộ quy tắc", exact=True).click()
    page.get_by_role("heading", name="Nghị định 152/2025/NĐ-CP").wait_for()
    assert page.get_by_text("Đang có hiệu lực").count() == 1
    screenshot(page, SHOTS, "01-list")

    page.get_by_role("link", name="Bộ mẫu theo Nghị định 91/2017/NĐ-CP").click()
    page.get_by_role("link", name="Sao chép").click()
    assert page.get_by_label("Áp dụng từ ngày").input_value() == "01/10/2017"
    page.get_by_label("Tên bộ quy tắc mới").fill("Quy chế hoạt động Khối thi đua tỉnh Ninh Thuận")
    screenshot(page, SHOTS, "02-copy")
    page.get_by_role("button", name="Sao chép").click()
    page.get_by_text("Đã tạo “Quy chế hoạt động Khối thi đua tỉnh Ninh Thuận”").wait_for()
    screenshot(page, SHOTS, "03-detail-copy")

    page.get_by_role("link", name="Sửa giá trị").click()
    row = page.locator("tr", has=page.locator('input[value="bonus_cap"]'))
    row.get_by_label("Điểm thưởng tối đa").fill("2,5")
    row.get_by_label("Nguồn").fill("")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Phải ghi nguồn (văn bản, điều khoản) của giá trị này.").wait_for()
    assert row.get_by_label("Điểm thưởng tối đa").input_value() == "2,5"  # nothing typed is lost
    screenshot(page, SHOTS, "04-edit-error")
    row.get_by_label("Nguồn").fill("Quy chế hoạt động Khối, Điều 8")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu các giá trị").wait_for()
    values = page.locator("tr", has=page.get_by_text("Điểm thưởng tối đa"))
    assert "2,5" in values.inner_text() and "Quy chế hoạt động Khối, Điều 8" in values.inner_text()
    screenshot(page, SHOTS, "05-detail-edited")

    page.goto(live_server.url + world.bloc_year.get_absolute_url())
    line = page.locator("#blocyear-rules")
    assert "Quy chế hoạt động Khối thi đua tỉnh Ninh Thuận" in line.inner_text() and "theo ngày hiệu lực" in line.inner_text()
    line.get_by_label("Chọn quy chế áp dụng").select_option(label="Quy chế hoạt động Khối thi đua tỉnh Ninh Thuận – Nghị định 91/2017/NĐ-CP")
    line.get_by_role("button", name="Đổi").click()
    page.get_by_text("Đã đổi quy chế áp dụng").wait_for()
    assert "Ban đã chọn" in page.locator("#blocyear-rules").inner_text()
    screenshot(page, SHOTS, "06-blocyear-chosen")
    log_out(page)

    log_in(page, live_server, "secretary")
    page.goto(live_server.url + world.bloc_year.get_absolute_url())
    assert page.locator("#blocyear-rules").get_by_role("button", name="Đổi").count() == 0
    page.locator("#blocyear-rules").get_by_role("link", name="Quy chế hoạt động Khối thi đua tỉnh Ninh Thuận").click()
    page.get_by_role("heading", name="Quy chế áp dụng").wait_for()
    assert "Quy chế hoạt động Khối, Điều 8" in page.locator("main").inner_text()
    screenshot(page, SHOTS, "07-secretary-reads")
