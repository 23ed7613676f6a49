"""In Chromium: the secretary uploads the achievement reports and submits the dossier; the board
receives it, returns one nomination and approves the other; the secretary fixes the returned one
and sends it back; the board approves it and records the decision; the agency's award history
shows it and the public page lists it. The ballot is a real one: members vote, the secretary's
close counts it, issues the vote-count record and marks the nominations voted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.ballots import services as ballots
from awards.decisions import dossier as dossiers
from awards.models import AwardRecord, BallotQuestion, Dossier, DossierState, NominationState, QuestionKind
from awards.tests.helpers import ensure_templates
from awards.tests.test_dossier_world import JUSTIFICATION, score_table, year_end_minutes
from awards.tests.yearend import make_ballot, make_nomination
from core.tests.upload_samples import make_pdf
from emulation_portal.testing import build_world, log_in, log_out, screenshot

pytestmark = pytest.mark.browser
SHOTS = "decisions"


@pytest.fixture
def live_world(transactional_db):
    from awards import services

    templates = ensure_templates()
    world = build_world()
    template = templates["Nghị định 91/2017/NĐ-CP"]
    services.rule_set_copy(
        actor=world.board,
        rule_set=template,
        province=world.province,
        name="Quy chế hoạt động Khối thi đua tỉnh Ninh Thuận",
        valid_from=template.valid_from,
        valid_to=template.valid_to,
    )
    score_table(world)
    nominations = [
        make_nomination(
            world,
            world.agencies[0],
            "co-ubnd-tinh",
            justification=JUSTIFICATION,
            reason="Dẫn đầu Khối, hoàn thành xuất sắc toàn diện các chỉ tiêu giao ước năm 2022.",
        ),
        make_nomination(
            world,
            world.agencies[1],
            "bang-khen-chu-tich-tinh",
            justification=JUSTIFICATION,
            reason="Hai năm liền hoàn thành xuất sắc nhiệm vụ.",
        ),
    ]
    ballot = make_ballot(world, nominations, elect=False)
    question = BallotQuestion.objects.filter(ballot=ballot, kind=QuestionKind.AWARD)
    for leader in world.leaders:
        answers = {q.pk: {c.pk: True for c in q.candidates.all()} for q in question}
        ballots.ballot_vote(actor=leader, ballot=ballot, answers=answers)
    ballots.ballot_close(actor=world.secretary, ballot=ballot)
    year_end_minutes(world)
    dossier = dossiers.dossier_for(world.bloc_year)
    Dossier.objects.filter(pk=dossier.pk).update(deadline=timezone.localdate() + datetime.timedelta(days=20))
    for nomination in nominations:
        nomination.refresh_from_db()
        assert nomination.state == NominationState.VOTED
    return world, dossier, nominations


def upload_report(page, nomination, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(make_pdf())
    form = page.locator(f"form[action='{reverse('awards:report_upload', args=[nomination.pk])}']")
    form.locator("input[type=file]").set_input_files(str(path))
    form.locator("button[type=submit]").click()
    page.locator(".alert-success", has_text="Đã lưu báo cáo thành tích").wait_for()


def test_dossier_to_decision_to_history(page, live_server, live_world, tmp_path):
    world, dossier, (flag, merit) = live_world
    dossier_url = live_server.url + dossier.get_absolute_url()
    page.set_viewport_size({"width": 1366, "height": 900})

    # The secretary: the bloc-year page shows the dossier; the reports; the submission.
    log_in(page, live_server, "secretary")
    page.goto(live_server.url + world.bloc_year.get_absolute_url())
    page.locator("#blocyear-dossier").get_by_role("link").click()
    page.wait_for_url(dossier_url)
    assert "Thiếu báo cáo thành tích" in page.locator("#dossier-missing").inner_text()
    screenshot(page, SHOTS, "01-dossier-missing-reports")
    upload_report(page, flag, tmp_path, "bao-cao-co-tinh.pdf")
    upload_report(page, merit, tmp_path, "bao-cao-bang-khen.pdf")
    assert page.locator("#dossier-missing").count() == 0
    page.get_by_label("Số Tờ trình (nếu có)").fill("15/TTr-KTĐ3")
    page.get_by_role("button", name="Nộp hồ sơ cho Ban Thi đua – Khen thưởng").click()
    page.locator(".alert-success", has_text="Đã nộp hồ sơ").wait_for()
    assert "Đã nộp, chờ Ban tiếp nhận" in page.locator("#dossier-state").inner_text()
    screenshot(page, SHOTS, "02-dossier-submitted")
    log_out(page)

    # The board: the inbox, receive, return one nomination, approve the other.
    log_in(page, live_server, "board")
    page.goto(live_server.url + reverse("awards:board_inbox") + "?year=2022")
    page.locator("#inbox-table").get_by_role("link", name=world.bloc.name).wait_for()
    assert page.locator("#inbox-counts [data-state=submitted] .badge").inner_text() == "1"
    page.locator("#province-quotas").get_by_text("Cờ thi đua của Chính phủ").wait_for()
    screenshot(page, SHOTS, "03-board-inbox")
    page.locator("#inbox-table").get_by_role("link", name=world.bloc.name).click()
    page.wait_for_url(dossier_url)
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.locator(".alert-success", has_text="Đã tiếp nhận hồ sơ").wait_for()
    card = page.locator(f"#nomination-{merit.pk}")
    card.get_by_text("Trả lại để hoàn thiện").click()
    card.get_by_label("Lý do trả lại").fill("Đề nghị bổ sung báo cáo thành tích có chữ ký, đóng dấu của thủ trưởng đơn vị.")
    card.get_by_role("button", name="Trả lại", exact=True).click()
    page.locator(".alert-success", has_text="Đã trả lại đề nghị").wait_for()
    page.locator(f"#nomination-{flag.pk}").get_by_role("button", name="Đồng ý").click()
    page.locator(".alert-success", has_text="Đã đồng ý đề nghị").wait_for()
    assert "Ban trả lại để hoàn thiện" in page.locator(f"#nomination-{merit.pk}").inner_text()
    screenshot(page, SHOTS, "04-board-returned-one")
    log_out(page)

    # The secretary fixes the returned nomination and sends it back.
    log_in(page, live_server, "secretary")
    page.goto(live_server.url + merit.get_absolute_url())
    part = page.locator("#nomination-board-part")
    part.wait_for()
    upload_report(page, merit, tmp_path, "bao-cao-bang-khen-co-chu-ky.pdf")
    page.get_by_role("button", name="Gửi lại Ban").click()
    page.locator(".alert-success", has_text="Đã gửi lại đề nghị").wait_for()
    screenshot(page, SHOTS, "05-secretary-resubmitted")
    log_out(page)

    # The board approves it and records the decision.
    log_in(page, live_server, "board")
    page.goto(dossier_url)
    page.locator(f"#nomination-{merit.pk}").get_by_role("button", name="Đồng ý").click()
    page.locator(".alert-success", has_text="Đã đồng ý đề nghị").wait_for()
    page.goto(live_server.url + reverse("awards:board_inbox") + "?year=2022")
    page.get_by_role("link", name="Ghi quyết định khen thưởng").click()
    page.get_by_label("Số quyết định").fill("125/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill("20/01/2023")
    page.get_by_label("Họ tên người ký").fill("Lưu Xuân Vĩnh")
    for nomination in (flag, merit):
        page.get_by_label(nomination.agency.name, exact=False).check()
    screenshot(page, SHOTS, "06-decision-form")
    page.get_by_role("button", name="Ghi quyết định khen thưởng").click()
    page.locator(".alert-success", has_text="Quyết định số 125/QĐ-UBND ngày 20/01/2023").wait_for()
    page.locator("#inbox-decisions").get_by_text("Quyết định số 125/QĐ-UBND").wait_for()
    screenshot(page, SHOTS, "07-decision-recorded")
    assert AwardRecord.objects.filter(decision__number="125/QĐ-UBND").count() == 2
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.RECEIVED

    # The agency's award history shows it.
    page.goto(live_server.url + reverse("awards:agency_awards", args=[flag.agency_id]))
    year = page.locator("[data-year='2022']")
    year.get_by_text("Cờ thi đua của UBND tỉnh").wait_for()
    assert "Quyết định số 125/QĐ-UBND ngày 20/01/2023 của Chủ tịch UBND tỉnh" in year.inner_text()
    screenshot(page, SHOTS, "08-agency-history")
    log_out(page)

    # Anyone: the public page lists both awards with the decision number.
    page.goto(live_server.url + reverse("awards:public_awards") + "?year=2022")
    table = page.locator("table.public-awards")
    for nomination in (flag, merit):
        table.get_by_text(nomination.agency.name).wait_for()
    assert "Quyết định số 125/QĐ-UBND" in table.inner_text()
    screenshot(page, SHOTS, "09-public-awards")
