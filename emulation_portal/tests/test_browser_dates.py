"""In an English browser (which shows a type="date" box as mm/dd/yyyy), dates are still typed and
shown as dd/mm/yyyy, and the right day is saved."""

import datetime

import pytest
from django.urls import reverse

from blocs.models import AgencyStatus
from emulation_portal.testing import build_world, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    return build_world()


@pytest.fixture
def english_page(browser):
    context = browser.new_context(locale="en-US", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_an_english_browser_types_and_sees_dates_as_dd_mm_yyyy(english_page, live_server, live_world):
    page, agency = english_page, live_world.agencies[3]
    assert page.evaluate("navigator.language") == "en-US"
    log_in(page, live_server, "board")
    page.goto(live_server.url + reverse("blocs:agency_edit", args=[agency.pk]))
    box = page.locator("#id_status_date")
    assert box.get_attribute("type") == "text" and box.get_attribute("placeholder") == "dd/mm/yyyy"
    assert box.get_attribute("inputmode") == "numeric"

    page.locator("#id_status").select_option(AgencyStatus.DISSOLVED)
    box.fill("31/06/2025")  # June has 30 days
    page.get_by_role("button", name="Lưu").click()
    assert page.get_by_text("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 05/02/2022.").is_visible()
    assert page.locator("#id_status_date").input_value() == "31/06/2025"  # what was typed stays
    screenshot(page, "a11y", "date-en-us-invalid")

    page.locator("#id_status_date").fill("01/07/2025")  # an English reading would be January 7th
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(lambda url: "/edit/" not in url)
    agency.refresh_from_db()
    assert (agency.status, agency.status_date) == (AgencyStatus.DISSOLVED, datetime.date(2025, 7, 1))

    page.goto(live_server.url + reverse("blocs:agency_edit", args=[agency.pk]))
    assert page.locator("#id_status_date").input_value() == "01/07/2025"
    screenshot(page, "a11y", "date-en-us-saved")


def test_meeting_date_and_times_in_an_english_browser(english_page, live_server, live_world):
    """The schedule form's date is dd/mm/yyyy; its times are typed on 24 hours, never AM/PM."""
    page = english_page
    log_in(page, live_server, "secretary")
    page.goto(live_server.url + reverse("meetings:create", args=[live_world.bloc_year.pk]))
    date_box = page.get_by_label("Ngày họp")
    assert date_box.get_attribute("type") == "text" and date_box.get_attribute("placeholder") == "dd/mm/yyyy"
    date_box.fill("17/06/2022")
    for label in ("Giờ bắt đầu", "Giờ kết thúc"):
        box = page.get_by_label(label)
        assert box.get_attribute("type") == "text" and box.get_attribute("placeholder") == "hh:mm"
    page.get_by_label("Giờ bắt đầu").fill("14:30")
    screenshot(page, "a11y", "date-en-us-schedule")
    assert page.get_by_label("Giờ bắt đầu").input_value() == "14:30"  # no AM/PM box to fight with
