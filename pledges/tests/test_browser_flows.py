"""In Chromium: nothing typed is lost when attaching, the confirmation before freezing with unanswered
comments, focus after a refused signature, the secretary picker's filter, the home page's year switch."""

import pytest
from django.urls import reverse

from blocs import services as bloc_services
from core.tests.upload_samples import make_pdf
from emulation_portal.testing import build_world, log_in, log_out, make_user, screenshot
from pledges import services
from pledges.tests.helpers import make_draft

pytestmark = pytest.mark.browser
SHOTS = "home"


@pytest.fixture
def world(transactional_db):
    return build_world(members=3)


def test_attach_keeps_typed_text_and_confirm_before_freezing(page, live_server, world, tmp_path):
    version = make_draft(world)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, world.secretary.username)
    page.goto(live_server.url + reverse("pledges:edit", args=[version.pk]))
    page.locator("#id_criteria-0-text").fill("Tiêu chí gõ rồi mới đính kèm")
    pdf = tmp_path / "ke-hoach.pdf"
    pdf.write_bytes(make_pdf())
    page.locator("#id_attachment-file").set_input_files(str(pdf))
    page.locator("#id_attachment-title").fill("Kế hoạch thi đua")
    page.locator("button[name=attach]").click()
    page.wait_for_url("**#attachments")
    assert page.locator("#id_criteria-0-text").input_value() == "Tiêu chí gõ rồi mới đính kèm"
    assert page.get_by_role("link", name="Kế hoạch thi đua").count() == 1
    ids = page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
    assert len(ids) == len(set(ids))
    screenshot(page, SHOTS, "1-edit-after-attach")

    services.review_open(actor=world.secretary, version=version)
    services.comment_add(actor=world.officer, version=version, body="Đề nghị làm rõ chỉ tiêu 2")
    page.goto(live_server.url + version.get_absolute_url())
    page.get_by_role("button", name="Chốt văn bản và mở ký").click()
    assert "Đề nghị làm rõ chỉ tiêu 2" in page.locator("#unanswered-comments").inner_text()
    screenshot(page, SHOTS, "2-confirm-unanswered")
    page.get_by_role("button", name="Vẫn chốt văn bản và mở ký").click()
    assert "Hãy đánh dấu xác nhận" in page.content()
    page.get_by_label("Tôi đã xem các góp ý chưa được trả lời").check()
    page.get_by_role("button", name="Vẫn chốt văn bản và mở ký").click()
    assert page.locator("#pledge-state").inner_text() == "Đang ký"
    screenshot(page, SHOTS, "3-signing-open")
    log_out(page)

    log_in(page, live_server, world.leader.username)
    page.goto(live_server.url + reverse("pledges:sign", args=[version.pk]))
    page.get_by_label("Họ tên người ký (in trên văn bản)").fill("")
    page.get_by_role("button", name="Ký giao ước").click()
    page.wait_for_load_state()
    focused = page.evaluate("document.activeElement.id")
    assert focused == "id_signer_name", focused
    screenshot(page, SHOTS, "4-sign-refused-focus")


def test_secretary_picker_filter_and_home_year_switch(page, live_server, world):
    for n in range(30):
        make_user(f"staff{n}", agency=world.agencies[1], full_name=f"Nguyễn Văn Cán Bộ {n:02d}")
    make_user("dang", agency=world.agencies[2], full_name="Đặng Thị Thư Ký")
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, world.board.username)
    page.goto(live_server.url + reverse("blocs:blocyear_edit", args=[world.bloc_year.pk]))
    labels = page.locator("#div_id_secretaries .form-check-label")
    assert labels.first.inner_text().startswith(world.secretary.get_full_name())
    page.locator("#secretaries-filter").fill("dang thi")
    visible = page.locator("#div_id_secretaries .form-check:visible")
    assert visible.count() == 2  # the match and the one already chosen
    page.get_by_label("Đặng Thị Thư Ký").check()
    screenshot(page, SHOTS, "5-secretary-picker")
    page.get_by_role("button", name="Lưu").click()
    assert "Đặng Thị Thư Ký" in page.content()
    log_out(page)

    version = make_draft(world)
    services.review_open(actor=world.secretary, version=version)
    services.signing_open(actor=world.secretary, version=version)
    bloc_services.bloc_year_copy(actor=world.board, source=world.bloc_year, year=2023)
    log_in(page, live_server, world.leader.username)
    switch = page.locator("#year-switch")
    assert switch.get_by_role("link", name="2022").get_attribute("aria-current") == "page"
    assert page.locator("#pledges-panel").get_by_text("Giao ước cần ký").count() == 1
    screenshot(page, SHOTS, "6-home-year-2022")
    switch.get_by_role("link", name="2023").click()
    assert page.locator("#pledges-panel").count() == 0
    screenshot(page, SHOTS, "7-home-year-2023")
