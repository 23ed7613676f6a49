"""The minutes form posted again: a double click, a browser retry, a stale tab.

The posts are built from the page itself, as a browser would send them: the management data
and rows of the page that was loaded, whatever has been saved since.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from meetings.models import Meeting

from .factories import image_upload, record, schedule


class _FormFields(HTMLParser):
    """The name/value pairs a browser would post from the page's minutes form (no files)."""

    def __init__(self):
        super().__init__()
        self.fields, self._textarea, self._select, self._inside = [], None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "minutes-form":
            self._inside = True
        if not self._inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("file", "submit"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            else:
                self.fields.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            value = self._textarea[1]
            self.fields.append((self._textarea[0], value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._inside = False


def page_data(client, meeting):
    response = client.get(reverse("meetings:minutes", args=[meeting.pk]))
    assert response.status_code == 200
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.fields:
        data[name] = value
    return data


def post(client, meeting, data):
    return client.post(reverse("meetings:minutes", args=[meeting.pk]), data)


def typed(data, world):
    """What the secretary types into the empty form: attendance, two guests, two decisions."""
    data = dict(data)
    for i in range(len(world.agencies)):
        data[f"att-{i}-present"] = "on"
        data[f"att-{i}-representative_name"] = f"Người Dự {i}"
    data.update(
        {
            "minutes_number": "07/BB-KTĐ",
            "secretary_name": "Trần Thư Ký",
            "discussion": "Các đại biểu thảo luận",
            "guest-0-name": "Lê Thị Khách",
            "guest-0-organization": "Ban Thi đua – Khen thưởng",
            "guest-1-name": "Phạm Văn Mời",
            "dec-0-text": "Thống nhất báo cáo sơ kết",
            "dec-1-text": "Giao Trưởng khối hoàn thiện kế hoạch",
        }
    )
    return data


def saved(meeting):
    meeting = Meeting.objects.get(pk=meeting.pk)
    return (
        [(g.name, g.organization) for g in meeting.guests.all()],
        [d.text for d in meeting.decisions.all()],
        sorted((a.agency_id, a.present, a.representative_name) for a in meeting.attendances.all()),
    )


GUESTS = [("Lê Thị Khách", "Ban Thi đua – Khen thưởng"), ("Phạm Văn Mời", "")]
DECISIONS = ["Thống nhất báo cáo sơ kết", "Giao Trưởng khối hoàn thiện kế hoạch"]


def test_double_post_of_a_new_form_keeps_guests_and_decisions(world, client_for):
    meeting = schedule(world)
    client = client_for(world.secretary)
    data = typed(page_data(client, meeting), world)
    for _ in range(3):
        response = post(client, meeting, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        guests, decisions, attendance = saved(meeting)
        assert guests == GUESTS and decisions == DECISIONS
        assert len(attendance) == len(world.agencies) and all(present for _pk, present, _name in attendance)


def test_double_post_of_a_loaded_form_keeps_guests_and_decisions(world, client_for):
    meeting = schedule(world)
    client = client_for(world.secretary)
    post(client, meeting, typed(page_data(client, meeting), world))
    data = page_data(client, meeting)
    assert data["guest-0-name"] == "Lê Thị Khách" and data["dec-1-text"] == DECISIONS[1]
    data["dec-2-text"] = "Quyết nghị thứ ba"
    for _ in range(2):
        assert post(client, meeting, data).status_code == 302
        guests, decisions, _attendance = saved(meeting)
        assert guests == GUESTS and decisions == [*DECISIONS, "Quyết nghị thứ ba"]


def test_double_post_with_a_new_photo_adds_it_once(world, client_for):
    meeting = schedule(world)
    client = client_for(world.secretary)
    data = typed(page_data(client, meeting), world)
    for _ in range(2):
        response = post(client, meeting, {**data, "newphoto-0-image": image_upload(), "newphoto-0-caption": "Toàn cảnh"})
        assert response.status_code == 302
    assert [p.caption for p in meeting.photos.all()] == ["Toàn cảnh"]


def test_stale_form_is_refused_naming_what_changed_and_keeps_the_typing(world, client_for):
    meeting = schedule(world)
    record(world, meeting)
    client = client_for(world.secretary)
    stale = page_data(client, meeting)
    other = page_data(client_for(world.board), meeting)
    other["dec-0-text"] = "Quyết nghị do người khác sửa"
    other["discussion"] = "Thảo luận do người khác sửa"
    assert post(client_for(world.board), meeting, other).status_code == 302
    before = saved(meeting)

    stale["dec-0-text"] = "Quyết nghị tôi vừa gõ"
    response = post(client, meeting, stale)
    body = response.content.decode()
    assert response.status_code == 200
    assert "đã được sửa" in body and "Quyết nghị" in body
    assert "Quyết nghị tôi vừa gõ" in body
    assert saved(meeting) == before
    # What this tab did not touch shows the newer text, so saving again keeps it.
    assert "Thảo luận do người khác sửa" in body
    again = page_data_from(body)
    assert post(client, meeting, again).status_code == 302
    meeting.refresh_from_db()
    assert meeting.discussion == "Thảo luận do người khác sửa"
    assert meeting.decisions.first().text == "Quyết nghị tôi vừa gõ"


def test_stale_form_touching_other_parts_is_merged(world, client_for):
    meeting = schedule(world)
    record(world, meeting)
    client = client_for(world.secretary)
    stale = page_data(client, meeting)
    other = page_data(client, meeting)
    other["discussion"] = "Thảo luận mới"
    assert post(client, meeting, other).status_code == 302
    stale["conclusions"] = "Kết luận mới"
    assert post(client, meeting, stale).status_code == 302
    meeting.refresh_from_db()
    assert meeting.discussion == "Thảo luận mới" and meeting.conclusions == "Kết luận mới"


def page_data_from(body):
    parser = _FormFields()
    parser.feed(body)
    return dict(parser.fields)


@pytest.mark.parametrize("prefix", ["att", "guest", "dec", "photo", "newphoto"])
def test_absurd_total_forms_is_a_form_error(world, client_for, prefix):
    meeting = schedule(world)
    record(world, meeting, new_photos=[(image_upload(), "Ảnh")])
    client = client_for(world.secretary)
    before = saved(meeting)
    data = page_data(client, meeting)
    data[f"{prefix}-TOTAL_FORMS"] = "2500"
    response = post(client, meeting, {**data, "discussion": "Không được lưu"})
    assert response.status_code == 200
    assert "Quá nhiều dòng: tối đa" in response.content.decode()
    assert saved(meeting) == before
    meeting.refresh_from_db()
    assert meeting.discussion != "Không được lưu"


@pytest.mark.parametrize("value", ["9" * 20, "-1", "abc", "1\x00"])
def test_tampered_photo_id_is_not_a_500(world, client_for, value):
    meeting = schedule(world)
    record(world, meeting, new_photos=[(image_upload(), "Ảnh")])
    client = client_for(world.secretary)
    data = page_data(client, meeting)
    data["photo-0-photo_id"] = value
    data["guest-0-name"] = "\x00"
    response = post(client, meeting, data)
    assert response.status_code == 200
    assert meeting.photos.count() == 1
