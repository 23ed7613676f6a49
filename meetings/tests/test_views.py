"""Every view × each role: allowed, 403 (read-only), 404 (outsider), login redirect, wrong method 405."""

import pytest
from django.urls import reverse

from meetings.models import MeetingState

from .factories import approved, image_upload, published, record, schedule

READERS = ["board", "central", "secretary", "leader", "officer", "head_leader"]
OUTSIDERS = ["nonmember", "outsider", "stranger"]
EDITORS = ["board", "secretary"]


def user_of(world, who):
    if who == "head_leader":
        return world.leaders[0]
    return getattr(world, who)


def expected(who, *, allowed):
    if who in allowed:
        return 200
    if who in OUTSIDERS:
        return 404
    return 403


READ_PAGES = ["meetings:timeline", "meetings:detail", "meetings:ics", "meetings:minutes_preview", "meetings:documents"]
EDIT_PAGES = ["meetings:create", "meetings:edit", "meetings:minutes", "meetings:article"]


def url_for(name, world, meeting):
    if name in ("meetings:timeline", "meetings:create"):
        return reverse(name, args=[world.bloc_year.pk])
    return reverse(name, args=[meeting.pk])


@pytest.mark.parametrize("who", READERS + OUTSIDERS)
@pytest.mark.parametrize("name", READ_PAGES)
def test_read_pages(world, client_for, who, name):
    meeting = approved(world, render=False)
    response = client_for(user_of(world, who)).get(url_for(name, world, meeting))
    assert response.status_code == expected(who, allowed=READERS)


@pytest.mark.parametrize("who", READERS + OUTSIDERS)
@pytest.mark.parametrize("name", EDIT_PAGES)
def test_edit_pages(world, client_for, who, name):
    meeting = approved(world, render=False) if name == "meetings:article" else schedule(world)
    response = client_for(user_of(world, who)).get(url_for(name, world, meeting))
    assert response.status_code == expected(who, allowed=EDITORS)


@pytest.mark.parametrize("name", READ_PAGES + EDIT_PAGES + ["meetings:list"])
def test_anonymous_is_sent_to_login(world, client_for, name):
    meeting = schedule(world)
    url = reverse(name) if name == "meetings:list" else url_for(name, world, meeting)
    response = client_for(None).get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("name", READ_PAGES + ["meetings:list"])
def test_get_only_pages_refuse_post(world, client_for, name):
    meeting = schedule(world)
    url = reverse(name) if name == "meetings:list" else url_for(name, world, meeting)
    assert client_for(world.secretary).post(url).status_code == 405


@pytest.mark.parametrize("name", EDIT_PAGES)
def test_form_pages_refuse_put(world, client_for, name):
    meeting = approved(world, render=False)
    assert client_for(world.secretary).put(url_for(name, world, meeting)).status_code == 405


ACTIONS = ["meetings:submit", "meetings:approve", "meetings:return", "meetings:reopen", "meetings:cancel", "meetings:unpublish"]


@pytest.mark.parametrize("name", ACTIONS)
def test_actions_refuse_get(world, client_for, name):
    meeting = schedule(world)
    assert client_for(world.secretary).get(reverse(name, args=[meeting.pk])).status_code == 405


@pytest.mark.parametrize(
    ("name", "state", "allowed"),
    [
        ("meetings:cancel", "planned", EDITORS),
        ("meetings:submit", "held", EDITORS),
        ("meetings:approve", "submitted", ["head_leader"]),
        ("meetings:return", "submitted", ["head_leader"]),
        ("meetings:reopen", "approved", EDITORS),
        ("meetings:publish", "approved", EDITORS),
        ("meetings:unpublish", "published", EDITORS),
    ],
)
@pytest.mark.parametrize("who", READERS + OUTSIDERS)
def test_actions_by_role(world, client_for, name, state, allowed, who):
    from meetings import services

    if state == "published":
        meeting = published(world)
    elif state == "approved":
        meeting = approved(world, render=False)
        from meetings.drafting import draft_article

        services.article_save(actor=world.secretary, meeting=meeting, **draft_article(meeting))
    elif state == "planned":
        meeting = schedule(world)
    else:
        meeting = schedule(world)
        record(world, meeting)
        if state == "submitted":
            services.minutes_submit(actor=world.secretary, meeting=meeting)
    response = client_for(user_of(world, who)).post(reverse(name, args=[meeting.pk]), {"reason": "Lý do"})
    if who in allowed:
        assert response.status_code == 302
        meeting.refresh_from_db()
        assert meeting.state != state
    else:
        assert response.status_code == expected(who, allowed=allowed)
        meeting.refresh_from_db()
        assert meeting.state == state


def test_chair_user_may_approve(world, client_for):
    from meetings import services

    meeting = schedule(world, chair_user=world.leaders[2])
    record(world, meeting)
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    response = client_for(world.leaders[2]).post(reverse("meetings:approve", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED


def test_meeting_list_shows_only_visible(world, client_for):
    schedule(world)
    assert "Sở Kế hoạch và Đầu tư" in client_for(world.officer).get(reverse("meetings:list")).content.decode()
    assert "Sở Kế hoạch và Đầu tư" not in client_for(world.outsider).get(reverse("meetings:list")).content.decode()


# --- public pages -------------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, "officer", "outsider"])
def test_news_pages_are_public(world, client_for, who):
    meeting = published(world)
    client = client_for(user_of(world, who) if who else None)
    code = world.province.code
    listing = client.get(reverse("meetings:news_list", args=[code]))
    assert listing.status_code == 200 and meeting.article.title in listing.content.decode()
    detail = client.get(reverse("meetings:news_detail", args=[code, meeting.article.pk]))
    assert detail.status_code == 200 and meeting.article.title in detail.content.decode()
    assert client.get(reverse("meetings:news_index")).status_code == 200


def test_unpublished_article_is_404(world, client_for):
    from meetings import services
    from meetings.drafting import draft_article

    meeting = approved(world, render=False)
    article = services.article_save(actor=world.secretary, meeting=meeting, **draft_article(meeting))
    anonymous = client_for(None)
    assert anonymous.get(reverse("meetings:news_detail", args=[world.province.code, article.pk])).status_code == 404
    assert article.title not in anonymous.get(reverse("meetings:news_list", args=[world.province.code])).content.decode()
    # the article of one province is not found under another
    from .factories import local

    meeting = published(world, starts_at=local(2022, 7, 1))
    assert anonymous.get(reverse("meetings:news_detail", args=[world.other_province.code, meeting.article.pk])).status_code == 404
    assert anonymous.get(reverse("meetings:news_list", args=["khong-co"])).status_code == 404


@pytest.mark.parametrize("name", ["meetings:news_index", "meetings:news_list", "meetings:news_detail"])
def test_news_pages_refuse_post(world, client_for, name):
    meeting = published(world)
    args = {"meetings:news_index": [], "meetings:news_list": [world.province.code], "meetings:news_detail": [world.province.code, meeting.article.pk]}[name]
    assert client_for(None).post(reverse(name, args=args)).status_code == 405


def test_photos_public_only_once_published(world, client_for):
    from meetings import services

    meeting = schedule(world)
    record(world, meeting, new_photos=[(image_upload(), "Toàn cảnh Hội nghị")])
    photo = meeting.photos.get()
    thumb = reverse("meetings:photo", args=[photo.pk, "thumb"])
    assert client_for(None).get(thumb).status_code == 404
    assert client_for(world.outsider).get(thumb).status_code == 404
    response = client_for(world.officer).get(thumb)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client_for(world.officer).get(reverse("meetings:photo", args=[photo.pk, "huge"])).status_code == 404
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    from .factories import approve

    approve(world, meeting, render=False)
    from meetings.drafting import draft_article

    services.article_save(actor=world.secretary, meeting=meeting, **draft_article(meeting))
    services.article_publish(actor=world.secretary, meeting=meeting)
    assert client_for(None).get(thumb).status_code == 200
    assert client_for(None).get(reverse("meetings:photo", args=[photo.pk, "full"])).status_code == 200


def test_home_panel_for_members_and_approvers(world, client_for):
    from meetings import services

    meeting = schedule(world)
    record(world, meeting)
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    page = client_for(world.leaders[0]).get(reverse("home")).content.decode()
    assert "Biên bản chờ anh/chị duyệt" in page and meeting.get_absolute_url() in page
    assert "Biên bản chờ anh/chị duyệt" not in client_for(world.officer).get(reverse("home")).content.decode()
