"""The vote-count record (one per round, through the document service, public verify), and the
year-end minutes: the meeting page's part and the approved minutes' snapshot (and PDF part)."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from awards.ballots import documents, minutes, services
from awards.models import BallotMode
from awards.tests.test_ballots_helpers import nominate, opened, vote
from core.documents import document_rules, preview_html
from core.models import IssuedDocument
from meetings.models import Meeting, MeetingKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world):
    return Meeting.objects.create(bloc_year=world.bloc_year, kind=MeetingKind.YEAR_END, starts_at=timezone.now(),
                                  venue="Hội trường tầng III, UBND tỉnh", chair_name="Nguyễn Văn A", chair_title="Giám đốc Sở Nội vụ")


@pytest.fixture
def closed(world, ninh_thuan_rules, meeting, django_capture_on_commit_callbacks):
    nominate(world, (0, 1))
    ballot = opened(world, meeting=meeting)
    a = world.agencies
    for i in range(4):
        vote(world, ballot, i, agree=[a[0]], head=a[1], deputy=a[2])
    with django_capture_on_commit_callbacks(execute=True):
        return services.ballot_close(actor=world.secretary, ballot=ballot)


def test_record_issued_at_close_and_verified_publicly(world, closed, client):
    [record] = documents.records_of(closed)
    assert record.kind == "awards.ballot_record" and record.source == closed and record.is_ready
    assert document_rules(record.kind) == ("awards.view_ballot", "awards.run_ballot")
    lines = record.summary["lines"]
    assert "4/4 thành viên có mặt" in lines[0] and any("100,00 %" in line and "đạt" in line for line in lines)
    page = client.get(reverse("verify", args=[record.code]))
    assert page.status_code == 200 and record.code in page.content.decode()
    data = documents.record_data(closed, 1)
    assert data["elected"] == {"head": world.agencies[1].name, "deputy": world.agencies[2].name}
    assert data["voters"] == sorted(a.name for a in world.agencies)


def test_record_preview_has_the_decree_30_layout(world, closed):
    html = preview_html(kind="awards.ballot_record", source=closed)
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Biên bản kiểm phiếu", "NGƯỜI LẬP BIÊN BẢN", "CHỦ TRÌ", "Nguyễn Văn A",
                 "Trưởng khối: " + world.agencies[1].name):
        assert text in html


def test_a_second_round_has_its_own_record(world, ninh_thuan_rules, django_capture_on_commit_callbacks):
    nominate(world, (0,))
    ballot = opened(world, mode=BallotMode.ONLINE, elect_deputy=False)
    with django_capture_on_commit_callbacks(execute=True):
        ballot = services.ballot_close(actor=world.secretary, ballot=ballot)  # nobody voted: no quorum
    ballot = services.ballot_next_round(actor=world.secretary, ballot=ballot)
    a = world.agencies
    for i in range(4):
        vote(world, ballot, i, agree=[a[0]], head=a[3])
    with django_capture_on_commit_callbacks(execute=True):
        ballot = services.ballot_close(actor=world.secretary, ballot=ballot)
    records = documents.records_of(ballot)
    assert [r.kind for r in records] == ["awards.ballot_record", "awards.ballot_record.2"]
    assert records[1].title.endswith("(vòng 2)") and IssuedDocument.objects.count() == 2
    first = documents.record_data(ballot, 1)
    assert all(c["passed"] is None for q in first["questions"] for c in q["candidates"])


def test_year_end_minutes_show_the_results(world, closed, meeting, client_for):
    part = minutes._minutes_ballots(meeting)
    [found] = part["ballots"]
    assert found["head"] == world.agencies[1].name and found["deputy"] == world.agencies[2].name
    award = found["questions"][0]
    assert award["candidates"][0]["yes"] == 4 and award["candidates"][0]["passed"] is True
    html = render_to_string("awards/ballots/minutes_document_part.html", {"m": part})
    assert "Kết quả bỏ phiếu bình xét, suy tôn" in html and "Trúng cử" in html and world.agencies[1].name in html
    from meetings.snapshot import minutes_snapshot

    assert minutes_snapshot(meeting)["ballots"] == part["ballots"]
    Meeting.objects.filter(pk=meeting.pk).update(state="held")
    page = client_for(world.leader).get(meeting.get_absolute_url()).content.decode()
    assert 'id="year-end-ballots"' in page and "Trưởng khối năm sau" in page


def test_minutes_ignore_other_meetings_and_open_ballots(world, ninh_thuan_rules, meeting):
    other = Meeting.objects.create(bloc_year=world.bloc_year, kind=MeetingKind.MID_YEAR, starts_at=timezone.now(), venue="x")
    assert minutes._minutes_ballots(other) is None
    nominate(world, (0,))
    opened(world, meeting=meeting)
    assert minutes._minutes_ballots(meeting) is None  # still open: nothing of it in the minutes
    assert minutes.ballot_results(meeting) == []


def test_meeting_slot_part(world, closed, meeting, rf):
    request = rf.get("/")
    request.user = world.leader
    part = minutes._meeting_ballots(request, meeting)
    assert part["template"] == "awards/ballots/minutes_part.html" and part["ballots"][0]["head"] == world.agencies[1].name
    html = render_to_string(part["template"], part)
    assert "Trưởng khối năm sau" in html and closed.get_absolute_url() in html
