"""In Chromium: the secretary opens the queue, checks a sheet line by line: an adjustment refused
without a reason (what was typed stays), then saved with one; a question sent to the agency on
another line; the rest accepted at once. Then the same page without JavaScript."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import LineKind, LineState, ScoreLine, ScoreSheet
from awards.tests.helpers import ensure_templates
from awards.tests.scoring import fill, make_round, submit
from core.models import Notification
from emulation_portal.testing import build_world, log_in, screenshot

pytestmark = pytest.mark.browser
SHOTS = "checking"


@pytest.fixture
def live_round(transactional_db):
    ensure_templates()
    world = build_world()
    scoring = make_round(world)
    for minutes, sheet in enumerate(scoring.sheets.order_by("pk")):
        submit(fill(sheet), leader=world.leaders[minutes])
        ScoreSheet.objects.filter(pk=sheet.pk).update(submitted_at=timezone.now() - datetime.timedelta(minutes=10 * minutes))
    return world, scoring


def test_checker_adjusts_one_line_and_queries_another(page, live_server, live_round):
    world, scoring = live_round
    sheet = ScoreSheet.objects.get(round=scoring, agency=world.agencies[2])
    first, second, third = sheet.lines.order_by("position")
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "secretary")
    page.goto(live_server.url + reverse("awards:check_queue"))
    page.get_by_role("heading", name="Phiếu cần kiểm tra").wait_for()
    assert page.locator(f"#sheet-{ScoreSheet.objects.get(round=scoring, agency=world.agencies[0]).pk}").count() == 0
    screenshot(page, SHOTS, "01-queue")

    page.locator(f"#sheet-{sheet.pk}").get_by_role("link", name="Kiểm tra").click()
    page.get_by_role("heading", name=f"Kiểm tra phiếu chấm điểm của {world.agencies[2].name}").wait_for()
    screenshot(page, SHOTS, "02-sheet")

    line = page.locator(f"#line-{first.pk}")
    line.get_by_text("Điều chỉnh điểm…").click()
    line.get_by_label("Điểm kiểm tra").fill("24,5")
    line.get_by_role("button", name="Lưu điều chỉnh").click()
    line = page.locator(f"#line-{first.pk}")
    line.get_by_text("Hãy ghi lý do điều chỉnh điểm.").wait_for()
    assert line.get_by_label("Điểm kiểm tra").input_value() == "24,5"  # nothing typed is lost
    screenshot(page, SHOTS, "03-adjust-refused")
    line.get_by_label("Lý do điều chỉnh").fill("Chỉ tiêu thu ngân sách đạt 92 %, chưa đạt 100 % như đăng ký.")
    line.get_by_role("button", name="Lưu điều chỉnh").click()
    line = page.locator(f"#line-{first.pk}")
    line.get_by_text("Đã điều chỉnh điểm dòng").wait_for()
    assert "\u22122,5" in line.locator(".difference").inner_text()
    assert page.locator("#totals-current").inner_text().split()[-1] == "56"  # 27 + 18 + 13,5 − 2,5
    screenshot(page, SHOTS, "04-adjusted")

    line = page.locator(f"#line-{second.pk}")
    line.get_by_text("Yêu cầu bổ sung minh chứng…").click()
    line.get_by_label("Nội dung cần đơn vị bổ sung, giải trình").fill("Đề nghị gửi kế hoạch cải cách hành chính năm 2022 đã ký.")
    line.get_by_role("button", name="Gửi yêu cầu tới đơn vị").click()
    line = page.locator(f"#line-{second.pk}")
    line.get_by_text("Đã gửi yêu cầu bổ sung minh chứng").wait_for()
    assert "Yêu cầu bổ sung minh chứng" in line.locator(".check-state").inner_text()
    assert line.get_by_role("button", name="Chấp nhận").count() == 0
    screenshot(page, SHOTS, "05-queried")

    page.get_by_role("button", name="Chấp nhận tất cả dòng còn lại").click()
    page.get_by_text("Đã chấp nhận 1 dòng còn lại.").wait_for()
    screenshot(page, SHOTS, "06-rest-accepted")

    assert page.locator(f"#line-{third.pk}").get_by_role("button", name="Chấp nhận").count() == 0  # accepted: nothing to accept

    page.goto(live_server.url + reverse("awards:round_detail", args=[scoring.pk]))
    panel = page.locator("#check-panel")
    panel.wait_for()
    assert "Chờ kiểm tra: 6" in panel.inner_text() and "Chờ đơn vị bổ sung: 1" in panel.inner_text()
    screenshot(page, SHOTS, "07-round-panel")

    states = dict(ScoreLine.objects.filter(sheet=sheet).values_list("pk", "check_state"))
    assert states == {first.pk: LineState.ADJUSTED, second.pk: LineState.QUERIED, third.pk: LineState.ACCEPTED}
    assert Notification.objects.filter(user=world.officer, message__contains="kế hoạch cải cách hành chính").count() == 1


@pytest.mark.parametrize("browser_context_args", [{"java_script_enabled": False, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}])
def test_checking_works_without_javascript(page, live_server, live_round, browser_context_args):
    world, scoring = live_round
    sheet = ScoreSheet.objects.get(round=scoring, agency=world.agencies[1])
    first = sheet.lines.order_by("position").first()
    ScoreLine.objects.create(sheet=sheet, kind=LineKind.BONUS, claimed_points=2, reason="Giải nhất Hội thi cải cách hành chính tỉnh", position=1)
    ScoreLine.objects.create(sheet=sheet, kind=LineKind.PENALTY, claimed_points=1, reason="Chậm gửi báo cáo quý III", position=2)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "secretary")
    page.goto(live_server.url + reverse("awards:sheet_check", args=[sheet.pk]))
    line = page.locator(f"#line-{first.pk}")
    line.get_by_text("Điều chỉnh điểm…").click()
    line.get_by_label("Điểm kiểm tra").fill("31")
    line.get_by_label("Lý do điều chỉnh").fill("Thử vượt mức")
    line.get_by_role("button", name="Lưu điều chỉnh").click()
    page.get_by_text("Điểm của tiêu chí này từ 0 đến 30.").wait_for()
    line = page.locator(f"#line-{first.pk}")
    assert line.get_by_label("Lý do điều chỉnh").input_value() == "Thử vượt mức"
    screenshot(page, SHOTS, "08-nojs-refused")
    line.get_by_label("Điểm kiểm tra").fill("29,75")
    line.get_by_role("button", name="Lưu điều chỉnh").click()
    page.get_by_text("Đã điều chỉnh điểm dòng").wait_for()
    assert page.url.endswith(f"#line-{first.pk}")
    assert page.locator("#totals-current").inner_text().split()[-1] == "62,25"  # 29,75 + 18 + 13,5 + 2 − 1
    screenshot(page, SHOTS, "09-nojs-adjusted")
