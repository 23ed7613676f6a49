"""The minutes: record, submit, return, approve (locks and issues the PDF), reopen.

Every state change goes through ``MEETING_FLOW.run`` (lock, state, rule, the service's own
checks in ``apply``, save, audit); see ``meetings.workflow``.
"""

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocs.models import Role, RoleAssignment, User
from core.access import can
from core.documents import document_request
from core.hashing import canonical_hash, sha256_of_file
from core.notifications import notifications_done, notify
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


class StaleMinutes(ValidationError):
    """The form was loaded before someone else saved the minutes, and both changed the same part.

    ``sections`` names the parts in conflict; ``edited`` the parts this form changed (kept as typed
    when the form is shown again; the others show what is saved now); ``version`` is the token
    of what is saved now.
    """

    def __init__(self, message, *, sections: list[str], edited: set[str], version: str):
        super().__init__(message, code="stale")
        self.sections, self.edited, self.version = sections, edited, version


# The parts of the minutes a form may have seen, in the order of the page, with the names a
# stale-form message gives them.
SECTION_LABELS = {
    "attendance": gettext_lazy("Điểm danh đơn vị thành viên"),
    "guests": gettext_lazy("Khách mời"),
    "minutes_number": gettext_lazy("Số biên bản"),
    "secretary_name": gettext_lazy("Thư ký ký biên bản"),
    "secretary_title": gettext_lazy("Chức vụ thư ký"),
    "results": gettext_lazy("Kết quả thực hiện"),
    "next_plan": gettext_lazy("Phương hướng, nhiệm vụ thời gian tới"),
    "discussion": gettext_lazy("Diễn biến, thảo luận"),
    "conclusions": gettext_lazy("Kết luận của chủ trì"),
    "documents_adopted": gettext_lazy("Văn bản khác được thông qua"),
    "pledge": gettext_lazy("Bản giao ước được thông qua"),
    "decisions": gettext_lazy("Quyết nghị"),
    "photos": gettext_lazy("Hình ảnh hội nghị"),
}
_VERSION_PART = re.compile(r"^([a-z_]{1,40}):([0-9a-f]{16})$")


def _saved_sections(meeting: Meeting) -> dict:
    """What is saved now, part by part (uses the prefetched rows when there are)."""
    parts = {name: getattr(meeting, name) for name in MINUTES_FIELDS}
    parts["pledge"] = getattr(meeting, "pledge_id", None)
    parts["attendance"] = sorted(
        [a.agency_id, a.present, a.representative_name, a.representative_title, a.absence_reason] for a in meeting.attendances.all()
    )
    parts["guests"] = [[g.name, g.title, g.organization] for g in meeting.guests.all()]
    parts["decisions"] = [d.text for d in meeting.decisions.all()]
    parts["photos"] = sorted([p.pk, p.caption] for p in meeting.photos.all())
    return parts


def _digests(parts: dict) -> dict[str, str]:
    return {name: canonical_hash(value)[:16] for name, value in parts.items()}


def _encode(digests: dict[str, str]) -> str:
    return ";".join(f"{name}:{digest}" for name, digest in sorted(digests.items()))


def minutes_version(*, meeting: Meeting) -> str:
    """The token a minutes form carries: one short hash per part of what it was loaded with."""
    return _encode(_digests(_saved_sections(meeting)))


def parse_minutes_version(text: str) -> dict[str, str]:
    """The parts of a token; ``ValueError`` when it is not one."""
    parts = {}
    for item in text.split(";"):
        match = _VERSION_PART.match(item)
        if match is None or match.group(1) not in SECTION_LABELS:
            raise ValueError("not a minutes version")
        parts[match.group(1)] = match.group(2)
    return parts


def _posted_sections(saved, *, fields, pledge, attendance, guests, decisions, photo_captions, photo_deletions):
    """What the minutes would hold once this post is written, in the shape of ``_saved_sections``."""
    parts = dict(saved)
    for name, value in fields.items():
        parts[name] = value.strip() if isinstance(value, str) else value
    parts["pledge"] = pledge.pk if pledge is not None else None
    parts["attendance"] = sorted(
        [row["agency"].pk, bool(row.get("present")), (row.get("representative_name") or "").strip(),
         (row.get("representative_title") or "").strip(),
         (row.get("absence_reason") or "").strip() if not row.get("present") else ""]
        for row in attendance
    )
    parts["guests"] = [
        [g["name"].strip(), (g.get("title") or "").strip(), (g.get("organization") or "").strip()]
        for g in guests
        if (g.get("name") or "").strip()
    ]
    parts["decisions"] = [text.strip() for text in decisions if text and text.strip()]
    parts["photos"] = sorted(
        [pk, (photo_captions.get(pk, caption) or "").strip()] for pk, caption in saved["photos"] if pk not in photo_deletions
    )
    return parts


def _stale_message(sections):
    return _(
        "Biên bản đã được sửa ở nơi khác sau khi anh/chị mở trang này (%(parts)s). Những gì anh/chị vừa gõ vẫn giữ ở "
        "dưới; các phần khác đã cập nhật theo bản mới nhất. Hãy kiểm tra lại rồi lưu."
    ) % {"parts": ", ".join(str(SECTION_LABELS[name]) for name in sections)}


def _sections_to_skip(row, posted_parts, version):
    """Compare the form's token with what is saved now; the parts to leave as they are.

    A part changed since the form was loaded is left alone when this form did not change it
    (someone else's edit is kept), and is already right when this post holds what is saved (a
    double click). Both sides changing it differently is a conflict: ``StaleMinutes``.
    """
    if version is None:
        return set()
    now = _digests(_saved_sections(row))
    try:
        seen = parse_minutes_version(version)
    except ValueError:
        raise ValidationError(_("Biểu mẫu biên bản không hợp lệ; hãy tải lại trang rồi nhập lại.")) from None
    posted = _digests(posted_parts)
    others = {name for name in now if seen.get(name) != now[name]}
    mine = {name for name in now if posted[name] != seen.get(name)}
    conflicts = [name for name in SECTION_LABELS if name in others & mine and posted[name] != now[name]]
    if conflicts:
        raise StaleMinutes(_stale_message(conflicts), sections=conflicts, edited=mine, version=_encode(now))
    return others - mine


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
    version: str | None = None,
    **fields,
) -> Meeting:
    """Save the minutes as typed: attendance, guests, texts, decisions and photos.

    ``attendance``: dicts with ``agency``, ``present``, ``representative_name``, ``representative_title``
    and, for an absent member, ``absence_reason``;
    ``guests``: dicts with ``name``, ``title``, ``organization``; ``decisions``: strings;
    ``new_photos``: (uploaded file, caption) pairs. The first save marks the meeting as held.

    ``version`` is the token (``minutes_version``) of the minutes the form was loaded with: the
    same post sent twice saves the same minutes (a photo already there is not added again), and a
    post from a form loaded before another save keeps that save (``StaleMinutes`` when both
    changed the same part). Without it, everything is written as given.
    """
    unknown = set(fields) - set(MINUTES_FIELDS)
    if unknown:
        raise TypeError(f"unknown minutes fields: {sorted(unknown)}")
    attendance, guests, decisions = list(attendance), list(guests), list(decisions)
    photo_captions, photo_deletions, new_photos = dict(photo_captions or {}), set(photo_deletions), list(new_photos)

    def apply(row):
        checked_photos = _check_minutes(row, attendance=attendance, new_photos=new_photos, pledge=pledge)
        posted = _posted_sections(
            _saved_sections(row), fields=fields, pledge=pledge, attendance=attendance, guests=guests, decisions=decisions,
            photo_captions=photo_captions, photo_deletions=photo_deletions,
        )
        skip = _sections_to_skip(row, posted, version)
        for name in fields:
            if name not in skip:
                setattr(row, name, posted[name])
        if "pledge" not in skip:
            row.pledge = pledge
        row.full_clean()
        if "attendance" not in skip:
            _save_attendance(row, attendance)
        if "guests" not in skip:
            _save_guests(row, guests)
        if "decisions" not in skip:
            row.decisions.all().delete()
            Decision.objects.bulk_create([Decision(meeting=row, order=i, text=text) for i, text in enumerate(posted["decisions"])])
        if "photos" in skip:
            photo_captions.clear()
            photo_deletions.clear()
        added = _save_photos(row, photo_captions, photo_deletions, checked_photos)
        return {
            "present": sum(1 for line in attendance if line.get("present")),
            "attendance": len(attendance),
            "guests": len(posted["guests"]),
            "decisions": len(posted["decisions"]),
            "photos_added": added,
            "photos_deleted": len(photo_deletions),
            **({"kept_newer": sorted(skip)} if skip else {}),
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


def _save_attendance(meeting, attendance):
    meeting.attendances.all().delete()
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                agency=row["agency"],
                present=bool(row.get("present")),
                representative_name=(row.get("representative_name") or "").strip(),
                representative_title=(row.get("representative_title") or "").strip(),
                absence_reason=(row.get("absence_reason") or "").strip() if not row.get("present") else "",
            )
            for row in attendance
        ]
    )


def _save_guests(meeting, guests):
    meeting.guests.all().delete()
    guest_rows = [
        Guest(meeting=meeting, order=i, name=g["name"].strip(), title=(g.get("title") or "").strip(), organization=(g.get("organization") or "").strip())
        for i, g in enumerate(guests)
        if (g.get("name") or "").strip()
    ]
    for guest in guest_rows:
        guest.full_clean(exclude=["meeting"])
    Guest.objects.bulk_create(guest_rows)


def _stored_digest(field):
    try:
        with field.open("rb") as handle:
            return sha256_of_file(handle)
    except (OSError, ValueError):
        return None


def _save_photos(meeting, captions, deletions, checked) -> int:
    """Apply captions and deletions by photo id; add the new photos not already there. Returns how many were added."""
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
    # An upload sent again (a double click, a browser retry) is not stored twice: the stored
    # original is made from the pixels, so the same picture gives the bytes of a photo already
    # saved. Only the saved photos of the same size are read.
    added = 0
    for upload, caption, image_format, width, height in checked:
        original, thumb = photos.stored_files(upload, image_format)
        same_size = [p for p in existing.values() if (p.width, p.height) == (width, height)]
        if same_size and sha256_of_file(original) in {_stored_digest(p.image) for p in same_size}:
            continue
        order += 1
        photo = Photo(meeting=meeting, caption=(caption or "").strip(), order=order, width=width, height=height)
        photo.image.save(original.name, original, save=False)
        photo.thumbnail.save(thumb.name, thumb, save=False)
        photo.full_clean()
        photo.save()
        added += 1
    return added


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


def approve_key(meeting: Meeting) -> str:
    """The key of "these minutes wait for your approval" (in-app notification and reminder rule)."""
    return f"meetings.approve:{meeting.pk}"


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
    notify(users=approvers_of(meeting), message=message, url=url, key=approve_key(meeting))
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

    meeting = MEETING_FLOW.run("minutes_return", obj=meeting, actor=actor, ip=ip, apply=apply)
    notifications_done(key=approve_key(meeting))
    return meeting


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
    notifications_done(key=approve_key(meeting))
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
