"""In Chromium: a leader opens the link in the reminder mail, logs in, signs, and the item leaves "Việc cần làm";
the secretary sees who was reminded; the settings link of the mail works without logging in."""

import re

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from core.reminders import reminders_sweep
from emulation_portal.testing import PASSWORD, build_world, log_in, log_out, screenshot
from pledges.tests.helpers import make_signing

pytestmark = pytest.mark.browser


def test_leader_follows_the_mail_signs_and_the_item_goes(page, live_server, transactional_db, settings):
    settings.SITE_URL = live_server.url
    world = build_world(members=2)
    version = make_signing(world)
    with TestCase.captureOnCommitCallbacks(execute=True):
        reminders_sweep()
    message = next(m for m in mail.outbox if m.to == [world.leader.email])
    link = re.search(r"Mở trang để thực hiện: (\S+)", message.body).group(1)
    settings_link = re.search(r"Cài đặt thông báo: (\S+)", message.body).group(1)
    assert link == live_server.url + reverse("pledges:sign", args=[version.pk])

    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(settings_link)  # no login needed
    page.get_by_role("button", name="Lưu cài đặt").wait_for()
    screenshot(page, "reminders", "1-settings-from-the-mail")

    page.goto(link)  # not logged in: the login page, then back to the sign page
    page.get_by_label("Tên đăng nhập").fill(world.leader.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(link)
    screenshot(page, "reminders", "2-sign-page-from-the-mail")
    page.goto(live_server.url + reverse("home"))
    todo = page.locator("#todo-panel")
    assert "Ký giao ước thi đua" in todo.inner_text()
    screenshot(page, "reminders", "3-todo-before")

    page.goto(link)
    page.get_by_label("Tôi đã đọc toàn văn giao ước ở trên và ký thay mặt đơn vị.").check()
    page.get_by_role("button", name="Ký giao ước").click()
    page.locator("#signed-count").wait_for()
    page.goto(live_server.url + reverse("home"))
    assert "Ký giao ước thi đua" not in todo.inner_text()
    assert page.locator("#todo-empty").is_visible()
    screenshot(page, "reminders", "4-todo-after-signing")
    log_out(page)

    log_in(page, live_server, world.secretary.username)
    page.goto(live_server.url + reverse("pledges:detail", args=[version.pk]))
    page.locator("#reminders-link").click()
    rows = page.locator("#reminder-history tbody tr")
    assert rows.count() == 2 and "Đã gửi" in rows.first.inner_text()
    page.get_by_role("button", name="Nhắc ngay").click()
    assert "Đã gửi nhắc việc tới 1 người" in page.locator("main").inner_text()
    screenshot(page, "reminders", "5-history-and-remind-now")
