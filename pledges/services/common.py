from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pledges.models import PledgeState, PledgeVersion


def require_editable(version: PledgeVersion) -> None:
    """Text, criteria and attachments change only while drafting or under review (not a transition)."""
    if version.state == PledgeState.SIGNED:
        raise ValidationError(_("Giao ước đã ký không được sửa; hãy lập phiên bản sửa đổi."))
    if not version.is_editable:
        raise ValidationError(_("Văn bản đã chốt để ký; muốn sửa phải mở lại về dự thảo."))
