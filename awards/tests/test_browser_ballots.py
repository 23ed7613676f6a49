"""Ballots in Chromium, through the pages only (issue 11, "Tests"): the secretary creates an online
ballot on the bloc's nominations from the bloc-year page and opens it; three leaders vote; the
secretary closes it: the results and the vote-count record (PDF) show. Then a paper ballot for next
year's head: the secretary enters the counts, the board confirms them, the secretary closes it and
next year's bloc-year shows the head "chờ thông báo".

Only the data is set up without the pages: the world, its rule set, two nominations (made with
``make_nomination``) and the year-end meeting."""

import datetime

import pytest
from django.urls import reverse

from awards.models import Ballot, BallotState, NominationState
from awards.tests.helpers import ensure_templates
from awards.tests.yearend import make_nomination
from blocs.models import BlocYear
from core.models import IssuedDocument
from emulation_portal.testing import build_world, log_in, log_out, screenshot, wait_until_done
from meetings.models import Meeting, MeetingKind

pytestmark = pytest.mark.browser
FOLDER = "ballots"

NAMES = ["Sở Nội vụ", "Sở Tài chính", "Sở Giáo dục và Đào tạo", "Sở Văn hóa, Thể thao và Du lịch"]


@pytest.fixture
def live_world(transactional_db):
    from awards import services

    templates = ensure_templates()
    world = build_world()
    for agency, name in zip(world.agencies, NAMES, strict=True):
        agency.name = name
        agency.save(update_fields=["name"])
    template = templates["Nghị định 91/2017/NĐ-CP"]
    services.rule_set_copy(actor=world.board, rule_set=template, province=world.province,
                           name="Quy chế hoạt động Khối thi đua tỉnh Ninh Thuận", valid_from=template.valid_from,
                           valid_to=template.valid_to)
    world.flag = make_nomination(world, world.agencies[0], "co-ubnd-tinh", reason="Dẫn đầu Khối năm 2022.")
    world.merit = make_nomination(world, world.agencies[2], "bang-khen-chu-tich-tinh", reason="Hoàn thành xuất sắc nhiệm vụ 2022.")
    world.meeting = Meeting.objects.create(
        bloc_year=world.bloc_year, kind=MeetingKind.YEAR_END, venue="Hội trường tầng III, UBND tỉnh",
        starts_at=datetime.datetime(2022, 12, 20, 8, 0, tzinfo=datetime.UTC), chair_name="Nguyễn Văn A", chair_title="Giám đốc Sở Nội vụ",
    )
    return world


def vote_as(page, live_server, world, index, *, flag, merit):
    log_in(page, live_server, world.leaders[index].username)
    page.goto(live_server.url + world.bloc_year.get_absolute_url())
    page.locator("#blocyear-ballots").get_by_role("link", name="Bình xét, suy tôn năm 2022").click()
    page.locator("#ballot-actions").get_by_role("link", name="Bỏ phiếu").click()
    for question, agreed in ((world.flag, flag), (world.merit, merit)):
        row = page.locator("tr", has=page.get_by_role("rowheader", name=question.agency.name, exact=True))
        row.get_by_label("Đồng ý" if agreed else "Không đồng ý", exact=True).check()
    if index == 1:
        screenshot(page, FOLDER, "03-vote-form")
    page.get_by_role("button", name="Gửi phiếu bầu").click()
    page.locator(".alert-success", has_text="Đã ghi nhận phiếu").wait_for()
    log_out(page)


def test_online_ballot_then_paper_election(page, live_server, live_world):
    world = live_world
    page.set_viewport_size({"width": 1366, "height": 900})

    # 1. The secretary creates the online ballot from the bloc-year page (awards only) and opens it.
    log_in(page, live_server, "secretary")
    page.goto(live_server.url + world.bloc_year.get_absolute_url())
    page.locator("#blocyear-ballots").get_by_role("link", name="Tạo cuộc bỏ phiếu").click()
    assert page.get_by_label("Tên cuộc bỏ phiếu").input_value() == "Bình xét, suy tôn năm 2022"
    page.get_by_label("Bầu Trưởng khối năm sau").uncheck()
    page.get_by_label("Bầu Phó khối năm sau").uncheck()
    screenshot(page, FOLDER, "01-create")
    page.get_by_role("button", name="Tạo cuộc bỏ phiếu").click()
    page.locator(".alert-success", has_text="Đã tạo cuộc bỏ phiếu").wait_for()
    page.get_by_role("button", name="Mở bỏ phiếu").click()
    page.locator(".alert-success", has_text="Đã mở bỏ phiếu").wait_for()
    assert page.locator("#ballot-turnout").inner_text() == "0/4 đơn vị đã bỏ phiếu"
    assert "Với khối ít thành viên" in page.locator("#small-bloc-note").inner_text()
    screenshot(page, FOLDER, "02-opened")
    log_out(page)
    ballot = Ballot.objects.get(bloc_year=world.bloc_year)
    assert ballot.meeting == world.meeting and ballot.state == BallotState.OPEN

    # 2. Three leaders vote.
    vote_as(page, live_server, world, 1, flag=True, merit=True)
    vote_as(page, live_server, world, 2, flag=True, merit=False)
    vote_as(page, live_server, world, 3, flag=True, merit=True)

    # 3. The secretary sees who voted (never what), closes it: results and the record.
    log_in(page, live_server, "secretary")
    page.goto(live_server.url + ballot.get_absolute_url())
    assert page.locator("#ballot-turnout").inner_text() == "3/4 đơn vị đã bỏ phiếu"
    assert page.locator("#ballot-results").count() == 0 and page.locator("[data-yes]").count() == 0
    screenshot(page, FOLDER, "04-turnout")
    page.get_by_role("button", name="Kết thúc và kiểm phiếu").click()
    page.locator(".alert-success", has_text="Đã kết thúc và kiểm phiếu").wait_for()
    results = page.locator("#ballot-results")
    flag_row = results.locator("tr", has=page.get_by_role("rowheader", name=NAMES[0], exact=True))
    assert flag_row.locator("[data-yes]").inner_text() == "3" and "75,00 %" in flag_row.inner_text() and "Đạt" in flag_row.inner_text()
    merit_row = results.locator("tr", has=page.get_by_role("rowheader", name=NAMES[2], exact=True))
    assert merit_row.locator("[data-yes]").inner_text() == "2" and "Không đạt" in merit_row.inner_text()
    record_link = page.locator("#ballot-records a").first
    assert record_link.inner_text().strip().startswith("Biên bản kiểm phiếu – Bình xét, suy tôn năm 2022")
    screenshot(page, FOLDER, "05-results")
    world.flag.refresh_from_db()
    world.merit.refresh_from_db()
    assert (world.flag.state, world.merit.state) == (NominationState.VOTED, NominationState.NOT_PASSED)
    document = wait_until_done(IssuedDocument.objects.get(kind="awards.ballot_record", source_id=ballot.pk))
    assert document.is_ready
    record_link.click()
    page.get_by_text(document.code).first.wait_for()
    screenshot(page, FOLDER, "06-record-verify")

    # 4. A paper ballot for next year's head: the secretary creates, opens and enters the counts.
    page.goto(live_server.url + world.bloc_year.get_absolute_url())
    page.locator("#blocyear-ballots").get_by_role("link", name="Tạo cuộc bỏ phiếu").click()
    page.get_by_label("Tên cuộc bỏ phiếu").fill("Bầu Trưởng khối năm 2023")
    page.get_by_label("Bỏ phiếu giấy tại hội nghị (nhập kết quả kiểm phiếu)").check()
    page.get_by_label("Bầu Phó khối năm sau").uncheck()
    page.get_by_role("button", name="Tạo cuộc bỏ phiếu").click()
    page.get_by_role("button", name="Mở bỏ phiếu").click()
    page.locator(".alert-success", has_text="Đã mở bỏ phiếu").wait_for()
    page.get_by_role("link", name="Kết quả kiểm phiếu giấy").click()
    question = page.locator("fieldset").first
    for label, value in (("Phát ra", "4"), ("Thu về", "4"), ("Hợp lệ", "4"), ("Không hợp lệ", "0")):
        question.get_by_label(label, exact=True).fill(value)
    for name, value in zip(NAMES, ("1", "3", "0", "0"), strict=True):
        question.get_by_label(name, exact=True).fill(value)
    screenshot(page, FOLDER, "07-paper-entry")
    page.get_by_role("button", name="Lưu số liệu").click()
    page.locator(".alert-success", has_text="Đã lưu kết quả kiểm phiếu").wait_for()
    log_out(page)

    # 5. The board reads the first entry and confirms it.
    log_in(page, live_server, "board")
    paper = Ballot.objects.get(bloc_year=world.bloc_year, title="Bầu Trưởng khối năm 2023")
    page.goto(live_server.url + reverse("awards:ballot_paper", args=[paper.pk]))
    assert "Sở Tài chính" in page.locator("#paper-first").inner_text()
    screenshot(page, FOLDER, "08-paper-confirm")
    page.get_by_role("button", name="Xác nhận đúng số liệu lần thứ nhất").click()
    page.locator("#paper-agreed").wait_for()
    log_out(page)

    # 6. The secretary closes the paper ballot: Sở Tài chính heads the bloc next year, waiting for the notice.
    log_in(page, live_server, "secretary")
    page.goto(live_server.url + paper.get_absolute_url())
    page.get_by_role("button", name="Kết thúc và kiểm phiếu").click()
    page.locator(".alert-success", has_text="Đã kết thúc và kiểm phiếu").wait_for()
    elected = page.locator("#ballot-elected")
    assert "Trưởng khối năm sau: Sở Tài chính" in elected.inner_text() and "chờ thông báo" in elected.inner_text()
    screenshot(page, FOLDER, "09-paper-results")
    elected.get_by_role("link", name="– 2023").click()
    page.locator("#blocyear-notice-pending").wait_for()
    assert "Sở Tài chính" in page.locator("#blocyear-notice-pending").inner_text()
    screenshot(page, FOLDER, "10-next-year")
    assert BlocYear.objects.get(bloc=world.bloc, year=2023).head == world.agencies[1]
