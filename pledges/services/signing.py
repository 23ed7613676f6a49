"""Signing: freeze the text, collect one signature per member agency, reopen, amend.

Every step is a transition of ``PLEDGE_FLOW`` (state, rule and guard checked under the version's
row lock). Signatures on one version serialise on that lock, so when two leaders sign at the
same moment both succeed, exactly one of them sees "everyone has signed" and the PDF is
requested once (``document_request`` is get-or-create and enqueues on commit).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.access import roles_of
from blocs.models import BlocYear, Role, RoleAssignment, User
from core.documents import document_request
from core.notifications import notifications_done, notify
from core.services import model_update
from pledges.content import content_hash as hash_of_content
from pledges.content import version_content
from pledges.models import Decline, PledgeState, PledgeVersion, Signature, SigningCapacity
from pledges.rules import signing_agency_id
from pledges.services.drafting import copy_attachments, copy_criteria
from pledges.services.review import unanswered_comments
from pledges.workflow import PLEDGE_FLOW

DOCUMENT_KIND = "pledge"
UNANSWERED = "unanswered_comments"  # the code of the refusal that asks the secretary to confirm


def sign_key(version: PledgeVersion) -> str:
    """The key of "your agency must sign this version" (in-app notification and reminder rule)."""
    return f"pledges.sign:{version.pk}"


def default_signing_deadline(version: PledgeVersion) -> datetime.date:
    """The signing date printed on the pledge when it is still ahead, else PLEDGE_SIGNING_DAYS from today."""
    today = timezone.localdate()
    if version.date and version.date > today:
        return version.date
    return today + datetime.timedelta(days=settings.PLEDGE_SIGNING_DAYS)


def _member_ids(bloc_year: BlocYear) -> set[int]:
    return set(bloc_year.memberships.values_list("agency_id", flat=True))


@transaction.atomic
def signing_open(
    *, actor: User, ip: str | None = None, version: PledgeVersion, unanswered_confirmed: bool = False
) -> PledgeVersion:
    """review → signing: the text freezes and its content hash is fixed; the members' leaders are told.

    While a member's comment is unanswered the text is frozen only once the secretary confirms
    (``unanswered_confirmed``); otherwise a ValidationError with code ``UNANSWERED`` asks for it.
    """
    members: set[int] = set()

    def apply(row):
        errors = {}
        if not row.date:
            errors["date"] = _("Hãy nhập ngày ký trước khi mở ký.")
        if not row.place:
            errors["place"] = _("Hãy nhập địa danh trước khi mở ký.")
        if errors:
            raise ValidationError(errors)
        criteria = list(row.criteria.all())
        if not criteria:
            raise ValidationError(_("Giao ước chưa có tiêu chí thi đua nào."))
        bloc_year = row.pledge.bloc_year
        members.update(_member_ids(bloc_year))
        if not members:
            raise ValidationError(_("Khối chưa có đơn vị thành viên nào trong năm %(year)s.") % {"year": bloc_year.year})
        unanswered = list(unanswered_comments(row).values_list("pk", flat=True))
        if unanswered and not unanswered_confirmed:
            raise ValidationError(
                _("Còn %(n)s góp ý của thành viên chưa được trả lời; hãy xác nhận trước khi chốt văn bản.") % {"n": len(unanswered)},
                code=UNANSWERED,
            )
        row.frozen_content = version_content(row, criteria=criteria)
        row.content_hash = hash_of_content(row.frozen_content)
        row.signing_opened_at = timezone.now()
        if row.signing_deadline is None or row.signing_deadline < timezone.localdate():
            row.signing_deadline = default_signing_deadline(row)
        row.full_clean()
        return {"content_hash": row.content_hash, "members": sorted(members), "unanswered": unanswered}

    version = PLEDGE_FLOW.run("signing_open", obj=version, actor=actor, ip=ip, apply=apply)
    leaders = User.objects.filter(
        is_active=True, role_assignments__role=Role.LEADER, role_assignments__agency_id__in=members
    ).distinct()
    notify(users=leaders, message=_("Giao ước “%(title)s” đã mở ký; đơn vị của đồng chí cần ký.") % {"title": version.title},
           url=version.get_absolute_url(), key=sign_key(version))
    return version


def _complete(*, version: PledgeVersion, actor: User, ip: str | None) -> PledgeVersion:
    """Every member has signed: the version is signed and its PDF is requested (once)."""

    def apply(row):
        row.signed_at = timezone.now()

    version = PLEDGE_FLOW.run("complete", obj=version, actor=actor, ip=ip, apply=apply)
    document_request(source=version, kind=DOCUMENT_KIND, title=version.title)
    return version


def _signing_agency(actor: User, version: PledgeVersion, message: str) -> int:
    agency_id = signing_agency_id(roles_of(actor), version.pledge.bloc_year)
    if agency_id is None:  # the rule lets only member leaders through; kept as a last line
        raise ValidationError(message)
    return agency_id


@transaction.atomic
def pledge_sign(
    *, actor: User, ip: str | None = None, version: PledgeVersion, signer_name: str, signer_title: str,
    capacity: str = SigningCapacity.SELF, original_name: str = "", original_title: str = "", content_hash: str,
) -> Signature:
    """A member's leader signs for their agency: once per version, only while signing is open."""
    made = {}

    def apply(row):
        if content_hash != row.content_hash:
            raise ValidationError(_("Nội dung giao ước đã thay đổi so với bản đồng chí đã đọc; hãy đọc lại trước khi ký."))
        agency_id = _signing_agency(actor, row, _("Chỉ lãnh đạo đơn vị thành viên của khối mới được ký cho đơn vị mình."))
        on_behalf = capacity != SigningCapacity.SELF
        signature = Signature(
            version=row, agency_id=agency_id, signer=actor, signer_name=(signer_name or "").strip(),
            signer_title=(signer_title or "").strip(), capacity=capacity,
            original_name=(original_name or "").strip() if on_behalf else "",
            original_title=(original_title or "").strip() if on_behalf else "",
            content_hash=row.content_hash, ip_address=ip,
        )
        signature.full_clean()
        signature.save()
        row.declines.filter(agency_id=agency_id, voided_at__isnull=True).update(voided_at=signature.signed_at)
        made["signature"] = signature
        return {"agency": agency_id, "signature": signature.pk, "capacity": capacity, "content_hash": row.content_hash}

    version = PLEDGE_FLOW.run("sign", obj=version, actor=actor, ip=ip, apply=apply)
    # Whoever signed for the agency, its leaders have nothing left to do here.
    notifications_done(key=sign_key(version), users=RoleAssignment.objects.filter(
        role=Role.LEADER, agency_id=made["signature"].agency_id).values("user_id"))
    signed = set(version.signatures.filter(voided_at__isnull=True).values_list("agency_id", flat=True))
    if _member_ids(version.pledge.bloc_year) <= signed:
        _complete(version=version, actor=actor, ip=ip)
    return made["signature"]


def pledge_decline(*, actor: User, ip: str | None = None, version: PledgeVersion, reason: str) -> Decline:
    """A leader declines to sign, with a reason the secretary reads; they may still sign later."""
    made = {}

    def apply(row):
        text = (reason or "").strip()
        if not text:
            raise ValidationError({"reason": _("Hãy ghi lý do không ký.")})
        agency_id = _signing_agency(actor, row, _("Chỉ lãnh đạo đơn vị thành viên của khối mới được ý kiến thay đơn vị."))
        now = timezone.now()
        row.declines.filter(agency_id=agency_id, voided_at__isnull=True).update(voided_at=now)
        decline = Decline(version=row, agency_id=agency_id, user=actor, reason=text, created_at=now)
        decline.full_clean()
        decline.save()
        made["decline"] = decline
        return {"agency": agency_id, "reason": text}

    PLEDGE_FLOW.run("decline", obj=version, actor=actor, ip=ip, apply=apply)
    return made["decline"]


@transaction.atomic
def signing_reopen(*, actor: User, ip: str | None = None, version: PledgeVersion, reason: str) -> PledgeVersion:
    """signing → draft for a real correction: every signature is voided (kept, visible) and its signer told."""
    text = (reason or "").strip()
    voided: list[Signature] = []

    def apply(row):
        if not text:
            raise ValidationError({"reason": _("Hãy ghi lý do mở lại.")})
        now = timezone.now()
        voided.extend(row.signatures.filter(voided_at__isnull=True))
        row.signatures.filter(voided_at__isnull=True).update(voided_at=now, voided_by=actor, void_reason=text[:500])
        row.declines.filter(voided_at__isnull=True).update(voided_at=now)
        previous_hash = row.content_hash
        row.content_hash = ""
        row.frozen_content = {}
        row.signing_opened_at = None
        return {"reason": text, "voided": [s.pk for s in voided], "content_hash": previous_hash}

    version = PLEDGE_FLOW.run("signing_reopen", obj=version, actor=actor, ip=ip, apply=apply)
    notify(
        users=[s.signer_id for s in voided],
        message=_("Chữ ký của đơn vị trên “%(title)s” đã bị hủy vì giao ước được mở lại để sửa: %(reason)s")
        % {"title": version.title, "reason": text},
        url=version.get_absolute_url(),
    )
    return version


@transaction.atomic
def signing_deadline_set(*, actor: User, ip: str | None = None, version: PledgeVersion, deadline: datetime.date) -> PledgeVersion:
    """The secretary moves the signing deadline while signing is open (the text stays frozen); reminders
    count down to the new date, and a step already sent is not sent again."""
    version = PLEDGE_FLOW.lock(version)
    if version.state != PledgeState.SIGNING:
        raise ValidationError(_("Chỉ đặt hạn ký khi giao ước đang mở ký."))
    if deadline is None or deadline < timezone.localdate():
        raise ValidationError({"signing_deadline": _("Hạn ký phải từ hôm nay trở đi.")})
    model_update(instance=version, actor=actor, ip=ip, action="pledge.signing_deadline", fields={"signing_deadline": deadline})
    return version


def pledge_amend(*, actor: User, ip: str | None = None, version: PledgeVersion) -> PledgeVersion:
    """A signed version is never edited: its amendment is a new draft version copied from it (only from the latest)."""
    made = {}

    def apply(row):
        amendment = PledgeVersion(
            pledge=row.pledge, number=row.number + 1, title=row.title, doc_number="", place=row.place,
            date=None, preamble=row.preamble, amends=row, created_by=actor,
        )
        amendment.full_clean()
        amendment.save()
        copy_criteria(row, amendment)
        copy_attachments(row, amendment)
        made["amendment"] = amendment
        return {"amends": row.pk, "number": amendment.number}

    PLEDGE_FLOW.run("amend", obj=version, actor=actor, ip=ip, apply=apply, audit_obj=lambda row: made["amendment"])
    return made["amendment"]
