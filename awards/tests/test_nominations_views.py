"""Nomination pages × roles: the bloc-year's nominations (and its propose form), one nomination,
its edit and withdrawal, an agency's pending cases; double posts, a stale tab, hostile input, the
bloc-year page's line, query counts flat in the number of nominations."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import AwardType, Nomination, NominationCorrection, NominationState, PendingCase
from awards.nominations import services
from awards.tests.helpers import ensure_templates
from awards.tests.yearend import award_type, frozen_round, make_nomination
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

JUSTIFIED = "Khối xác nhận đơn vị hoàn thành vượt mức các chỉ tiêu."
READERS = ["secretary", "board", "leader", "officer", "central"]
OUTSIDERS = ["nonmember", "outsider", "stranger"]


@pytest.fixture
def frozen(world):
    ensure_templates()
    return frozen_round(world)


@pytest.fixture
def nomination(world, frozen):
    return make_nomination(world, world.agencies[0], justification=JUSTIFIED)


def url(name, obj):
    return reverse(f"awards:{name}", args=[getattr(obj, "pk", obj)])


def propose_data(world, agency=None, code="co-ubnd-tinh", **extra):
    data = {"award_type": str(award_type(world, code).pk), "agency": str((agency or world.agencies[0]).pk),
            "reason": "Dẫn đầu khối, hoàn thành xuất sắc các chỉ tiêu.", "justification": JUSTIFIED}
    data.update(extra)
    return data


# --- the nominations page -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", READERS)
def test_nominations_page_readers(world, nomination, client_for, who):
    response = client_for(getattr(world, who)).get(url("nominations", world.bloc_year))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="frozen-ranking"' in page and "Cờ thi đua của UBND tỉnh" in page
    assert world.agencies[0].name in page and 'data-code="leads_bloc"' in page and "Luật 06/2022/QH15, Điều 26" in page
    assert ('id="propose"' in page) == (who in ("secretary", "board"))


@pytest.mark.parametrize("who", OUTSIDERS)
def test_nominations_page_outsiders_404(world, nomination, client_for, who):
    assert client_for(getattr(world, who)).get(url("nominations", world.bloc_year)).status_code == 404
    assert client_for(getattr(world, who)).post(url("nominations", world.bloc_year), propose_data(world)).status_code == 404


def test_nominations_page_anonymous_and_methods(world, nomination, client_for):
    response = client_for(None).get(url("nominations", world.bloc_year))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client_for(world.secretary).put(url("nominations", world.bloc_year)).status_code == 405
    assert client_for(world.secretary).get(url("nominations", 10**9)).status_code == 404


def test_propose_form_prefilled_from_the_ranking(world, frozen, client_for):
    response = client_for(world.secretary).get(url("nominations", world.bloc_year))
    form = response.context["form"]
    assert form.initial["agency"] == world.agencies[0].pk  # rank 1
    page = response.content.decode()
    assert "Gợi ý theo kết quả đã chốt" in page
    chosen = award_type(world, "bang-khen-chu-tich-tinh")
    query = f"?award_type={chosen.pk}&agency={world.agencies[2].pk}"
    response = client_for(world.secretary).get(url("nominations", world.bloc_year) + query)
    assert response.context["form"].initial == {"award_type": chosen.pk, "agency": world.agencies[2].pk}
    assert response.context["candidate_checks"] and 'id="candidate-checks"' in response.content.decode()


def test_no_form_before_the_freeze(world, ninh_thuan_rules, client_for):
    response = client_for(world.secretary).get(url("nominations", world.bloc_year))
    assert response.status_code == 200 and response.context["form"] is None
    assert "chưa được chốt" in response.content.decode()
    response = client_for(world.secretary).post(url("nominations", world.bloc_year), {
        "award_type": str(award_type(world).pk), "agency": str(world.agencies[0].pk), "reason": "x", "justification": JUSTIFIED,
    })
    assert response.status_code == 400 and "chưa được chốt" in response.content.decode()
    assert not Nomination.objects.exists()


@pytest.mark.parametrize("who", ["secretary", "board"])
def test_propose_through_the_page(world, frozen, client_for, who):
    response = client_for(getattr(world, who)).post(url("nominations", world.bloc_year), propose_data(world))
    assert response.status_code == 302 and response["Location"].endswith("#award-co-ubnd-tinh")
    assert Nomination.objects.get().agency == world.agencies[0]


@pytest.mark.parametrize("who", ["leader", "officer", "central"])
def test_propose_refused_to_readers(world, frozen, client_for, who):
    assert client_for(getattr(world, who)).post(url("nominations", world.bloc_year), propose_data(world)).status_code == 403
    assert not Nomination.objects.exists()


def test_propose_twice_is_a_message(world, frozen, client_for):
    client = client_for(world.secretary)
    assert client.post(url("nominations", world.bloc_year), propose_data(world)).status_code == 302
    response = client.post(url("nominations", world.bloc_year), propose_data(world))
    assert response.status_code == 400 and "đã được đề nghị" in response.content.decode()
    assert Nomination.objects.count() == 1


def test_preview_shows_the_checks_without_saving(world, frozen, client_for):
    data = propose_data(world, world.agencies[1], preview="1", reason="")
    response = client_for(world.secretary).post(url("nominations", world.bloc_year), data)
    assert response.status_code == 400  # the reason is missing: the form says so, the checks show anyway
    checks = {c.code: c.status for c in response.context["candidate_checks"]}
    assert checks["leads_bloc"] == "fail" and not Nomination.objects.exists()
    data = propose_data(world, world.agencies[1], preview="1")
    response = client_for(world.secretary).post(url("nominations", world.bloc_year), data)
    assert response.status_code == 200 and "Xếp thứ 2 trong khối" in response.content.decode()
    assert not Nomination.objects.exists()


def test_refused_proposal_keeps_what_was_typed(world, frozen, client_for):
    data = propose_data(world, world.agencies[1], reason="Lý do rất dài đã gõ")
    response = client_for(world.secretary).post(url("nominations", world.bloc_year), data)
    page = response.content.decode()
    assert response.status_code == 400 and "Xếp thứ 2 trong khối" in page and "Lý do rất dài đã gõ" in page


@pytest.mark.parametrize("change, field", [
    ({"reason": "Dẫn đầu\x00khối"}, "reason"),
    ({"reason": "x" * 5000}, "reason"),
    ({"justification": "ok\x00"}, "justification"),
    ({"award_type": "abc"}, "award_type"),
    ({"award_type": "99999999999999999999"}, "award_type"),
    ({"agency": "-1"}, "agency"),
])
def test_hostile_input(world, frozen, client_for, change, field):
    response = client_for(world.secretary).post(url("nominations", world.bloc_year), {**propose_data(world), **change})
    assert response.status_code == 400 and response.context["form"].errors.get(field)
    assert not Nomination.objects.exists()


def test_forged_ids_of_another_bloc(world, frozen, client_for):
    templates = ensure_templates()
    forged_type = AwardType.objects.get(rule_set=templates["Nghị định 152/2025/NĐ-CP"], code="co-ubnd-tinh")
    for data in (propose_data(world, award_type=str(forged_type.pk)), propose_data(world, world.outside_agency),
                 propose_data(world, world.other_agency)):
        response = client_for(world.secretary).post(url("nominations", world.bloc_year), data)
        assert response.status_code == 400
    assert not Nomination.objects.exists()


def test_garbage_query_parameters(world, frozen, client_for):
    response = client_for(world.secretary).get(url("nominations", world.bloc_year) + "?award_type=%00abc&agency=99999999999999999999")
    assert response.status_code == 200 and response.context["candidate_checks"] is None


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_nominations_page_query_count_flat(world, frozen, client_for):
    client = client_for(world.secretary)
    path = url("nominations", world.bloc_year)
    make_nomination(world, world.agencies[0], justification=JUSTIFIED)
    client.get(path)
    one = _count(client, path)
    codes = ["co-chinh-phu", "bang-khen-thu-tuong", "bang-khen-chu-tich-tinh"]
    for code in codes:
        for agency in world.agencies[: 4 if code != "bang-khen-chu-tich-tinh" else 1]:
            make_nomination(world, agency, code)
    assert Nomination.objects.count() == 10
    ten = _count(client, path)
    assert one == ten, (one, ten)


# --- one nomination -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", READERS)
def test_detail_readers(world, nomination, client_for, who):
    nomination.votes_yes, nomination.votes_percent, nomination.board_note = 3, 75, "Bổ sung báo cáo thành tích."
    nomination.save()
    NominationCorrection.objects.create(nomination=nomination, field="decision", old_value="1/QĐ", new_value="2/QĐ",
                                        reason="Ghi nhầm số", corrected_by=world.board)
    response = client_for(getattr(world, who)).get(url("nomination_detail", nomination))
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 phiếu đồng ý" in page and "75 %" in page and "Bổ sung báo cáo thành tích." in page and "Ghi nhầm số" in page
    assert 'data-code="leads_bloc"' in page
    assert ("Sửa đề nghị" in page) == (who in ("secretary", "board"))


@pytest.mark.parametrize("who", OUTSIDERS)
def test_detail_outsiders_404(world, nomination, client_for, who):
    assert client_for(getattr(world, who)).get(url("nomination_detail", nomination)).status_code == 404


def test_detail_anonymous_and_methods(world, nomination, client_for):
    assert client_for(None).get(url("nomination_detail", nomination)).status_code == 302
    assert client_for(world.secretary).post(url("nomination_detail", nomination)).status_code == 405


def test_detail_history_and_blocking(world, frozen, client_for):
    nomination = services.nomination_propose(actor=world.secretary, bloc_year=world.bloc_year, award_type=award_type(world),
                                             agency=world.agencies[0], reason="Dẫn đầu", justification=JUSTIFIED)
    Nomination.objects.filter(pk=nomination.pk).update(justification="")
    response = client_for(world.secretary).get(url("nomination_detail", nomination))
    page = response.content.decode()
    assert 'id="nomination-blocking"' in page and "Cần ghi giải trình" in page
    assert "Đề xuất" in page and world.secretary.get_full_name() in page


# --- edit ---------------------------------------------------------------------------------------------------------


def test_edit_page_and_save(world, nomination, client_for):
    client = client_for(world.secretary)
    response = client.get(url("nomination_edit", nomination))
    assert response.status_code == 200 and response.context["form"].initial["version"] == nomination.version
    response = client.post(url("nomination_edit", nomination), {"reason": "Lý do mới", "justification": JUSTIFIED,
                                                                "version": nomination.version})
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.reason == "Lý do mới"


@pytest.mark.parametrize("who, status", [("leader", 403), ("officer", 403), ("central", 403), ("nonmember", 404),
                                         ("outsider", 404), ("stranger", 404)])
def test_edit_refused(world, nomination, client_for, who, status):
    client = client_for(getattr(world, who))
    assert client.get(url("nomination_edit", nomination)).status_code == status
    data = {"reason": "x", "justification": JUSTIFIED, "version": nomination.version}
    assert client.post(url("nomination_edit", nomination), data).status_code == status
    nomination.refresh_from_db()
    assert nomination.reason != "x"


def test_edit_anonymous_and_methods(world, nomination, client_for):
    assert client_for(None).get(url("nomination_edit", nomination)).status_code == 302
    assert client_for(world.secretary).delete(url("nomination_edit", nomination)).status_code == 405


def test_edit_in_a_stale_tab(world, nomination, client_for):
    stale = nomination.version
    services.nomination_edit(actor=world.board, nomination=nomination, reason="Ban đã sửa", justification=JUSTIFIED, version=stale)
    response = client_for(world.secretary).post(url("nomination_edit", nomination), {"reason": "Thư ký sửa", "justification": JUSTIFIED,
                                                                                      "version": stale})
    assert response.status_code == 400
    page = response.content.decode()
    assert world.board.get_full_name() in page and "thành tích, lý do đề nghị" in page
    assert 'id="nomination-saved"' in page and "Ban đã sửa" in page and "Thư ký sửa" in page  # the saved text and what was typed
    nomination.refresh_from_db()
    assert nomination.reason == "Ban đã sửa" and response.context["form"]["version"].value() == nomination.version
    # Sent again from the page as it now stands: saved.
    data = {"reason": "Thư ký sửa", "justification": JUSTIFIED, "version": response.context["form"]["version"].value()}
    assert client_for(world.secretary).post(url("nomination_edit", nomination), data).status_code == 302
    nomination.refresh_from_db()
    assert nomination.reason == "Thư ký sửa"


def test_edit_twice_same_form(world, nomination, client_for):
    client = client_for(world.secretary)
    data = {"reason": "Lý do mới", "justification": JUSTIFIED, "version": nomination.version}
    assert client.post(url("nomination_edit", nomination), data).status_code == 302
    response = client.post(url("nomination_edit", nomination), data)
    assert response.status_code == 400  # the second post carries the old version token
    assert AuditEntry.objects.filter(action="nomination.edit").count() == 1


def test_edit_of_a_voted_nomination_redirects(world, frozen, client_for):
    voted = make_nomination(world, world.agencies[0], state=NominationState.VOTED)
    response = client_for(world.secretary).get(url("nomination_edit", voted))
    assert response.status_code == 302 and response["Location"] == url("nomination_detail", voted)
    data = {"reason": "x", "justification": "y", "version": voted.version}
    response = client_for(world.secretary).post(url("nomination_edit", voted), data)
    assert response.status_code == 400 and "không sửa được" in response.content.decode()


def test_edit_hostile_text(world, nomination, client_for):
    response = client_for(world.secretary).post(url("nomination_edit", nomination), {"reason": "a\x00b", "justification": JUSTIFIED,
                                                                                      "version": nomination.version})
    assert response.status_code == 400 and response.context["form"].errors["reason"]


# --- withdraw ---------------------------------------------------------------------------------------------------------


def test_withdraw_and_withdraw_again(world, nomination, client_for):
    client = client_for(world.secretary)
    response = client.post(url("nomination_withdraw", nomination))
    assert response.status_code == 302 and response["Location"] == url("nominations", world.bloc_year)
    assert not Nomination.objects.exists()
    response = client.post(url("nomination_withdraw", nomination), follow=True)
    assert response.status_code == 200 and "đã được rút" in response.content.decode()
    assert client_for(world.outsider).post(url("nomination_withdraw", nomination)).status_code == 404


@pytest.mark.parametrize("who, status", [("leader", 403), ("central", 403), ("nonmember", 404), ("outsider", 404)])
def test_withdraw_refused(world, nomination, client_for, who, status):
    assert client_for(getattr(world, who)).post(url("nomination_withdraw", nomination)).status_code == status
    assert Nomination.objects.filter(pk=nomination.pk).exists()


def test_withdraw_methods_and_wrong_state(world, frozen, client_for):
    voted = make_nomination(world, world.agencies[0], state=NominationState.VOTED)
    assert client_for(world.secretary).get(url("nomination_withdraw", voted)).status_code == 405
    assert client_for(None).post(url("nomination_withdraw", voted)).status_code == 302
    response = client_for(world.secretary).post(url("nomination_withdraw", voted))
    assert response.status_code == 400 and "Chỉ rút được" in response.content.decode()
    assert Nomination.objects.filter(pk=voted.pk).exists()


# --- pending cases -------------------------------------------------------------------------------------------------------


def case_data(**extra):
    data = {"kind": "inspection", "opened_on": "01/10/2022", "description": "Thanh tra việc chấp hành pháp luật"}
    data.update(extra)
    return data


def test_board_manages_cases(world, client_for):
    client = client_for(world.board)
    agency = world.agencies[1]
    assert client.get(url("agency_cases", agency)).status_code == 200
    response = client.post(url("agency_cases", agency), case_data())
    assert response.status_code == 302
    case = PendingCase.objects.get()
    assert case.opened_on == datetime.date(2022, 10, 1) and case.agency == agency
    response = client.post(url("agency_cases", agency), case_data())
    assert response.status_code == 400 and "đã được ghi" in response.content.decode()
    page = client.get(url("agency_cases", agency)).content.decode()
    assert "Thanh tra việc chấp hành pháp luật" in page and "1 đang xử lý" in page
    response = client.post(url("case_close", case), {f"c{case.pk}-closed_on": "01/09/2022"})
    assert response.status_code == 400 and "Ngày kết thúc phải" in response.content.decode()
    assert client.post(url("case_close", case), {f"c{case.pk}-closed_on": "15/11/2022"}).status_code == 302
    case.refresh_from_db()
    assert case.closed_on == datetime.date(2022, 11, 15)
    response = client.post(url("case_close", case), {f"c{case.pk}-closed_on": "16/11/2022"})
    assert response.status_code == 400 and "đã kết thúc" in response.content.decode()


@pytest.mark.parametrize("who, status", [("central", 403), ("leader", 403), ("secretary", 404), ("nonmember", 404),
                                         ("outsider", 404), ("stranger", 404)])
def test_cases_refused_to_others(world, client_for, who, status):
    agency = world.agencies[1]  # the leader's own agency: seen, not managed
    case = PendingCase.objects.create(agency=agency, kind="complaint", description="Khiếu nại", opened_on=datetime.date(2022, 5, 1),
                                      recorded_by=world.board)
    client = client_for(getattr(world, who))
    assert client.get(url("agency_cases", agency)).status_code == status
    assert client.post(url("agency_cases", agency), case_data()).status_code == status
    assert client.post(url("case_close", case), {f"c{case.pk}-closed_on": "01/06/2022"}).status_code == status
    assert PendingCase.objects.count() == 1 and PendingCase.objects.get().closed_on is None


def test_cases_anonymous_methods_and_hostile(world, client_for):
    agency = world.agencies[1]
    assert client_for(None).get(url("agency_cases", agency)).status_code == 302
    client = client_for(world.board)
    assert client.put(url("agency_cases", agency)).status_code == 405
    assert client.get(url("case_close", 1)).status_code == 405
    assert client.post(url("case_close", 10**9), {}).status_code == 404
    for data in (case_data(description="a\x00b"), case_data(kind="forged"), case_data(opened_on="31/02/2022"),
                 case_data(opened_on="01/01/2099"), case_data(description="x" * 5000)):
        assert client.post(url("agency_cases", agency), data).status_code == 400
    assert not PendingCase.objects.exists()


# --- the bloc-year page's line --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretary", "leader", "board"])
def test_bloc_year_page_line(world, nomination, client_for, who):
    page = client_for(getattr(world, who)).get(reverse("blocs:blocyear_detail", args=[world.bloc_year.pk])).content.decode()
    assert 'id="blocyear-nominations"' in page and "1 đề nghị" in page and url("nominations", world.bloc_year) in page
