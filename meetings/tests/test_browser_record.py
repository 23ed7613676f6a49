"""In Chromium: a secretary schedules and records seed 002's mid-year review from scratch with the
pre-filled forms, and the test counts the clicks, page loads and typed fields it took.

Before (issue 9, measured by hand on the old forms): about 13 clicks, 11 page loads and 45 typed
fields. Then the chair returns the minutes (the reason shows at the top of the form), a mistaken
meeting is cancelled (struck out on the timeline) and the article is previewed before it goes public.
"""

import pytest
from django.urls import reverse

from emulation_portal.testing import log_in, log_out, screenshot
from meetings.models import Meeting, MeetingState
from meetings.tests.test_browser import MEMBERS, seed_002  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

BEFORE = {"clicks": 13, "loads": 11, "typed": 45}


class Steps:
    """Counts what the user does: clicks (buttons, links, boxes, choices), page loads, fields typed into."""

    def __init__(self, page):
        self.page = page
        self.clicks = self.loads = self.typed = 0
        page.on("load", self._loaded)

    def _loaded(self, _page):
        self.loads += 1

    def goto(self, url):
        self.page.goto(url)

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def uncheck(self, locator):
        self.clicks += 1
        locator.uncheck()

    def choose(self, locator, value):
        self.clicks += 1
        locator.select_option(value)

    def type(self, locator, text):
        self.typed += 1
        locator.fill(text)

    def counts(self):
        return {"clicks": self.clicks, "loads": self.loads, "typed": self.typed}


def test_secretary_records_a_mid_year_review_in_fewer_steps(page, live_server, seed_002, browser):  # noqa: F811
    data = seed_002
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "thuky")
    steps = Steps(page)

    # From the "Hội nghị" page: schedule (the head agency hosts, its leader chairs: pre-filled).
    steps.goto(live_server.url + reverse("meetings:list"))
    screenshot(page, "meet", "01-meeting-list")
    steps.click(page.get_by_role("link", name="Lên lịch hội nghị"))
    assert page.get_by_label("Họ tên người chủ trì").input_value() == "Hồ Minh Khoa"
    assert page.get_by_label("Chức vụ người chủ trì").input_value() == "Giám đốc Sở Kế hoạch và Đầu tư"
    steps.choose(page.get_by_label("Loại hội nghị"), "mid_year")
    steps.type(page.get_by_label("Ngày họp"), "17/06/2020")
    steps.type(page.get_by_label("Giờ bắt đầu"), "08:00")
    steps.type(page.get_by_label("Địa điểm"), "Sở Kế hoạch và Đầu tư")
    screenshot(page, "meet", "02-schedule-prefilled")
    steps.click(page.get_by_role("button", name="Lưu lịch hội nghị"))
    page.wait_for_selector("text=Đã lên lịch hội nghị.")
    steps.click(page.get_by_role("link", name="Ghi biên bản"))

    # The minutes: every member present with its leader, the secretary is the person recording.
    assert page.get_by_label(f"Người dự: {MEMBERS[2][0]}", exact=True).input_value() == MEMBERS[2][1]
    assert page.get_by_label("Thư ký ký biên bản").input_value() == "Lương Thị Diệu"
    steps.uncheck(page.get_by_label(f"Có mặt: {MEMBERS[6][0]}", exact=True))
    steps.type(page.get_by_label(f"Lý do vắng: {MEMBERS[6][0]}", exact=True), "Đi công tác")
    steps.type(page.get_by_label("Họ tên khách mời").first, "Ngô Thị Kim Oanh")
    steps.type(page.get_by_label("Chức vụ khách mời").first, "Thành viên Hội đồng Thi đua – Khen thưởng tỉnh theo dõi Khối")
    steps.type(page.get_by_label("Số biên bản"), "02/BB-KTĐTH")
    steps.type(page.get_by_label("Kết quả 6 tháng đầu năm"), "Các đơn vị trong Khối đã tích cực, chủ động tham mưu nhiều chủ trương lớn.")
    steps.type(page.get_by_label("Phương hướng, nhiệm vụ 6 tháng cuối năm"), "Hoàn thành xuất sắc các mục tiêu đã ký kết.")
    steps.type(page.get_by_label("Diễn biến, thảo luận"), "Các đại biểu đóng góp nhiều ý kiến thiết thực.")
    steps.type(page.get_by_label("Quyết nghị 1", exact=True), "Thống nhất Báo cáo sơ kết 6 tháng đầu năm 2020")
    assert page.locator("#attendance-live").inner_text() == "(6/7 đơn vị)"
    screenshot(page, "meet", "03-minutes-prefilled")
    steps.click(page.get_by_role("button", name="Lưu và trình duyệt"))
    page.wait_for_selector("text=Đã trình biên bản để chủ trì duyệt.")

    counts = steps.counts()
    print("recording a meeting, before:", BEFORE, "now:", counts)
    assert counts["clicks"] < BEFORE["clicks"] and counts["loads"] < BEFORE["loads"] and counts["typed"] < BEFORE["typed"], counts
    meeting = Meeting.objects.get(kind="mid_year")
    assert meeting.state == MeetingState.SUBMITTED and meeting.chair_user == data["chair"]
    absent = meeting.attendances.get(present=False)
    assert absent.agency.name == MEMBERS[6][0] and absent.absence_reason == "Đi công tác" and absent.representative_name == ""
    assert meeting.attendances.get(agency__name=MEMBERS[2][0]).representative_name == MEMBERS[2][1]
    meeting_url = page.url
    log_out(page)

    # The chair returns them with a reason: the secretary sees it at the top of the form.
    log_in(page, live_server, "chutri")
    page.goto(meeting_url)
    page.get_by_label("Trả lại kèm lý do").fill("Bổ sung cơ quan của khách mời")
    page.get_by_role("button", name="Trả lại thư ký").click()
    page.wait_for_selector("text=Đã trả lại biên bản cho thư ký.")
    log_out(page)
    log_in(page, live_server, "thuky")
    page.goto(live_server.url + reverse("meetings:minutes", args=[meeting.pk]))
    alert = page.locator("#returned-reason")
    assert "Bổ sung cơ quan của khách mời" in alert.inner_text() and "Hồ Minh Khoa" in alert.inner_text()
    screenshot(page, "meet", "04-minutes-returned")
    page.get_by_label("Cơ quan khách mời").first.fill("Ban Thi đua – Khen thưởng, Sở Nội vụ")
    page.get_by_role("button", name="Lưu và trình duyệt").click()
    page.wait_for_selector("text=Đã trình biên bản để chủ trì duyệt.")

    # A meeting put on the calendar by mistake is cancelled, with its reason, and stays struck out.
    page.goto(live_server.url + reverse("meetings:create", args=[data["bloc_year"].pk]))
    page.get_by_label("Loại hội nghị").select_option("other")
    page.get_by_label("Ngày họp").fill("20/11/2020")
    page.get_by_label("Giờ bắt đầu").fill("14:00")
    page.get_by_label("Địa điểm").fill("Hội trường tầng III")
    page.get_by_role("button", name="Lưu lịch hội nghị").click()
    page.locator("#cancel-meeting summary").click()
    page.get_by_label("Lý do hủy (hiện trên lịch hội nghị, ghi vào lịch sử)").fill("Lên lịch nhầm, trùng hội nghị của tỉnh")
    page.get_by_role("button", name="Hủy hội nghị").click()
    page.wait_for_selector("text=Đã hủy hội nghị.")
    screenshot(page, "meet", "05-meeting-cancelled")
    page.goto(live_server.url + reverse("meetings:timeline", args=[data["bloc_year"].pk]))
    assert "Lên lịch nhầm, trùng hội nghị của tỉnh" in page.locator("li.state-cancelled").inner_text()
    screenshot(page, "meet", "06-timeline-cancelled")
    log_out(page)

    # Approved; the article is drafted, previewed as the public page, then published.
    log_in(page, live_server, "chutri")
    page.goto(meeting_url)
    page.get_by_role("button", name="Duyệt biên bản").click()
    page.wait_for_selector("text=Đã duyệt biên bản")
    log_out(page)
    log_in(page, live_server, "thuky")
    page.goto(meeting_url)
    page.get_by_role("link", name="Soạn tin bài từ biên bản").click()
    body = page.get_by_label("Nội dung").input_value()
    assert "đồng chí Ngô Thị Kim Oanh" in body and "Đồng chí Hồ Minh Khoa" in body
    screenshot(page, "meet", "07-article-draft")
    page.get_by_role("button", name="Lưu tin bài").click()
    page.get_by_role("link", name="Xem trước và đăng tin").click()
    assert page.locator(".publish-preview h1").inner_text() == meeting.title
    screenshot(page, "meet", "08-publish-preview")
    page.get_by_role("button", name="Xuất bản").click()
    page.wait_for_selector("text=Đã đăng tin")
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.PUBLISHED
