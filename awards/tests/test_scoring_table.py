"""The score table page, its .xlsx and PDF, and the ranking pages (issue 10): every view × role,
what each sees before and after publication, hostile input, query counts flat in the size."""

import io
import json
import shutil
import subprocess
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import LineState, Objection, RankingEntry, RankingRecord, RoundState, ScoreLine, ScoringRound
from awards.scoring import ranking
from awards.scoring.documents import document_of
from awards.tests.scoring import accept_all, fill, make_round, scored_round, submit
from core.models import AuditEntry, JobStatus
from emulation_portal.testing import build_world
from pledges.models import Criterion
from pledges.tests.helpers import make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoring(world, ninh_thuan_rules):
    return scored_round(world)


@pytest.fixture
def published(world, scoring):
    return ranking.ranking_publish(actor=world.secretary, scoring=scoring)


def url(name, obj):
    return reverse(f"awards:{name}", args=[obj.pk])


# --- the score table: who sees what ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretary", "board", "central"])
def test_secretaries_board_central_see_every_row_live(world, scoring, client_for, who):
    response = client_for(getattr(world, who)).get(url("score_table", scoring))
    assert response.status_code == 200
    table = response.context["table"]
    assert {r.agency_id for r in table.rows} == {a.pk for a in world.agencies}
    assert [r.rank for r in table.rows] == [1, 2, 3, 4] and not table.published
    page = response.content.decode()
    for agency in world.agencies:
        assert agency.name in page
    assert 'id="chart-data"' in page and "awards/charts.js" in page and "<script>" not in page


@pytest.mark.parametrize("who", ["officer", "leader"])
def test_a_member_sees_only_its_own_row_before_publication(world, scoring, client_for, who):
    # leaders[3]: a member that checks nobody (world.leader's agency is the deputy, which checks the head's sheet)
    user = world.officer if who == "officer" else world.leaders[3]
    response = client_for(user).get(url("score_table", scoring))
    assert response.status_code == 200
    rows = response.context["table"].rows
    assert [r.agency_id for r in rows] == [user.role_assignments.get().agency_id]
    assert rows[0].rank is None  # no rank out of a one-row view
    page = response.content.decode()
    others = [a for a in world.agencies if a.pk != rows[0].agency_id]
    assert all(a.name not in page for a in others)


@pytest.mark.parametrize("who", ["officer", "leader", "secretary", "central"])
def test_everyone_in_the_bloc_sees_the_published_rows(world, published, client_for, who):
    RankingEntry.objects.filter(round=published, agency=world.agencies[3]).update(total=D("1.5"))  # the published value is shown
    response = client_for(getattr(world, who)).get(url("score_table", published))
    table = response.context["table"]
    assert len(table.rows) == len(world.agencies) and table.published
    assert {r.agency_id: r.total for r in table.rows}[world.agencies[3].pk] == D("1.5")


@pytest.mark.parametrize("who", ["nonmember", "outsider", "stranger"])
def test_invisible_round_is_404(world, scoring, client_for, who):
    for name in ("score_table", "score_table_xlsx", "score_table_pdf"):
        assert client_for(getattr(world, who)).get(url(name, scoring)).status_code == 404


def test_anonymous_goes_to_login_and_forged_ids_are_404(world, scoring, client_for):
    for name in ("score_table", "score_table_xlsx", "ranking_publish", "objection_add"):
        response = client_for(None).get(url(name, scoring))
        assert response.status_code == 302 and "login" in response["Location"]
    secretary = client_for(world.secretary)
    assert secretary.get(reverse("awards:score_table", args=[999999])).status_code == 404
    assert secretary.post(reverse("awards:ranking_publish", args=[999999])).status_code == 404
    assert secretary.post(reverse("awards:objection_answer", args=[999999]), {"a999999-answer": "x"}).status_code == 404


def test_wrong_methods_are_405(world, scoring, client_for):
    c = client_for(world.secretary)
    assert c.post(url("score_table", scoring)).status_code == 405
    assert c.post(url("score_table_xlsx", scoring)).status_code == 405
    for name in ("ranking_publish", "ranking_freeze", "ranking_reopen", "objection_add"):
        assert c.get(url(name, scoring)).status_code == 405, name


# --- query counts ------------------------------------------------------------------------------


def _round_of(world, members, version):
    part = SimpleNamespace(**{**vars(world), "agencies": world.agencies[:members]})
    scoring = make_round(part, version=version)
    for sheet in scoring.sheets.all():
        accept_all(submit(fill(sheet, ratio=D("0.8"), bonus="1", penalty="0.5")), world.secretary)
    return scoring


def _criteria(start, stop):
    return [{"group": f"Nhóm {i // 5 + 1}", "text": f"Tiêu chí số {i + 1}", "max_points": D("3"), "target": ""} for i in range(start, stop)]


def _count(client, path):
    client.get(path)  # warm the rule-set cache and the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("published_first", [False, True])
def test_score_table_queries_flat_in_agencies_and_criteria(templates, client_for, published_first):
    """5 agencies × 10 criteria, then 15 × 30 (the round rebuilt on a longer pledge): same count."""
    from awards import services

    world = build_world(members=15)
    template = templates["Nghị định 91/2017/NĐ-CP"]
    services.rule_set_copy(actor=world.board, rule_set=template, province=world.province, name="Quy chế",
                           valid_from=template.valid_from, valid_to=template.valid_to)
    version = make_draft(world, criteria=_criteria(0, 10))
    counts = []
    for members, criteria in ((5, 10), (15, 30)):
        if criteria > version.criteria.count():
            ScoringRound.objects.filter(bloc_year=world.bloc_year).delete()
            Criterion.objects.bulk_create(Criterion(version=version, position=10 + i, **c) for i, c in enumerate(_criteria(10, criteria)))
        scoring = _round_of(world, members, version)
        if published_first:
            scoring = ranking.ranking_publish(actor=world.secretary, scoring=scoring)
        n, response = _count(client_for(world.secretary), url("score_table", scoring))
        assert len(response.context["table"].rows) == members and len(response.context["table"].criteria) == criteria
        counts.append(n)
    assert counts[0] == counts[1], counts
    assert counts[1] <= 25, counts


# --- publish / object / answer / freeze / reopen through the pages --------------------------------------


def test_publish_page_flow_and_refusal_message(world, ninh_thuan_rules, client_for):
    scoring = make_round(world)
    c = client_for(world.secretary)
    page = c.get(url("score_table", scoring)).content.decode()
    assert "Chưa công bố được kết quả dự kiến" in page and "Phiếu chưa gửi khối" in page
    response = c.post(url("ranking_publish", scoring), follow=True)
    assert "Phiếu chưa gửi khối" in response.content.decode()
    scoring.refresh_from_db()
    assert scoring.state == RoundState.OPEN
    for sheet in scoring.sheets.all():
        accept_all(submit(fill(sheet)), world.secretary)
    response = c.post(url("ranking_publish", scoring), follow=True)
    assert "Đã công bố kết quả dự kiến" in response.content.decode()
    scoring.refresh_from_db()
    assert scoring.state == RoundState.PUBLISHED
    # Posted twice (a second tab): refused with the workflow's message, nothing rewritten.
    response = c.post(url("ranking_publish", scoring), follow=True)
    assert "Kết quả đã được công bố." in response.content.decode()


@pytest.mark.parametrize("who", ["leader", "officer", "central"])
def test_visible_but_not_allowed_is_403(world, published, client_for, who):
    c = client_for(getattr(world, who))
    assert c.post(url("ranking_freeze", published)).status_code == 403
    assert c.post(url("ranking_reopen", published), {"reason": "x"}).status_code == 403
    assert c.post(url("ranking_publish", published)).status_code == 403


def test_central_cannot_object(world, published, client_for):
    assert client_for(world.central).post(url("objection_add", published), {"text": "Góp ý"}).status_code == 403


def test_objection_form_keeps_text_on_error_and_answer(world, published, client_for):
    officer = client_for(world.officer)
    page = officer.get(url("score_table", published)).content.decode()
    assert "Gửi góp ý" in page
    long_text = "Đề nghị " + "x" * ranking.OBJECTION_MAX_LENGTH
    response = officer.post(url("objection_add", published), {"text": long_text})
    assert response.status_code == 400 and long_text[:200] in response.content.decode()
    response = officer.post(url("objection_add", published), {"text": "Xin xem lại\x00"})
    assert response.status_code == 400 and not Objection.objects.exists()
    response = officer.post(url("objection_add", published), {"text": "Đề nghị xem lại tiêu chí 1"}, follow=True)
    assert "Đã gửi góp ý" in response.content.decode()
    objection = Objection.objects.get()
    secretary = client_for(world.secretary)
    page = secretary.get(url("score_table", published)).content.decode()
    assert "Đề nghị xem lại tiêu chí 1" in page and "trả lời hết rồi mới chốt" in page
    assert secretary.post(url("ranking_freeze", published), follow=True).context["scoring"].state == RoundState.PUBLISHED
    response = secretary.post(url("objection_answer", objection), {f"a{objection.pk}-answer": ""})
    assert response.status_code == 400
    assert officer.post(url("objection_answer", objection), {f"a{objection.pk}-answer": "Tự trả lời"}).status_code == 403
    response = secretary.post(url("objection_answer", objection), {f"a{objection.pk}-answer": "Giữ nguyên"}, follow=True)
    assert "Đã trả lời góp ý" in response.content.decode()
    page = secretary.get(url("score_table", published)).content.decode()
    assert "chốt sớm được vì mọi góp ý đã được trả lời" in page
    response = secretary.post(url("ranking_freeze", published), follow=True)
    assert "Đã chốt kết quả" in response.content.decode()


def test_reopen_page_requires_reason_and_history_shows_it(world, published, client_for):
    c = client_for(world.secretary)
    c.post(url("ranking_freeze", published))
    response = c.post(url("ranking_reopen", published), {"reason": "   "})
    assert response.status_code == 400
    published.refresh_from_db()
    assert published.state == RoundState.FROZEN
    response = c.post(url("ranking_reopen", published), {"reason": "Điều chỉnh điểm thưởng của Sở A"}, follow=True)
    page = response.content.decode()
    assert "Đã mở lại đợt chấm điểm" in page and "Điều chỉnh điểm thưởng của Sở A" in page
    assert AuditEntry.objects.filter(action="scoring.reopen").exists()


# --- .xlsx and PDF -----------------------------------------------------------------------------------


def test_xlsx_opens_with_the_same_totals(world, published, client_for):
    response = client_for(world.officer).get(url("score_table_xlsx", published))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][0] == "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA"
    header = rows[6]
    total_at, name_at = header.index("Tổng điểm"), header.index("Đơn vị")
    got = {r[name_at]: D(str(r[total_at])) for r in rows[7:7 + len(world.agencies)]}
    expected = {e.agency.name: e.total for e in RankingEntry.objects.filter(round=published).select_related("agency")}
    assert got == expected


def test_xlsx_before_publication_only_own_row_for_a_member(world, scoring, client_for):
    response = client_for(world.officer).get(url("score_table_xlsx", scoring))
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    names = [r[1] for r in rows[7:] if r and r[0] == 1]
    assert names == [a.name for a in world.agencies if a.pk == world.officer.role_assignments.get().agency_id]


def pdf_text(document):
    command = [shutil.which("pdftotext") or "/usr/bin/pdftotext", document.file.path, "-"]
    return " ".join(subprocess.run(command, capture_output=True, check=True, text=True).stdout.split())  # noqa: S603


def test_pdf_issued_at_freeze_has_every_agency_with_diacritics(world, published, client_for, django_capture_on_commit_callbacks):
    for agency in world.agencies[:2]:
        agency.name = {0: "Sở Nông nghiệp và Phát triển nông thôn", 1: "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"}[world.agencies.index(agency)]
        agency.save(update_fields=["name"])
    c = client_for(world.secretary)
    assert c.get(url("score_table_pdf", published)).status_code == 404  # nothing frozen yet
    with django_capture_on_commit_callbacks(execute=True):
        c.post(url("ranking_freeze", published))
    record = RankingRecord.objects.get(round=published)
    document = document_of(record)
    document.refresh_from_db()
    assert document.status == JobStatus.DONE, document.error
    text = pdf_text(document)
    for entry in RankingEntry.objects.filter(round=published).select_related("agency"):
        assert entry.agency.name in text, entry.agency.name
    assert "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA" in text.upper()
    response = c.get(url("score_table_pdf", published))
    assert response.status_code == 302 and document.code in response["Location"]
    page = client_for(world.officer).get(url("score_table", published)).content.decode()
    assert "Bản PDF đã chốt" in page


def test_chart_data_embedded_as_json(world, published, client_for):
    page = client_for(world.officer).get(url("score_table", published)).content.decode()
    start = page.index('<script id="chart-data" type="application/json">') + len('<script id="chart-data" type="application/json">')
    data = json.loads(page[start:page.index("</script>", start)])
    assert len(data["labels"]) == len(world.agencies) and data["totals"] == sorted(data["totals"], reverse=True)


def test_queried_line_blocks_publication_listed_on_the_page(world, ninh_thuan_rules, client_for):
    scoring = scored_round(world)
    ScoreLine.objects.filter(sheet__agency=world.agencies[2]).update(check_state=LineState.QUERIED)
    page = client_for(world.secretary).get(url("score_table", scoring)).content.decode()
    assert "Dòng chưa kiểm tra xong" in page and world.agencies[2].name in page


# --- the year-end minutes show the frozen ranking -----------------------------------------------------


def test_year_end_minutes_page_snapshot_and_pdf_show_the_frozen_ranking(world, published, client_for):
    from meetings.models import MeetingKind, MinutesRevision
    from meetings.tests.factories import approved, local
    from meetings.tests.factories import schedule as schedule_meeting

    ranking.ranking_freeze(actor=world.secretary, scoring=published)
    mid_year = schedule_meeting(world)
    assert "year-end-ranking" not in client_for(world.officer).get(mid_year.get_absolute_url()).content.decode()
    meeting = approved(world, kind=MeetingKind.YEAR_END, starts_at=local(2022, 12, 20, 8, 0))
    page = client_for(world.officer).get(meeting.get_absolute_url()).content.decode()
    assert 'id="year-end-ranking"' in page
    for agency in world.agencies:
        assert agency.name in page
    snapshot = MinutesRevision.objects.get(meeting=meeting).snapshot
    assert [r["agency"] for r in snapshot["ranking"]["rows"]] == [a.name for a in world.agencies]
    from core.models import IssuedDocument

    text = pdf_text(IssuedDocument.objects.get(kind="minutes"))
    assert "Kết quả chấm điểm, xếp hạng thi đua:" in text
    for agency in world.agencies:
        assert agency.name in text


def test_minutes_of_other_kinds_and_unfrozen_rounds_have_no_ranking(world, published):
    from meetings.models import MeetingKind
    from meetings.snapshot import minutes_snapshot
    from meetings.tests.factories import local
    from meetings.tests.factories import schedule as schedule_meeting

    meeting = schedule_meeting(world, kind=MeetingKind.YEAR_END, starts_at=local(2022, 12, 20, 8, 0))
    assert "ranking" not in minutes_snapshot(meeting)  # published, not frozen
    assert "ranking" not in minutes_snapshot(schedule_meeting(world))
