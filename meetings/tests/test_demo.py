from django.urls import reverse
from django.utils import timezone

from core.models import IssuedDocument, JobStatus
from meetings.models import Article, Meeting, MeetingState


def test_demo_holds_the_four_seed_meetings(db, client):
    from blocs import demo as blocs_demo
    from meetings import demo

    blocs_demo.load()
    try:
        from pledges import demo as pledges_demo
    except ImportError:  # pragma: no cover
        pledges_demo = None
    if pledges_demo is not None:
        pledges_demo.load()
    demo.load()
    demo.load()  # idempotent
    meetings = {(m.bloc_year.bloc.name, m.starts_at.date().isoformat()): m
                for m in Meeting.objects.select_related("bloc_year__bloc").filter(state=MeetingState.PUBLISHED)}
    assert len(meetings) == 4
    # and the work left due for the reminders: 2022's year-end minutes to approve, a meeting next week
    assert Meeting.objects.filter(state=MeetingState.SUBMITTED).count() == 1
    assert Meeting.objects.filter(state=MeetingState.PLANNED, starts_at__gt=timezone.now()).count() == 1
    mid_year = meetings[("Khối thi đua các cơ quan tham mưu tổng hợp", "2020-06-17")]
    assert mid_year.attendances.filter(present=True).count() == 7
    assert mid_year.guests.count() == 1 and mid_year.photos.count() == 2
    signing_b = meetings[("Khối tổng hợp", "2021-01-22")]
    assert signing_b.chair_name == "Trần Thị Hoài Trâm" and signing_b.attendances.count() == 11 and signing_b.decisions.count() == 6
    signing_2022 = meetings[("Khối thi đua các cơ quan tham mưu tổng hợp", "2022-02-28")]
    if pledges_demo is not None:
        assert signing_2022.pledge is not None and signing_2022.pledge.bloc_year_id == signing_2022.bloc_year_id
    assert IssuedDocument.objects.filter(kind="minutes", status=JobStatus.DONE).count() == 4
    assert Article.objects.filter(is_published=True).count() == 4
    page = client.get(reverse("meetings:news_list", args=["ninh-thuan"])).content.decode()
    titles = [a.title for a in Article.objects.filter(province__code="ninh-thuan").order_by("-published_at")]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)  # newest first
    index = client.get(reverse("meetings:news_index")).content.decode()
    assert "Tỉnh An Lạc" in index and "minh họa" not in index and "tin bài 003" not in index  # named like a province
    photo = mid_year.photos.first()
    assert client.get(reverse("meetings:photo", args=[photo.pk, "thumb"])).status_code == 200
