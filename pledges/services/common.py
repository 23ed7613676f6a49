from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pledges.models import PledgeState, PledgeVersion


def locked(version):
    """Re-read the version under a row lock: transitions and signatures on one version queue up here."""
    return PledgeVersion.objects.select_for_update().select_related("pledge__bloc_year__bloc__province").get(pk=version.pk)


def require_state(version, *states, message=None):
    if version.state not in states:
        raise ValidationError(
            message
            or _("Giao ước đang ở trạng thái “%(state)s”, không thực hiện được thao tác này.") % {"state": version.get_state_display()}
        )


def require_editable(version):
    if version.state == PledgeState.SIGNED:
        raise ValidationError(_("Giao ước đã ký không được sửa; hãy lập phiên bản sửa đổi."))
    require_state(
        version, PledgeState.DRAFT, PledgeState.REVIEW, message=_("Văn bản đã chốt để ký; muốn sửa phải mở lại về dự thảo.")
    )
