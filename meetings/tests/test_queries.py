"""Query counts stay flat whatever the number of meetings or articles."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import MeetingKind

from .factories import image_upload, local, published, record, schedule


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_meetings(world, n, start):
    for i in range(n):
        meeting = schedule(world, kind=MeetingKind.OTHER, starts_at=local(2022, 3, 1) + datetime.timedelta(days=start + i))
        record(world, meeting, present=i % 4)


def test_timeline_is_flat(world, client_for):
    client = client_for(world.officer)
    url = reverse("meetings:timeline", args=[world.bloc_year.pk])
    add_meetings(world, 3, 0)
    three = count(client, url)
    add_meetings(world, 9, 10)
    assert count(client, url) == three


def test_meeting_list_is_flat(world, client_for):
    client = client_for(world.board)
    add_meetings(world, 3, 0)
    three = count(client, reverse("meetings:list"))
    add_meetings(world, 9, 10)
    assert count(client, reverse("meetings:list")) == three


def test_news_list_is_flat(world, client_for):
    client = client_for(None)
    url = reverse("meetings:news_list", args=[world.province.code])
    for i in range(3):
        published(world, kind=MeetingKind.OTHER, starts_at=local(2022, 4, 1 + i))
    three = count(client, url)
    for i in range(7):
        meeting = published(world, kind=MeetingKind.OTHER, starts_at=local(2022, 5, 1 + i))
        if i == 0:
            from meetings import services

            services.minutes_reopen(actor=world.secretary, meeting=meeting, reason="ảnh")
            record(world, meeting, new_photos=[(image_upload(), "Toàn cảnh")])
    assert count(client, url) == three


def test_meeting_detail_is_flat(world, client_for):
    client = client_for(world.officer)
    small = schedule(world)
    record(world, small, new_photos=[(image_upload(), "a")])
    big = schedule(world, starts_at=local(2022, 6, 18))
    record(world, big, new_photos=[(image_upload(), str(i)) for i in range(4)], decisions=[f"Quyết nghị {i}" for i in range(8)])
    assert count(client, small.get_absolute_url()) == count(client, big.get_absolute_url())


def test_home_panel_is_flat(world, rf):
    from meetings.home import meetings_panel

    def panel_queries():
        request = rf.get("/")
        request.user = world.secretary
        world.secretary.__dict__.pop("_portal_roles", None)
        with CaptureQueriesContext(connection) as ctx:
            panel = meetings_panel(request)
        return len(ctx.captured_queries), panel

    schedule(world)
    few, panel = panel_queries()
    assert panel["bloc_years"]
    add_meetings(world, 6, 10)
    assert panel_queries()[0] == few
