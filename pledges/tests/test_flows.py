"""Issue 9 flows on the pledge pages: one edit form (nothing typed lost, unique ids), the confirmation
before freezing with unanswered comments, the amend button's contrast."""

from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.tests.upload_samples import make_pdf
from pledges import selectors, services
from pledges.models import PledgeState
from pledges.tests.helpers import edit_data, make_draft, make_signing, sign_all


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = []

    def handle_starttag(self, tag, attrs):
        self.ids.extend(value for name, value in attrs if name == "id")


def _ids(html):
    parser = _Ids()
    parser.feed(html)
    return parser.ids


def test_edit_page_ids_are_unique(world, client_for):
    version = make_draft(world)
    services.attachment_add(actor=world.secretary, version=version, kind="plan", title="KH", uploaded=SimpleUploadedFile("k.pdf", make_pdf()))
    ids = _ids(client_for(world.secretary).get(reverse("pledges:edit", args=[version.pk])).content.decode())
    assert "id_pledge-title" in ids and "id_attachment-title" in ids
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_attaching_saves_the_typed_criteria(world, client_for):
    version = make_draft(world)
    data = edit_data(version, attach="", **{
        "criteria-0-text": "Nội dung vừa gõ rồi đính kèm", "attachment-kind": "plan", "attachment-title": "Kế hoạch",
        "attachment-file": SimpleUploadedFile("kh.pdf", make_pdf()),
    })
    response = client_for(world.secretary).post(reverse("pledges:edit", args=[version.pk]), data)
    assert response.status_code == 302 and response["Location"].endswith("#attachments")
    assert version.criteria.first().text == "Nội dung vừa gõ rồi đính kèm"
    assert version.attachments.get().title == "Kế hoạch"


def test_attaching_without_a_file_saves_the_draft_and_says_why(world, client_for):
    version = make_draft(world)
    data = edit_data(version, attach="", **{"criteria-1-text": "Đã gõ, chưa chọn tệp", "attachment-kind": "plan"})
    response = client_for(world.secretary).post(reverse("pledges:edit", args=[version.pk]), data)
    body = response.content.decode()
    assert response.status_code == 400 and "tài liệu chưa được đính kèm" in body and "Đã gõ, chưa chọn tệp" in body
    assert version.criteria.all()[1].text == "Đã gõ, chưa chọn tệp"
    assert not version.attachments.exists()


def test_attaching_with_a_broken_draft_keeps_every_typed_value(world, client_for):
    version = make_draft(world)
    data = edit_data(version, attach="", **{
        "criteria-0-text": "Gõ dở", "criteria-2-max_points": "nhiều", "attachment-kind": "plan",
        "attachment-file": SimpleUploadedFile("kh.pdf", make_pdf()),
    })
    response = client_for(world.secretary).post(reverse("pledges:edit", args=[version.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200 and "Gõ dở" in body and "nhiều" in body and "chọn lại tệp" in body
    assert version.criteria.first().text != "Gõ dở" and not version.attachments.exists()


def test_removing_an_attachment_saves_the_typed_text(world, client_for):
    version = make_draft(world)
    attachment = services.attachment_add(
        actor=world.secretary, version=version, kind="plan", title="KH", uploaded=SimpleUploadedFile("k.pdf", make_pdf())
    )
    data = edit_data(version, remove=str(attachment.pk), **{"pledge-preamble": "Căn cứ vừa gõ"})
    client_for(world.secretary).post(reverse("pledges:edit", args=[version.pk]), data)
    version.refresh_from_db()
    assert version.preamble == "Căn cứ vừa gõ" and not version.attachments.exists()


# --- freezing with unanswered comments --------------------------------------------------------


def _review_with_comment(world):
    version = make_draft(world)
    services.review_open(actor=world.secretary, version=version)
    comment = services.comment_add(actor=world.officer, version=version, body="Đề nghị giảm điểm tiêu chí 2")
    return version, comment


def test_unanswered_comments_ask_for_confirmation(world, client_for):
    version, _comment = _review_with_comment(world)
    client = client_for(world.secretary)
    url = reverse("pledges:signing_open", args=[version.pk])
    response = client.post(url)
    body = response.content.decode()
    assert response.status_code == 200 and 'id="unanswered-comments"' in body and "Đề nghị giảm điểm tiêu chí 2" in body
    version.refresh_from_db()
    assert version.state == PledgeState.REVIEW
    response = client.post(url, {"step": "confirm"})  # the box not ticked
    assert response.status_code == 200 and "Hãy đánh dấu xác nhận" in response.content.decode()
    version.refresh_from_db()
    assert version.state == PledgeState.REVIEW
    response = client.post(url, {"step": "confirm", "confirm": "on"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.state == PledgeState.SIGNING


def test_answered_or_own_comments_need_no_confirmation(world, client_for):
    version, comment = _review_with_comment(world)
    services.comment_add(actor=world.secretary, version=version, body="Đã tiếp thu", reply_to=comment)
    services.comment_add(actor=world.secretary, version=version, body="Ghi chú của thư ký")
    assert not selectors.unanswered_comments(version).exists()
    response = client_for(world.secretary).post(reverse("pledges:signing_open", args=[version.pk]))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.state == PledgeState.SIGNING


def test_only_editors_reach_the_confirmation(world, client_for):
    version, _comment = _review_with_comment(world)
    url = reverse("pledges:signing_open", args=[version.pk])
    expected = {"board": 200, "secretary": 200, "central": 403, "leader": 403, "officer": 403, "outsider": 404, "stranger": 404}
    for role, status in expected.items():
        assert client_for(getattr(world, role)).post(url).status_code == status, role
    assert client_for(world.secretary).get(url).status_code == 405


# --- the amend button -------------------------------------------------------------------------


def test_amend_button_has_readable_contrast(world, client_for):
    version = sign_all(make_signing(world), world.leaders)
    page = client_for(world.secretary).get(reverse("pledges:detail", args=[version.pk])).content.decode()
    assert 'class="btn btn-warning" type="submit" id="amend-button"' in page and "btn-outline-warning" not in page
