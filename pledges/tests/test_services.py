import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.audit import audit_for
from core.models import IssuedDocument, JobStatus, Notification
from core.tests.upload_samples import make_pdf
from pledges import services
from pledges.models import PledgeState, Signature, SigningCapacity
from pledges.tests.helpers import CRITERIA, make_draft, make_signing, sign, sign_all


def test_create_defaults_title_and_refuses_a_second_pledge(world):
    version = services.pledge_create(actor=world.secretary, bloc_year=world.bloc_year)
    assert version.title == "Giao ước thi đua năm 2022"
    assert version.state == PledgeState.DRAFT and version.number == 1
    with pytest.raises(ValidationError, match="đã có giao ước"):
        services.pledge_create(actor=world.secretary, bloc_year=world.bloc_year)
    assert [e.action for e in audit_for(version)] == ["pledge.create"]


def test_create_from_previous_year_copies_criteria(world):
    from blocs.models import BlocYear, Membership

    previous = make_signing(world)
    sign_all(previous, world.leaders)
    next_year = BlocYear.objects.create(bloc=world.bloc, year=2023)
    Membership.objects.bulk_create([Membership(bloc_year=next_year, agency=a, year=2023) for a in world.agencies])
    version = services.pledge_create(actor=world.secretary, bloc_year=next_year, from_previous=True)
    assert version.title == "Giao ước thi đua năm 2023"
    assert [c.text for c in version.criteria.all()] == [c["text"] for c in CRITERIA]
    assert version.preamble == previous.preamble


def test_create_from_previous_year_without_one_is_refused(world):
    with pytest.raises(ValidationError, match="chưa có giao ước năm 2021"):
        services.pledge_create(actor=world.secretary, bloc_year=world.bloc_year, from_previous=True)


def test_criteria_save_orders_updates_and_removes(world):
    version = make_draft(world)
    first, second, third = version.criteria.all()
    services.criteria_save(
        actor=world.secretary, version=version,
        rows=[{"id": third.pk, "text": "Ba sửa", "max_points": 5, "group": "", "target": ""},
              {"id": first.pk, "text": first.text, "max_points": 30, "group": "", "target": ""},
              {"id": None, "text": "Mới", "max_points": 1, "group": "", "target": ""}],
    )
    texts = list(version.criteria.values_list("text", flat=True))
    assert texts == ["Ba sửa", first.text, "Mới"]
    assert not version.criteria.filter(pk=second.pk).exists()


def test_criteria_save_refuses_bad_rows_and_foreign_ids(world):
    version = make_draft(world)
    with pytest.raises(ValidationError, match="Tiêu chí 1"):
        services.criteria_save(actor=world.secretary, version=version, rows=[{"text": "", "max_points": 5}])
    with pytest.raises(ValidationError, match="không thuộc giao ước"):
        services.criteria_save(actor=world.secretary, version=version, rows=[{"id": 999999, "text": "x", "max_points": 5}])
    assert version.criteria.count() == 3


def test_transitions_follow_draft_review_signing_signed(world):
    version = make_draft(world)
    with pytest.raises(ValidationError):
        services.signing_open(actor=world.secretary, version=version)  # draft → signing is not allowed
    services.review_open(actor=world.secretary, version=version)
    with pytest.raises(ValidationError):
        services.review_open(actor=world.secretary, version=version)
    services.signing_open(actor=world.secretary, version=version)
    version.refresh_from_db()
    assert version.state == PledgeState.SIGNING and len(version.content_hash) == 64
    actions = [e.action for e in audit_for(version)]
    assert {"pledge.review_open", "pledge.signing_open"} <= set(actions)
    # frozen: no more edits
    with pytest.raises(ValidationError, match="đã chốt"):
        services.version_update(actor=world.secretary, version=version, title="Khác")
    with pytest.raises(ValidationError, match="đang ký"):
        services.signing_reopen(actor=world.secretary, version=make_draft_for_reopen(world), reason="x")
    with pytest.raises(ValidationError, match="đã chốt"):
        services.criteria_save(actor=world.secretary, version=version, rows=[])


def test_review_needs_criteria_and_signing_needs_date_and_place(world):
    empty = make_draft(world, criteria=[])
    with pytest.raises(ValidationError, match="chưa có tiêu chí"):
        services.review_open(actor=world.secretary, version=empty)
    services.criteria_save(actor=world.secretary, version=empty, rows=[dict(CRITERIA[0])])
    services.version_update(actor=world.secretary, version=empty, title="Giao ước", place="", date=None)
    services.review_open(actor=world.secretary, version=empty)
    with pytest.raises(ValidationError) as info:
        services.signing_open(actor=world.secretary, version=empty)
    assert set(info.value.message_dict) == {"date", "place"}


def test_signing_open_notifies_every_member_leader(world):
    make_signing(world)
    for leader in world.leaders:
        assert Notification.objects.filter(user=leader, message__contains="đã mở ký").exists()


def test_comments_only_during_review_with_replies(world):
    version = make_draft(world)
    with pytest.raises(ValidationError, match="đang lấy ý kiến"):
        services.comment_add(actor=world.officer, version=version, body="Sớm quá")
    services.review_open(actor=world.secretary, version=version)
    criterion = version.criteria.first()
    comment = services.comment_add(actor=world.officer, version=version, body="Đề nghị giảm điểm", criterion=criterion)
    assert comment.agency == world.officer.agency and comment.criterion_text == criterion.text
    reply = services.comment_add(actor=world.secretary, version=version, body="Đã tiếp thu", reply_to=comment)
    assert reply.criterion == criterion
    with pytest.raises(ValidationError):
        services.comment_add(actor=world.officer, version=version, body="   ")
    # the secretary edits after the comment: history stays
    services.criteria_save(actor=world.secretary, version=version, rows=[dict(CRITERIA[1])])
    comment.refresh_from_db()
    assert comment.criterion is None and comment.criterion_text == criterion.text


def test_sign_records_hash_ip_and_names(world):
    version = make_signing(world)
    signature = sign(
        version, world.leaders[1], capacity=SigningCapacity.DEPUTY, signer_name="Trần Phó", signer_title="Phó Giám đốc",
        original_name=world.agencies[1].leader_name, original_title="Giám đốc", ip="10.1.2.3",
    )
    assert signature.ip_address == "10.1.2.3" and signature.signer_name == "Trần Phó"
    assert signature.content_hash == version.content_hash
    assert signature.agency == world.agencies[1]
    assert signature.on_behalf_label == "KT. GIÁM ĐỐC"
    assert "pledge.sign" in [e.action for e in audit_for(version)]


def test_sign_refusals(world):
    version = make_signing(world)
    for who in (world.officer, world.nonmember, world.secretary, world.board):  # only member leaders sign (pledges.sign)
        with pytest.raises(PermissionDenied):
            sign(version, who)
    with pytest.raises(ValidationError, match="đã thay đổi"):
        sign(version, world.leaders[0], content_hash="0" * 64)
    with pytest.raises(ValidationError, match="người đứng đầu"):
        sign(version, world.leaders[0], capacity=SigningCapacity.DEPUTY, original_name="")
    sign(version, world.leaders[0])
    with pytest.raises(ValidationError, match="đã ký"):
        sign(version, world.leaders[0])


def test_sign_refused_outside_signing(world):
    version = make_draft(world)
    with pytest.raises(ValidationError, match="không ở giai đoạn ký"):
        services.pledge_sign(actor=world.leaders[0], version=version, signer_name="A", signer_title="B", content_hash="")


def test_last_signature_signs_the_pledge_and_renders_the_pdf_once(world, django_capture_on_commit_callbacks):
    version = make_signing(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for leader in world.leaders[:-1]:
            sign(version, leader)
        version.refresh_from_db()
        assert version.state == PledgeState.SIGNING
        sign(version, world.leaders[-1])
    assert len(callbacks) == 1
    version.refresh_from_db()
    assert version.state == PledgeState.SIGNED and version.signed_at
    document = IssuedDocument.objects.get(source_id=version.pk, kind="pledge")
    assert document.status == JobStatus.DONE and document.sha256 and document.file
    assert document.content_hash == version.content_hash
    assert {s["agency"] for s in document.summary["signers"]} == {a.name for a in world.agencies}
    with pytest.raises(ValidationError):
        sign(version, world.leaders[0])
    assert "pledge.signed" in [e.action for e in audit_for(version)]


def test_decline_then_sign(world):
    version = make_signing(world)
    with pytest.raises(ValidationError, match="lý do"):
        services.pledge_decline(actor=world.leaders[2], version=version, reason=" ")
    decline = services.pledge_decline(actor=world.leaders[2], version=version, reason="Chỉ tiêu 1 quá cao")
    assert decline.agency == world.agencies[2]
    with pytest.raises(PermissionDenied):
        services.pledge_decline(actor=world.officer, version=version, reason="x")
    sign(version, world.leaders[2])
    decline.refresh_from_db()
    assert decline.voided_at is not None
    with pytest.raises(ValidationError, match="đã ký"):
        services.pledge_decline(actor=world.leaders[2], version=version, reason="Đổi ý")


def test_reopen_voids_signatures_keeps_them_and_notifies(world):
    version = make_signing(world)
    old_hash = version.content_hash
    sign(version, world.leaders[0])
    sign(version, world.leaders[1])
    with pytest.raises(ValidationError, match="lý do"):
        services.signing_reopen(actor=world.secretary, version=version, reason="")
    Notification.objects.all().delete()
    services.signing_reopen(actor=world.secretary, version=version, reason="Sửa điểm tiêu chí 2")
    version.refresh_from_db()
    assert version.state == PledgeState.DRAFT and version.content_hash == ""
    voided = Signature.objects.filter(version=version)
    assert voided.count() == 2 and all(s.voided_at and s.void_reason == "Sửa điểm tiêu chí 2" for s in voided)
    assert all(s.content_hash == old_hash for s in voided)
    assert set(Notification.objects.values_list("user_id", flat=True)) == {world.leaders[0].pk, world.leaders[1].pk}
    entry = audit_for(version).filter(action="pledge.signing_reopen").get()
    assert entry.data["voided"] and entry.actor == world.secretary
    # signing again after the correction
    services.criteria_save(actor=world.secretary, version=version, rows=[dict(c) for c in CRITERIA[:2]])
    services.review_open(actor=world.secretary, version=version)
    services.signing_open(actor=world.secretary, version=version)
    version.refresh_from_db()
    assert version.content_hash != old_hash
    sign(version, world.leaders[0])
    assert Signature.objects.filter(version=version).count() == 3


def test_reopen_refused_once_signed(world):
    version = sign_all(make_signing(world), world.leaders)
    with pytest.raises(ValidationError):
        services.signing_reopen(actor=world.secretary, version=version, reason="x")


def test_amendment_copies_version_and_keeps_both_pdfs(world, django_capture_on_commit_callbacks, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    version = make_draft(world)
    pdf = make_pdf()
    services.attachment_add(
        actor=world.secretary, version=version, kind="plan", title="Kế hoạch", uploaded=SimpleUploadedFile("kh.pdf", pdf)
    )
    services.review_open(actor=world.secretary, version=version)
    services.signing_open(actor=world.secretary, version=version)
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(version, world.leaders)
    with pytest.raises(ValidationError, match="sửa đổi"):
        services.version_update(actor=world.secretary, version=version, title="Khác")
    amendment = services.pledge_amend(actor=world.secretary, version=version)
    assert amendment.number == 2 and amendment.state == PledgeState.DRAFT and amendment.amends == version
    assert [c.text for c in amendment.criteria.all()] == [c.text for c in version.criteria.all()]
    copy = amendment.attachments.get()
    assert copy.sha256 == version.attachments.get().sha256 and copy.file.read() == pdf
    with pytest.raises(ValidationError):
        services.pledge_amend(actor=world.secretary, version=version)  # v2 is the latest now
    assert amendment.date is None  # an amendment is signed on its own date
    services.version_update(
        actor=world.secretary, version=amendment, title=amendment.title, doc_number="52/BKK-KTĐ3", place="Ninh Thuận",
        date=datetime.date(2022, 6, 30), preamble=amendment.preamble,
    )
    services.review_open(actor=world.secretary, version=amendment)
    services.signing_open(actor=world.secretary, version=amendment)
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(amendment, world.leaders)
    documents = IssuedDocument.objects.filter(kind="pledge").order_by("source_id")
    assert [d.source_id for d in documents] == [version.pk, amendment.pk]
    assert all(d.status == JobStatus.DONE for d in documents)
    assert documents[0].code != documents[1].code
    assert io.BytesIO(documents[0].file.read()).getvalue() != documents[1].file.read()


def test_amend_refused_unless_signed(world):
    version = make_draft(world)
    with pytest.raises(ValidationError, match="đã ký"):
        services.pledge_amend(actor=world.secretary, version=version)


def make_draft_for_reopen(world):
    from blocs.models import BlocYear

    other = BlocYear.objects.create(bloc=world.bloc, year=2023)
    return services.pledge_create(actor=world.secretary, bloc_year=other)
