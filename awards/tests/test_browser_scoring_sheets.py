"""In Chromium: the secretary opens the scoring; the officer fills the sheet with evidence and sends
it; the leader returns it with a reason; the officer sees the reason, fixes it and sends it again;
the leader approves it."""

import pytest

from awards.tests.helpers import ensure_templates
from awards.tests.scoring import signed_pledge
from core.tests.upload_samples import make_pdf
from emulation_portal.testing import build_world, log_in, log_out, screenshot

pytestmark = pytest.mark.browser
SHOTS = "sheets"


@pytest.fixture
def live_world(transactional_db):
    ensure_templates()
    world = build_world()
    signed_pledge(world)
    return world


def test_officer_fills_leader_returns_then_approves(page, live_server, live_world):
    world = live_world
    leader = world.leaders[2]  # the officer's agency
    page.set_viewport_size({"width": 1366, "height": 900})

    log_in(page, live_server, "secretary")
    page.goto(live_server.url + world.bloc_year.get_absolute_url())
    page.locator("#blocyear-scoring").get_by_role("link", name="Mở chấm điểm").click()
    page.get_by_label("Hạn tự chấm điểm").fill("30/11/2022")
    page.get_by_label("Chấm chéo theo cặp đơn vị").check()
    screenshot(page, SHOTS, "01-open")
    page.get_by_role("button", name="Mở chấm điểm").click()
    page.get_by_text("Đã mở chấm điểm").wait_for()
    assert page.locator("#round-sheets tbody tr").count() == len(world.agencies)
    screenshot(page, SHOTS, "02-round")
    log_out(page)

    log_in(page, live_server, "officer")
    page.goto(live_server.url + world.bloc_year.get_absolute_url())
    page.locator("#blocyear-scoring").get_by_role("link", name="Chấm điểm").click()
    own_row = page.locator("#round-sheets tbody tr").filter(has=page.get_by_role("rowheader", name=world.agencies[2].name, exact=True))
    own_row.get_by_role("link", name="Xem phiếu").click()
    page.get_by_role("link", name="Sửa phiếu").click()
    rows = page.locator("#sheet-lines tbody tr")
    rows.nth(0).get_by_label("Kết quả đạt được").fill("Hoàn thành 100 % chỉ tiêu kinh tế - xã hội được giao.")
    rows.nth(0).get_by_label("Số liệu đạt được").fill("100")
    rows.nth(0).get_by_label("Điểm tự chấm").fill("28,5")
    rows.nth(0).locator('input[type="file"]').set_input_files(
        files=[{"name": "Báo cáo tổng kết 2022.pdf", "mimeType": "application/pdf", "buffer": make_pdf()}]
    )
    rows.nth(1).get_by_label("Kết quả đạt được").fill("Chỉ số CCHC tăng 3 bậc.")
    rows.nth(1).get_by_label("Điểm tự chấm").fill("18")
    page.locator('[data-extra="bonus"] tbody tr').first.get_by_label("Lý do").fill("Giải Nhất hội thi cải cách hành chính tỉnh")
    page.locator('[data-extra="bonus"] tbody tr').first.get_by_label("Điểm").fill("1")
    # Criterion 3 left blank: sending is refused, nothing typed lost.
    page.get_by_role("button", name="Lưu và trình lãnh đạo").click()
    page.get_by_text("chưa chấm điểm").first.wait_for()
    assert rows.nth(0).get_by_label("Điểm tự chấm").input_value() == "28,5"
    assert page.locator("[data-total=total]").inner_text() in ("47,5", "47.5")
    rows.nth(2).get_by_label("Điểm tự chấm").fill("14,75")
    assert page.locator("[data-total=total]").inner_text() == "62,25"  # updated live
    screenshot(page, SHOTS, "03-sheet-form")
    page.get_by_role("button", name="Lưu và trình lãnh đạo").click()
    page.get_by_text("Đã lưu và trình lãnh đạo").wait_for()
    assert "Báo cáo tổng kết 2022.pdf" in page.locator("#sheet-lines").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Báo cáo tổng kết 2022.pdf").click()
    assert download.value.suggested_filename == "Báo cáo tổng kết 2022.pdf"
    log_out(page)

    log_in(page, live_server, leader.username)
    page.goto(live_server.url + world.bloc_year.scoring_round.sheets.get(agency=world.officer.agency_id).get_absolute_url())
    page.get_by_role("button", name="Trả lại").click()
    page.get_by_text("Hãy ghi lý do trả lại").wait_for()
    page.get_by_label("Lý do trả lại (bắt buộc)").fill("Tiêu chí 3 cần thêm minh chứng; điểm tiêu chí 2 xem lại.")
    page.get_by_role("button", name="Trả lại").click()
    page.get_by_text("Đã trả lại phiếu cho cán bộ").wait_for()
    log_out(page)

    log_in(page, live_server, "officer")
    page.goto(live_server.url + world.bloc_year.scoring_round.sheets.get(agency=world.officer.agency_id).get_absolute_url())
    assert "Tiêu chí 3 cần thêm minh chứng" in page.locator("#return-reason").inner_text()
    screenshot(page, SHOTS, "04-returned")
    page.get_by_role("link", name="Sửa phiếu").click()
    page.locator("#sheet-lines tbody tr").nth(1).get_by_label("Điểm tự chấm").fill("17,5")
    page.get_by_role("button", name="Lưu và trình lãnh đạo").click()
    page.get_by_text("Đã lưu và trình lãnh đạo").wait_for()
    log_out(page)

    log_in(page, live_server, leader.username)
    page.goto(live_server.url + world.bloc_year.scoring_round.sheets.get(agency=world.officer.agency_id).get_absolute_url())
    page.get_by_role("button", name="Duyệt và gửi khối").click()
    page.get_by_text("Đã duyệt và gửi phiếu").wait_for()
    assert page.locator("#sheet-state").inner_text() == "Đã gửi khối"
    assert page.get_by_role("link", name="Sửa phiếu").count() == 0
    assert "61,75" in page.locator("#sheet-totals").inner_text()
    screenshot(page, SHOTS, "05-approved")
