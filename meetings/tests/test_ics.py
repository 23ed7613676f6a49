import datetime

from django.urls import reverse
from icalendar import Calendar

from meetings import services

from .factories import local, schedule


def test_ics_parses_with_the_right_local_time(world, client_for):
    meeting = schedule(world, starts_at=local(2022, 2, 28, 14, 0), ends_at=local(2022, 2, 28, 16, 30), venue="Hội trường tầng III, UBND tỉnh")
    response = client_for(world.officer).get(reverse("meetings:ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    event = next(iter(calendar.walk("VEVENT")))
    start = event.decoded("dtstart")
    assert start.utcoffset() == datetime.timedelta(hours=7)
    assert (start.hour, start.minute) == (14, 0)
    assert start.astimezone(datetime.UTC).hour == 7
    assert event.decoded("dtend").astimezone(datetime.UTC) == datetime.datetime(2022, 2, 28, 9, 30, tzinfo=datetime.UTC)
    assert str(event["location"]) == "Hội trường tầng III, UBND tỉnh"
    assert "Hội nghị sơ kết 6 tháng" in str(event["summary"])
    assert b"TZID=Asia/Ho_Chi_Minh" in response.content


def test_ics_uid_and_url_come_from_the_same_host_and_end_time_from_the_meeting(world, client_for, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"  # the default: must not leak into the UID
    settings.ALLOWED_HOSTS = ["thidua.example.gov.vn"]
    meeting = schedule(world, starts_at=local(2022, 2, 28, 14, 0), ends_at=local(2022, 2, 28, 16, 30))
    response = client_for(world.officer).get(reverse("meetings:ics", args=[meeting.pk]), HTTP_HOST="thidua.example.gov.vn")
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert str(event["uid"]) == f"meeting-{meeting.pk}@thidua.example.gov.vn"
    assert str(event["url"]) == f"http://thidua.example.gov.vn{meeting.get_absolute_url()}"
    end = event.decoded("dtend")
    assert (end.hour, end.minute, end.utcoffset()) == (16, 30, datetime.timedelta(hours=7))


def test_a_cancelled_meeting_exports_as_cancelled_with_the_same_uid(world, client_for):
    meeting = schedule(world)
    url = reverse("meetings:ics", args=[meeting.pk])
    before = next(iter(Calendar.from_ical(client_for(world.officer).get(url).content).walk("VEVENT")))
    assert str(before["status"]) == "CONFIRMED"
    services.meeting_cancel(actor=world.secretary, meeting=meeting, reason="Trùng lịch họp của tỉnh")
    after = next(iter(Calendar.from_ical(client_for(world.officer).get(url).content).walk("VEVENT")))
    assert str(after["status"]) == "CANCELLED" and int(after["sequence"]) == 1
    assert str(after["uid"]) == str(before["uid"])


def test_a_cancelled_meeting_page_promises_no_minutes_pdf(world, client_for):
    meeting = schedule(world)
    assert "Bản PDF được tạo khi biên bản được duyệt." in client_for(world.secretary).get(meeting.get_absolute_url()).content.decode()
    services.meeting_cancel(actor=world.secretary, meeting=meeting, reason="Trùng lịch họp của tỉnh")
    body = client_for(world.secretary).get(meeting.get_absolute_url()).content.decode()
    assert "Bản PDF được tạo khi biên bản được duyệt." not in body and "Trùng lịch họp của tỉnh" in body
