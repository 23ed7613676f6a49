"""In Chromium against the live server: a secretary drafts and opens signing, two leaders sign, the PDF appears."""

import subprocess

import pytest
from django.urls import reverse

from blocs.models import Agency, User
from core.models import IssuedDocument
from emulation_portal.testing import SHOTS, build_world, log_in, log_out, screenshot

pytestmark = pytest.mark.browser



@pytest.fixture
def two_member_world(transactional_db):
    world = build_world(members=2)
    for agency, leader, (name, person) in zip(
        world.agencies, world.leaders, [("Sở Xây dựng", "Phạm Quốc Hùng"), ("Sở Công thương", "Nguyễn Thị Thu Hà")], strict=True
    ):
        Agency.objects.filter(pk=agency.pk).update(name=name, leader_name=person)
        User.objects.filter(pk=leader.pk).update(full_name=person)
    return world





CRITERIA = [
    ("Hoàn thành xuất sắc nhiệm vụ chính trị được giao năm 2022", "40"),
    ("Đẩy mạnh cải cách hành chính, chuyển đổi số", "30"),
    ("Thực hiện tốt công tác thi đua, khen thưởng của Khối", "30"),
]


def test_draft_sign_by_two_leaders_and_verify(page, live_server, two_member_world):
    world = two_member_world
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 1280, "height": 900})

    log_in(page, live_server, world.secretary.username)
    page.get_by_role("link", name="Giao ước", exact=True).click()
    page.locator("#creatable a").first.click()
    page.locator("#id_doc_number").fill("48/BKK-KTĐ3")
    page.locator("#id_date").fill("2022-02-28")
    page.locator("#id_preamble").fill("Thực hiện Chỉ thị số 02/CT-UBND ngày 10/01/2022 của Chủ tịch UBND tỉnh.")
    page.get_by_role("button", name="Tạo dự thảo").click()
    for i, (text, points) in enumerate(CRITERIA[:2]):
        page.locator(f"#id_criteria-{i}-text").fill(text)
        page.locator(f"#id_criteria-{i}-max_points").fill(points)
    page.get_by_role("button", name="Lưu và thêm dòng").click()
    page.locator("#id_criteria-2-text").fill(CRITERIA[2][0])
    page.locator("#id_criteria-2-max_points").fill(CRITERIA[2][1])
    screenshot(page, "pledges", "1-edit")
    page.get_by_role("button", name="Lưu dự thảo").click()
    page.get_by_role("button", name="Gửi lấy ý kiến").click()
    page.get_by_role("button", name="Chốt văn bản và mở ký").click()
    assert page.locator("#pledge-state").inner_text() == "Đang ký"
    for text, _points in CRITERIA:
        assert page.get_by_text(text).count() >= 1
    screenshot(page, "pledges", "2-signing-open")
    log_out(page)

    for n, leader in enumerate(world.leaders, start=1):
        log_in(page, live_server, leader.username)
        page.locator("#pledges-panel").get_by_role("link").first.click()
        page.get_by_label("Tôi đã đọc toàn văn giao ước ở trên và ký thay mặt đơn vị.").check()
        if n == 1:
            screenshot(page, "pledges", "3-sign-form")
        page.get_by_role("button", name="Ký giao ước").click()
        assert page.locator("#signed-count").inner_text() == f"{n}/2"
        screenshot(page, "pledges", f"4-signed-by-{n}")
        if n < len(world.leaders):
            log_out(page)

    pdf_link = page.locator("#pdf-link")
    pdf_link.wait_for()
    assert page.locator("#pledge-state").inner_text() == "Đã ký"
    document = IssuedDocument.objects.get(kind="pledge")
    page.get_by_role("link", name="Trang kiểm tra").click()
    page.wait_for_url(live_server.url + reverse("verify", args=[document.code]))
    body = page.locator("main").inner_text()
    for name in ("Phạm Quốc Hùng", "Nguyễn Thị Thu Hà", "Sở Xây dựng", "Sở Công thương"):
        assert name in body
    assert document.sha256 in body
    screenshot(page, "pledges", "5-verify")

    with document.file.open("rb") as handle:
        pdf = handle.read()
    (SHOTS / "pledges").mkdir(parents=True, exist_ok=True)
    (SHOTS / "pledges" / "pledge.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(SHOTS / "pledges" / "pledge.pdf"), str(SHOTS / "pledges" / "pdf")], check=True)  # noqa: S603, S607
