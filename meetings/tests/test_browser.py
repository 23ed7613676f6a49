"""In Chromium against the live server: seed 002's mid-year review recorded, approved, published, read by anyone."""

import io

import pytest
from django.urls import reverse
from PIL import Image, ImageDraw

from blocs.models import Role
from emulation_portal.testing import log_in, log_out, make_agency, make_bloc_year, make_province, make_user, screenshot

MEMBERS = [
    ("Sở Kế hoạch và Đầu tư", "Hồ Minh Khoa"),
    ("Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Nguyễn Thị Hồng Nhung"),
    ("Sở Nội vụ", "Phan Văn Đức"),
    ("Văn phòng UBND tỉnh", "Lê Thị Phương Thảo"),
    ("Sở Tài chính", "Trương Công Bình"),
    ("Sở Tài nguyên và Môi trường", "Bùi Văn Sơn"),
    ("Sở Khoa học và Công nghệ", "Đỗ Thị Lan"),
]

pytestmark = pytest.mark.browser



@pytest.fixture
def seed_002(transactional_db):
    province = make_province("Ninh Thuận")
    agencies = [make_agency(province, name=name, leader_name=leader, leader_title="Giám đốc") for name, leader in MEMBERS]
    bloc_year = make_bloc_year(
        province, agencies, year=2020, head=agencies[0], deputy=agencies[4], name="Khối thi đua các cơ quan tham mưu tổng hợp"
    )
    board_agency = make_agency(province, name="Ban Thi đua – Khen thưởng, Sở Nội vụ (cơ quan)")
    return {
        "province": province,
        "bloc_year": bloc_year,
        "secretary": make_user("thuky", agency=agencies[0], full_name="Lương Thị Diệu", role=Role.SECRETARY, bloc_year=bloc_year),
        "chair": make_user("chutri", agency=agencies[0], full_name="Hồ Minh Khoa", title="Giám đốc", role=Role.LEADER, agency_id=agencies[0].pk),
        "board": make_user("bantdkt", agency=board_agency, full_name="Ngô Thị Kim Oanh", role=Role.BOARD, province=province),
    }





def photo_file(tmp_path, name, color):
    image = Image.new("RGB", (800, 533), color)
    draw = ImageDraw.Draw(image)
    draw.rectangle([80, 60, 720, 160], fill="white")
    draw.rectangle([100, 250, 700, 470], fill=(60, 60, 60))
    path = tmp_path / name
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_mid_year_review_recorded_approved_published_and_read(page, live_server, seed_002, tmp_path, browser):
    data = seed_002
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The secretary schedules the meeting.
    log_in(page, live_server, "thuky")
    page.goto(live_server.url + reverse("meetings:timeline", args=[data["bloc_year"].pk]))
    page.get_by_role("link", name="Lên lịch hội nghị").click()
    page.get_by_label("Loại hội nghị").select_option("mid_year")
    page.get_by_label("Ngày họp").fill("2020-06-17")
    page.get_by_label("Giờ bắt đầu").fill("08:00")
    page.get_by_label("Giờ kết thúc").fill("11:00")
    page.get_by_label("Địa điểm").fill("Sở Kế hoạch và Đầu tư")
    page.get_by_label("Họ tên người chủ trì").fill("Hồ Minh Khoa")
    page.get_by_label("Chức vụ người chủ trì").fill("Giám đốc Sở Kế hoạch và Đầu tư, Trưởng Khối")
    page.get_by_label("Chương trình hội nghị").fill("Báo cáo sơ kết 6 tháng đầu năm 2020\nThảo luận\nPhương hướng 6 tháng cuối năm")
    screenshot(page, "meetings", "01-schedule")
    page.get_by_role("button", name="Lưu lịch hội nghị").click()
    page.get_by_role("link", name="Ghi biên bản").click()

    # The minutes: seven units present, one guest from the board, two photos.
    for i, (agency, leader) in enumerate(MEMBERS):
        page.get_by_label(f"Có mặt: {agency}", exact=True).check()
        page.get_by_label(f"Người dự: {agency}", exact=True).fill(leader)
        page.get_by_label(f"Chức vụ: {agency}", exact=True).fill("Giám đốc" if i != 1 else "Phó Chánh Văn phòng")
    assert page.locator("#attendance-live").inner_text() == "(7/7 đơn vị)"
    page.get_by_label("Họ tên khách mời").first.fill("Ngô Thị Kim Oanh")
    page.get_by_label("Chức vụ khách mời").first.fill("Thành viên Hội đồng Thi đua – Khen thưởng tỉnh theo dõi Khối")
    page.get_by_label("Cơ quan khách mời").first.fill("Ban Thi đua – Khen thưởng, Sở Nội vụ")
    page.get_by_label("Số biên bản").fill("02/BB-KTĐTH")
    page.get_by_label("Thư ký ký biên bản").fill("Lương Thị Diệu")
    page.get_by_label("Chức vụ thư ký").fill("Chuyên viên")
    page.get_by_label("Kết quả 6 tháng đầu năm").fill(
        "Các đơn vị trong Khối đã tích cực, chủ động tham mưu nhiều chủ trương, chính sách lớn dù chịu ảnh hưởng của dịch Covid-19 và hạn hán."
    )
    page.get_by_label("Phương hướng, nhiệm vụ 6 tháng cuối năm").fill("Hoàn thành xuất sắc các mục tiêu đã ký kết giao ước đầu năm.")
    page.get_by_label("Diễn biến, thảo luận").fill("Các đại biểu đóng góp nhiều ý kiến thiết thực để hoàn thiện Báo cáo.")
    page.get_by_label("Quyết nghị 1", exact=True).fill("Thống nhất Báo cáo sơ kết 6 tháng đầu năm 2020")
    page.get_by_label("Quyết nghị 2", exact=True).fill("Thống nhất phương hướng, nhiệm vụ 6 tháng cuối năm 2020")
    page.get_by_role("button", name="Thêm quyết nghị").click()
    page.get_by_label("Quyết nghị 4", exact=True).fill("Giao Trưởng khối tổng hợp ý kiến, hoàn thiện Báo cáo gửi Ban Thi đua – Khen thưởng")
    page.get_by_label("Ảnh mới 1", exact=True).set_input_files(str(photo_file(tmp_path, "toan-canh.jpg", (164, 22, 26))))
    page.get_by_label("Chú thích ảnh mới 1", exact=True).fill("Toàn cảnh Hội nghị")
    page.get_by_label("Ảnh mới 2", exact=True).set_input_files(str(photo_file(tmp_path, "dai-bieu.jpg", (22, 82, 140))))
    page.get_by_label("Chú thích ảnh mới 2", exact=True).fill("Đại biểu thảo luận tại Hội nghị")
    screenshot(page, "meetings", "02-minutes-form")
    page.get_by_role("button", name="Lưu và trình duyệt").click()
    page.wait_for_selector("text=Đã trình biên bản để chủ trì duyệt.")
    assert page.locator("#attendance-count").inner_text() == "7/7 đơn vị"
    assert page.locator("#decisions li").count() == 3
    screenshot(page, "meetings", "03-submitted")
    meeting_url = page.url
    log_out(page)

    # The chair approves; the PDF is made in-process.
    log_in(page, live_server, "chutri")
    assert "Biên bản chờ anh/chị duyệt" in page.content()
    page.goto(meeting_url)
    page.get_by_role("button", name="Duyệt biên bản").click()
    page.wait_for_selector("text=Đã duyệt biên bản")
    page.reload()
    page.wait_for_selector("a.doc-download")
    screenshot(page, "meetings", "04-approved")
    log_out(page)

    # The secretary drafts the article from the minutes, edits it and publishes.
    log_in(page, live_server, "thuky")
    page.goto(meeting_url)
    page.get_by_role("link", name="Soạn tin bài từ biên bản").click()
    title = page.get_by_label("Tiêu đề")
    assert title.input_value() == "Hội nghị sơ kết 6 tháng năm 2020 của Khối thi đua các cơ quan tham mưu tổng hợp"
    title.fill("Hội nghị Sơ kết phong trào thi đua khen thưởng 06 tháng đầu năm 2020 Khối thi đua các cơ quan tham mưu tổng hợp tỉnh")
    page.get_by_label("Người viết").fill("Văn phòng Sở")
    screenshot(page, "meetings", "05-article-draft")
    page.get_by_role("button", name="Lưu tin bài").click()
    page.get_by_role("link", name="Xem trước và đăng tin").click()
    page.get_by_role("button", name="Xuất bản").click()
    page.wait_for_selector("text=Đã đăng tin")
    screenshot(page, "meetings", "06-published")

    # Anyone reads it on the province's news page, photos included.
    visitor = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900})
    public = visitor.new_page()
    public.goto(live_server.url + reverse("meetings:news_list", args=[data["province"].code]))
    screenshot(public, "meetings", "07-news-list")
    public.get_by_role("link", name="Hội nghị Sơ kết phong trào thi đua khen thưởng 06 tháng đầu năm 2020", exact=False).first.click()
    public.wait_for_selector("figcaption")
    images = public.locator("article figure img")
    assert images.count() == 2
    for i in range(2):
        assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    body = public.content()
    assert "Toàn cảnh Hội nghị" in body and "Đại biểu thảo luận tại Hội nghị" in body
    assert "Ngô Thị Kim Oanh" in body and "07 đơn vị thành viên" in body
    screenshot(public, "meetings", "08-article-public")
    visitor.close()
