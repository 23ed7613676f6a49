"""Every pledge view × each role and an outsider: allowed, 403, 404, wrong method."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.tests.upload_samples import make_pdf
from pledges import services
from pledges.models import Attachment, PledgeState
from pledges.tests.helpers import make_draft, make_signing, sign, sign_all

ROLES = ["board", "central", "secretary", "leader", "officer", "nonmember", "outsider", "stranger"]
READERS = {"board": 200, "central": 200, "secretary": 200, "leader": 200, "officer": 200,
           "nonmember": 404, "outsider": 404, "stranger": 404}
EDITORS = {"board": 200, "central": 403, "secretary": 200, "leader": 403, "officer": 403,
           "nonmember": 404, "outsider": 404, "stranger": 404}


def as_post(expected):
    return {role: (302 if code == 200 else code) for role, code in expected.items()}


def status_of(client_for, world, role, method, url, data=None):
    client = client_for(getattr(world, role))
    return getattr(client, method)(url, data or {}).status_code


@pytest.mark.parametrize("role", ROLES)
def test_read_pages(world, client_for, role):
    version = make_signing(world)
    for name in ("pledges:detail", "pledges:status", "pledges:preview"):
        assert status_of(client_for, world, role, "get", reverse(name, args=[version.pk])) == READERS[role], name
    attachment_url = reverse("pledges:attachment", args=[_attachment(world, version).pk])
    assert status_of(client_for, world, role, "get", attachment_url) == READERS[role]
    assert status_of(client_for, world, role, "get", reverse("pledges:list")) == 200


def _attachment(world, version):
    return Attachment.objects.create(
        version=version, kind="plan", title="Kế hoạch", file=SimpleUploadedFile("k.pdf", b"%PDF-1.4 x"), original_name="k.pdf",
        file_type="pdf", size=10, sha256="0" * 64,
    )


@pytest.mark.parametrize("role", ROLES)
def test_edit_and_create(world, client_for, role):
    create_url = reverse("pledges:create", args=[world.bloc_year.pk])
    assert status_of(client_for, world, role, "get", create_url) == EDITORS[role]
    version = make_draft(world)
    assert status_of(client_for, world, role, "get", reverse("pledges:edit", args=[version.pk])) == EDITORS[role]
    assert status_of(client_for, world, role, "post", reverse("pledges:review_open", args=[version.pk])) == as_post(EDITORS)[role]


@pytest.mark.parametrize("role", ROLES)
def test_signing_transitions(world, client_for, role):
    version = make_draft(world)
    services.review_open(actor=world.secretary, version=version)
    assert status_of(client_for, world, role, "post", reverse("pledges:signing_open", args=[version.pk])) == as_post(EDITORS)[role]
    version.refresh_from_db()
    if version.state == PledgeState.REVIEW:
        services.signing_open(actor=world.secretary, version=version)
    url = reverse("pledges:signing_reopen", args=[version.pk])
    assert status_of(client_for, world, role, "post", url, {"reason": "Sửa lỗi chính tả"}) == as_post(EDITORS)[role]


@pytest.mark.parametrize("role", ROLES)
def test_amend(world, client_for, role):
    version = sign_all(make_signing(world), world.leaders)
    assert status_of(client_for, world, role, "post", reverse("pledges:amend", args=[version.pk])) == as_post(EDITORS)[role]


@pytest.mark.parametrize("role", ROLES)
def test_comment(world, client_for, role):
    version = make_draft(world)
    services.review_open(actor=world.secretary, version=version)
    expected = {**as_post(READERS), "central": 403}
    url = reverse("pledges:comment", args=[version.pk])
    assert status_of(client_for, world, role, "post", url, {"body": "Góp ý"}) == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_sign_and_decline(world, client_for, role):
    version = make_signing(world)
    expected = {**EDITORS, "leader": 200, "secretary": 403, "board": 403}
    assert status_of(client_for, world, role, "get", reverse("pledges:sign", args=[version.pk])) == expected[role]
    url = reverse("pledges:decline", args=[version.pk])
    assert status_of(client_for, world, role, "post", url, {"reason": "Chưa đồng ý"}) == as_post(expected)[role]


@pytest.mark.parametrize("role", ROLES)
def test_attachments_write(world, client_for, role):
    """Attaching and removing go through the edit page's one form (the typed draft is saved with them)."""
    version = make_draft(world)
    url = reverse("pledges:edit", args=[version.pk])
    upload = SimpleUploadedFile("kh.pdf", make_pdf())
    data = {**_formset_data(version, _rows(version)), "attach": "", "attachment-kind": "plan", "attachment-title": "KH",
            "attachment-file": upload}
    assert status_of(client_for, world, role, "post", url, data) == as_post(EDITORS)[role]
    assert version.attachments.filter(title="KH").exists() == (EDITORS[role] == 200)
    attachment = _attachment(world, version)
    data = {**_formset_data(version, _rows(version)), "remove": str(attachment.pk)}
    assert status_of(client_for, world, role, "post", url, data) == as_post(EDITORS)[role]
    assert version.attachments.filter(pk=attachment.pk).exists() == (EDITORS[role] != 200)


def test_anonymous_is_sent_to_login(world, client):
    version = make_draft(world)
    for url in (reverse("pledges:list"), reverse("pledges:detail", args=[version.pk]), reverse("pledges:edit", args=[version.pk])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_wrong_methods(world, client_for):
    version = make_signing(world)
    client = client_for(world.secretary)
    for name in ("review_open", "signing_open", "signing_reopen", "amend", "comment", "decline"):
        assert client.get(reverse(f"pledges:{name}", args=[version.pk])).status_code == 405, name
    for name in ("detail", "status", "preview", "pdf"):
        assert client.post(reverse(f"pledges:{name}", args=[version.pk])).status_code == 405, name
    assert client.put(reverse("pledges:edit", args=[version.pk])).status_code == 405
    assert client_for(world.leader).delete(reverse("pledges:sign", args=[version.pk])).status_code == 405
    assert client.post(reverse("pledges:list")).status_code == 405


def test_pdf_is_404_until_signed(world, client_for):
    version = make_signing(world)
    assert client_for(world.secretary).get(reverse("pledges:pdf", args=[version.pk])).status_code == 404


def test_of_bloc_year_redirects(world, client_for):
    url = reverse("pledges:of_bloc_year", args=[world.bloc_year.pk])
    assert client_for(world.secretary).get(url)["Location"] == reverse("pledges:create", args=[world.bloc_year.pk])
    assert client_for(world.leader).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404
    version = make_draft(world)
    assert client_for(world.leader).get(url)["Location"] == version.get_absolute_url()


def test_of_bloc_year_without_pledge_explains_to_members(world, client_for):
    url = reverse("pledges:of_bloc_year", args=[world.bloc_year.pk])
    response = client_for(world.leader).get(url)
    assert response.status_code == 404
    assert "Khối chưa lập giao ước thi đua năm 2022" in response.content.decode()
    assert "Khối chưa lập giao ước" not in client_for(world.outsider).get(url).content.decode()


# --- behaviour through the pages --------------------------------------------------------


def test_create_through_the_form(world, client_for):
    client = client_for(world.secretary)
    response = client.post(
        reverse("pledges:create", args=[world.bloc_year.pk]),
        {"title": "", "doc_number": "48/BKK-KTĐ3", "place": "Ninh Thuận", "date": "2022-02-28", "preamble": "Thực hiện Chỉ thị"},
    )
    assert response.status_code == 302
    version = world.bloc_year.pledge.versions.get()
    assert version.title == "Giao ước thi đua năm 2022" and response["Location"] == reverse("pledges:edit", args=[version.pk])
    again = client.post(reverse("pledges:create", args=[world.bloc_year.pk]), {"title": "x"})
    assert again.status_code == 200 and "đã có giao ước" in again.content.decode()


def _formset_data(version, rows, extra_blank=1, **changes):
    data = {"pledge-title": version.title, "pledge-doc_number": version.doc_number, "pledge-place": version.place,
            "pledge-date": version.date.isoformat() if version.date else "", "pledge-preamble": version.preamble,
            "criteria-TOTAL_FORMS": str(len(rows) + extra_blank), "criteria-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
            "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "200"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"criteria-{i}-{key}"] = "" if value is None else str(value)
    data.update(changes)
    return data


def _rows(version):
    return [{"id": c.pk, "group": c.group, "text": c.text, "max_points": c.max_points, "target": c.target, "ORDER": i}
            for i, c in enumerate(version.criteria.all(), start=1)]


def test_edit_keeps_typed_text_on_error(world, client_for):
    version = make_draft(world)
    rows = _rows(version)
    rows[1]["text"] = "Nội dung vừa gõ, chưa lưu"
    rows[2]["max_points"] = "nhiều điểm"
    response = client_for(world.secretary).post(reverse("pledges:edit", args=[version.pk]), _formset_data(version, rows))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nội dung vừa gõ, chưa lưu" in body and "nhiều điểm" in body
    assert version.criteria.all()[1].text != "Nội dung vừa gõ, chưa lưu"


def test_edit_adds_reorders_and_deletes(world, client_for):
    version = make_draft(world)
    client = client_for(world.secretary)
    rows = _rows(version)
    first, second, third = (r["text"] for r in rows)
    rows.append({"group": "", "text": "Tiêu chí mới", "max_points": "5", "target": "", "ORDER": ""})
    response = client.post(reverse("pledges:edit", args=[version.pk]), _formset_data(version, rows, **{"pledge-title": "Giao ước sửa"}))
    assert response.status_code == 302
    assert list(version.criteria.values_list("text", flat=True)) == [first, second, third, "Tiêu chí mới"]
    version.refresh_from_db()
    assert version.title == "Giao ước sửa"
    rows = _rows(version)
    # the "down" arrow of the first row
    response = client.post(reverse("pledges:edit", args=[version.pk]), _formset_data(version, rows, move="criteria-0:down"))
    assert response.status_code == 302 and "#criteria" in response["Location"]
    assert list(version.criteria.values_list("text", flat=True))[:2] == [second, first]
    rows = _rows(version)
    rows[0]["DELETE"] = "on"
    rows[3]["ORDER"] = 0
    client.post(reverse("pledges:edit", args=[version.pk]), _formset_data(version, rows))
    assert list(version.criteria.values_list("text", flat=True)) == ["Tiêu chí mới", first, third]


def test_edit_of_a_frozen_version_redirects_with_a_message(world, client_for):
    version = make_signing(world)
    response = client_for(world.secretary).get(reverse("pledges:edit", args=[version.pk]), follow=True)
    assert "không sửa được" in response.content.decode()


def test_review_comment_and_reply_through_pages(world, client_for):
    version = make_draft(world)
    client_for(world.secretary).post(reverse("pledges:review_open", args=[version.pk]))
    criterion = version.criteria.first()
    client_for(world.officer).post(reverse("pledges:comment", args=[version.pk]), {"criterion": criterion.pk, "body": "Đề nghị làm rõ"})
    comment = version.comments.get()
    client_for(world.secretary).post(reverse("pledges:comment", args=[version.pk]), {"reply_to": comment.pk, "body": "Đã tiếp thu"})
    page = client_for(world.leader).get(reverse("pledges:detail", args=[version.pk])).content.decode()
    assert "Đề nghị làm rõ" in page and "Đã tiếp thu" in page


def test_sign_through_the_page(world, client_for):
    version = make_signing(world)
    client = client_for(world.leader)
    page = client.get(reverse("pledges:sign", args=[version.pk])).content.decode()
    assert version.content_hash in page and "Hoàn thành xuất sắc nhiệm vụ chính trị" in page
    data = {"signer_name": "Trần Văn Phó", "signer_title": "Phó Giám đốc", "capacity": "kt", "original_name": "",
            "original_title": "Giám đốc", "content_hash": version.content_hash, "confirm": "on"}
    refused = client.post(reverse("pledges:sign", args=[version.pk]), data)
    assert refused.status_code == 200 and "người đứng đầu" in refused.content.decode()
    data["original_name"] = "Nguyễn Văn Trưởng"
    response = client.post(reverse("pledges:sign", args=[version.pk]), data)
    assert response.status_code == 302
    signature = version.signatures.get()
    assert (signature.capacity, signature.original_name, signature.ip_address) == ("kt", "Nguyễn Văn Trưởng", "127.0.0.1")
    page = client_for(world.officer).get(reverse("pledges:detail", args=[version.pk])).content.decode()
    assert "KT. GIÁM ĐỐC" in page and "Trần Văn Phó" in page
    again = client.post(reverse("pledges:sign", args=[version.pk]), data)
    assert again.status_code == 200 and "Đơn vị đã ký" in again.content.decode()


def test_stale_text_cannot_be_signed(world, client_for):
    version = make_signing(world)
    data = {"signer_name": "A", "signer_title": "Giám đốc", "capacity": "self", "content_hash": "f" * 64, "confirm": "on"}
    response = client_for(world.leader).post(reverse("pledges:sign", args=[version.pk]), data)
    assert response.status_code == 200 and "đã thay đổi" in response.content.decode()


def test_decline_is_shown_to_the_secretary(world, client_for):
    version = make_signing(world)
    client_for(world.leader).post(reverse("pledges:decline", args=[version.pk]), {"reason": "Chỉ tiêu 2 chưa phù hợp"})
    assert "Chỉ tiêu 2 chưa phù hợp" in client_for(world.secretary).get(reverse("pledges:detail", args=[version.pk])).content.decode()
    assert "Chỉ tiêu 2 chưa phù hợp" not in client_for(world.officer).get(reverse("pledges:detail", args=[version.pk])).content.decode()
    home = client_for(world.secretary).get(reverse("home")).content.decode()
    assert "1 đơn vị không ký" in home


def test_reopened_signatures_stay_visible(world, client_for):
    version = make_signing(world)
    sign(version, world.leaders[0])
    client_for(world.secretary).post(reverse("pledges:signing_reopen", args=[version.pk]), {"reason": "Sửa tiêu chí 3"})
    page = client_for(world.officer).get(reverse("pledges:detail", args=[version.pk])).content.decode()
    assert "Chữ ký đã hủy" in page and world.leaders[0].get_full_name() in page and "Sửa tiêu chí 3" in page
    notifications = client_for(world.leaders[0]).get(reverse("notifications")).content.decode()
    assert "đã bị hủy" in notifications


def test_home_panels(world, client_for):
    version = make_draft(world)
    services.review_open(actor=world.secretary, version=version)
    assert "đang lấy ý kiến" in client_for(world.officer).get(reverse("home")).content.decode()
    services.signing_open(actor=world.secretary, version=version)
    home = client_for(world.leader).get(reverse("home")).content.decode()
    assert "Giao ước cần ký" in home and reverse("pledges:sign", args=[version.pk]) in home
    sign(version, world.leader)
    assert "Giao ước cần ký" not in client_for(world.leader).get(reverse("home")).content.decode()
    assert "Giao ước cần ký" not in client_for(world.outsider).get(reverse("home")).content.decode()


def test_list_shows_only_visible_pledges(world, client_for):
    version = make_draft(world)
    assert version.title in client_for(world.officer).get(reverse("pledges:list")).content.decode()
    assert version.title not in client_for(world.outsider).get(reverse("pledges:list")).content.decode()
    assert version.title not in client_for(world.nonmember).get(reverse("pledges:list") + "?year=abc&state=zzz").content.decode()


def test_status_partial_for_htmx_polling(world, client_for):
    version = make_signing(world)
    sign(version, world.leaders[0])
    response = client_for(world.officer).get(reverse("pledges:status", args=[version.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="pledge-status"' in body and 'hx-trigger="every 4s"' in body and "1/4" in body
    detail = client_for(world.officer).get(reverse("pledges:detail", args=[version.pk])).content.decode()
    assert reverse("pledges:status", args=[version.pk]) in detail and "<html" in detail


def test_preview_of_a_frozen_version_shows_the_frozen_text(world, client_for):
    version = make_signing(world)
    # the rows cannot change once frozen; the preview reads the frozen content, the hash is printed
    body = client_for(world.leader).get(reverse("pledges:preview", args=[version.pk])).content.decode()
    assert version.content_hash in body and "48/BKK-KTĐ3" in body


def test_amended_pledge_keeps_both_versions_and_pdfs(world, client_for, django_capture_on_commit_callbacks):
    import datetime

    with django_capture_on_commit_callbacks(execute=True):
        first = sign_all(make_signing(world), world.leaders)
    client = client_for(world.secretary)
    response = client.post(reverse("pledges:amend", args=[first.pk]))
    second = first.pledge.versions.get(number=2)
    assert response["Location"] == second.get_absolute_url()
    services.version_update(
        actor=world.secretary, version=second, title="Giao ước thi đua năm 2022 (sửa đổi)", place="Ninh Thuận",
        date=datetime.date(2022, 7, 1),
    )
    services.review_open(actor=world.secretary, version=second)
    services.signing_open(actor=world.secretary, version=second)
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(second, world.leaders)
    page = client_for(world.officer).get(first.get_absolute_url()).content.decode()
    assert "Phiên bản 2" in page and reverse("pledges:pdf", args=[first.pk]) in page
    for version in (first, second):
        response = client_for(world.officer).get(reverse("pledges:pdf", args=[version.pk]))
        assert response.status_code == 200
    listing = client_for(world.officer).get(reverse("pledges:list")).content.decode()
    assert "(sửa đổi)" in listing and "phiên bản 2" in listing


def test_tampered_or_garbage_input_is_a_message_not_a_500(world, client_for):
    version = make_draft(world)
    client = client_for(world.secretary)
    rows = _rows(version)
    rows[0]["id"] = 987654
    response = client.post(reverse("pledges:edit", args=[version.pk]), _formset_data(version, rows))
    assert response.status_code == 200 and "không thuộc giao ước" in response.content.decode()
    rows = _rows(version)
    rows[0]["ORDER"] = "abc"
    assert client.post(reverse("pledges:edit", args=[version.pk]), _formset_data(version, rows, move="xyz")).status_code == 200
    response = client.post(reverse("pledges:edit", args=[version.pk]), {"criteria-TOTAL_FORMS": "zzz"})
    assert response.status_code == 200
    services.review_open(actor=world.secretary, version=version)
    response = client_for(world.officer).post(reverse("pledges:comment", args=[version.pk]), {"criterion": "999", "body": "x"})
    assert response.status_code == 302
    response = client_for(world.officer).post(reverse("pledges:comment", args=[version.pk]), {"reply_to": "999", "body": "x"})
    assert response.status_code == 302
    assert client.post(reverse("pledges:signing_reopen", args=[version.pk]), {"reason": "x"}).status_code == 302
    services.signing_open(actor=world.secretary, version=version, unanswered_confirmed=True)
    data = {"signer_name": "A", "signer_title": "B", "capacity": "bogus", "content_hash": version.content_hash, "confirm": "on"}
    assert client_for(world.leader).post(reverse("pledges:sign", args=[version.pk]), data).status_code == 200
    assert client.post(reverse("pledges:signing_reopen", args=[version.pk]), {"reason": ""}).status_code == 302


def test_history_shows_who_did_what_from_where_to_editors(world, client_for):
    version = make_signing(world)
    client_for(world.leader).post(reverse("pledges:sign", args=[version.pk]), {
        "signer_name": "Lãnh Đạo", "signer_title": "Giám đốc", "capacity": "self", "content_hash": version.content_hash, "confirm": "on",
    })
    client_for(world.secretary).post(reverse("pledges:signing_reopen", args=[version.pk]), {"reason": "Sửa tiêu chí 1"})
    page = client_for(world.secretary).get(reverse("pledges:detail", args=[version.pk])).content.decode()
    assert "Nhật ký thao tác" in page and "Mở lại về dự thảo (hủy chữ ký): Sửa tiêu chí 1" in page and "127.0.0.1" in page
    assert "Nhật ký thao tác" not in client_for(world.officer).get(reverse("pledges:detail", args=[version.pk])).content.decode()
