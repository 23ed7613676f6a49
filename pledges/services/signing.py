"""Signing: freeze the text, collect one signature per member agency, reopen, amend.

Signatures on one version serialise on the version's row lock, so when two leaders sign at the
same moment both succeed, exactly one of them sees "everyone has signed" and the PDF is
requested once (``document_request`` is get-or-create and enqueues on commit).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.access import roles_of
from blocs.models import Role, User
from core.audit import audit_record
from core.documents import document_request
from core.notifications import notify
from pledges.content import content_hash, version_content
from pledges.models import Decline, PledgeState, PledgeVersion, Signature, SigningCapacity
from pledges.rules import signing_agency_id
from pledges.services.common import locked, require_state
from pledges.services.drafting import copy_attachments, copy_criteria

DOCUMENT_KIND = "pledge"


def _member_ids(bloc_year):
    return set(bloc_year.memberships.values_list("agency_id", flat=True))


@transaction.atomic
def signing_open(*, actor, ip=None, version):
    """review → signing: the text freezes and its content hash is fixed."""
    version = locked(version)
    require_state(version, PledgeState.REVIEW, message=_("Chỉ mở ký được khi giao ước đã qua lấy ý kiến."))
    errors = {}
    if not version.date:
        errors["date"] = _("Hãy nhập ngày ký trước khi mở ký.")
    if not version.place:
        errors["place"] = _("Hãy nhập địa danh trước khi mở ký.")
    if errors:
        raise ValidationError(errors)
    criteria = list(version.criteria.all())
    if not criteria:
        raise ValidationError(_("Giao ước chưa có tiêu chí thi đua nào."))
    bloc_year = version.pledge.bloc_year
    members = _member_ids(bloc_year)
    if not members:
        raise ValidationError(_("Khối chưa có đơn vị thành viên nào trong năm %(year)s.") % {"year": bloc_year.year})
    content = version_content(version, criteria=criteria)
    version.frozen_content = content
    version.content_hash = content_hash(content)
    version.state = PledgeState.SIGNING
    version.signing_opened_at = timezone.now()
    version.full_clean()
    version.save()
    audit_record(
        actor=actor, ip=ip, action="pledge.signing_open", obj=version,
        data={"from": "review", "to": "signing", "content_hash": version.content_hash, "members": sorted(members)},
    )
    leaders = User.objects.filter(
        is_active=True, role_assignments__role=Role.LEADER, role_assignments__agency_id__in=members
    ).distinct()
    notify(users=leaders, message=_("Giao ước “%(title)s” đã mở ký; đơn vị của đồng chí cần ký.") % {"title": version.title}, url=version.get_absolute_url())
    return version


def _complete(*, version, actor, ip):
    """Every member has signed: the version is signed and its PDF is requested (once)."""
    version.state = PledgeState.SIGNED
    version.signed_at = timezone.now()
    version.save(update_fields=["state", "signed_at"])
    audit_record(actor=actor, ip=ip, action="pledge.signed", obj=version, data={"from": "signing", "to": "signed"})
    document_request(source=version, kind=DOCUMENT_KIND, title=version.title)


@transaction.atomic
def pledge_sign(
    *, actor, ip=None, version, signer_name, signer_title, capacity=SigningCapacity.SELF,
    original_name="", original_title="", content_hash,
):
    """A member's leader signs for their agency: once per version, only while signing is open."""
    version = locked(version)
    require_state(version, PledgeState.SIGNING, message=_("Giao ước không ở giai đoạn ký; không thể ký lúc này."))
    if content_hash != version.content_hash:
        raise ValidationError(_("Nội dung giao ước đã thay đổi so với bản đồng chí đã đọc; hãy đọc lại trước khi ký."))
    bloc_year = version.pledge.bloc_year
    agency_id = signing_agency_id(roles_of(actor), bloc_year)
    if agency_id is None:
        raise ValidationError(_("Chỉ lãnh đạo đơn vị thành viên của khối mới được ký cho đơn vị mình."))
    if version.signatures.filter(agency_id=agency_id, voided_at__isnull=True).exists():
        raise ValidationError(_("Đơn vị của đồng chí đã ký phiên bản này."))
    if capacity == SigningCapacity.SELF:
        original_name = original_title = ""
    signature = Signature(
        version=version, agency_id=agency_id, signer=actor, signer_name=(signer_name or "").strip(),
        signer_title=(signer_title or "").strip(), capacity=capacity, original_name=(original_name or "").strip(),
        original_title=(original_title or "").strip(), content_hash=version.content_hash, ip_address=ip,
    )
    signature.full_clean()
    signature.save()
    version.declines.filter(agency_id=agency_id, voided_at__isnull=True).update(voided_at=signature.signed_at)
    audit_record(
        actor=actor, ip=ip, action="pledge.sign", obj=version,
        data={"agency": agency_id, "signature": signature.pk, "capacity": capacity, "content_hash": version.content_hash},
    )
    signed = set(version.signatures.filter(voided_at__isnull=True).values_list("agency_id", flat=True))
    if _member_ids(bloc_year) <= signed:
        _complete(version=version, actor=actor, ip=ip)
    return signature


@transaction.atomic
def pledge_decline(*, actor, ip=None, version, reason):
    """A leader declines to sign, with a reason the secretary reads; they may still sign later."""
    version = locked(version)
    require_state(version, PledgeState.SIGNING, message=_("Giao ước không ở giai đoạn ký."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do không ký.")})
    agency_id = signing_agency_id(roles_of(actor), version.pledge.bloc_year)
    if agency_id is None:
        raise ValidationError(_("Chỉ lãnh đạo đơn vị thành viên của khối mới được ý kiến thay đơn vị."))
    if version.signatures.filter(agency_id=agency_id, voided_at__isnull=True).exists():
        raise ValidationError(_("Đơn vị của đồng chí đã ký phiên bản này."))
    now = timezone.now()
    version.declines.filter(agency_id=agency_id, voided_at__isnull=True).update(voided_at=now)
    decline = Decline(version=version, agency_id=agency_id, user=actor, reason=reason, created_at=now)
    decline.full_clean()
    decline.save()
    audit_record(actor=actor, ip=ip, action="pledge.decline", obj=version, data={"agency": agency_id, "reason": reason})
    return decline


@transaction.atomic
def signing_reopen(*, actor, ip=None, version, reason):
    """signing → draft for a real correction: every signature is voided (kept, visible) and its signer told."""
    version = locked(version)
    require_state(version, PledgeState.SIGNING, message=_("Chỉ mở lại được giao ước đang ký (chưa ký xong)."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do mở lại.")})
    now = timezone.now()
    voided = list(version.signatures.filter(voided_at__isnull=True).select_related("signer"))
    version.signatures.filter(voided_at__isnull=True).update(voided_at=now, voided_by=actor, void_reason=reason[:500])
    version.declines.filter(voided_at__isnull=True).update(voided_at=now)
    previous_hash = version.content_hash
    version.state = PledgeState.DRAFT
    version.content_hash = ""
    version.frozen_content = {}
    version.signing_opened_at = None
    version.save(update_fields=["state", "content_hash", "frozen_content", "signing_opened_at"])
    audit_record(
        actor=actor, ip=ip, action="pledge.signing_reopen", obj=version,
        data={"from": "signing", "to": "draft", "reason": reason, "voided": [s.pk for s in voided], "content_hash": previous_hash},
    )
    notify(
        users=[s.signer_id for s in voided],
        message=_("Chữ ký của đơn vị trên “%(title)s” đã bị hủy vì giao ước được mở lại để sửa: %(reason)s")
        % {"title": version.title, "reason": reason},
        url=version.get_absolute_url(),
    )
    return version


@transaction.atomic
def pledge_amend(*, actor, ip=None, version):
    """A signed version is never edited: its amendment is a new draft version copied from it."""
    version = locked(version)
    require_state(version, PledgeState.SIGNED, message=_("Chỉ lập sửa đổi được từ giao ước đã ký."))
    pledge = version.pledge
    latest = pledge.versions.order_by("-number").first()
    if latest.pk != version.pk:
        raise ValidationError(_("Đã có phiên bản %(n)s mới hơn; hãy sửa đổi từ phiên bản đó.") % {"n": latest.number})
    amendment = PledgeVersion(
        pledge=pledge, number=version.number + 1, title=version.title, doc_number="", place=version.place,
        date=None, preamble=version.preamble, amends=version, created_by=actor,
    )
    amendment.full_clean()
    amendment.save()
    copy_criteria(version, amendment)
    copy_attachments(version, amendment)
    audit_record(actor=actor, ip=ip, action="pledge.amend", obj=amendment, data={"amends": version.pk, "number": amendment.number})
    return amendment
