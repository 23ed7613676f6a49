"""The minutes: record, submit, return, approve (locks and issues the PDF), reopen.

Every state change goes through ``MEETING_FLOW.run`` (lock, state, rule, the service's own
checks in ``apply``, save, audit); see ``meetings.workflow``.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.models import Role, RoleAssignment, User
from core.access import can
from core.documents import document_request
from core.hashing import canonical_hash
from core.notifications import notify
from meetings import photos
from meetings.models import Article, Attendance, Decision, Guest, Meeting, MinutesRevision, Photo
from meetings.snapshot import minutes_snapshot
from meetings.workflow import MEETING_FLOW
from pledges.models import Pledge

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
    actor: User,
    ip: str | None = None,
    meeting: Meeting,
    attendance: Iterable[dict] = (),
    guests: Iterable[dict] = (),
    decisions: Iterable[str] = (),
    photo_captions: dict | None = None,
    photo_deletions: Iterable[int] = (),
    new_photos: Iterable[tuple] = (),
    pledge: Pledge | None = None,
    **fields,
) -> Meeting:
    """Save the minutes as typed: attendance, guests, texts, decisions and photos.

    ``attendance``: dicts with ``agency``, ``present``, ``representative_name``, ``representative_title``;
    ``guests``: dicts with ``name``, ``title``, ``organization``; ``decisions``: strings;
    ``new_photos``: (uploaded file, caption) pairs. The first save marks the meeting as held.
    """
    unknown = set(fields) - set(MINUTES_FIELDS)
    if unknown:
        raise TypeError(f"unknown minutes fields: {sorted(unknown)}")
    attendance, guests, decisions = list(attendance), list(guests), list(decisions)
    photo_deletions, new_photos = list(photo_deletions), list(new_photos)

    def apply(row):
        checked_photos = _check_minutes(row, attendance=attendance, new_photos=new_photos, pledge=pledge)
        for name, value in fields.items():
            setattr(row, name, value.strip() if isinstance(value, str) else value)
        row.pledge = pledge
        row.full_clean()
        guest_count = _save_people(row, attendance=attendance, guests=guests)
        row.decisions.all().delete()
        kept = [text.strip() for text in decisions if text and text.strip()]
        Decision.objects.bulk_create([Decision(meeting=row, order=i, text=text) for i, text in enumerate(kept)])
        _save_photos(row, photo_captions or {}, set(photo_deletions), checked_photos)
        return {
            "present": sum(1 for line in attendance if line.get("present")),
            "attendance": len(attendance),
            "guests": guest_count,
            "decisions": len(kept),
            "photos_added": len(checked_photos),
            "photos_deleted": len(photo_deletions),
        }

    return MEETING_FLOW.run("minutes_record", obj=meeting, actor=actor, ip=ip, apply=apply)


def _check_minutes(meeting, *, attendance, new_photos, pledge):
    """Check the input against the meeting (every problem at once); returns the new photos, measured."""
    errors = {}
    attendance_errors = _check_attendance(meeting, attendance)
    if attendance_errors:
        errors["attendance"] = attendance_errors
    photo_errors, checked_photos = _check_photos(new_photos)
    if photo_errors:
        errors["photos"] = photo_errors
    if pledge is not None and pledge.bloc_year_id != meeting.bloc_year_id:
        errors["pledge"] = [_("Bản giao ước phải là của khối trong cùng năm.")]
    if errors:
        raise ValidationError(errors)
    return checked_photos


def _save_people(meeting, *, attendance, guests):
    """Replace the attendance and the guests; returns the number of guests kept."""
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
    return len(guest_rows)


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


def approvers_of(meeting: Meeting) -> list[User]:
    """Who may approve the minutes: exactly the users the ``meetings.approve`` rule lets through.

    The candidates are the head agency's leaders and the chair's account; each is then asked the
    rule itself, so a chair who also writes the minutes (secretary, board) is left out, as the
    approve button and the service leave them out.
    """
    leader_ids = RoleAssignment.objects.filter(role=Role.LEADER, agency_id=meeting.bloc_year.head_id).values("user_id")
    candidates = Q(pk__in=leader_ids)
    if meeting.chair_user_id:
        candidates |= Q(pk=meeting.chair_user_id)
    return [user for user in User.objects.filter(candidates, is_active=True).order_by("pk") if can(user, "meetings.approve", meeting)]


@transaction.atomic
def minutes_submit(*, actor: User, ip: str | None = None, meeting: Meeting) -> Meeting:
    """The secretary sends the drafted minutes to the chair for approval."""

    def apply(row):
        errors = _submit_errors(row)
        if errors:
            raise ValidationError(errors)
        row.submitted_at = timezone.now()

    meeting = MEETING_FLOW.run("minutes_submit", obj=meeting, actor=actor, ip=ip, apply=apply)
    url = reverse("meetings:detail", args=[meeting.pk])
    message = _("Biên bản %(title)s chờ anh/chị duyệt.") % {"title": meeting.title}
    notify(users=approvers_of(meeting), message=message, url=url)
    return meeting


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


def minutes_return(*, actor: User, ip: str | None = None, meeting: Meeting, reason: str) -> Meeting:
    """The chair sends the minutes back to the secretary with a reason."""

    def apply(row):
        return {"reason": _reason(reason, _("Hãy ghi lý do trả lại."))}

    return MEETING_FLOW.run("minutes_return", obj=meeting, actor=actor, ip=ip, apply=apply)


@transaction.atomic
def minutes_approve(*, actor: User, ip: str | None = None, meeting: Meeting) -> Meeting:
    """Approve and lock the minutes; freeze what was approved and have its PDF rendered."""
    approval = {}

    def apply(row):
        now = timezone.now()
        row.revision += 1
        row.approved_at = now
        row.approved_by = actor
        snapshot = minutes_snapshot(row)
        content_hash = canonical_hash(snapshot)
        approval["revision"] = MinutesRevision.objects.create(
            meeting=row, number=row.revision, snapshot=snapshot, content_hash=content_hash, approved_by=actor, approved_at=now
        )
        return {"revision": row.revision, "content_hash": content_hash}

    meeting = MEETING_FLOW.run("minutes_approve", obj=meeting, actor=actor, ip=ip, apply=apply)
    document_request(source=approval["revision"], kind="minutes", title=_("Biên bản %(title)s") % {"title": meeting.title})
    return meeting


def minutes_reopen(*, actor: User, ip: str | None = None, meeting: Meeting, reason: str) -> Meeting:
    """Unlock approved minutes for a correction. A published article leaves the news page until republished."""

    def apply(row):
        text = _reason(reason, _("Hãy ghi lý do mở lại biên bản."))
        article = Article.objects.filter(meeting=row, is_published=True).first()
        if article is not None:
            article.is_published = False
            article.save(update_fields=["is_published", "updated_at"])
        return {"reason": text, "revision": row.revision, "article_unpublished": article is not None}

    return MEETING_FLOW.run("minutes_reopen", obj=meeting, actor=actor, ip=ip, apply=apply)
