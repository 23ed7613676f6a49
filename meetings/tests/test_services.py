import pytest
from django.core.exceptions import ValidationError

from core.audit import audit_for
from core.models import IssuedDocument, JobStatus, Notification
from emulation_portal.testing import make_agency
from meetings import services
from meetings.models import Meeting, MeetingKind, MeetingState, MinutesRevision

from .factories import approve, approved, attendance_rows, image_upload, local, published, record, schedule


def test_schedule_plans_and_audits(world):
    meeting = schedule(world)
    assert meeting.state == MeetingState.PLANNED
    assert [e.action for e in audit_for(meeting)] == ["meeting.schedule"]


@pytest.mark.parametrize(
    ("kind", "starts_at", "ok"),
    [
        (MeetingKind.MID_YEAR, local(2022, 6, 17), True),
        (MeetingKind.MID_YEAR, local(2021, 12, 31), False),
        (MeetingKind.MID_YEAR, local(2023, 1, 10), False),
        (MeetingKind.YEAR_END, local(2023, 1, 10), True),
        (MeetingKind.YEAR_END, local(2023, 2, 1), False),
        (MeetingKind.SIGNING, local(2022, 2, 28, 14), True),
    ],
)
def test_schedule_date_must_fall_in_the_bloc_year(world, kind, starts_at, ok):
    if ok:
        assert schedule(world, kind=kind, starts_at=starts_at).pk
    else:
        with pytest.raises(ValidationError) as error:
            schedule(world, kind=kind, starts_at=starts_at)
        assert "starts_at" in error.value.message_dict
        assert Meeting.objects.count() == 0


def test_second_signing_meeting_needs_confirmation(world):
    schedule(world, kind=MeetingKind.SIGNING, starts_at=local(2022, 2, 28, 14))
    with pytest.raises(ValidationError) as error:
        schedule(world, kind=MeetingKind.SIGNING, starts_at=local(2022, 3, 10))
    assert "confirm_second_signing" in error.value.message_dict
    second = services.meeting_schedule(
        actor=world.secretary, bloc_year=world.bloc_year, kind=MeetingKind.SIGNING, starts_at=local(2022, 3, 10),
        venue="Hội trường", confirm_second_signing=True,
    )
    assert second.pk


def test_schedule_refuses_host_or_chair_outside_the_bloc(world):
    with pytest.raises(ValidationError) as error:
        schedule(world, host=world.outside_agency, chair_user=world.nonmember)
    assert set(error.value.message_dict) == {"host", "chair_user"}


def test_schedule_refuses_end_before_start(world):
    with pytest.raises(ValidationError):
        schedule(world, ends_at=local(2022, 6, 17, 7))


def test_record_marks_held_and_keeps_everything(world):
    meeting = schedule(world)
    record(world, meeting, present=3, new_photos=[(image_upload(), "Toàn cảnh Hội nghị"), (image_upload("b.png", "PNG"), "Đại biểu")])
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    assert meeting.attendances.filter(present=True).count() == 3
    assert meeting.guests.get().organization == "Ban Thi đua – Khen thưởng"
    assert meeting.decisions.count() == 2
    photos = list(meeting.photos.all())
    assert [p.caption for p in photos] == ["Toàn cảnh Hội nghị", "Đại biểu"]
    assert all(p.thumbnail.name.endswith(".jpg") and p.thumbnail.size > 0 for p in photos)
    assert audit_for(meeting).first().data["to"] == MeetingState.HELD


def test_record_edits_captions_and_deletes_photos(world):
    meeting = schedule(world)
    record(world, meeting, new_photos=[(image_upload(), "a"), (image_upload(), "b")])
    first, second = meeting.photos.all()
    record(world, meeting, photo_captions={first.pk: "Toàn cảnh"}, photo_deletions=[second.pk])
    assert [p.caption for p in meeting.photos.all()] == ["Toàn cảnh"]


def test_record_refuses_a_non_member_as_member(world):
    meeting = schedule(world)
    rows = attendance_rows(world) + [{"agency": world.outside_agency, "present": True}]
    with pytest.raises(ValidationError) as error:
        record(world, meeting, attendance=rows)
    assert "Sở Ngoài Khối" in str(error.value)
    assert meeting.attendances.count() == 0


@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(lambda: image_upload("x.gif", "GIF"), id="gif"),
        pytest.param(lambda: __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", "image/jpeg"), id="not-an-image"),
    ],
)
def test_record_refuses_bad_photos(world, upload):
    meeting = schedule(world)
    with pytest.raises(ValidationError) as error:
        record(world, meeting, new_photos=[(upload(), "x")])
    assert "photos" in error.value.message_dict
    assert meeting.photos.count() == 0


def test_record_refuses_oversized_photo(world, settings):
    settings.UPLOAD_MAX_BYTES = 100
    meeting = schedule(world)
    with pytest.raises(ValidationError, match="quá lớn"):
        record(world, meeting, new_photos=[(image_upload(), "x")])


def test_record_refuses_before_the_meeting(world):
    import datetime

    from django.utils import timezone

    from emulation_portal.testing import make_bloc_year

    soon = timezone.now() + datetime.timedelta(hours=2)
    year = timezone.localtime(soon).year
    agencies = [make_agency(world.province) for _ in range(2)]
    bloc_year = make_bloc_year(world.province, agencies, year=year, head=agencies[0])
    meeting = services.meeting_schedule(actor=world.board, bloc_year=bloc_year, kind=MeetingKind.OTHER, starts_at=soon, venue="Phòng họp")
    with pytest.raises(ValidationError, match="chưa diễn ra"):
        services.minutes_record(actor=world.board, meeting=meeting, attendance=[])


def test_record_refuses_when_submitted_or_locked(world):
    meeting = approved(world)
    with pytest.raises(ValidationError, match="mở lại"):
        record(world, meeting)


def test_submit_requires_complete_minutes(world):
    meeting = schedule(world)
    with pytest.raises(ValidationError):  # still planned
        services.minutes_submit(actor=world.secretary, meeting=meeting)
    record(world, meeting, attendance=attendance_rows(world)[:2], decisions=[], minutes_number="")
    with pytest.raises(ValidationError) as error:
        services.minutes_submit(actor=world.secretary, meeting=meeting)
    text = " ".join(error.value.messages)
    assert "điểm danh đủ 4" in text and "số biên bản" in text and "quyết nghị" in text


def test_submit_notifies_the_approvers(world):
    meeting = schedule(world, chair_user=world.leaders[0])
    record(world, meeting)
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.SUBMITTED
    assert Notification.objects.filter(user=world.leaders[0]).count() == 1


def test_approve_locks_and_issues_the_pdf(world):
    meeting = approved(world)
    assert meeting.state == MeetingState.APPROVED
    revision = MinutesRevision.objects.get(meeting=meeting)
    assert revision.snapshot["present_count"] == 4
    document = IssuedDocument.objects.get(kind="minutes")
    assert document.source == revision
    assert document.status == JobStatus.DONE
    assert document.content_hash == revision.content_hash


def test_approve_only_submitted(world):
    meeting = schedule(world)
    record(world, meeting)
    with pytest.raises(ValidationError):
        services.minutes_approve(actor=world.leaders[0], meeting=meeting)


def test_return_needs_reason_and_goes_back_to_held(world):
    meeting = schedule(world)
    record(world, meeting)
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    with pytest.raises(ValidationError):
        services.minutes_return(actor=world.leaders[0], meeting=meeting, reason="  ")
    services.minutes_return(actor=world.leaders[0], meeting=meeting, reason="Bổ sung khách mời")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD


def test_reopen_is_recorded_and_reapproval_issues_a_new_document(world):
    meeting = approved(world)
    first = IssuedDocument.objects.get(kind="minutes")
    with pytest.raises(ValidationError):
        services.minutes_reopen(actor=world.secretary, meeting=meeting, reason="")
    services.minutes_reopen(actor=world.secretary, meeting=meeting, reason="Sửa tên người dự")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    entry = audit_for(meeting).first()
    assert entry.action == "meeting.minutes_reopen" and entry.data["reason"] == "Sửa tên người dự"
    record(world, meeting, decisions=["Quyết nghị đã sửa"])
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    approve(world, meeting)
    documents = list(IssuedDocument.objects.filter(kind="minutes").order_by("pk"))
    assert len(documents) == 2 and documents[0].code == first.code
    documents[0].refresh_from_db()
    assert documents[0].sha256 == first.sha256  # the issued file is untouched
    assert documents[1].source.snapshot["decisions"] == ["Quyết nghị đã sửa"]


def test_reopen_refused_unless_locked(world):
    meeting = schedule(world)
    with pytest.raises(ValidationError):
        services.minutes_reopen(actor=world.secretary, meeting=meeting, reason="x")


def test_publish_needs_an_article_and_approved_minutes(world):
    meeting = schedule(world)
    record(world, meeting)
    with pytest.raises(ValidationError):
        services.article_save(actor=world.secretary, meeting=meeting, title="T", body="B")
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    services.minutes_approve(actor=world.leaders[0], meeting=meeting)
    with pytest.raises(ValidationError, match="soạn"):
        services.article_publish(actor=world.secretary, meeting=meeting)
    services.article_save(actor=world.secretary, meeting=meeting, title="Tin", body="Nội dung")
    article = services.article_publish(actor=world.secretary, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PUBLISHED and article.is_published and article.published_at
    with pytest.raises(ValidationError, match="đã được đăng"):
        services.article_publish(actor=world.secretary, meeting=meeting)


def test_reopen_of_published_takes_the_article_down(world):
    meeting = published(world)
    services.minutes_reopen(actor=world.secretary, meeting=meeting, reason="Sai số biên bản")
    meeting.refresh_from_db()
    assert not meeting.article.is_published


def test_unpublish(world):
    meeting = published(world)
    services.article_unpublish(actor=world.secretary, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED and not meeting.article.is_published
    with pytest.raises(ValidationError):
        services.article_unpublish(actor=world.secretary, meeting=meeting)


def test_draft_article_reads_like_the_reports(world):
    from meetings.drafting import draft_article

    meeting = approved(world, kind=MeetingKind.SIGNING, starts_at=local(2022, 2, 28, 14))
    meeting.documents_adopted = "Kế hoạch hoạt động\nQuy chế hoạt động"
    draft = draft_article(meeting)
    assert draft["title"] == f"Hội nghị ký kết giao ước thi đua năm 2022 của {world.bloc.name}"
    assert draft["lead"].startswith("Chiều ngày 28/02/2022, tại Sở Kế hoạch và Đầu tư")
    assert "04 đơn vị thành viên" in draft["body"]
    assert "Bản giao ước thi đua năm 2022; Kế hoạch hoạt động; Quy chế hoạt động" in draft["body"]
    assert "Lê Thị Khách" in draft["body"]


def test_meeting_update_only_while_editable(world):
    meeting = schedule(world)
    services.meeting_update(actor=world.secretary, meeting=meeting, venue="Hội trường tầng III, UBND tỉnh")
    meeting.refresh_from_db()
    assert meeting.venue == "Hội trường tầng III, UBND tỉnh"
    meeting = approved(world, starts_at=local(2022, 7, 1))
    with pytest.raises(ValidationError):
        services.meeting_update(actor=world.secretary, meeting=meeting, venue="x")


def test_other_province_agency_never_a_member(world):
    stranger = make_agency(world.other_province)
    meeting = schedule(world)
    with pytest.raises(ValidationError):
        record(world, meeting, attendance=[{"agency": stranger, "present": True}])
