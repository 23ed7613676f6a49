"""In Chromium against the live server: the board sets up a bloc-year, a member's leader sees it; an import."""


import pytest

from blocs.tests.filebuilders import xlsx_bytes
from emulation_portal.testing import build_world, log_in, log_out, make_agency, screenshot

pytestmark = pytest.mark.browser



@pytest.fixture
def live_world(transactional_db):
    return build_world()





def test_board_sets_up_a_bloc_year_and_a_member_sees_it(page, live_server, live_world):
    world = live_world
    members = [make_agency(world.province, name=n) for n in ("Sở Xây dựng", "Sở Công thương", "Quỹ Đầu tư phát triển")]
    leader = world.nonmember  # leader of "Sở Ngoài Khối", which the board now adds to a new bloc
    page.set_viewport_size({"width": 1280, "height": 900})

    log_in(page, live_server, "board")
    page.get_by_role("link", name="Khối thi đua", exact=True).click()
    page.get_by_role("link", name="Thêm khối").click()
    page.locator("#id_name").fill("Khối thi đua các cơ quan tham mưu Kinh tế tỉnh")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("link", name="Thêm năm").click()
    page.locator("#id_year").fill("2023")
    page.locator("#id_notice_number").fill("09/TB-UBND")
    page.locator("#id_notice_date").fill("2023-01-18")
    for agency in [*members, world.outside_agency]:
        page.get_by_label(agency.name, exact=True).check()
    page.locator("#id_head").select_option(label=members[0].name)
    page.locator("#id_deputy").select_option(label=world.outside_agency.name)
    screenshot(page, "blocs", "01-blocyear-form")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lập danh sách khối năm 2023.").wait_for()
    screenshot(page, "blocs", "02-blocyear-detail")
    assert page.get_by_role("heading", name="Khối thi đua các cơ quan tham mưu Kinh tế tỉnh – năm 2023").is_visible()
    log_out(page)

    log_in(page, live_server, leader.username)
    page.get_by_role("link", name="Khối của tôi").click()
    screenshot(page, "blocs", "03-my-bloc-leader")
    body = page.locator("main")
    assert "Khối thi đua các cơ quan tham mưu Kinh tế tỉnh" in body.inner_text()
    assert "Sở Xây dựng" in body.inner_text()
    assert body.locator("dd").first.inner_text() == "Sở Xây dựng"  # Trưởng khối
    assert body.locator("dd").nth(1).inner_text() == world.outside_agency.name  # Phó khối


def test_board_imports_a_file_with_preview_then_confirm(page, live_server, live_world, tmp_path):
    world = live_world
    page.set_viewport_size({"width": 1280, "height": 900})
    bad = tmp_path / "danh-sach-loi.xlsx"
    bad.write_bytes(
        xlsx_bytes(
            [
                [2022, "Khối tổng hợp", world.agencies[0].name, "", "", "", "", "", "Trưởng khối"],
                [2023, "Khối tổng hợp", "Sở Không Có", "", "", "", "", "", ""],
                ["20x3", "Khối tổng hợp", world.outside_agency.name, "", "", "", "", "", ""],
            ]
        )
    )
    good = tmp_path / "danh-sach.xlsx"
    good.write_bytes(
        xlsx_bytes(
            [
                [2023, "Khối tổng hợp", world.agencies[0].name, "", "", "", "", "", "Trưởng khối"],
                [2023, "Khối tổng hợp", world.outside_agency.name, "", "", "Nguyễn Văn Mới", "Giám đốc", "", "Phó khối"],
                [2023, "Khối tổng hợp", "Kho bạc Nhà nước khu vực XV", "KBNN", "Kho bạc", "", "", "", ""],
            ]
        )
    )

    log_in(page, live_server, "board")
    page.get_by_role("link", name="Khối theo năm").click()
    page.get_by_role("link", name="Nhập từ tệp").click()
    screenshot(page, "blocs", "04-import-upload")
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_role("button", name="Đọc tệp và xem trước").click()
    page.locator("#import-status").wait_for()
    screenshot(page, "blocs", "05-import-preview-errors")
    assert "Tệp có 3 lỗi" in page.locator("#import-status").inner_text()
    assert page.locator("#import-confirm").count() == 0
    page.get_by_role("button", name="Hủy và tải tệp khác").click()

    page.locator("#id_file").set_input_files(str(good))
    page.get_by_role("button", name="Đọc tệp và xem trước").click()
    page.locator("#import-status").wait_for()
    screenshot(page, "blocs", "06-import-preview-valid")
    assert "Tệp hợp lệ" in page.locator("#import-status").inner_text()
    page.locator("#import-confirm").click()
    page.get_by_text("Đã nhập tệp danh-sach.xlsx").wait_for()
    screenshot(page, "blocs", "07-import-done")
    assert "thêm 1 đơn vị, cập nhật 1 đơn vị, lập 1 danh sách khối theo năm" in page.locator(".alert-success").inner_text()
    assert page.get_by_role("link", name="Khối tổng hợp").is_visible()
    page.get_by_role("link", name="Cơ quan, đơn vị").click()
    screenshot(page, "blocs", "08-agency-list")
    assert page.get_by_role("link", name="Nhập từ tệp").is_visible()
    assert page.get_by_role("link", name="Xuất Excel").is_visible()
