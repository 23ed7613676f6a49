"""The life of a pledge version, declared once: draft → review → signing → signed.

Every state change (and every action taken on a version in a given state: a comment, a
signature, a refusal, an amendment) goes through ``PLEDGE_FLOW.run`` in the services, and the
pages show exactly the buttons ``PLEDGE_FLOW.actions(version, user)`` allows. Who may act is the
access rule's business (``pledges.rules``); when (state) and "not yet / only the latest" (guards)
are declared here.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.access import EVERYTHING
from core.workflow import Transition, Workflow
from pledges.models import PledgeState, PledgeVersion, Signature

DRAFT, REVIEW, SIGNING, SIGNED = PledgeState.DRAFT, PledgeState.REVIEW, PledgeState.SIGNING, PledgeState.SIGNED


def my_agency_not_signed(roles) -> Q:
    """The versions no agency the user leads has a live signature on (sign and decline once per agency)."""
    if not roles.leader_agency_ids:
        return EVERYTHING  # the rule already keeps non-leaders out
    signed = Signature.objects.filter(version=OuterRef("pk"), voided_at__isnull=True, agency_id__in=roles.leader_agency_ids)
    return Q(~Exists(signed))


def latest_version(roles) -> Q:
    """A version is amended only from the latest one of its pledge."""
    return Q(~Exists(PledgeVersion.objects.filter(pledge_id=OuterRef("pledge_id"), number__gt=OuterRef("number"))))


def _newer_version_message(version) -> str:
    latest = PledgeVersion.objects.filter(pledge_id=version.pledge_id).order_by("-number").values_list("number", flat=True).first()
    return _("Đã có phiên bản %(n)s mới hơn; hãy sửa đổi từ phiên bản đó.") % {"n": latest}


PLEDGE_FLOW = Workflow(
    "pledges.PledgeVersion",
    Transition(
        "review_open", source=[DRAFT], target=REVIEW, rule="pledges.edit", action="pledge.review_open",
        label=_("Gửi lấy ý kiến"), state_message=_("Chỉ dự thảo mới được đưa ra lấy ý kiến."),
    ),
    Transition(
        "comment", source=[REVIEW], target=None, rule="pledges.comment", action="pledge.comment",
        label=_("Gửi góp ý"), state_message=_("Chỉ góp ý được khi giao ước đang lấy ý kiến."),
    ),
    Transition(
        "signing_open", source=[REVIEW], target=SIGNING, rule="pledges.edit", action="pledge.signing_open",
        label=_("Chốt văn bản và mở ký"), state_message=_("Chỉ mở ký được khi giao ước đã qua lấy ý kiến."),
    ),
    Transition(
        "sign", source=[SIGNING], target=None, rule="pledges.sign", action="pledge.sign",
        label=_("Ký giao ước"), state_message=_("Giao ước không ở giai đoạn ký; không thể ký lúc này."),
        guard=my_agency_not_signed, guard_message=_("Đơn vị của đồng chí đã ký phiên bản này."),
    ),
    Transition(
        "decline", source=[SIGNING], target=None, rule="pledges.sign", action="pledge.decline",
        label=_("Không ký"), state_message=_("Giao ước không ở giai đoạn ký."),
        guard=my_agency_not_signed, guard_message=_("Đơn vị của đồng chí đã ký phiên bản này."),
    ),
    # Taken by the service of the last signature, never offered as a button.
    Transition("complete", source=[SIGNING], target=SIGNED, rule=None, action="pledge.signed"),
    Transition(
        "signing_reopen", source=[SIGNING], target=DRAFT, rule="pledges.edit", action="pledge.signing_reopen",
        label=_("Mở lại về dự thảo"), state_message=_("Chỉ mở lại được giao ước đang ký (chưa ký xong)."),
    ),
    Transition(
        "amend", source=[SIGNED], target=None, rule="pledges.edit", action="pledge.amend",
        label=_("Lập sửa đổi (phiên bản mới)"), state_message=_("Chỉ lập sửa đổi được từ giao ước đã ký."),
        guard=latest_version, guard_message=_newer_version_message,
    ),
    related=("pledge__bloc_year__bloc__province",),
)
