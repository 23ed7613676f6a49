"""The minutes: record, submit, return, approve (locks and issues the PDF), reopen."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.models import Role, RoleAssignment
from core.audit import audit_record
from core.documents import document_request
from core.hashing import canonical_hash
from core.notifications import notify
from meetings import photos
from meetings.models import Article, Attendance, Decision, Guest, Meeting, MeetingState, MinutesRevision, Photo
from meetings.snapshot import minutes_snapshot

MINUTES_FIELDS = (
    "minutes_number",
    "discussion",
    "conclusions",
    "results",
    "next_plan",
    "documents_adopted",
    "secretary_name",
    "secretary_title",
)


def _locked_meeting(meeting):
    return Meeting.objects.select_for_update().select_related("bloc_year__bloc__province").get(pk=meeting.pk)


def _transition(*, meeting, actor, ip, to_state, action, data=None):
    from_state = meeting.state
    meeting.state = to_state
    meeting.save()
    audit_record(actor=actor, ip=ip, action=action, obj=meeting, data={"from": from_state, "to": to_state, **(data or {})})


def _check_attendance(meeting, attendance):
    member_ids = set(meeting.bloc_year.memberships.values_list("agency_id", flat=True))
    strangers = [row for row in attendance if row["agency"].pk not in member_ids]
    if strangers:
        names = ", ".join(row["agency"].name for row in strangers)
        return [_("Chỉ đơn vị thành viên của khối trong năm mới được điểm danh là thành viên: %(names)s.") % {"names": names}]
    seen = [row["agency"].pk for row in attendance]
    if len(seen) != len(set(seen)):
        return [_("Mỗi đơn vị chỉ được điểm danh một lần.")]
    return []


def _check_photos(new_photos):
    errors, checked = [], []
    for upload, caption in new_photos:
        try:
            image_format, width, height = photos.check_image(upload)
        except ValidationError as error:
            errors.extend(error.messages)
        else:
            checked.append((upload, caption, image_format, width, height))
    return errors, checked


@transaction.atomic
def minutes_record(
    *,
    actor,
    ip=None,
    meeting,
    attendance=(),
    guests=(),
    decisions=(),
    photo_captions=None,
    photo_deletions=(),
    new_photos=(),
    pledge=None,
    **fields,
):
    """Save the minutes as typed: attendance, guests, texts, decisions and photos.

    ``attendance``: dicts with ``agency``, ``present``, ``representative_name``, ``representative_title``;
    ``guests``: dicts with ``name``, ``title``, ``organization``; ``decisions``: strings;
    ``new_photos``: (uploaded file, caption) pairs. The first save marks the meeting as held.
    """
    unknown = set(fields) - set(MINUTES_FIELDS)
    if unknown:
        raise TypeError(f"unknown minutes fields: {sorted(unknown)}")
    meeting = _locked_meeting(meeting)
    if not meeting.is_editable:
        raise ValidationError(_("Biên bản đang chờ duyệt hoặc đã duyệt: không thể sửa. Hãy mở lại biên bản để chỉnh sửa."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Hội nghị chưa diễn ra: chỉ ghi biên bản sau khi hội nghị bắt đầu."))
    errors = {}
    attendance = list(attendance)
    attendance_errors = _check_attendance(meeting, attendance)
    if attendance_errors:
        errors["attendance"] = attendance_errors
    photo_errors, checked_photos = _check_photos(list(new_photos))
    if photo_errors:
        errors["photos"] = photo_errors
    if pledge is not None and pledge.bloc_year_id != meeting.bloc_year_id:
        errors["pledge"] = [_("Bản giao ước phải là của khối trong cùng năm.")]
    if errors:
        raise ValidationError(errors)

    for name, value in fields.items():
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    if hasattr(meeting, "pledge_id"):
        meeting.pledge = pledge
    meeting.full_clean()

    meeting.attendances.all().delete()
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                agency=row["agency"],
                present=bool(row.get("present")),
                representative_name=(row.get("representative_name") or "").strip(),
                representative_title=(row.get("representative_title") or "").strip(),
            )
            for row in attendance
        ]
    )
    meeting.guests.all().delete()
    guest_rows = [
        Guest(meeting=meeting, order=i, name=g["name"].strip(), title=(g.get("title") or "").strip(), organization=(g.get("organization") or "").strip())
        for i, g in enumerate(guests)
        if g.get("name", "").strip()
    ]
    for guest in guest_rows:
        guest.full_clean(exclude=["meeting"])
    Guest.objects.bulk_create(guest_rows)
    meeting.decisions.all().delete()
    Decision.objects.bulk_create(
        [Decision(meeting=meeting, order=i, text=text.strip()) for i, text in enumerate(decisions) if text and text.strip()]
    )
    _save_photos(meeting, photo_captions or {}, set(photo_deletions), checked_photos)

    data = {
        "present": sum(1 for row in attendance if row.get("present")),
        "attendance": len(attendance),
        "guests": len(guest_rows),
        "decisions": len([d for d in decisions if d and d.strip()]),
        "photos_added": len(checked_photos),
        "photos_deleted": len(photo_deletions),
    }
    if meeting.state == MeetingState.PLANNED:
        _transition(meeting=meeting, actor=actor, ip=ip, to_state=MeetingState.HELD, action="meeting.minutes_record", data=data)
    else:
        meeting.save()
        audit_record(actor=actor, ip=ip, action="meeting.minutes_record", obj=meeting, data=data)
    return meeting


def _save_photos(meeting, captions, deletions, checked):
    existing = {photo.pk: photo for photo in meeting.photos.all()}
    for pk in deletions:
        photo = existing.pop(pk, None)
        if photo is not None:
            photo.image.delete(save=False)
            photo.thumbnail.delete(save=False)
            photo.delete()
    for pk, caption in captions.items():
        photo = existing.get(pk)
        if photo is not None and photo.caption != caption.strip():
            photo.caption = caption.strip()
            photo.full_clean(exclude=["image", "thumbnail"])
            photo.save(update_fields=["caption"])
    order = max((p.order for p in existing.values()), default=0)
    for upload, caption, image_format, width, height in checked:
        order += 1
        original, thumb = photos.stored_files(upload, image_format)
        photo = Photo(meeting=meeting, caption=(caption or "").strip(), order=order, width=width, height=height)
        photo.image.save(original.name, original, save=False)
        photo.thumbnail.save(thumb.name, thumb, save=False)
        photo.full_clean()
        photo.save()


def _submit_errors(meeting):
    errors = []
    member_count = meeting.bloc_year.memberships.count()
    attendance = list(meeting.attendances.all())
    if len(attendance) < member_count:
        errors.append(_("Hãy điểm danh đủ %(n)d đơn vị thành viên (có mặt hoặc vắng).") % {"n": member_count})
    if not any(row.present for row in attendance):
        errors.append(_("Biên bản phải có ít nhất một đơn vị có mặt."))
    if not meeting.minutes_number:
        errors.append(_("Hãy nhập số biên bản."))
    if not meeting.secretary_name:
        errors.append(_("Hãy nhập họ tên thư ký ký biên bản."))
    if not meeting.chair_name:
        errors.append(_("Hãy nhập họ tên người chủ trì (trong lịch hội nghị)."))
    if not meeting.decisions.exists():
        errors.append(_("Biên bản phải có ít nhất một quyết nghị."))
    return errors


def approvers_of(meeting):
    """Users who may approve the minutes: the chair's account and the head agency's leaders."""
    from blocs.models import User

    leader_ids = RoleAssignment.objects.filter(role=Role.LEADER, agency_id=meeting.bloc_year.head_id).values("user_id")
    users = User.objects.filter(is_active=True, pk__in=leader_ids)
    if meeting.chair_user_id:
        users = users | User.objects.filter(pk=meeting.chair_user_id)
    return users.distinct()


@transaction.atomic
def minutes_submit(*, actor, ip=None, meeting):
    """The secretary sends the drafted minutes to the chair for approval."""
    meeting = _locked_meeting(meeting)
    if meeting.state != MeetingState.HELD:
        raise ValidationError(_("Chỉ trình duyệt được biên bản đang soạn (hội nghị đã họp)."))
    errors = _submit_errors(meeting)
    if errors:
        raise ValidationError(errors)
    meeting.submitted_at = timezone.now()
    _transition(meeting=meeting, actor=actor, ip=ip, to_state=MeetingState.SUBMITTED, action="meeting.minutes_submit")
    url = reverse("meetings:detail", args=[meeting.pk])
    message = _("Biên bản %(title)s chờ anh/chị duyệt.") % {"title": meeting.title}
    notify(users=approvers_of(meeting), message=message, url=url)
    return meeting


@transaction.atomic
def minutes_return(*, actor, ip=None, meeting, reason):
    """The chair sends the minutes back to the secretary with a reason."""
    meeting = _locked_meeting(meeting)
    if meeting.state != MeetingState.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được biên bản đang chờ duyệt."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại.")})
    _transition(meeting=meeting, actor=actor, ip=ip, to_state=MeetingState.HELD, action="meeting.minutes_return", data={"reason": reason})
    return meeting


@transaction.atomic
def minutes_approve(*, actor, ip=None, meeting):
    """Approve and lock the minutes; freeze what was approved and have its PDF rendered."""
    meeting = _locked_meeting(meeting)
    if meeting.state != MeetingState.SUBMITTED:
        raise ValidationError(_("Chỉ duyệt được biên bản đang chờ duyệt."))
    now = timezone.now()
    meeting.revision += 1
    meeting.approved_at = now
    meeting.approved_by = actor
    snapshot = minutes_snapshot(meeting)
    content_hash = canonical_hash(snapshot)
    revision = MinutesRevision.objects.create(
        meeting=meeting, number=meeting.revision, snapshot=snapshot, content_hash=content_hash, approved_by=actor, approved_at=now
    )
    _transition(
        meeting=meeting, actor=actor, ip=ip, to_state=MeetingState.APPROVED, action="meeting.minutes_approve",
        data={"revision": revision.number, "content_hash": content_hash},
    )
    document_request(source=revision, kind="minutes", title=_("Biên bản %(title)s") % {"title": meeting.title})
    return meeting


@transaction.atomic
def minutes_reopen(*, actor, ip=None, meeting, reason):
    """Unlock approved minutes for a correction. A published article leaves the news page until republished."""
    meeting = _locked_meeting(meeting)
    if not meeting.is_locked:
        raise ValidationError(_("Chỉ mở lại được biên bản đã duyệt."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do mở lại biên bản.")})
    unpublished = False
    article = Article.objects.filter(meeting=meeting).first()
    if article is not None and article.is_published:
        article.is_published = False
        article.save(update_fields=["is_published", "updated_at"])
        unpublished = True
    _transition(
        meeting=meeting, actor=actor, ip=ip, to_state=MeetingState.HELD, action="meeting.minutes_reopen",
        data={"reason": reason, "revision": meeting.revision, "article_unpublished": unpublished},
    )
    return meeting
