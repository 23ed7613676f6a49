"""Meetings security: who approves the minutes, ids of other meetings in a form, locked minutes, calendar files."""

import pytest
from django.urls import reverse

from blocs.models import Role, RoleAssignment
from core.models import Notification
from emulation_portal.testing import make_bloc_year, make_user
from meetings import services
from meetings.models import Meeting, MeetingState
from meetings.services.minutes import approvers_of

from .factories import approved, image_upload, local, record, schedule
from .test_forms import minutes_data


def _submitted(world, **fields):
    meeting = schedule(world, **fields)
    record(world, meeting)
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    return meeting


# --- who approves ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretary", "board"])
def test_who_writes_the_minutes_cannot_approve_them_as_the_chair(world, client_for, who):
    """The secretary (or the board) could name their own account as the chair's and approve their own minutes."""
    meeting = _submitted(world)
    writer = getattr(world, who)
    Meeting.objects.filter(pk=meeting.pk).update(chair_user=writer)  # named before the rule existed, or by hand
    response = client_for(writer).post(reverse("meetings:approve", args=[meeting.pk]))
    assert response.status_code == 403
    response = client_for(writer).post(reverse("meetings:return", args=[meeting.pk]), {"reason": "Sửa lại"})
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.SUBMITTED


def test_scheduling_refuses_the_secretary_as_the_chairs_account(world, client_for):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        schedule(world, chair_user=world.secretary)
    assert "chair_user" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_the_head_agencys_leader_and_a_member_chair_still_approve(world, client_for):
    meeting = _submitted(world, chair_user=world.leaders[2])
    assert client_for(world.leaders[2]).post(reverse("meetings:approve", args=[meeting.pk])).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED
    other = _submitted(world, starts_at=local(2022, 7, 1))
    assert client_for(world.leaders[0]).post(reverse("meetings:approve", args=[other.pk])).status_code == 302


@pytest.mark.parametrize("who", ["leader", "officer", "central", "nonmember", "stranger"])
def test_other_people_cannot_approve(world, client_for, who):
    meeting = _submitted(world)
    response = client_for(getattr(world, who)).post(reverse("meetings:approve", args=[meeting.pk]))
    assert response.status_code in (403, 404)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.SUBMITTED


def test_a_chair_who_also_writes_the_minutes_is_not_an_approver(world):
    """The chair's account is also the bloc-year's secretary: the rule refuses them, so they are not listed."""
    chair = world.leaders[2]
    RoleAssignment.objects.create(user=chair, role=Role.SECRETARY, bloc_year=world.bloc_year)
    meeting = schedule(world)
    Meeting.objects.filter(pk=meeting.pk).update(chair_user=chair)  # scheduling would refuse this account now
    record(world, meeting)
    meeting = services.minutes_submit(actor=world.secretary, meeting=meeting)
    assert meeting.chair_user_id == chair.pk
    assert set(approvers_of(meeting)) == {world.leaders[0]}
    assert not Notification.objects.filter(user=chair).exists()
    assert Notification.objects.filter(user=world.leaders[0]).count() == 1


def test_a_member_chair_and_the_head_leader_are_approvers(world):
    meeting = schedule(world, chair_user=world.leaders[2])
    record(world, meeting)
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    assert set(approvers_of(meeting)) == {world.leaders[0], world.leaders[2]}
    assert Notification.objects.filter(user__in=[world.leaders[0], world.leaders[2]]).count() == 2


# --- another bloc's objects --------------------------------------------------------------------


@pytest.fixture
def other_bloc(world):
    """A second bloc-year of the same province with its own secretary and a meeting with a photo."""
    from emulation_portal.testing import make_agency

    agencies = [world.outside_agency, make_agency(world.province)]
    bloc_year = make_bloc_year(world.province, agencies, head=agencies[0])
    secretary = make_user(agency=agencies[0], role=Role.SECRETARY, bloc_year=bloc_year)
    meeting = services.meeting_schedule(
        actor=secretary, bloc_year=bloc_year, kind="mid_year", starts_at=local(2022, 6, 20), venue="Hội trường B",
    )
    services.minutes_record(actor=secretary, meeting=meeting, new_photos=[(image_upload(), "Ảnh khối B")])
    return bloc_year, secretary, meeting


def test_a_secretary_of_bloc_a_cannot_reach_bloc_b(world, client_for, other_bloc):
    bloc_year, _secretary, meeting = other_bloc
    client = client_for(world.secretary)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:timeline", args=[bloc_year.pk])).status_code == 404
    assert client.post(reverse("meetings:create", args=[bloc_year.pk]), {}).status_code == 404
    assert client.post(reverse("meetings:minutes", args=[meeting.pk]), {}).status_code == 404
    photo = meeting.photos.get()
    assert client.get(reverse("meetings:photo", args=[photo.pk, "thumb"])).status_code == 404


def test_minutes_form_ignores_a_photo_of_another_meeting(world, client_for, other_bloc):
    _bloc_year, _secretary, other = other_bloc
    foreign = other.photos.get()
    meeting = schedule(world)
    data = minutes_data(
        world, meeting,
        **{"photo-TOTAL_FORMS": "1", "photo-0-photo_id": str(foreign.pk), "photo-0-caption": "chiếm", "photo-0-DELETE": "on"},
    )
    response = client_for(world.secretary).post(reverse("meetings:minutes", args=[meeting.pk]), data)
    assert response.status_code == 302
    foreign.refresh_from_db()
    assert foreign.caption == "Ảnh khối B"


def test_minutes_form_refuses_an_agency_outside_the_bloc(world, client_for, other_bloc):
    meeting = schedule(world)
    data = minutes_data(world, meeting, **{"att-0-agency": str(world.outside_agency.pk)})
    response = client_for(world.secretary).post(reverse("meetings:minutes", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert not meeting.attendances.filter(agency=world.outside_agency).exists()


def test_minutes_form_refuses_the_pledge_of_another_bloc(world, client_for, other_bloc):
    from pledges import services as pledge_services

    bloc_year, secretary, _meeting = other_bloc
    foreign = pledge_services.pledge_create(actor=secretary, bloc_year=bloc_year).pledge
    meeting = schedule(world, kind="signing", starts_at=local(2022, 2, 28))
    data = minutes_data(world, meeting, pledge=str(foreign.pk))
    response = client_for(world.secretary).post(reverse("meetings:minutes", args=[meeting.pk]), data)
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.pledge_id is None


def test_schedule_refuses_a_host_or_chair_outside_the_bloc(world, client_for):
    from .test_forms import schedule_data

    data = schedule_data(host=str(world.outside_agency.pk), chair_user=str(world.nonmember.pk))
    response = client_for(world.secretary).post(reverse("meetings:create", args=[world.bloc_year.pk]), data)
    assert response.status_code == 200
    assert not Meeting.objects.exists()


# --- locked minutes ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretary", "board"])
def test_approved_minutes_cannot_be_changed(world, client_for, who):
    meeting = approved(world, render=False)
    client = client_for(getattr(world, who))
    client.post(reverse("meetings:minutes", args=[meeting.pk]), minutes_data(world, meeting, discussion="Sửa sau khi duyệt"))
    client.post(reverse("meetings:edit", args=[meeting.pk]), {"venue": "Nơi khác"})
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED
    assert meeting.discussion != "Sửa sau khi duyệt" and meeting.venue != "Nơi khác"


# --- calendar file -----------------------------------------------------------------------------


def test_calendar_file_keeps_user_text_inside_its_property(world, client_for):
    meeting = schedule(world, venue="Hội trường\r\nATTENDEE:mailto:evil@example.com", agenda="Khai mạc\nEND:VEVENT")
    response = client_for(world.officer).get(reverse("meetings:ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    lines = response.content.decode().replace("\r\n ", "").split("\r\n")
    assert not any(line.startswith("ATTENDEE") for line in lines)
    assert lines.count("END:VEVENT") == 1


# --- public pages and user text ----------------------------------------------------------------


def test_photos_turn_private_again_when_the_minutes_are_reopened(world, client_for):
    from meetings.drafting import draft_article

    from .factories import approve

    meeting = schedule(world)
    record(world, meeting, new_photos=[(image_upload(), "Toàn cảnh")])
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    approve(world, meeting, render=False)

    article = services.article_save(actor=world.secretary, meeting=meeting, **draft_article(meeting))
    services.article_publish(actor=world.secretary, meeting=meeting)
    thumb = reverse("meetings:photo", args=[meeting.photos.get().pk, "thumb"])
    assert client_for(None).get(thumb).status_code == 200
    services.minutes_reopen(actor=world.secretary, meeting=meeting, reason="Sửa số biên bản")
    assert client_for(None).get(thumb).status_code == 404
    assert client_for(None).get(reverse("meetings:news_detail", args=[world.province.code, article.pk])).status_code == 404


def test_minutes_preview_escapes_user_text(world, client_for):
    meeting = schedule(world, agenda="<script>alert(1)</script>")
    record(world, meeting, discussion="<script>alert(2)</script>", decisions=["<img src=x onerror=alert(3)>"])
    page = client_for(world.officer).get(reverse("meetings:minutes_preview", args=[meeting.pk])).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
