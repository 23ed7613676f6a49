"""The self-score sheet: saving (points, step, caps, evidence), send, approve, return, the stale tab,
the answer to a query, evidence download, and every page for each role."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.models import Evidence, LineKind, LineState, RoundState, ScoreLine, ScoreSheet, ScoringRound, SheetState
from awards.scoring import points
from awards.scoring import sheets as service
from awards.tests.scoring import fill, make_round, submit
from core.models import AuditEntry, Notification
from core.tests.upload_samples import make_office, make_pdf

pytestmark = pytest.mark.django_db


def pdf(name="minh-chung.pdf"):
    return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")


def png(name="anh.png"):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def scoring(world):
    return make_round(world)


@pytest.fixture
def sheet(world, scoring):
    return scoring.sheets.get(agency=world.officer.agency_id)


def criteria_lines(sheet):
    return list(sheet.lines.filter(kind=LineKind.CRITERION).select_related("criterion").order_by("position"))


def save(world, sheet, points=None, *, actor=None, extras=(), files=None, version=None, seen=None, **kwargs):
    sheet.refresh_from_db()
    lines = criteria_lines(sheet)
    points = points if points is not None else [line.criterion.max_points for line in lines]
    criteria = {line.pk: {"result": "Đạt", "figure": None, "points": p} for line, p in zip(lines, points, strict=False)}
    return service.sheet_save(
        actor=actor or world.officer, sheet=sheet, version=version or sheet.version,
        seen=seen if seen is not None else {line.pk: service.digest_of(line) for line in sheet.lines.all()},
        criteria=criteria, extras=list(extras), files=files or {}, **kwargs,
    )


def extra(kind, points, reason="Lý do", key=None, **more):
    return {"id": None, "key": key or f"new-{kind}-0", "kind": kind, "reason": reason, "points": Decimal(points), "remove": False, **more}


# --- numbers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,value", [("7,5", Decimal("7.5")), (" 10 ", Decimal(10)), ("0.25", Decimal("0.25")), ("", None)])
def test_parse_decimal(text, value):
    assert points.parse_decimal(text) == value


@pytest.mark.parametrize("text", ["abc", "1e999999", "NaN", "Infinity", "9" * 30, "7,5,1", "\x00"])
def test_parse_decimal_refuses(text):
    with pytest.raises(ValidationError):
        points.parse_decimal(text)


@pytest.mark.parametrize("points,message", [
    (Decimal("-1"), "không được âm"), (Decimal("30.25"), "tối đa là 30"), (Decimal("7.3"), "bội số của 0,25"),
    (Decimal("1e6"), "tối đa"),
])
def test_points_refused(world, sheet, points, message):
    with pytest.raises(ValidationError, match=message):
        save(world, sheet, [points, Decimal(1), Decimal(1)])
    assert ScoreLine.objects.filter(sheet=sheet, claimed_points__isnull=False).count() == 0


def test_save_writes_lines_and_audits(world, sheet):
    before = sheet.version
    save(world, sheet, [Decimal("27.5"), Decimal("18.25"), Decimal(15)], extras=[extra("bonus", "1.5"), extra("penalty", "0.5", key="new-penalty-0")])
    sheet.refresh_from_db()
    assert sheet.version != before
    t = service.totals(sheet.lines.all())
    assert t["criteria"] == Decimal("60.75") and t["bonus"] == Decimal("1.5") and t["penalty"] == Decimal("0.5")
    assert t["total"] == Decimal("61.75")
    assert AuditEntry.objects.filter(action="scoresheet.save").count() == 1


def test_caps_named_with_their_source(world, sheet):
    from awards.selectors import rules_of

    rules = rules_of(sheet.round.rule_set)
    over = rules.bonus_cap + Decimal("0.25")
    with pytest.raises(ValidationError) as error:
        save(world, sheet, extras=[extra("bonus", over)])
    assert "vượt mức tối đa" in str(error.value) and (rules.source("bonus_cap") or rules.name) in str(error.value)
    over = rules.penalty_cap + 1
    with pytest.raises(ValidationError, match="Tổng điểm trừ"):
        save(world, sheet, extras=[extra("penalty", over, key="new-penalty-0")])
    assert not sheet.lines.exclude(kind=LineKind.CRITERION).exists()


def test_bonus_needs_a_reason_and_points(world, sheet):
    with pytest.raises(ValidationError) as error:
        save(world, sheet, extras=[extra("bonus", "1", reason="")])
    assert "new-bonus-0-reason" in error.value.message_dict
    # An empty new row is ignored.
    save(world, sheet, extras=[{"id": None, "key": "new-bonus-0", "kind": "bonus", "reason": "", "points": None, "remove": False}])
    assert not sheet.lines.filter(kind=LineKind.BONUS).exists()


def test_remove_an_extra_line(world, sheet):
    save(world, sheet, extras=[extra("bonus", "1")])
    line = sheet.lines.get(kind=LineKind.BONUS)
    save(world, sheet, extras=[{"id": line.pk, "key": f"l{line.pk}", "kind": "bonus", "reason": "x", "points": Decimal(1), "remove": True}])
    assert not sheet.lines.filter(kind=LineKind.BONUS).exists()


def test_evidence_checked_hashed_and_removed(world, sheet):
    line = criteria_lines(sheet)[0]
    save(world, sheet, files={f"l{line.pk}": [pdf(), png()]})
    evidence = list(Evidence.objects.filter(line=line).order_by("pk"))
    assert [e.content_type for e in evidence] == ["application/pdf", "image/png"]
    assert all(len(e.sha256) == 64 for e in evidence)
    with pytest.raises(ValidationError) as error:
        save(world, sheet, files={f"l{line.pk}": [SimpleUploadedFile("x.pdf", b"MZ not a pdf")]})
    assert f"l{line.pk}-files" in error.value.message_dict
    with pytest.raises(ValidationError):
        save(world, sheet, files={f"l{line.pk}": [SimpleUploadedFile("x.png", make_pdf())]})  # a PDF named .png
    save(world, sheet, files={f"l{line.pk}": [SimpleUploadedFile("bang.xlsx", make_office("xlsx"))]}, remove_evidence=[evidence[0].pk])
    assert sorted(Evidence.objects.filter(line=line).values_list("original_name", flat=True)) == ["anh.png", "bang.xlsx"]


def test_stale_tab_names_what_changed(world, sheet):
    lines = criteria_lines(sheet)
    old_version = sheet.version
    old_seen = {line.pk: service.digest_of(line) for line in sheet.lines.all()}
    save(world, sheet, [Decimal(1), Decimal(2), Decimal(3)], actor=world.leaders[2])
    with pytest.raises(service.StaleSheet) as error:
        save(world, sheet, [Decimal(5), Decimal(2), Decimal(3)], version=old_version, seen=old_seen)
    assert "tiêu chí 1" in str(error.value) and error.value.changed == [lines[0].pk]  # 2 and 3: the same points
    assert criteria_lines(sheet)[0].claimed_points == Decimal(1)
    # Nothing this form shows changed (only the version): saved.
    sheet.refresh_from_db()
    fresh_seen = {line.pk: service.digest_of(line) for line in sheet.lines.all()}
    ScoreSheet.objects.filter(pk=sheet.pk).update(version="other")
    save(world, sheet, [Decimal(5), Decimal(2), Decimal(3)], version="older", seen=fresh_seen)
    assert criteria_lines(sheet)[0].claimed_points == Decimal(5)


def test_send_approve_return_flow_and_notifications(world, sheet):
    leader = world.leaders[2]
    with pytest.raises(ValidationError, match="chưa chấm điểm"):
        service.sheet_send(actor=world.officer, sheet=sheet)
    save(world, sheet)
    service.sheet_send(actor=world.officer, sheet=sheet)
    sheet.refresh_from_db()
    assert sheet.state == SheetState.AWAITING_LEADER and sheet.sent_at
    assert Notification.objects.filter(user=leader, message__contains="Phiếu tự chấm").count() == 1
    with pytest.raises(ValidationError):  # locked while awaiting the leader
        save(world, sheet)
    with pytest.raises(PermissionDenied):
        service.sheet_approve(actor=world.officer, sheet=sheet)
    with pytest.raises(PermissionDenied):
        service.sheet_approve(actor=world.leader, sheet=sheet)  # another agency's leader
    with pytest.raises(ValidationError, match="lý do"):
        service.sheet_return(actor=leader, sheet=sheet, reason="  ")
    service.sheet_return(actor=leader, sheet=sheet, reason="Bổ sung minh chứng tiêu chí 1")
    sheet.refresh_from_db()
    assert sheet.state == SheetState.DRAFT and sheet.return_reason == "Bổ sung minh chứng tiêu chí 1"
    assert Notification.objects.filter(user=world.officer, message__contains="trả lại").count() == 1
    service.sheet_send(actor=world.officer, sheet=sheet)
    service.sheet_approve(actor=leader, sheet=sheet)
    sheet.refresh_from_db()
    assert sheet.state == SheetState.SUBMITTED and sheet.submitted_by == leader and sheet.return_reason == ""
    assert Notification.objects.filter(user=world.secretary, message__contains="đã gửi phiếu").count() == 1
    with pytest.raises(ValidationError):
        service.sheet_approve(actor=leader, sheet=sheet)
    with pytest.raises(ValidationError):
        save(world, sheet)


def test_approve_refused_with_a_blank_criterion(world, sheet):
    save(world, sheet, [Decimal(1), None, Decimal(1)])
    with pytest.raises(ValidationError, match="tiêu chí 2"):
        service.sheet_approve(actor=world.leaders[2], sheet=sheet)


def test_closed_round_refuses_writes(world, sheet, scoring):
    ScoringRound.objects.filter(pk=scoring.pk).update(state=RoundState.PUBLISHED)
    with pytest.raises(ValidationError, match="đã công bố"):
        save(world, sheet)


def test_others_may_not_write(world, sheet):
    for who in (world.leader, world.secretary, world.nonmember):
        with pytest.raises(PermissionDenied):
            save(world, sheet, actor=who)


def queried_line(world, sheet):
    fill(sheet)
    submit(sheet, world.leaders[2])
    line = criteria_lines(sheet)[0]
    line.check_state, line.check_note, line.checked_by = LineState.QUERIED, "Gửi thêm báo cáo", world.secretary
    line.save()
    return line


def test_line_answer(world, sheet):
    line = queried_line(world, sheet)
    with pytest.raises(ValidationError):
        service.line_answer(world.officer, line, "  ", [], line.revision)
    with pytest.raises(ValidationError) as error:
        service.line_answer(world.officer, line, "Đã gửi", [], line.revision + 5)
    assert error.value.code == "stale"
    with pytest.raises(PermissionDenied):
        service.line_answer(world.leader, line, "Đã gửi", [], line.revision)
    service.line_answer(world.officer, line, "Đã gửi báo cáo", [pdf()], line.revision)
    line.refresh_from_db()
    assert line.check_state == LineState.ANSWERED and line.answer == "Đã gửi báo cáo" and line.revision == 1
    assert line.evidence.count() == 1 and Notification.objects.filter(user=world.secretary).exists()
    with pytest.raises(ValidationError):  # not queried any more
        service.line_answer(world.officer, line, "Lần hai", [], line.revision)


# --- views -----------------------------------------------------------------------------------

def form_data(sheet, **overrides):
    sheet.refresh_from_db()
    data = {"version": sheet.version, "new-bonus-count": "1", "new-penalty-count": "1"}
    for line in sheet.lines.select_related("criterion"):
        key = f"l{line.pk}"
        data[f"{key}-seen"] = service.digest_of(line)
        if line.kind == LineKind.CRITERION:
            data[f"{key}-result"] = line.result_text or "Hoàn thành"
            data[f"{key}-points"] = points.shown(line.claimed_points) or points.shown(line.criterion.max_points)
            if line.criterion.target:
                data[f"{key}-figure"] = "100"
        else:
            data[f"{key}-reason"], data[f"{key}-points"] = line.reason, points.shown(line.claimed_points)
    data.update(overrides)
    return data


def test_sheet_pages_roles(client, world, sheet, scoring):
    other = scoring.sheets.get(agency=world.agencies[1])
    detail, edit = sheet.get_absolute_url(), reverse("awards:sheet_edit", args=[sheet.pk])
    assert client.get(detail).status_code == 302
    for who, code in (("officer", 200), ("secretary", 200), ("board", 200), ("central", 200), ("leader", 404), ("nonmember", 404), ("outsider", 404)):
        client.force_login(getattr(world, who))
        assert client.get(detail).status_code == code, who
    client.force_login(world.secretary)
    assert client.get(edit).status_code == 403
    client.force_login(world.officer)
    assert client.get(edit).status_code == 200
    assert client.get(reverse("awards:sheet_edit", args=[other.pk])).status_code == 404
    assert client.get(reverse("awards:sheet_detail", args=[999999])).status_code == 404
    assert client.post(detail).status_code == 405
    assert client.get(reverse("awards:sheet_send", args=[sheet.pk])).status_code == 405
    assert client.put(edit).status_code == 405


def test_edit_page_keeps_typed_values_on_errors(client, world, sheet):
    client.force_login(world.officer)
    line = criteria_lines(sheet)[0]
    url = reverse("awards:sheet_edit", args=[sheet.pk])
    data = form_data(sheet, **{f"l{line.pk}-points": "7,3", f"l{line.pk}-result": "Kết quả đã gõ\x00 dài", "new-bonus-0-reason": "Giải thưởng", "new-bonus-0-points": "99"})
    page = client.post(url, data)
    body = page.content.decode()
    assert page.status_code == 200 and "bội số của 0,25" in body and "7,3" in body and "Kết quả đã gõ" in body
    assert "Giải thưởng" in body
    body = client.post(url, form_data(sheet, **{"new-bonus-0-reason": "Giải thưởng", "new-bonus-0-points": "99"})).content.decode()
    assert "vượt mức tối đa" in body and "Giải thưởng" in body
    assert not ScoreLine.objects.filter(sheet=sheet, claimed_points__isnull=False).exists()
    for hostile in ("abc", "-1", "1e400", "9" * 40):
        assert client.post(url, form_data(sheet, **{f"l{line.pk}-points": hostile})).status_code == 200
    ok = client.post(url, form_data(sheet, **{f"l{line.pk}-points": "27,5", f"l{line.pk}-files": pdf()}))
    assert ok.status_code == 302
    line.refresh_from_db()
    assert line.claimed_points == Decimal("27.5") and line.evidence.count() == 1


def test_edit_page_same_form_twice_and_stale(client, world, sheet):
    client.force_login(world.officer)
    url = reverse("awards:sheet_edit", args=[sheet.pk])
    data = form_data(sheet, **{"new-bonus-0-reason": "Giải thưởng", "new-bonus-0-points": "1"})
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)  # the same form (old version) posted twice: refused, nothing doubled
    assert again.status_code == 200 and "người khác vừa sửa" in again.content.decode()
    assert sheet.lines.filter(kind=LineKind.BONUS).count() == 1


def test_edit_and_send_from_the_form(client, world, sheet):
    client.force_login(world.officer)
    response = client.post(reverse("awards:sheet_edit", args=[sheet.pk]), {**form_data(sheet), "then": "send"})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == SheetState.AWAITING_LEADER
    assert client.get(reverse("awards:sheet_edit", args=[sheet.pk])).status_code == 302  # no longer editable


def test_leader_return_and_approve_views(client, world, sheet):
    save(world, sheet)
    service.sheet_send(actor=world.officer, sheet=sheet)
    client.force_login(world.officer)
    assert client.post(reverse("awards:sheet_approve", args=[sheet.pk])).status_code == 403
    sheet.refresh_from_db()
    assert sheet.state == SheetState.AWAITING_LEADER
    client.force_login(world.leaders[2])
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "Duyệt và gửi khối" in page and "Trả lại" in page
    bad = client.post(reverse("awards:sheet_return", args=[sheet.pk]), {"reason": ""})
    assert bad.status_code == 400
    client.post(reverse("awards:sheet_return", args=[sheet.pk]), {"reason": "Thiếu minh chứng"})
    client.force_login(world.officer)
    assert "Thiếu minh chứng" in client.get(sheet.get_absolute_url()).content.decode()
    service.sheet_send(actor=world.officer, sheet=sheet)
    client.force_login(world.leaders[2])
    assert client.post(reverse("awards:sheet_approve", args=[sheet.pk])).status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == SheetState.SUBMITTED


def test_evidence_download(client, world, sheet):
    line = criteria_lines(sheet)[0]
    save(world, sheet, files={f"l{line.pk}": [pdf("Báo cáo tổng kết.pdf")]})
    evidence = Evidence.objects.get()
    url = reverse("awards:evidence_download", args=[evidence.pk])
    assert client.get(url).status_code == 302
    client.force_login(world.officer)
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    for who in ("leader", "nonmember", "outsider", "stranger"):
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 404, who
    client.force_login(world.secretary)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405
    assert client.get(reverse("awards:evidence_download", args=[999999])).status_code == 404


def test_answer_view(client, world, sheet):
    line = queried_line(world, sheet)
    url = reverse("awards:line_answer", args=[line.pk])
    client.force_login(world.officer)
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "Gửi thêm báo cáo" in page and "Trả lời và gửi lại" in page
    assert client.get(url).status_code == 405
    client.force_login(world.secretary)
    assert client.post(url, {f"a{line.pk}-answer": "x", f"a{line.pk}-revision": "0"}).status_code == 403
    client.force_login(world.nonmember)
    assert client.post(url, {f"a{line.pk}-answer": "x", f"a{line.pk}-revision": "0"}).status_code == 404
    client.force_login(world.officer)
    client.post(url, {f"a{line.pk}-answer": "Đã bổ sung", f"a{line.pk}-revision": "0", f"a{line.pk}-files": pdf()})
    line.refresh_from_db()
    assert line.check_state == LineState.ANSWERED and line.evidence.count() == 1


def test_a_refused_answer_keeps_what_was_typed(client, world, sheet):
    line = queried_line(world, sheet)
    url = reverse("awards:line_answer", args=[line.pk])
    client.force_login(world.officer)
    fake = SimpleUploadedFile("bao-cao.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = client.post(url, {f"a{line.pk}-answer": "Đơn vị gửi báo cáo năm", f"a{line.pk}-revision": "0", f"a{line.pk}-files": fake})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Đơn vị gửi báo cáo năm</textarea>" in page and "Hãy chọn lại tệp minh chứng nếu có." in page
    line.refresh_from_db()
    assert line.check_state == LineState.QUERIED and line.answer == "" and line.evidence.count() == 0


def test_sheet_detail_queries_flat(client, world, scoring, django_assert_max_num_queries):
    sheet = scoring.sheets.get(agency=world.officer.agency_id)
    fill(sheet, bonus="1")
    client.force_login(world.officer)
    with django_assert_max_num_queries(40) as small:
        client.get(sheet.get_absolute_url())
    for line in criteria_lines(sheet):
        for _ in range(3):
            Evidence.objects.create(sheet=sheet, line=line, file="x.pdf", original_name="x.pdf", content_type="application/pdf",
                                    size=1, sha256="0" * 64, uploaded_by=world.officer)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(sheet.get_absolute_url())


def test_same_criteria_form_posted_twice_is_one_save(client, world, sheet):
    client.force_login(world.officer)
    url = reverse("awards:sheet_edit", args=[sheet.pk])
    line = criteria_lines(sheet)[0]
    data = form_data(sheet, **{f"l{line.pk}-points": "20"})
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same content: nothing to refuse, nothing doubled
    assert AuditEntry.objects.filter(action="scoresheet.save").count() == 2
    line.refresh_from_db()
    assert line.claimed_points == Decimal(20)


def test_admin_pages_lock_submitted_sheets(client, world, sheet, scoring):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.vn", "x")
    client.force_login(admin)
    for name in ("scoringround", "checkerassignment", "scoresheet", "evidence"):
        assert client.get(reverse(f"admin:awards_{name}_changelist")).status_code == 200, name
    change = reverse("admin:awards_scoresheet_change", args=[sheet.pk])
    assert 'name="_save"' in client.get(change).content.decode()
    fill(sheet)
    submit(sheet)
    assert 'name="_save"' not in client.get(change).content.decode()
