"""The dossier, board, decision and history pages: every view × each role (allowed, 403, 404,
anonymous to the login page, wrong method 405), refused posts answered 400 with what was typed,
the same form posted twice, a stale tab, hostile input, and query counts flat in the size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.decisions import board
from awards.models import AwardRecord, Decision, Dossier, DossierState, NominationState
from awards.tests.test_dossier_world import pdf, ready, received, submitted
from awards.tests.yearend import make_decision, make_dossier, make_nomination, make_record
from blocs.models import Membership
from core.models import Notification
from emulation_portal.testing import make_agency, make_bloc_year

pytestmark = pytest.mark.django_db
N = NominationState
DAY = "20/01/2023"
READERS = ["board", "secretary", "leader", "officer", "central"]
OUTSIDERS = ["nonmember", "outsider", "stranger"]


def url(name, *args, **query):
    path = reverse(f"awards:{name}", args=args)
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def login_redirect(response):
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the dossier page ------------------------------------------------------------------------------------


@pytest.fixture
def dossier(world, ninh_thuan_rules):
    return ready(world)


@pytest.mark.parametrize("who", READERS)
def test_the_dossier_page_for_its_readers(world, dossier, client_for, who):
    response = client_for(getattr(world, who)).get(url("dossier_detail", dossier.dossier.pk))
    assert response.status_code == 200
    page = response.content.decode()
    for nomination in dossier.nominations:
        assert nomination.agency.name in page
    assert ('id="dossier-submit"' in page) == (who == "secretary")
    assert ("Gia hạn" in page) == (who == "board")


@pytest.mark.parametrize("who", OUTSIDERS)
def test_the_dossier_page_is_404_for_outsiders(world, dossier, client_for, who):
    assert client_for(getattr(world, who)).get(url("dossier_detail", dossier.dossier.pk)).status_code == 404


def test_anonymous_forged_and_wrong_methods(world, dossier, client_for):
    anonymous, secretary = client_for(None), client_for(world.secretary)
    pk = dossier.dossier.pk
    assert login_redirect(anonymous.get(url("dossier_detail", pk)))
    assert login_redirect(anonymous.post(url("dossier_submit", pk)))
    assert secretary.get(url("dossier_detail", 10**9)).status_code == 404
    for name in ("dossier_submit", "dossier_receive", "dossier_return", "dossier_deadline"):
        assert secretary.get(url(name, pk)).status_code == 405, name
    assert secretary.post(url("dossier_detail", pk)).status_code == 405
    nomination = dossier.nominations[0].pk
    for name in ("nomination_approve", "nomination_forward", "nomination_resubmit"):
        assert client_for(world.board).get(url(name, nomination)).status_code == 405, name
    assert client_for(world.board).post(url("board_inbox")).status_code == 405
    assert anonymous.post(url("public_awards")).status_code == 405
    assert client_for(world.board).delete(url("report_upload", nomination)).status_code == 405


def test_submit_through_the_page_then_posted_twice(world, dossier, client_for):
    c = client_for(world.secretary)
    response = c.post(url("dossier_submit", dossier.dossier.pk), {"number": "15/TTr-KTĐ3"})
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.dossier.pk).state == DossierState.SUBMITTED
    again = c.post(url("dossier_submit", dossier.dossier.pk), {"number": "15/TTr-KTĐ3"})
    assert again.status_code == 400 and "Hồ sơ đã nộp" in again.content.decode()


def test_a_refused_submission_lists_the_reasons_with_400(world, ninh_thuan_rules, client_for):
    found = ready(world, reports=False, minutes=False)
    response = client_for(world.secretary).post(url("dossier_submit", found.dossier.pk), {"number": "17/TTr"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Biên bản hội nghị tổng kết" in page and "Thiếu báo cáo thành tích" in page
    assert 'value="17/TTr"' in page  # what was typed is kept
    hostile = client_for(world.secretary).post(url("dossier_submit", found.dossier.pk), {"number": "15\x00"})
    assert hostile.status_code == 400 and "ký tự điều khiển" in hostile.content.decode()


@pytest.mark.parametrize("who, status", [("board", 403), ("leader", 403), ("central", 403), ("outsider", 404), ("stranger", 404)])
def test_submit_by_others(world, dossier, client_for, who, status):
    assert client_for(getattr(world, who)).post(url("dossier_submit", dossier.dossier.pk)).status_code == status


def test_the_board_receives_and_returns_through_the_page(world, ninh_thuan_rules, client_for):
    found = submitted(world)
    pk = found.dossier.pk
    assert client_for(world.secretary).post(url("dossier_receive", pk)).status_code == 403
    assert client_for(world.outsider).post(url("dossier_receive", pk)).status_code == 404
    c = client_for(world.board)
    refused = c.post(url("dossier_return", pk), {"reason": "  "})
    assert refused.status_code == 400 and "Hãy ghi lý do trả lại hồ sơ" in refused.content.decode()
    assert c.post(url("dossier_return", pk), {"reason": "Thiếu chữ ký."}).status_code == 302
    assert Dossier.objects.get(pk=pk).state == DossierState.RETURNED
    twice = c.post(url("dossier_receive", pk))
    assert twice.status_code == 400 and "Chỉ tiếp nhận được hồ sơ đã nộp" in twice.content.decode()


def test_the_deadline_form_and_a_stale_tab(world, dossier, client_for):
    c = client_for(world.board)
    pk, seen = dossier.dossier.pk, dossier.dossier.version
    assert client_for(world.secretary).post(url("dossier_deadline", pk), {"deadline": "31/12/2030"}).status_code == 403
    assert c.post(url("dossier_deadline", pk), {"deadline": "31/12/2030", "version": seen}).status_code == 302
    assert Dossier.objects.get(pk=pk).deadline == datetime.date(2030, 12, 31)
    stale = c.post(url("dossier_deadline", pk), {"deadline": "15/01/2031", "version": seen})
    assert stale.status_code == 400 and "người khác thay đổi" in stale.content.decode()
    assert 'value="15/01/2031"' in stale.content.decode()
    bad = c.post(url("dossier_deadline", pk), {"deadline": "31/02/2030"})
    assert bad.status_code == 400 and "dd/mm/yyyy" in bad.content.decode()


def test_dossier_open_from_the_bloc_year(world, ninh_thuan_rules, client_for):
    by = world.bloc_year.pk
    assert client_for(world.secretary).get(url("dossier_open", by)).status_code == 404
    assert client_for(world.leader).post(url("dossier_open", by)).status_code == 403
    assert client_for(world.outsider).post(url("dossier_open", by)).status_code == 404
    response = client_for(world.secretary).post(url("dossier_open", by))
    dossier = Dossier.objects.get(bloc_year=world.bloc_year)
    assert response.status_code == 302 and response["Location"] == dossier.get_absolute_url()
    assert client_for(world.leader).get(url("dossier_open", by))["Location"] == dossier.get_absolute_url()
    page = client_for(world.secretary).get(world.bloc_year.get_absolute_url()).content.decode()
    assert 'id="blocyear-dossier"' in page and dossier.get_absolute_url() in page


def test_the_bloc_year_line_offers_to_open_a_dossier_to_its_runners_only(world, ninh_thuan_rules, client_for):
    page = client_for(world.secretary).get(world.bloc_year.get_absolute_url()).content.decode()
    assert "Lập hồ sơ đề nghị" in page
    assert "Lập hồ sơ đề nghị" not in client_for(world.leader).get(world.bloc_year.get_absolute_url()).content.decode()


def test_dossier_page_queries_flat_in_nominations(world, ninh_thuan_rules, client_for):
    found = ready(world)
    c = client_for(world.board)
    c.get(url("dossier_detail", found.dossier.pk))
    with CaptureQueriesContext(connection) as few:
        assert c.get(url("dossier_detail", found.dossier.pk)).status_code == 200
    for agency in world.agencies[2:]:
        make_nomination(world, agency, "tap-the-ldxs", state=N.VOTED, justification="Đã xác nhận.")
    with CaptureQueriesContext(connection) as many:
        assert c.get(url("dossier_detail", found.dossier.pk)).status_code == 200
    assert len(many.captured_queries) <= len(few.captured_queries)


# --- each nomination ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [
        ("secretary", 403),
        ("leader", 403),
        ("officer", 403),
        ("central", 403),
        ("nonmember", 404),
        ("outsider", 404),
        ("stranger", 404),
    ],
)
def test_nomination_actions_by_others(world, ninh_thuan_rules, client_for, who, status):
    found = received(world)
    pk = found.nominations[0].pk
    c = client_for(getattr(world, who))
    for name in (
        "nomination_approve",
        "nomination_forward",
        "nomination_return",
        "nomination_reject",
        "nomination_central_reject",
        "nomination_correct",
    ):
        assert c.post(url(name, pk), {"reason": "x"}).status_code == status, name
    assert login_redirect(client_for(None).post(url("nomination_approve", pk)))


def test_the_board_decides_from_the_dossier_page(world, ninh_thuan_rules, client_for):
    found = received(world)
    flag, merit = found.nominations
    c = client_for(world.board)
    page = c.get(url("dossier_detail", found.dossier.pk)).content.decode()
    assert url("nomination_approve", flag.pk) in page and url("nomination_return", merit.pk) in page
    response = c.post(url("nomination_approve", flag.pk), {"back": "dossier"})
    assert response.status_code == 302 and response["Location"] == found.dossier.get_absolute_url()
    twice = c.post(url("nomination_approve", flag.pk), {"back": "dossier"})
    assert twice.status_code == 400 and "không ở trạng thái chờ Ban" in twice.content.decode()
    form = c.get(url("nomination_return", merit.pk))
    assert form.status_code == 200 and "Lý do trả lại" in form.content.decode()
    empty = c.post(url("nomination_return", merit.pk), {"reason": "", "back": "dossier"})
    assert empty.status_code == 400 and "Hãy ghi lý do trả lại" in empty.content.decode()
    done = c.post(url("nomination_return", merit.pk), {"reason": "Bổ sung số liệu.", "back": "nomination"})
    assert done.status_code == 302 and done["Location"] == merit.get_absolute_url()
    assert Notification.objects.filter(user=world.secretary, message__contains="Bổ sung số liệu").exists()


def test_the_secretary_fixes_and_resubmits_from_the_nomination_page(world, ninh_thuan_rules, client_for):
    found = received(world)
    merit = found.nominations[1]
    board.nomination_return(actor=world.board, nomination=merit, reason="Thay báo cáo có chữ ký.")
    c = client_for(world.secretary)
    page = c.get(merit.get_absolute_url()).content.decode()
    assert 'id="nomination-board-part"' in page and "Gửi lại Ban" in page and url("report_upload", merit.pk) in page
    bad = c.post(url("report_upload", merit.pk), {"file": pdf("x.xlsx"), "back": "nomination"})
    assert bad.status_code == 400 and "đuôi" in bad.content.decode()
    assert c.post(url("report_upload", merit.pk), {"file": pdf("bao-cao-ky.pdf"), "back": "nomination"}).status_code == 302
    assert client_for(world.leader).post(url("nomination_resubmit", merit.pk)).status_code == 403
    assert client_for(world.board).post(url("nomination_resubmit", merit.pk)).status_code == 403
    assert "Gửi lại Ban" not in client_for(world.board).get(merit.get_absolute_url()).content.decode()
    assert c.post(url("nomination_resubmit", merit.pk), {"back": "dossier"}).status_code == 302
    merit.refresh_from_db()
    assert merit.state == N.SUBMITTED
    again = c.post(url("nomination_resubmit", merit.pk))
    assert again.status_code == 400 and "Chỉ gửi lại được" in again.content.decode()


def test_report_download_follows_the_nomination(world, dossier, client_for):
    pk = dossier.nominations[0].pk
    for who in READERS:
        response = client_for(getattr(world, who)).get(url("report_download", pk))
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment"), who
    for who in OUTSIDERS:
        assert client_for(getattr(world, who)).get(url("report_download", pk)).status_code == 404, who
    assert login_redirect(client_for(None).get(url("report_download", pk)))
    assert client_for(world.board).get(url("report_download", 10**9)).status_code == 404


def test_report_upload_page_for_the_bloc_only(world, dossier, client_for):
    pk = dossier.nominations[0].pk
    assert client_for(world.secretary).get(url("report_upload", pk)).status_code == 200
    assert client_for(world.leader).get(url("report_upload", pk)).status_code == 403
    assert client_for(world.board).get(url("report_upload", pk)).status_code == 403
    assert client_for(world.outsider).get(url("report_upload", pk)).status_code == 404
    assert client_for(world.secretary).post(url("report_upload", pk), {}).status_code == 400


def test_correction_page_with_a_stale_tab(world, ninh_thuan_rules, client_for):
    found = received(world)
    flag = found.nominations[0]
    board.nomination_approve(actor=world.board, nomination=flag)
    board.decision_record(
        actor=world.board,
        province=world.province,
        nominations=[flag],
        number="125/QĐ-UBND",
        date=datetime.date(2023, 1, 20),
        signer_title="Chủ tịch UBND tỉnh",
        level="province",
    )
    flag.refresh_from_db()
    c = client_for(world.board)
    page = c.get(url("nomination_correct", flag.pk))
    assert page.status_code == 200 and "Quyết định số 125/QĐ-UBND" in page.content.decode()
    seen = flag.version
    first = c.post(
        url("nomination_correct", flag.pk),
        {"field": "board_note", "board_note": "Ghi chú", "reason": "Bổ sung.", "version": seen},
    )
    assert first.status_code == 302
    stale = c.post(
        url("nomination_correct", flag.pk), {"field": "board_note", "board_note": "Khác", "reason": "Lần hai.", "version": seen}
    )
    assert stale.status_code == 400 and "người khác thay đổi" in stale.content.decode() and "Lần hai." in stale.content.decode()
    missing = c.post(url("nomination_correct", flag.pk), {"field": "state", "reason": "x", "version": ""})
    assert missing.status_code == 400 and "Hãy chọn giá trị đúng" in missing.content.decode()


# --- the board's inbox and decisions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [
        ("board", 200),
        ("central", 200),
        ("secretary", 404),
        ("leader", 404),
        ("officer", 404),
        ("nonmember", 404),
        ("stranger", 404),
    ],
)
def test_inbox_by_role(world, ninh_thuan_rules, client_for, who, status):
    make_dossier(world, state=DossierState.SUBMITTED)
    response = client_for(getattr(world, who)).get(url("board_inbox", year=2022, province=world.province.pk))
    assert response.status_code == status
    if who not in ("board", "central"):  # without naming the province: not theirs to read at all
        assert client_for(getattr(world, who)).get(url("board_inbox")).status_code == 403
    if status == 200:
        page = response.content.decode()
        assert world.bloc.name in page and 'id="province-quotas"' in page and "Cờ thi đua của Chính phủ" in page


def test_inbox_other_province_anonymous_and_hostile_parameters(world, ninh_thuan_rules, client_for):
    assert client_for(world.outsider).get(url("board_inbox", province=world.province.pk)).status_code == 404
    own = client_for(world.outsider).get(url("board_inbox"))
    assert own.status_code == 200 and world.bloc.name not in own.content.decode()
    assert client_for(world.secretary).get(url("board_inbox")).status_code == 403
    assert login_redirect(client_for(None).get(url("board_inbox")))
    c = client_for(world.board)
    for query in ("?year=abc", "?year=99999999999999999999", "?province=%00", "?state=%00&year=2022", "?province=-1"):
        assert c.get(url("board_inbox") + query).status_code == 200, query


def test_inbox_counts_states_and_overdue(world, ninh_thuan_rules, client_for):
    make_dossier(world, state=DossierState.SUBMITTED)
    late = make_bloc_year(world.province, [make_agency(world.province)], year=2022)
    Dossier.objects.create(bloc_year=late, deadline=datetime.date(2022, 12, 10))
    make_bloc_year(world.province, [make_agency(world.province)], year=2022)
    response = client_for(world.board).get(url("board_inbox", year=2022))
    counts = {key: count for key, _label, count in response.context["counts"]}
    assert counts["submitted"] == 1 and counts["overdue"] == 2 and counts["none"] == 0
    only = client_for(world.board).get(url("board_inbox", year=2022, state="overdue"))
    assert len(only.context["rows"]) == 2


def test_inbox_queries_flat_in_blocs_and_dossiers(world, ninh_thuan_rules, client_for):
    c = client_for(world.board)
    make_dossier(world, state=DossierState.SUBMITTED)
    c.get(url("board_inbox", year=2022))
    with CaptureQueriesContext(connection) as few:
        c.get(url("board_inbox", year=2022))
    for i in range(8):
        bloc_year = make_bloc_year(world.province, [make_agency(world.province) for _ in range(3)], year=2022)
        dossier = Dossier.objects.create(bloc_year=bloc_year, state=[DossierState.SUBMITTED, DossierState.RECEIVED][i % 2])
        for agency in bloc_year.agencies.all():
            make_nomination(world, agency, "bang-khen-chu-tich-tinh", state=N.SUBMITTED, bloc_year=bloc_year)
        assert dossier.pk
    with CaptureQueriesContext(connection) as many:
        response = c.get(url("board_inbox", year=2022))
    assert len(response.context["rows"]) == 9
    assert len(many.captured_queries) <= len(few.captured_queries), [q["sql"][:120] for q in many.captured_queries]


@pytest.mark.parametrize(
    "who, status", [("board", 200), ("central", 403), ("secretary", 404), ("leader", 404), ("stranger", 404)]
)
def test_decision_page_by_role(world, ninh_thuan_rules, client_for, who, status):
    response = client_for(getattr(world, who)).get(url("decision_create", province=world.province.pk, year=2022))
    assert response.status_code == status


def test_decision_recorded_through_the_page_then_posted_twice(world, ninh_thuan_rules, client_for):
    found = received(world)
    for nomination in found.nominations:
        board.nomination_approve(actor=world.board, nomination=nomination)
    c = client_for(world.board)
    page = c.get(url("decision_create", year=2022))
    assert all(n.agency.name in page.content.decode() for n in found.nominations)
    data = {
        "number": "125/QĐ-UBND",
        "date": DAY,
        "signer_title": "Chủ tịch UBND tỉnh",
        "signer_name": "Lưu Xuân Vĩnh",
        "level": "province",
        "nominations": [str(n.pk) for n in found.nominations],
    }
    forged = c.post(url("decision_create", year=2022), {**data, "nominations": [str(10**9)]})
    assert forged.status_code == 400 and "không thuộc danh sách" in forged.content.decode()
    assert c.post(url("decision_create", year=2022), data).status_code == 302
    assert AwardRecord.objects.count() == 2 and Decision.objects.count() == 1
    twice = c.post(url("decision_create", year=2022), data)
    assert twice.status_code == 400 and AwardRecord.objects.count() == 2
    future = c.post(url("decision_create", year=2022), {**data, "date": "01/01/2099"})
    assert future.status_code == 400
    assert client_for(world.outsider).post(url("decision_create", province=world.province.pk), data).status_code == 404


# --- award history and the public page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [
        ("board", 200),
        ("central", 200),
        ("leader", 200),
        ("officer", 200),
        ("secretary", 200),
        ("nonmember", 404),
        ("outsider", 404),
        ("stranger", 404),
    ],
)
def test_agency_awards_by_role(world, ninh_thuan_rules, client_for, who, status):
    make_record(world.agencies[1], 2019, decision_text="Quyết định số 125/QĐ-UBND ngày 20/01/2020 của Chủ tịch UBND tỉnh")
    response = client_for(getattr(world, who)).get(url("agency_awards", world.agencies[1].pk))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Quyết định số 125/QĐ-UBND ngày 20/01/2020 của Chủ tịch UBND tỉnh" in page
        assert (url("award_record_add", world.agencies[1].pk) in page) == (who == "board")
        assert (url("agency_cases", world.agencies[1].pk) in page) == (who == "board")


def test_agency_awards_anonymous_forged_and_methods(world, ninh_thuan_rules, client_for):
    assert login_redirect(client_for(None).get(url("agency_awards", world.agencies[0].pk)))
    assert client_for(world.board).get(url("agency_awards", 10**9)).status_code == 404
    assert client_for(world.board).post(url("agency_awards", world.agencies[0].pk)).status_code == 405


def test_board_adds_a_past_award_by_hand(world, ninh_thuan_rules, client_for):
    agency = world.agencies[2]
    target = url("award_record_add", agency.pk)
    assert client_for(world.leaders[2]).get(target).status_code == 403
    assert client_for(world.outsider).get(target).status_code == 404
    c = client_for(world.board)
    assert c.get(target).status_code == 200
    data = {
        "year": "2019",
        "award_code": "co-ubnd-tinh",
        "decision_text": "Quyết định số 125/QĐ-UBND ngày 20/01/2020 của Chủ tịch UBND tỉnh",
    }
    assert c.post(target, data).status_code == 302
    again = c.post(target, data)
    assert again.status_code == 400 and "đã có" in again.content.decode()
    for bad in (
        {**data, "year": "1800"},
        {**data, "award_code": "khong-co"},
        {**data, "decision_text": "QĐ\x00"},
        {**data, "year": "9" * 30},
    ):
        assert c.post(target, bad).status_code == 400
    assert AwardRecord.objects.filter(agency=agency).count() == 1


def test_award_history_queries_flat_in_years(world, ninh_thuan_rules, client_for):
    agency = world.agencies[0]
    c = client_for(world.board)
    make_record(agency, 2019)
    c.get(url("agency_awards", agency.pk))
    with CaptureQueriesContext(connection) as one:
        c.get(url("agency_awards", agency.pk))
    decision = make_decision(world)
    for year in range(2009, 2019):
        make_record(agency, year, decision=decision if year % 2 else None, bloc_year=world.bloc_year)
        make_record(agency, year, "bang-khen-chu-tich-tinh", "Bằng khen của Chủ tịch UBND tỉnh")
    with CaptureQueriesContext(connection) as ten:
        response = c.get(url("agency_awards", agency.pk))
    assert len(response.context["years"]) == 11
    assert len(ten.captured_queries) <= len(one.captured_queries)


def test_public_page_lists_decided_awards_only_without_login(world, ninh_thuan_rules, client_for):
    decision = make_decision(world)
    awarded = make_nomination(world, world.agencies[0], state=N.AWARDED, decision=decision)
    make_record(world.agencies[0], 2022, decision=decision, nomination=awarded, bloc_year=world.bloc_year)
    pending = make_nomination(world, world.agencies[1], "bang-khen-chu-tich-tinh", state=N.APPROVED)
    make_record(world.agencies[1], 2022, "bang-khen-chu-tich-tinh", "Bằng khen của Chủ tịch UBND tỉnh", nomination=pending)
    make_record(world.agencies[2], 2022, "tap-the-ldxs", "Tập thể lao động xuất sắc")
    response = client_for(None).get(url("public_awards", year=2022))
    assert response.status_code == 200
    page = response.content.decode()
    assert world.agencies[0].name in page and "Quyết định số 125/QĐ-UBND ngày 20/01/2023 của Chủ tịch UBND tỉnh" in page
    assert world.agencies[2].name in page and world.agencies[1].name not in page
    for query in ("?year=abc", "?province=%00", "?page=999", "?year=2022&province=1"):
        assert client_for(None).get(url("public_awards") + query).status_code == 200, query


def test_public_page_queries_flat(world, ninh_thuan_rules, client_for):
    c = client_for(None)
    make_record(world.agencies[0], 2022)
    c.get(url("public_awards", year=2022))
    with CaptureQueriesContext(connection) as few:
        c.get(url("public_awards", year=2022))
    decision = make_decision(world)
    for i in range(12):
        agency = make_agency(world.province if i % 2 else world.other_province)
        if i % 3 == 0:
            Membership.objects.create(
                bloc_year=make_bloc_year(agency.province, [], year=2021 + i % 2), agency=agency, year=2021 + i % 2
            )
        make_record(agency, 2022, decision=decision if i % 2 else None)
    with CaptureQueriesContext(connection) as many:
        response = c.get(url("public_awards", year=2022))
    assert len(response.context["page"]) == 13
    assert len(many.captured_queries) <= len(few.captured_queries) <= 4
