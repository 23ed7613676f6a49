"""The bloc's cross-check: accept, adjust (reason), query (question) line by line, by the named
checkers only, on submitted sheets of an open round; two checkers on one line; the queue, the
check page and the round page's panel."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import CheckMode, LineKind, LineState, RoundState, ScoreLine, ScoreSheet, SheetState
from awards.scoring import checking
from awards.scoring.checking import StaleLine, checking_panel, line_accept, line_adjust, line_query, sheet_check_all_accept
from awards.tests.scoring import fill, make_round, submit
from core.models import AuditEntry, Notification
from emulation_portal.testing import build_world, make_user

pytestmark = pytest.mark.django_db


def submitted_round(world, **kwargs):
    """A round whose every sheet is filled (90 % of each maximum) and submitted."""
    scoring = make_round(world, **kwargs)
    for sheet in scoring.sheets.all():
        submit(fill(sheet))
    return scoring


def sheet_of(scoring, agency):
    return ScoreSheet.objects.get(round=scoring, agency=agency)


def line_of(scoring, agency, position=0, kind=LineKind.CRITERION):
    return ScoreLine.objects.select_related("criterion", "sheet").filter(sheet__round=scoring, sheet__agency=agency, kind=kind).order_by(
        "position", "pk")[position]


def audits(line, action):
    return AuditEntry.objects.filter(action=action, object_id=str(line.pk)).count()


@pytest.fixture
def scoring(world):
    return submitted_round(world)


# --- services ------------------------------------------------------------------------------


def test_accept_sets_the_claimed_points_and_audits(world, scoring):
    line = line_of(scoring, world.agencies[1])
    assert line.claimed_points == Decimal("27")  # 90 % of 30
    done = line_accept(actor=world.secretary, line=line, revision=0)
    line.refresh_from_db()
    assert (line.check_state, line.checked_points, line.checked_by, line.revision) == (LineState.ACCEPTED, Decimal("27"), world.secretary, 1)
    assert line.checked_at is not None and done.pk == line.pk
    assert audits(line, "scoreline.accept") == 1


def test_adjust_needs_a_reason_and_points_in_bounds(world, scoring):
    line = line_of(scoring, world.agencies[1])  # max 30, step 0.25
    bad = [
        ({"points": "25", "reason": ""}, "note", "lý do điều chỉnh"),
        ({"points": "25", "reason": "   \u200b "}, "note", "lý do điều chỉnh"),
        ({"points": "30.25", "reason": "Thiếu minh chứng"}, "points", "từ 0 đến 30"),
        ({"points": "99999999", "reason": "Thiếu minh chứng"}, "points", "quá lớn"),
        ({"points": "-1", "reason": "Thiếu minh chứng"}, "points", "không được âm"),
        ({"points": "25.1", "reason": "Thiếu minh chứng"}, "points", "bội số của 0,25"),
        ({"points": "NaN", "reason": "Thiếu minh chứng"}, "points", "phải là một số"),
        ({"points": "abc", "reason": "Thiếu minh chứng"}, "points", "phải là một số"),
        ({"points": "25", "reason": "Thiếu\x00 minh chứng"}, "note", "ký tự điều khiển"),
    ]
    for kwargs, field, words in bad:
        with pytest.raises(ValidationError) as refused:
            line_adjust(actor=world.secretary, line=line, revision=0, **kwargs)
        assert words in " ".join(refused.value.message_dict[field]), kwargs
    line.refresh_from_db()
    assert (line.check_state, line.revision, line.checked_points) == (LineState.PENDING, 0, None)
    assert audits(line, "scoreline.adjust") == 0

    line_adjust(actor=world.secretary, line=line, revision=0, points="24,75", reason="Chỉ đạt 95 % chỉ tiêu thu ngân sách.")
    line.refresh_from_db()
    assert (line.check_state, line.checked_points, line.check_note) == (LineState.ADJUSTED, Decimal("24.75"), "Chỉ đạt 95 % chỉ tiêu thu ngân sách.")
    assert line.points == Decimal("24.75") and line.revision == 1


def test_adjust_to_the_maximum_and_to_zero(world, scoring):
    line = line_of(scoring, world.agencies[1], 1)  # max 20
    line_adjust(actor=world.secretary, line=line, revision=0, points=Decimal("20"), reason="Vượt chỉ tiêu")
    line_adjust(actor=world.secretary, line=line, revision=1, points=Decimal("0"), reason="Không có minh chứng")
    line.refresh_from_db()
    assert line.checked_points == 0 and line.revision == 2


def test_bonus_and_penalty_stay_within_the_caps_over_the_sheet(world, scoring):
    sheet = sheet_of(scoring, world.agencies[1])
    ScoreLine.objects.create(sheet=sheet, kind=LineKind.BONUS, claimed_points=Decimal("2"), reason="Giải nhất hội thi", position=1)
    ScoreLine.objects.create(sheet=sheet, kind=LineKind.BONUS, claimed_points=Decimal("1"), reason="Sáng kiến", position=2)
    penalty = ScoreLine.objects.create(sheet=sheet, kind=LineKind.PENALTY, claimed_points=Decimal("1"), reason="Chậm báo cáo", position=3)
    first = line_of(scoring, world.agencies[1], 0, LineKind.BONUS)
    with pytest.raises(ValidationError) as refused:  # 2.5 + 1 (the other bonus line) > 3
        line_adjust(actor=world.secretary, line=first, revision=0, points="2.5", reason="Có thêm bằng khen")
    assert "vượt mức tối đa 3" in refused.value.message_dict["points"][0]
    line_adjust(actor=world.secretary, line=first, revision=0, points="1.5", reason="Giải nhì, không phải giải nhất")
    second = line_of(scoring, world.agencies[1], 1, LineKind.BONUS)
    line_adjust(actor=world.secretary, line=second, revision=0, points="1.5", reason="Sáng kiến cấp tỉnh")  # 1.5 + 1.5 = 3
    with pytest.raises(ValidationError):
        line_adjust(actor=world.secretary, line=penalty, revision=0, points="3.25", reason="Chậm nhiều lần")
    line_adjust(actor=world.secretary, line=penalty, revision=0, points="3", reason="Chậm ba báo cáo")


def test_query_tells_the_agency_writers_once(world, scoring):
    agency = world.agencies[2]  # the officer's agency, with its leader
    line = line_of(scoring, agency)
    line_query(actor=world.secretary, line=line, revision=0, question="Bổ sung báo cáo tổng kết năm có chữ ký.")
    line.refresh_from_db()
    assert (line.check_state, line.check_note, line.checked_by) == (LineState.QUERIED, "Bổ sung báo cáo tổng kết năm có chữ ký.", world.secretary)
    told = Notification.objects.filter(message__contains="Bổ sung báo cáo tổng kết năm")
    assert set(told.values_list("user_id", flat=True)) == {world.officer.pk, world.leaders[2].pk}
    assert f"#line-{line.pk}" in told.first().url
    # The same post again (a double click) changes nothing and tells no one twice.
    line_query(actor=world.secretary, line=line, revision=0, question="Bổ sung báo cáo tổng kết năm có chữ ký.")
    assert told.count() == 2 and audits(line, "scoreline.query") == 1
    with pytest.raises(ValidationError) as refused:
        line_query(actor=world.secretary, line=line, revision=1, question="")
    assert "nội dung cần đơn vị bổ sung" in refused.value.message_dict["note"][0]


def test_a_queried_line_waits_for_the_answer_then_goes_back_to_the_checker(world, scoring):
    from awards.scoring.sheets import line_answer

    line = line_of(scoring, world.agencies[2])
    line_query(actor=world.secretary, line=line, revision=0, question="Gửi quyết định khen thưởng.")
    with pytest.raises(ValidationError) as refused:
        line_accept(actor=world.secretary, line=line, revision=1)
    assert "chờ đơn vị bổ sung" in refused.value.messages[0]
    line_answer(actor=world.officer, line=line, answer="Đã bổ sung Quyết định số 12/QĐ-UBND.", revision=1)
    line.refresh_from_db()
    assert line.check_state == LineState.ANSWERED
    panel = checking_panel(scoring, world.secretary)["checking"]
    assert panel["counts"].answered == 1
    line_accept(actor=world.secretary, line=line, revision=line.revision)
    line.refresh_from_db()
    assert line.check_state == LineState.ACCEPTED and line.answer == "Đã bổ sung Quyết định số 12/QĐ-UBND."


def test_two_forms_loaded_at_the_same_revision_the_second_is_refused(world, scoring):
    line = line_of(scoring, world.agencies[1])
    line_adjust(actor=world.secretary, line=line, revision=0, points="20", reason="Thiếu số liệu quý IV")
    with pytest.raises(StaleLine) as refused:
        line_accept(actor=world.board, line=line, revision=0)
    message = refused.value.messages[0]
    assert f"đã được {world.secretary.get_full_name()} kiểm tra lúc" in message
    assert "điều chỉnh thành 20 điểm" in message and "Thiếu số liệu quý IV" in message
    line.refresh_from_db()
    assert (line.check_state, line.checked_points, line.checked_by, line.revision) == (LineState.ADJUSTED, Decimal("20"), world.secretary, 1)
    assert audits(line, "scoreline.accept") == 0
    # With the page reloaded (revision 1) the board's decision goes through.
    line_accept(actor=world.board, line=line, revision=1)
    line.refresh_from_db()
    assert line.check_state == LineState.ACCEPTED and line.checked_by == world.board


def test_the_same_decision_posted_twice_is_done_once(world, scoring):
    line = line_of(scoring, world.agencies[1])
    line_accept(actor=world.secretary, line=line, revision=0)
    line_accept(actor=world.secretary, line=line, revision=0)
    line.refresh_from_db()
    assert line.revision == 1 and audits(line, "scoreline.accept") == 1
    # A different decision from the same stale page is refused, though.
    with pytest.raises(StaleLine):
        line_adjust(actor=world.secretary, line=line, revision=0, points="20", reason="x")


def test_only_submitted_sheets_of_an_open_round(world):
    scoring = make_round(world)
    fill(sheet_of(scoring, world.agencies[1]))
    line = line_of(scoring, world.agencies[1])
    with pytest.raises(ValidationError) as refused:
        line_accept(actor=world.secretary, line=line, revision=0)
    assert "phiếu đã gửi khối" in refused.value.messages[0]
    submit(sheet_of(scoring, world.agencies[1]))
    scoring.state = RoundState.PUBLISHED
    scoring.save(update_fields=["state"])
    with pytest.raises(ValidationError):
        line_accept(actor=world.secretary, line=line, revision=0)
    assert ScoreLine.objects.get(pk=line.pk).revision == 0


def test_secretary_mode_checks_all_but_the_own_agency(world, scoring):
    own = line_of(scoring, world.agencies[0])  # the secretary works in the head agency
    for actor in (world.secretary, world.leaders[0]):
        with pytest.raises(PermissionDenied):
            line_accept(actor=actor, line=own, revision=0)
    for actor in (world.officer, world.leader, world.nonmember, world.outsider, world.central):
        with pytest.raises(PermissionDenied):
            line_accept(actor=actor, line=line_of(scoring, world.agencies[3]), revision=0)
    for agency in world.agencies[1:]:
        line_accept(actor=world.secretary, line=line_of(scoring, agency), revision=0)
    line_accept(actor=world.board, line=line_of(scoring, world.agencies[1], 1), revision=0)
    # A stale revision does not tell a non-checker who checked the line.
    with pytest.raises(PermissionDenied):
        line_accept(actor=world.officer, line=line_of(scoring, world.agencies[1]), revision=0)


def test_panel_mode(world):
    ag = world.agencies
    scoring = submitted_round(world, mode=CheckMode.PANEL, panel=[ag[1], ag[2]])
    line_adjust(actor=world.leaders[1], line=line_of(scoring, ag[3]), revision=0, points="25", reason="Thiếu minh chứng")
    line_query(actor=world.officer, line=line_of(scoring, ag[0]), revision=0, question="Bổ sung số liệu")  # officer of ag[2]
    with pytest.raises(PermissionDenied):
        line_accept(actor=world.leaders[1], line=line_of(scoring, ag[1]), revision=0)  # its own agency
    for outsider in (world.leaders[3], world.secretary):
        with pytest.raises(PermissionDenied):
            line_accept(actor=outsider, line=line_of(scoring, ag[1]), revision=0)


def test_pairs_mode(world):
    ag = world.agencies
    scoring = submitted_round(world, mode=CheckMode.PAIRS, pairs=[(ag[0], ag[1]), (ag[1], ag[0]), (ag[2], ag[3]), (ag[3], ag[2])])
    line_accept(actor=world.leaders[2], line=line_of(scoring, ag[3]), revision=0)
    for line in (line_of(scoring, ag[2]), line_of(scoring, ag[1]), line_of(scoring, ag[0])):
        with pytest.raises(PermissionDenied):
            line_accept(actor=world.leaders[2], line=line, revision=0)


def test_accept_all_remaining_lines(world, scoring):
    sheet = sheet_of(scoring, world.agencies[1])
    lines = list(sheet.lines.order_by("position"))
    line_query(actor=world.secretary, line=lines[0], revision=0, question="Bổ sung")
    seen = {line.pk: line.revision for line in ScoreLine.objects.filter(sheet=sheet, check_state=LineState.PENDING)}
    # Someone adjusts a line after the page was loaded: nothing is accepted.
    line_adjust(actor=world.board, line=lines[2], revision=0, points="10", reason="Thiếu")
    with pytest.raises(StaleLine):
        sheet_check_all_accept(actor=world.secretary, sheet=sheet, revisions=seen)
    assert ScoreLine.objects.get(pk=lines[1].pk).check_state == LineState.PENDING
    seen = {line.pk: line.revision for line in ScoreLine.objects.filter(sheet=sheet, check_state=LineState.PENDING)}
    assert set(seen) == {lines[1].pk}
    seen[lines[0].pk] = 0  # decided by this checker on the same page since: left as decided
    accepted = sheet_check_all_accept(actor=world.secretary, sheet=sheet, revisions=seen)
    assert [line.pk for line in accepted] == [lines[1].pk]
    states = dict(ScoreLine.objects.filter(sheet=sheet).values_list("pk", "check_state"))
    assert states == {lines[0].pk: LineState.QUERIED, lines[1].pk: LineState.ACCEPTED, lines[2].pk: LineState.ADJUSTED}
    with pytest.raises(ValidationError):
        sheet_check_all_accept(actor=world.secretary, sheet=sheet, revisions={})


def test_accepting_a_line_without_claimed_points_asks_for_an_adjustment(world, scoring):
    line = line_of(scoring, world.agencies[1])
    ScoreLine.objects.filter(pk=line.pk).update(claimed_points=None)
    with pytest.raises(ValidationError) as refused:
        line_accept(actor=world.secretary, line=line, revision=0)
    assert "chưa có điểm tự chấm" in refused.value.messages[0]


def test_panel_counts_in_at_most_two_queries(world, scoring):
    line_accept(actor=world.secretary, line=line_of(scoring, world.agencies[1]), revision=0)
    line_query(actor=world.secretary, line=line_of(scoring, world.agencies[2]), revision=0, question="?")
    from core.access import roles_for

    roles_for(world.secretary)  # the round page has the roles already
    with CaptureQueriesContext(connection) as queries:
        panel = checking_panel(scoring, world.secretary)["checking"]
    assert len(queries) <= 2
    counts = panel["counts"]
    assert (counts.sheets, counts.accepted, counts.queried, counts.pending, counts.total) == (3, 1, 1, 7, 9)
    assert panel["queue_url"] == reverse("awards:check_queue")
    assert checking_panel(scoring, world.officer) == {"checking": None}
    assert checking_panel(scoring, world.central) == {"checking": None}


# --- pages ---------------------------------------------------------------------------------


def test_queue_lists_the_sheets_to_check(world, scoring, client_for):
    ScoreSheet.objects.filter(round=scoring, agency=world.agencies[3]).update(state=SheetState.DRAFT, submitted_at=None)
    line_query(actor=world.secretary, line=line_of(scoring, world.agencies[2]), revision=0, question="?")
    response = client_for(world.secretary).get(reverse("awards:check_queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="sheet-{sheet_of(scoring, world.agencies[0]).pk}"' not in html  # its own agency
    for agency in world.agencies[1:3]:
        assert f'href="{reverse("awards:sheet_check", args=[sheet_of(scoring, agency).pk])}"' in html
    assert "Chưa gửi khối" in html  # agencies[3]
    assert response.context["sheets"][0].counts.pending == 3

    empty = client_for(world.officer).get(reverse("awards:check_queue"))
    assert empty.status_code == 200 and 'id="queue-empty"' in empty.content.decode()
    assert client_for(None).get(reverse("awards:check_queue")).status_code == 302
    assert client_for(world.secretary).post(reverse("awards:check_queue")).status_code == 405


def test_queue_query_count_is_flat(client_for):
    world = build_world(members=12)
    scoring = make_round(world)
    for sheet in scoring.sheets.all():
        submit(fill(sheet))
    client = client_for(world.secretary)
    keep = list(scoring.sheets.order_by("pk").values_list("pk", flat=True)[:3])
    kept_out = list(ScoreSheet.objects.filter(round=scoring).exclude(pk__in=keep).values_list("pk", flat=True))
    ScoreSheet.objects.filter(pk__in=kept_out).update(round=make_other_round(world))
    client.get(reverse("awards:check_queue"))
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(reverse("awards:check_queue")).context["sheets"]) <= 3
    ScoreSheet.objects.filter(pk__in=kept_out).update(round=scoring)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(reverse("awards:check_queue")).context["sheets"]) == 11
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def make_other_round(world):
    """A frozen round of another bloc-year (not in the queue): a place to park sheets."""
    from awards.models import ScoringRound
    from emulation_portal.testing import make_bloc_year

    scoring = ScoringRound.objects.get(bloc_year=world.bloc_year)
    other = make_bloc_year(world.province, world.agencies[:1], year=2021)
    return ScoringRound.objects.create(
        bloc_year=other, pledge_version=scoring.pledge_version, rule_set=scoring.rule_set,
        self_score_deadline=scoring.self_score_deadline, state=RoundState.FROZEN, opened_by=world.secretary,
    )


def test_check_page_by_role(world, scoring, client_for):
    theirs = sheet_of(scoring, world.agencies[1])
    url = reverse("awards:sheet_check", args=[theirs.pk])
    page = client_for(world.secretary).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("Chấp nhận (") == 3 and "Điều chỉnh điểm…" in html and "Chấp nhận tất cả dòng còn lại (3 dòng)" in html
    assert client_for(world.board).get(url).status_code == 200
    assert client_for(world.leader).get(url).status_code == 403  # its own sheet: it reads it on the sheet page
    assert client_for(world.central).get(url).status_code == 403
    for user in (world.officer, world.nonmember, world.outsider, world.stranger):
        assert client_for(user).get(url).status_code == 404
    assert client_for(world.secretary).get(reverse("awards:sheet_check", args=[999999])).status_code == 404
    assert client_for(None).get(url).status_code == 302
    assert client_for(world.secretary).post(url).status_code == 405


def test_the_checked_agency_sees_no_button_and_cannot_post(world, scoring, client_for):
    own = sheet_of(scoring, world.agencies[0])
    page = client_for(world.secretary).get(reverse("awards:sheet_check", args=[own.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="check-read-only"' in html and "không đơn vị nào tự kiểm tra" in html
    assert "Chấp nhận (" not in html and "Điều chỉnh điểm…" not in html and 'id="accept-rest"' not in html
    line = own.lines.order_by("position").first()
    response = client_for(world.secretary).post(reverse("awards:line_check", args=[line.pk]), {"action": "accept", "revision": 0})
    assert response.status_code == 403
    assert client_for(world.secretary).post(reverse("awards:sheet_check_all", args=[own.pk]), {f"rev-{line.pk}": 0}).status_code == 403
    assert ScoreLine.objects.get(pk=line.pk).check_state == LineState.PENDING


def test_check_page_of_a_panel_and_of_a_pair(world, client_for):
    ag = world.agencies
    scoring = submitted_round(world, mode=CheckMode.PANEL, panel=[ag[1]])
    url = reverse("awards:sheet_check", args=[sheet_of(scoring, ag[2]).pk])
    assert "Chấp nhận (" in client_for(world.leaders[1]).get(url).content.decode()
    followed = client_for(world.secretary).get(url)  # the secretary follows the panel's check
    assert followed.status_code == 200 and "Chấp nhận (" not in followed.content.decode()
    assert 'id="check-read-only"' in followed.content.decode()
    assert client_for(world.leaders[3]).get(url).status_code == 404
    own = reverse("awards:sheet_check", args=[sheet_of(scoring, ag[1]).pk])
    assert client_for(world.leaders[1]).get(own).status_code == 403


def test_check_page_query_count_is_flat(world, scoring, client_for, django_assert_max_num_queries):
    sheet = sheet_of(scoring, world.agencies[1])
    client = client_for(world.secretary)
    url = reverse("awards:sheet_check", args=[sheet.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ScoreLine.objects.bulk_create(
        ScoreLine(sheet=sheet, kind=LineKind.PENALTY, claimed_points=Decimal("0"), reason=f"Dòng {i}", position=10 + i) for i in range(25)
    )
    for line in sheet.lines.all()[:10]:
        line_accept(actor=world.board, line=line, revision=0)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def post(client, line, **data):
    return client.post(reverse("awards:line_check", args=[line.pk]), data)


def test_line_check_accept_adjust_query_through_the_page(world, scoring, client_for):
    client = client_for(world.secretary)
    lines = [line_of(scoring, world.agencies[2], i) for i in range(3)]
    check_url = reverse("awards:sheet_check", args=[lines[0].sheet_id])
    response = post(client, lines[0], action="accept", revision=0)
    assert response.status_code == 302 and response["Location"] == f"{check_url}#line-{lines[0].pk}"
    response = post(client, lines[1], action="adjust", revision=0, points="12,5", note="Chưa có kết quả quý IV")
    assert response.status_code == 302
    response = post(client, lines[2], action="query", revision=0, note="Bổ sung quyết định")
    assert response.status_code == 302
    states = [ScoreLine.objects.get(pk=line.pk) for line in lines]
    assert [s.check_state for s in states] == [LineState.ACCEPTED, LineState.ADJUSTED, LineState.QUERIED]
    assert states[1].checked_points == Decimal("12.5")
    page = client.get(check_url).content.decode()
    assert "Đã chấp nhận dòng" in page and "Chưa có kết quả quý IV" in page and "\u22125,5" in page
    assert Notification.objects.filter(user=world.officer, message__contains="Bổ sung quyết định").count() == 1


@pytest.mark.parametrize(("data", "shown"), [
    ({"points": "25"}, "Hãy ghi lý do điều chỉnh điểm."),
    ({"points": "", "note": "Thiếu"}, "Hãy nhập điểm sau điều chỉnh."),
    ({"points": "31", "note": "Thiếu"}, "Điểm của tiêu chí này từ 0 đến 30."),
    ({"points": "25,1", "note": "Thiếu"}, "bội số của 0,25"),
    ({"points": "-2", "note": "Thiếu"}, "Điểm không được âm."),
    ({"points": "1e400", "note": "Thiếu"}, "Điểm quá lớn."),
    ({"points": "9" * 40, "note": "Thiếu"}, "tối đa 20 ký tự"),
    ({"points": "25,125", "note": "Thiếu"}, "tối đa hai chữ số thập phân"),
    ({"points": "25", "note": "Thiếu\x00"}, "ký tự điều khiển"),
    ({"points": "2\x005", "note": "Thiếu"}, "ký tự điều khiển"),
])
def test_refused_adjustment_keeps_what_was_typed(world, scoring, client_for, data, shown):
    line = line_of(scoring, world.agencies[1])
    response = post(client_for(world.secretary), line, action="adjust", revision=0, **data)
    assert response.status_code == 200
    html = response.content.decode()
    assert shown in html
    block = html[html.index(f'id="line-{line.pk}"'):]
    block = block[: block.index("</article>")]
    assert "<details class=\"check-action\" open>" in block  # the adjust form stays open at the line
    if data.get("note") and "\x00" not in data["note"]:
        assert data["note"] in block
    if data.get("points") and "\x00" not in data["points"]:
        assert f'value="{data["points"]}"' in block
    assert ScoreLine.objects.get(pk=line.pk).revision == 0


def test_query_without_a_question_is_refused(world, scoring, client_for):
    line = line_of(scoring, world.agencies[1])
    response = post(client_for(world.secretary), line, action="query", revision=0, note=" ")
    assert response.status_code == 200 and "Hãy ghi nội dung cần đơn vị bổ sung, giải trình." in response.content.decode()
    assert ScoreLine.objects.get(pk=line.pk).check_state == LineState.PENDING


def test_line_check_by_role_and_method(world, scoring, client_for):
    line = line_of(scoring, world.agencies[2])
    url = reverse("awards:line_check", args=[line.pk])
    assert client_for(world.officer).post(url, {"action": "accept", "revision": 0}).status_code == 403  # its own agency
    assert client_for(world.central).post(url, {"action": "accept", "revision": 0}).status_code == 403
    for user in (world.leader, world.nonmember, world.outsider):
        assert client_for(user).post(url, {"action": "accept", "revision": 0}).status_code == 404
    assert client_for(world.secretary).post(reverse("awards:line_check", args=[999999]), {"action": "accept"}).status_code == 404
    assert client_for(None).post(url, {"action": "accept", "revision": 0}).status_code == 302
    assert client_for(world.secretary).get(url).status_code == 405
    forged = client_for(world.secretary).post(url, {"action": "delete", "revision": 0})
    assert forged.status_code == 302
    for revision in ("x", "99999999999999999999", "-1", "1\x00"):
        bad_revision = client_for(world.secretary).post(url, {"action": "accept", "revision": revision})
        assert bad_revision.status_code == 200 and "Biểu mẫu không hợp lệ; hãy tải lại trang." in bad_revision.content.decode()
    assert ScoreLine.objects.get(pk=line.pk).check_state == LineState.PENDING


def test_stale_tab_is_told_and_keeps_what_was_typed(world, scoring, client_for):
    line = line_of(scoring, world.agencies[1])
    post(client_for(world.board), line, action="adjust", revision=0, points="20", note="Thiếu minh chứng quý IV")
    response = post(client_for(world.secretary), line, action="adjust", revision=0, points="22,5", note="Chỉ đạt 75 %")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"đã được {world.board.get_full_name()} kiểm tra lúc" in html and "Thiếu minh chứng quý IV" in html
    block = html[html.index(f'id="line-{line.pk}"'):]
    block = block[: block.index("</article>")]
    assert 'value="22,5"' in block and "Chỉ đạt 75 %" in block
    assert 'name="revision" value="1"' in block  # sending it again now is a knowing choice
    saved = ScoreLine.objects.get(pk=line.pk)
    assert (saved.checked_points, saved.checked_by) == (Decimal("20"), world.board)
    again = post(client_for(world.secretary), line, action="adjust", revision=1, points="22,5", note="Chỉ đạt 75 %")
    assert again.status_code == 302 and ScoreLine.objects.get(pk=line.pk).checked_points == Decimal("22.5")


def test_same_form_posted_twice(world, scoring, client_for):
    line = line_of(scoring, world.agencies[1])
    client = client_for(world.secretary)
    for _ in range(2):
        assert post(client, line, action="query", revision=0, note="Bổ sung hồ sơ").status_code == 302
    assert audits(line, "scoreline.query") == 1
    assert Notification.objects.filter(message__contains="Bổ sung hồ sơ").count() == 1  # the leader of agencies[1]


def test_a_stale_post_on_a_line_that_moved_on_shows_what_was_typed(world, scoring, client_for):
    line = line_of(scoring, world.agencies[1])
    post(client_for(world.board), line, action="query", revision=0, note="Bổ sung")
    response = post(client_for(world.secretary), line, action="adjust", revision=0, points="20", note="Lý do của thư ký")
    html = response.content.decode()
    assert response.status_code == 200 and "yêu cầu bổ sung minh chứng" in html
    assert f'id="line-{line.pk}-kept"' in html and "Lý do của thư ký" in html


def test_htmx_swaps_the_line_and_the_totals(world, scoring, client_for):
    line = line_of(scoring, world.agencies[1])
    client = client_for(world.secretary)
    response = client.post(reverse("awards:line_check", args=[line.pk]), {"action": "adjust", "revision": 0, "points": "20", "note": "Thiếu"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article class="card shadow-sm mb-3 check-line" id="line-{line.pk}"')
    assert "Đã điều chỉnh điểm dòng" in html and 'id="sheet-totals"' in html and 'data-hx-swap-oob="true"' in html
    assert "<html" not in html
    refused = client.post(reverse("awards:line_check", args=[line.pk]), {"action": "adjust", "revision": 1, "points": "20"},
                          headers={"HX-Request": "true"})
    assert "Hãy ghi lý do điều chỉnh điểm." in refused.content.decode() and "<html" not in refused.content.decode()


def test_accept_rest_through_the_page(world, scoring, client_for):
    sheet = sheet_of(scoring, world.agencies[1])
    client = client_for(world.secretary)
    page = client.get(reverse("awards:sheet_check", args=[sheet.pk]))
    form = page.context["all_form"]
    data = {name: form.initial[name] for name in form.fields}
    response = client.post(reverse("awards:sheet_check_all", args=[sheet.pk]), data)
    assert response.status_code == 302
    assert set(sheet.lines.values_list("check_state", flat=True)) == {LineState.ACCEPTED}
    again = client.post(reverse("awards:sheet_check_all", args=[sheet.pk]), data, follow=True)  # the same form twice
    assert "Đã chấp nhận 3 dòng còn lại." in again.content.decode()
    assert AuditEntry.objects.filter(action="scoreline.accept").count() == 3
    stale = client_for(world.board).post(reverse("awards:sheet_check_all", args=[sheet.pk]), data, follow=True)
    assert f"đã được {world.secretary.get_full_name()} kiểm tra lúc" in stale.content.decode()
    assert client.get(reverse("awards:sheet_check_all", args=[sheet.pk])).status_code == 405


def test_answered_line_shows_the_answer_to_the_checker(world, scoring, client_for):
    from awards.scoring.sheets import line_answer

    line = line_of(scoring, world.agencies[2])
    line_query(actor=world.secretary, line=line, revision=0, question="Gửi quyết định khen thưởng.")
    line_answer(actor=world.officer, line=line, answer="Đính kèm Quyết định 12/QĐ-UBND.", revision=1)
    queue = client_for(world.secretary).get(reverse("awards:check_queue"))
    row = next(s for s in queue.context["sheets"] if s.agency_id == world.agencies[2].pk)
    assert row.counts.answered == 1
    html = client_for(world.secretary).get(reverse("awards:sheet_check", args=[line.sheet_id])).content.decode()
    block = html[html.index(f'id="line-{line.pk}"'):]
    block = block[: block.index("</article>")]
    assert "Đính kèm Quyết định 12/QĐ-UBND." in block and "Gửi quyết định khen thưởng." in block and "Chấp nhận (" in block


def test_round_page_shows_the_checking_panel(world, scoring, client_for):
    try:
        url = reverse("awards:round_detail", args=[scoring.pk])
    except Exception:  # pragma: no cover - the round page is another part's
        pytest.skip("no round page yet")
    html = client_for(world.secretary).get(url).content.decode()
    assert 'id="check-panel"' in html and reverse("awards:check_queue") in html
    assert 'id="check-panel"' not in client_for(world.officer).get(url).content.decode()


def test_published_round_shows_no_buttons(world, scoring, client_for):
    scoring.state = RoundState.PUBLISHED
    scoring.save(update_fields=["state"])
    html = client_for(world.secretary).get(reverse("awards:sheet_check", args=[sheet_of(scoring, world.agencies[1]).pk])).content.decode()
    assert 'id="check-closed"' in html and "Chấp nhận (" not in html


def test_a_new_checker_user_of_a_panel_agency_may_check(world):
    ag = world.agencies
    scoring = submitted_round(world, mode=CheckMode.PANEL, panel=[ag[3]])
    from blocs.models import Role

    officer = make_user("officer3", agency=ag[3], role=Role.OFFICER, agency_id=ag[3].pk)
    line_accept(actor=officer, line=line_of(scoring, ag[1]), revision=0)
    assert checking.checkable_sheets(officer).filter(round=scoring).count() == 3


# --- two checkers at the same instant (row locks: PostgreSQL) ---------------------------------


@pytest.fixture
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks)")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_checkers_save_the_same_line_at_once(_postgres_only):
    from emulation_portal.testing import race

    world = build_world(members=3)
    scoring = submitted_round(world)
    line = line_of(scoring, world.agencies[1])
    errors = race([
        lambda: line_adjust(actor=world.secretary, line=line, revision=0, points="20", reason="Thư ký: thiếu minh chứng"),
        lambda: line_adjust(actor=world.board, line=line, revision=0, points="25", reason="Ban: đạt một phần"),
    ])
    assert len(errors) == 1 and isinstance(errors[0], StaleLine), errors
    saved = ScoreLine.objects.select_related("checked_by").get(pk=line.pk)
    assert saved.revision == 1 and audits(line, "scoreline.adjust") == 1
    winner = {world.secretary.pk: (Decimal("20"), "Thư ký: thiếu minh chứng"), world.board.pk: (Decimal("25"), "Ban: đạt một phần")}
    assert (saved.checked_points, saved.check_note) == winner[saved.checked_by_id]
    assert f"đã được {saved.checked_by.get_full_name()} kiểm tra lúc" in errors[0].messages[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_checker_double_click_at_once_is_one_query(_postgres_only):
    from emulation_portal.testing import race

    world = build_world(members=3)
    scoring = submitted_round(world)
    line = line_of(scoring, world.agencies[2])
    errors = race([lambda: line_query(actor=world.secretary, line=line, revision=0, question="Bổ sung") for _ in range(2)])
    assert errors == []
    assert audits(line, "scoreline.query") == 1
    assert Notification.objects.filter(message__contains="Bổ sung", user=world.officer).count() == 1


def test_evidence_is_linked_through_the_private_download(world, scoring, client_for):
    from django.core.files.base import ContentFile

    from awards.models import Evidence

    line = line_of(scoring, world.agencies[1])
    evidence = Evidence(sheet=line.sheet, line=line, original_name="Báo cáo tổng kết 2022.pdf", content_type="application/pdf", size=5,
                        sha256="0" * 64, uploaded_by=world.leader)
    evidence.file.save("bao-cao.pdf", ContentFile(b"%PDF-"), save=True)
    html = client_for(world.secretary).get(reverse("awards:sheet_check", args=[line.sheet_id])).content.decode()
    assert f'href="{reverse("awards:evidence_download", args=[evidence.pk])}"' in html and "Báo cáo tổng kết 2022.pdf" in html
    assert "/media/" not in html
    download = client_for(world.secretary).get(reverse("awards:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-"
