"""Pledges security: who signs for which agency, other blocs' ids, frozen and signed versions, user text in pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blocs.models import Role
from core.tests.upload_samples import make_pdf
from emulation_portal.testing import make_agency, make_bloc_year, make_user
from pledges import services
from pledges.models import Attachment, Comment, PledgeState, Signature
from pledges.tests.helpers import edit_data, make_draft, make_signing, sign_all

PDF = make_pdf()


def _sign_data(version, **extra):
    data = {"signer_name": "Lãnh Đạo", "signer_title": "Giám đốc", "capacity": "self", "content_hash": version.content_hash, "confirm": "on"}
    data.update(extra)
    return data


@pytest.fixture
def other_bloc(world):
    """A second bloc-year of the province with its own secretary, leader and draft pledge."""
    agencies = [world.outside_agency, make_agency(world.province)]
    bloc_year = make_bloc_year(world.province, agencies, head=agencies[0])
    secretary = make_user(agency=agencies[0], role=Role.SECRETARY, bloc_year=bloc_year)
    version = services.pledge_create(actor=secretary, bloc_year=bloc_year, place="Ninh Thuận")
    services.criteria_save(actor=secretary, version=version, rows=[{"group": "", "text": "Tiêu chí B", "max_points": 10, "target": ""}])
    return bloc_year, secretary, version


# --- signing -----------------------------------------------------------------------------------


def test_a_leader_signs_only_for_the_agency_they_lead(world, client_for):
    version = make_signing(world)
    other_agency = world.agencies[3]
    response = client_for(world.leader).post(reverse("pledges:sign", args=[version.pk]), _sign_data(version, agency=other_agency.pk))
    assert response.status_code == 302
    assert list(Signature.objects.values_list("agency_id", flat=True)) == [world.agencies[1].pk]


@pytest.mark.parametrize("who", ["officer", "secretary", "board", "central"])
def test_only_leaders_sign(world, client_for, who):
    version = make_signing(world)
    response = client_for(getattr(world, who)).post(reverse("pledges:sign", args=[version.pk]), _sign_data(version))
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_a_leader_outside_the_bloc_cannot_sign(world, client_for):
    version = make_signing(world)
    for who in ("nonmember", "stranger"):
        response = client_for(getattr(world, who)).post(reverse("pledges:sign", args=[version.pk]), _sign_data(version))
        assert response.status_code == 404
    assert not Signature.objects.exists()


def test_nobody_signs_twice_nor_a_signed_version(world, client_for):
    version = make_signing(world)
    client = client_for(world.leader)
    client.post(reverse("pledges:sign", args=[version.pk]), _sign_data(version))
    client.post(reverse("pledges:sign", args=[version.pk]), _sign_data(version))
    assert Signature.objects.filter(agency=world.agencies[1]).count() == 1
    version = sign_all(version, [u for u in world.leaders if u != world.leader])
    assert version.state == PledgeState.SIGNED
    client.post(reverse("pledges:decline", args=[version.pk]), {"reason": "Muộn"})
    assert not version.declines.exists()


# --- other blocs ---------------------------------------------------------------------------------


def test_a_secretary_of_bloc_a_cannot_touch_bloc_b(world, client_for, other_bloc):
    bloc_year, _secretary, version = other_bloc
    client = client_for(world.secretary)
    for name in ("detail", "edit", "preview", "status"):
        assert client.get(reverse(f"pledges:{name}", args=[version.pk])).status_code == 404, name
    for name in ("review_open", "signing_open", "amend", "comment", "edit"):
        assert client.post(reverse(f"pledges:{name}", args=[version.pk]), {"body": "x"}).status_code == 404, name
    assert client.get(reverse("pledges:create", args=[bloc_year.pk])).status_code == 404
    version.refresh_from_db()
    assert version.state == PledgeState.DRAFT


def test_the_board_of_another_province_neither_reads_nor_changes(world, client_for):
    version = make_signing(world)
    client = client_for(world.outsider)
    assert client.get(reverse("pledges:detail", args=[version.pk])).status_code == 404
    assert client.post(reverse("pledges:signing_reopen", args=[version.pk]), {"reason": "x"}).status_code == 404
    assert version.title not in client.get(reverse("pledges:list")).content.decode()


def test_central_reads_but_changes_nothing(world, client_for):
    version = make_draft(world)
    client = client_for(world.central)
    assert client.get(reverse("pledges:detail", args=[version.pk])).status_code == 200
    assert client.post(reverse("pledges:edit", args=[version.pk]), edit_data(version, **{"pledge-title": "Đổi"})).status_code == 403
    assert client.post(reverse("pledges:review_open", args=[version.pk])).status_code == 403
    upload = SimpleUploadedFile("kh.pdf", PDF)
    data = edit_data(version, attach="", **{"attachment-kind": "plan", "attachment-file": upload})
    assert client.post(reverse("pledges:edit", args=[version.pk]), data).status_code == 403
    assert not version.attachments.exists()
    version.refresh_from_db()
    assert version.state == PledgeState.DRAFT and version.title != "Đổi"


def test_an_attachment_of_another_bloc_is_not_found(world, client_for, other_bloc):
    _bloc_year, secretary, version = other_bloc
    attachment = services.attachment_add(
        actor=secretary, version=version, kind="plan", title="KH B", uploaded=SimpleUploadedFile("b.pdf", PDF)
    )
    client = client_for(world.secretary)
    assert client.get(reverse("pledges:attachment", args=[attachment.pk])).status_code == 404
    own = make_draft(world)
    response = client.post(reverse("pledges:edit", args=[own.pk]), edit_data(own, remove=str(attachment.pk)), follow=True)
    assert "Tài liệu không còn trong dự thảo" in response.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_reply_to_a_comment_of_another_bloc_is_ignored(world, client_for, other_bloc):
    _bloc_year, secretary, foreign_version = other_bloc
    services.review_open(actor=secretary, version=foreign_version)
    foreign = services.comment_add(actor=secretary, version=foreign_version, body="Ý kiến khối B")
    version = make_draft(world)
    services.review_open(actor=world.secretary, version=version)
    client_for(world.officer).post(reverse("pledges:comment", args=[version.pk]), {"reply_to": str(foreign.pk), "body": "Trả lời"})
    assert not Comment.objects.filter(reply_to=foreign).exists()


def test_criteria_of_another_version_cannot_be_rewritten(world, client_for, other_bloc):
    _bloc_year, _secretary, foreign_version = other_bloc
    foreign = foreign_version.criteria.get()
    version = make_draft(world)
    data = {
        "pledge-title": "Giao ước", "criteria-TOTAL_FORMS": "1", "criteria-INITIAL_FORMS": "1",
        "criteria-0-id": str(foreign.pk), "criteria-0-text": "Chiếm tiêu chí", "criteria-0-max_points": "5", "criteria-0-ORDER": "1",
    }
    client_for(world.secretary).post(reverse("pledges:edit", args=[version.pk]), data)
    foreign.refresh_from_db()
    assert foreign.text == "Tiêu chí B" and foreign.version_id == foreign_version.pk


# --- frozen and signed versions ------------------------------------------------------------------


def test_a_version_under_signing_or_signed_cannot_be_edited(world, client_for):
    version = make_signing(world)
    client = client_for(world.secretary)
    data = edit_data(version, attach="", **{"attachment-kind": "plan", "attachment-file": SimpleUploadedFile("k.pdf", PDF)})
    client.post(reverse("pledges:edit", args=[version.pk]), data)
    assert not version.attachments.exists()
    version = sign_all(version, world.leaders)
    client.post(reverse("pledges:edit", args=[version.pk]), edit_data(version, **{"pledge-title": "Sửa sau khi ký"}))
    client.post(reverse("pledges:signing_reopen", args=[version.pk]), {"reason": "Sửa"})
    version.refresh_from_db()
    assert version.state == PledgeState.SIGNED and version.title != "Sửa sau khi ký"
    assert Signature.objects.filter(version=version, voided_at__isnull=True).count() == len(world.leaders)


# --- user text -----------------------------------------------------------------------------------


def test_user_text_is_escaped_in_the_pages_and_the_document(world, client_for):
    evil = '<script>alert("x")</script>'
    version = make_draft(world, criteria=[{"group": evil, "text": evil, "max_points": 5, "target": evil}])
    services.version_update(actor=world.secretary, version=version, title=f"Giao ước {evil}", preamble=evil, place="Ninh Thuận")
    client = client_for(world.officer)
    for name in ("pledges:detail", "pledges:preview"):
        page = client.get(reverse(name, args=[version.pk])).content.decode()
        assert "<script>alert" not in page, name
        assert "&lt;script&gt;" in page, name


def test_attachments_download_as_files_under_a_safe_name(world, client_for):
    version = make_draft(world)
    attachment = services.attachment_add(
        actor=world.secretary, version=version, kind="plan", title="KH",
        uploaded=SimpleUploadedFile('../../etc/"ke hoach".pdf', PDF),
    )
    assert "/" not in attachment.file.name.rsplit("pledges/attachments/", 1)[-1].split("/", 1)[-1]
    assert ".." not in attachment.file.name
    response = client_for(world.officer).get(reverse("pledges:attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\n" not in disposition and "/" not in disposition
