"""The whole year-end scoring in Chromium, through the pages only (issue 10, "Tests"): the secretary
opens scoring from the bloc-year page; the officer fills the agency's sheet with evidence and sends
it; the leader approves it; the secretary adjusts one line with a reason and queries another; the
officer answers the question with text and evidence; the secretary accepts the answer and the rest,
publishes the draft ranking; a member objects; the secretary answers and freezes. Then the score
table, its .xlsx (opened with openpyxl) and the frozen PDF (read with pdftotext) agree.

Only the data is set up without the pages: the world, its signed pledge (100 points over three
criteria) and the three other agencies' sheets, filled and approved through the sheet services.
The head agency's sheet is accepted straight on the model to keep the walk short: its own secretary
may not check it (nobody checks their own agency); the deputy agency does (``awards.check_sheet``,
tested in test_scoring_factories)."""

import hashlib
import io
import shutil
import subprocess
import unicodedata
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import LineState, RoundState, ScoreLine, ScoreSheet, ScoringRound, SheetState
from awards.scoring import sheets as sheet_services
from awards.tests.helpers import ensure_templates
from awards.tests.scoring import accept_all, fill, signed_pledge
from core.models import IssuedDocument, JobStatus
from core.tests.upload_samples import make_pdf
from emulation_portal.testing import SHOTS, build_world, log_in, log_out, screenshot, wait_until_done

pytestmark = pytest.mark.browser
FOLDER = "e2e"

NAMES = ["Sở Nội vụ", "Sở Tài nguyên và Môi trường", "Sở Giáo dục và Đào tạo", "Sở Văn hóa, Thể thao và Du lịch"]
CRITERIA = [
    {"group": "I. Thực hiện nhiệm vụ chính trị", "max_points": D("40"), "target": "100 % chỉ tiêu",
     "text": "Hoàn thành xuất sắc nhiệm vụ chính trị được giao, góp phần thực hiện thắng lợi các chỉ tiêu kinh tế - xã hội"},
    {"group": "I. Thực hiện nhiệm vụ chính trị", "max_points": D("35"), "target": "",
     "text": "Đẩy mạnh cải cách hành chính gắn với phát triển chính quyền điện tử"},
    {"group": "II. Công tác thi đua, khen thưởng", "max_points": D("25"), "target": "",
     "text": "Tổ chức triển khai thực hiện tốt công tác thi đua, khen thưởng; phát hiện, bồi dưỡng điển hình tiên tiến"},
]
# The other agencies claim this share of each maximum (rounded down to 0.25); all accepted as claimed.
RATIOS = {0: D("0.98"), 1: D("0.9"), 3: D("0.8")}
# Expected after checking: (total, band, rank). Officer's agency (2): 36 + 33 + 24,25 + 1,5 bonus.
EXPECTED = {
    NAMES[0]: (D("97.75"), "Hoàn thành xuất sắc nhiệm vụ", 1),
    NAMES[2]: (D("94.75"), "Hoàn thành tốt nhiệm vụ", 2),
    NAMES[1]: (D("90"), "Hoàn thành tốt nhiệm vụ", 3),
    NAMES[3]: (D("80"), "Hoàn thành nhiệm vụ", 4),
}


def number(text):
    """A number as the pages show it (Vietnamese: decimal comma, dot for thousands)."""
    return D(text.strip().replace(".", "").replace(",", "."))


def nfc(text):
    return unicodedata.normalize("NFC", text)


@pytest.fixture
def live_world(transactional_db):
    from awards import services

    templates = ensure_templates()
    world = build_world()
    for agency, name in zip(world.agencies, NAMES, strict=True):
        agency.name = name
        agency.save(update_fields=["name"])
    template = templates["Nghị định 91/2017/NĐ-CP"]
    services.rule_set_copy(actor=world.board, rule_set=template, province=world.province, name="Quy chế hoạt động Khối thi đua tỉnh Ninh Thuận",
                           valid_from=template.valid_from, valid_to=template.valid_to)
    signed_pledge(world, criteria=CRITERIA)
    return world


def sheet_of(world, index):
    return ScoreSheet.objects.get(round__bloc_year=world.bloc_year, agency=world.agencies[index])


def table_rows(page):
    """{agency: (total, band, rank)} as the score table shows them."""
    rows = {}
    for row in page.locator("#score-table tbody tr").all():
        cells = row.locator("td")
        band = cells.last.inner_text().split("(")[0].strip()
        rows[row.get_attribute("data-agency")] = (number(row.locator("td[data-total]").inner_text()), band,
                                                   int(cells.first.inner_text().split()[0]))
    return rows


def test_whole_year_end_scoring(page, live_server, live_world):
    world = live_world
    officer_agency = world.agencies[2]
    page.set_viewport_size({"width": 1366, "height": 900})

    # 1. The secretary opens scoring from the bloc-year page, the secretary checking alone.
    log_in(page, live_server, "secretary")
    page.goto(live_server.url + world.bloc_year.get_absolute_url())
    page.locator("#blocyear-scoring").get_by_role("link", name="Mở chấm điểm").click()
    page.get_by_label("Hạn tự chấm điểm").fill("30/11/2022")
    page.get_by_label("Thư ký khối kiểm tra").check()
    page.get_by_role("button", name="Mở chấm điểm").click()
    page.get_by_text("Đã mở chấm điểm").wait_for()
    assert page.locator("#round-sheets tbody tr").count() == len(world.agencies)
    screenshot(page, FOLDER, "01-round-opened")
    log_out(page)
    scoring = ScoringRound.objects.get(bloc_year=world.bloc_year)
    assert scoring.check_mode == "secretary"

    # The other agencies fill, send and approve their sheets through the services (to save time).
    for index, ratio in RATIOS.items():
        leader, sheet = world.leaders[index], sheet_of(world, index)
        fill(sheet, ratio=ratio)
        sheet = sheet_services.sheet_send(actor=leader, sheet=sheet)
        sheet_services.sheet_approve(actor=leader, sheet=sheet)

    # 2. The officer fills the agency's sheet with evidence and a bonus line, and sends it.
    log_in(page, live_server, "officer")
    page.goto(live_server.url + world.bloc_year.get_absolute_url())
    page.locator("#blocyear-scoring").get_by_role("link", name="Chấm điểm").click()
    own_row = page.locator("#round-sheets tbody tr").filter(has=page.get_by_role("rowheader", name=officer_agency.name, exact=True))
    own_row.get_by_role("link", name="Xem phiếu").click()
    page.get_by_role("link", name="Sửa phiếu").click()
    rows = page.locator("#sheet-lines tbody tr")
    rows.nth(0).get_by_label("Kết quả đạt được").fill("Hoàn thành 100 % chỉ tiêu kinh tế - xã hội được giao.")
    rows.nth(0).get_by_label("Số liệu đạt được").fill("100")
    rows.nth(0).get_by_label("Điểm tự chấm").fill("38,5")
    rows.nth(0).locator('input[type="file"]').set_input_files(
        files=[{"name": "Báo cáo tổng kết năm 2022.pdf", "mimeType": "application/pdf", "buffer": make_pdf()}]
    )
    missing = page.locator('#sheet-totals [data-total="missing"]')
    assert missing.inner_text() == "Còn 2 tiêu chí chưa chấm"  # follows what is typed
    rows.nth(1).get_by_label("Kết quả đạt được").fill("Chỉ số cải cách hành chính tăng 3 bậc.")
    rows.nth(1).get_by_label("Điểm tự chấm").fill("33")
    rows.nth(2).get_by_label("Kết quả đạt được").fill("Có 2 điển hình tiên tiến được tỉnh biểu dương.")
    rows.nth(2).get_by_label("Điểm tự chấm").fill("24,25")
    bonus = page.locator('[data-extra="bonus"] tbody tr').first
    bonus.get_by_label("Lý do").fill("Giải Nhất Hội thi cải cách hành chính tỉnh")
    bonus.get_by_label("Điểm").fill("1,5")
    assert page.locator("[data-total=total]").inner_text() == "97,25"
    assert missing.is_hidden()
    screenshot(page, FOLDER, "02-sheet-filled")
    page.get_by_role("button", name="Lưu và trình lãnh đạo").click()
    page.get_by_text("Đã lưu và trình lãnh đạo").wait_for()
    assert "Báo cáo tổng kết năm 2022.pdf" in page.locator("#sheet-lines").inner_text()
    log_out(page)

    # 3. The agency's leader approves it from the notification.
    log_in(page, live_server, world.leaders[2].username)
    page.goto(live_server.url + reverse("notifications"))
    page.get_by_role("link", name=f"Phiếu tự chấm điểm của {officer_agency.name} chờ đồng chí duyệt").first.click()
    page.get_by_role("button", name="Duyệt và gửi khối").click()
    page.get_by_text("Đã duyệt và gửi phiếu").wait_for()
    assert page.locator("#sheet-state").inner_text() == "Đã gửi khối"
    screenshot(page, FOLDER, "03-approved")
    log_out(page)
    sheet = sheet_of(world, 2)
    assert sheet.state == SheetState.SUBMITTED
    first, second, third = sheet.lines.filter(criterion__isnull=False).order_by("position")

    # 4. The secretary checks: adjusts line 1 with a reason, asks for evidence on line 2.
    log_in(page, live_server, "secretary")
    page.goto(live_server.url + scoring.get_absolute_url())
    page.locator("#check-panel").get_by_role("link", name="Phiếu cần kiểm tra").click()
    page.locator(f"#sheet-{sheet.pk}").get_by_role("link", name="Kiểm tra").click()
    page.get_by_role("heading", name=f"Kiểm tra phiếu chấm điểm của {officer_agency.name}").wait_for()
    line = page.locator(f"#line-{first.pk}")
    line.get_by_text("Điều chỉnh điểm…").click()
    line.get_by_label("Điểm kiểm tra").fill("36")
    line.get_by_label("Lý do điều chỉnh").fill("Thu ngân sách đạt 92 % kế hoạch, chưa đạt 100 % như đăng ký.")
    line.get_by_role("button", name="Lưu điều chỉnh").click()
    line = page.locator(f"#line-{first.pk}")
    line.get_by_text("Đã điều chỉnh điểm dòng").wait_for()
    assert "\u22122,5" in line.locator(".difference").inner_text()
    line = page.locator(f"#line-{second.pk}")
    line.get_by_text("Yêu cầu bổ sung minh chứng…").click()
    line.get_by_label("Nội dung cần đơn vị bổ sung, giải trình").fill("Đề nghị gửi kế hoạch cải cách hành chính năm 2022 đã ký.")
    line.get_by_role("button", name="Gửi yêu cầu tới đơn vị").click()
    line = page.locator(f"#line-{second.pk}")
    line.get_by_text("Đã gửi yêu cầu bổ sung minh chứng").wait_for()
    screenshot(page, FOLDER, "04-adjusted-and-queried")
    log_out(page)

    # 5. The officer answers the question on the sheet page, with text and evidence.
    log_in(page, live_server, "officer")
    page.goto(live_server.url + world.bloc_year.get_absolute_url())
    page.locator("#blocyear-scoring").get_by_role("link", name="Chấm điểm").click()
    own_row = page.locator("#round-sheets tbody tr").filter(has=page.get_by_role("rowheader", name=officer_agency.name, exact=True))
    own_row.get_by_role("link", name="Xem phiếu").click()
    query = page.locator(f"#line-{second.pk} + tr")
    assert "kế hoạch cải cách hành chính năm 2022" in query.inner_text()
    query.get_by_label("Trả lời của đơn vị").fill("Đơn vị gửi Kế hoạch số 15/KH-SGDĐT ngày 20/01/2022 đã ký.")
    query.get_by_label("Minh chứng bổ sung").set_input_files(
        files=[{"name": "Kế hoạch CCHC 2022.pdf", "mimeType": "application/pdf", "buffer": make_pdf()}]
    )
    query.get_by_role("button", name="Trả lời và gửi lại").click()
    page.get_by_text("Đã gửi trả lời và minh chứng bổ sung cho người kiểm tra.").wait_for()
    assert "Kế hoạch CCHC 2022.pdf" in page.locator(f"#line-{second.pk}").inner_text()
    screenshot(page, FOLDER, "05-answered")
    log_out(page)

    # 6. The secretary accepts the answered line and the rest of this sheet and of the others.
    log_in(page, live_server, "secretary")
    page.goto(live_server.url + reverse("awards:check_queue"))
    page.locator(f"#sheet-{sheet.pk}").get_by_role("link", name="Kiểm tra").click()
    line = page.locator(f"#line-{second.pk}")
    assert "Kế hoạch số 15/KH-SGDĐT" in line.locator(".line-answer").inner_text()
    assert "Kế hoạch CCHC 2022.pdf" in line.inner_text()
    line.get_by_role("button", name="Chấp nhận (33)").click()
    page.locator(f"#line-{second.pk}").get_by_text("Đã chấp nhận").first.wait_for()
    page.get_by_role("button", name="Chấp nhận tất cả dòng còn lại").click()
    page.get_by_text("Đã chấp nhận 2 dòng còn lại.").wait_for()
    assert page.locator("#totals-current").inner_text().split()[-1] == "94,75"
    screenshot(page, FOLDER, "06-sheet-checked")
    for index in (1, 3):
        page.goto(live_server.url + reverse("awards:check_queue"))
        page.locator(f"#sheet-{sheet_of(world, index).pk}").get_by_role("link", name="Kiểm tra").click()
        page.get_by_role("button", name="Chấp nhận tất cả dòng còn lại").click()
        page.get_by_text("Đã chấp nhận 3 dòng còn lại.").wait_for()
    assert set(ScoreLine.objects.filter(sheet=sheet).values_list("check_state", flat=True)) == {LineState.ACCEPTED, LineState.ADJUSTED}
    accept_all(sheet_of(world, 0), world.secretary)  # the head agency's own sheet: see the module's docstring

    # 7. The secretary publishes the draft ranking.
    page.goto(live_server.url + scoring.get_absolute_url())
    page.get_by_role("link", name="Bảng tổng hợp kết quả chấm điểm").first.click()
    page.get_by_role("heading", name="Bảng tổng hợp kết quả chấm điểm").wait_for()
    page.get_by_role("button", name="Công bố kết quả dự kiến").click()
    page.locator(".alert-success", has_text="Đã công bố kết quả dự kiến").wait_for()
    screenshot(page, FOLDER, "07-published")
    log_out(page)

    # 8. A member objects.
    log_in(page, live_server, world.leaders[3].username)
    page.goto(live_server.url + reverse("notifications"))
    page.get_by_role("link", name="Kết quả chấm điểm dự kiến").first.click()
    page.get_by_label("Góp ý về kết quả dự kiến").fill("Đề nghị Khối xem lại điểm tiêu chí 3 của Sở Văn hóa, Thể thao và Du lịch.")
    page.get_by_role("button", name="Gửi góp ý").click()
    page.locator(".alert-success", has_text="Đã gửi góp ý").wait_for()
    screenshot(page, FOLDER, "08-objected")
    log_out(page)

    # 9. The secretary answers and freezes.
    log_in(page, live_server, "secretary")
    page.goto(live_server.url + reverse("awards:score_table", args=[scoring.pk]))
    assert page.get_by_role("button", name="Chốt kết quả").count() == 0
    page.get_by_label("Trả lời góp ý").fill("Khối đã xem lại minh chứng tiêu chí 3; giữ nguyên điểm.")
    page.get_by_role("button", name="Trả lời", exact=True).click()
    page.locator(".alert-success", has_text="Đã trả lời góp ý").wait_for()
    page.get_by_role("button", name="Chốt kết quả").click()
    page.locator(".alert-success", has_text="Đã chốt kết quả").wait_for()
    assert "Đã chốt kết quả" in page.locator("#round-state").inner_text()
    scoring.refresh_from_db()
    assert scoring.state == RoundState.FROZEN

    # 10. The score table: every agency with its total, band and rank.
    shown = table_rows(page)
    assert shown == EXPECTED
    officer_row = page.locator(f'#score-table tbody tr[data-agency="{officer_agency.name}"]')
    assert "38,50 / 36,00" in officer_row.inner_text()  # claimed / checked on the adjusted line
    screenshot(page, FOLDER, "09-frozen-table")

    # 11. The .xlsx has the same totals as the page.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải .xlsx").click()
    with open(download_info.value.path(), "rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()), read_only=True)
    cells = list(workbook.active.iter_rows(values_only=True))
    header = cells[6]
    got = {row[1]: D(str(row[header.index("Tổng điểm")])) for row in cells[7:7 + len(world.agencies)]}
    assert got == {name: total for name, (total, _band, _rank) in shown.items()}

    # 12. The frozen PDF, from its verify page: every agency's name, diacritics intact.
    document = wait_until_done(IssuedDocument.objects.get(kind="score_table"))
    assert document.status == JobStatus.DONE, document.error
    page.goto(live_server.url + reverse("awards:score_table", args=[scoring.pk]))
    page.get_by_role("link", name="Bản PDF đã chốt").click()
    page.wait_for_url(live_server.url + reverse("verify", args=[document.code]))
    summary = page.locator("main").inner_text()
    for name, (total, band, rank) in EXPECTED.items():
        shown_total = f"{total:.2f}".replace(".", ",")
        assert f"{rank}. {name}: {shown_total} ({band})" in summary  # decimal comma, as on every other page
    screenshot(page, FOLDER, "10-verify")
    # Chromium shows an inline PDF in its viewer instead of downloading it: fetch the link's target.
    response = page.request.get(live_server.url + page.get_by_role("link", name="Tải văn bản gốc").get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert hashlib.sha256(pdf).hexdigest() == document.sha256 == page.locator("#file-sha256").inner_text().strip()
    pdf_path = SHOTS / FOLDER / "score-table.pdf"
    pdf_path.write_bytes(pdf)
    text = subprocess.run([shutil.which("pdftotext") or "/usr/bin/pdftotext", "-enc", "UTF-8", str(pdf_path), "-"],  # noqa: S603
                          capture_output=True, check=True, text=True).stdout
    flat = " ".join(nfc(text).split())
    for name in NAMES:
        assert nfc(name) in flat, name
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf_path), str(SHOTS / FOLDER / "11-pdf")], check=True)  # noqa: S603, S607
