"""Review: members read the draft and comment per criterion or on the whole; the secretary answers."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocs.access import roles_of
from core.access import can
from core.audit import audit_record
from pledges.models import Comment, PledgeState
from pledges.rules import commenting_agency_id
from pledges.services.common import locked, require_state


@transaction.atomic
def review_open(*, actor, ip=None, version):
    """draft → review: the members' leaders and officers may now comment."""
    version = locked(version)
    require_state(version, PledgeState.DRAFT, message=_("Chỉ dự thảo mới được đưa ra lấy ý kiến."))
    if not version.criteria.exists():
        raise ValidationError(_("Dự thảo chưa có tiêu chí thi đua nào."))
    version.state = PledgeState.REVIEW
    version.save(update_fields=["state"])
    audit_record(actor=actor, ip=ip, action="pledge.review_open", obj=version, data={"from": "draft", "to": "review"})
    return version


@transaction.atomic
def comment_add(*, actor, ip=None, version, body, criterion=None, reply_to=None):
    version = locked(version)
    require_state(version, PledgeState.REVIEW, message=_("Chỉ góp ý được khi giao ước đang lấy ý kiến."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Hãy nhập nội dung góp ý.")})
    if criterion is not None and criterion.version_id != version.pk:
        raise ValidationError({"criterion": _("Tiêu chí không thuộc giao ước này.")})
    if reply_to is not None:
        if reply_to.version_id != version.pk:
            raise ValidationError(_("Góp ý được trả lời không thuộc giao ước này."))
        criterion = reply_to.criterion
    bloc_year = version.pledge.bloc_year
    agency_id = commenting_agency_id(roles_of(actor), bloc_year)
    if agency_id is None and can(actor, "blocs.run_blocyear", bloc_year):
        agency_id = actor.agency_id
    comment = Comment(
        version=version, criterion=criterion, criterion_text=(criterion.text[:300] if criterion else ""),
        reply_to=reply_to, author=actor, agency_id=agency_id, body=body,
    )
    comment.full_clean()
    comment.save()
    audit_record(
        actor=actor, ip=ip, action="pledge.comment", obj=version,
        data={"comment": comment.pk, "criterion": criterion.pk if criterion else None, "reply_to": reply_to.pk if reply_to else None},
    )
    return comment
