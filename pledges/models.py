"""The pledge (giao ước thi đua) of a bloc-year, its versions, criteria, attachments, comments and signatures.

A pledge is a container; its text lives in versions. Version 1 is drafted, reviewed and signed;
an amendment is version 2, copied from version 1 and signed again. Every signed version keeps
its own PDF (an ``IssuedDocument`` whose source is the version).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blocs.models import Agency, BlocYear


class PledgeState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    REVIEW = "review", _("Lấy ý kiến")
    SIGNING = "signing", _("Đang ký")
    SIGNED = "signed", _("Đã ký")


EDITABLE_STATES = (PledgeState.DRAFT, PledgeState.REVIEW)


class Pledge(models.Model):
    bloc_year = models.OneToOneField(BlocYear, on_delete=models.PROTECT, related_name="pledge", verbose_name=_("khối thi đua theo năm"))
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        ordering = ["-bloc_year__year", "bloc_year__bloc__name"]
        verbose_name = _("giao ước thi đua")
        verbose_name_plural = _("giao ước thi đua")

    def __str__(self):
        return str(_("Giao ước thi đua %(bloc)s năm %(year)s") % {"bloc": self.bloc_year.bloc.name, "year": self.bloc_year.year})


class PledgeVersion(models.Model):
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="versions", verbose_name=_("giao ước"))
    number = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    state = models.CharField(_("trạng thái"), max_length=10, choices=PledgeState.choices, default=PledgeState.DRAFT)
    title = models.CharField(_("tiêu đề"), max_length=255)
    doc_number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    date = models.DateField(_("ngày ký"), null=True, blank=True)
    preamble = models.TextField(_("căn cứ, mở đầu"), blank=True)
    content_hash = models.CharField(_("mã băm nội dung"), max_length=64, blank=True)
    frozen_content = models.JSONField(_("nội dung đã chốt"), default=dict, blank=True)
    signing_opened_at = models.DateTimeField(_("mở ký lúc"), null=True, blank=True)
    # Reminders count down to it (core.reminders); set by the secretary, else fixed when signing opens.
    signing_deadline = models.DateField(_("hạn ký"), null=True, blank=True)
    signed_at = models.DateTimeField(_("ký xong lúc"), null=True, blank=True)
    amends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("sửa đổi phiên bản")
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người tạo")
    )

    class Meta:
        ordering = ["pledge", "-number"]
        verbose_name = _("phiên bản giao ước")
        verbose_name_plural = _("phiên bản giao ước")
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "number"],
                name="pledgeversion_unique_number",
                violation_error_message=_("Giao ước đã có phiên bản này."),
            ),
            models.UniqueConstraint(
                fields=["pledge"],
                condition=~Q(state="signed"),
                name="pledgeversion_one_open_version",
                violation_error_message=_("Giao ước đang có một phiên bản chưa ký xong."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "review"]) | ~Q(content_hash=""),
                name="pledgeversion_frozen_has_hash",
                violation_error_message=_("Văn bản đã chốt phải có mã băm nội dung."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({_('phiên bản')} {self.number})"

    def get_absolute_url(self):
        return reverse("pledges:detail", args=[self.pk])

    @property
    def bloc_year(self):
        return self.pledge.bloc_year

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    @property
    def is_draft(self):
        return self.state == PledgeState.DRAFT

    @property
    def is_signing(self):
        """Open for signatures: pages show who has signed so far."""
        return self.state == PledgeState.SIGNING


class Criterion(models.Model):
    version = models.ForeignKey(PledgeVersion, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("phiên bản giao ước"))
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    group = models.CharField(_("nhóm nội dung"), max_length=255, blank=True)
    text = models.TextField(_("nội dung, chỉ tiêu thi đua"))
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    target = models.CharField(_("chỉ tiêu đo được"), max_length=255, blank=True)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("tiêu chí thi đua")
        verbose_name_plural = _("tiêu chí thi đua")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gte=0) & Q(max_points__lte=1000),
                name="criterion_points_range",
                violation_error_message=_("Điểm tối đa phải từ 0 đến 1000."),
            ),
        ]

    def __str__(self):
        return self.text[:80]


class AttachmentKind(models.TextChoices):
    PLAN = "plan", _("Kế hoạch hoạt động")
    REGULATION = "regulation", _("Quy chế hoạt động")
    SCORING_GUIDE = "scoring_guide", _("Hướng dẫn chấm điểm")
    OTHER = "other", _("Tài liệu khác")


class Attachment(models.Model):
    version = models.ForeignKey(PledgeVersion, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("phiên bản giao ước"))
    kind = models.CharField(_("loại tài liệu"), max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.PLAN)
    title = models.CharField(_("tên tài liệu"), max_length=255)
    file = models.FileField(_("tệp"), upload_to="pledges/attachments/%Y/")
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    file_type = models.CharField(_("định dạng"), max_length=10)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người tải lên")
    )

    class Meta:
        ordering = ["version", "kind", "id"]
        verbose_name = _("tài liệu kèm theo")
        verbose_name_plural = _("tài liệu kèm theo")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pledges:attachment", args=[self.pk])


class Comment(models.Model):
    """A member's comment during review, on one criterion or on the whole text; replies point to their comment."""

    version = models.ForeignKey(PledgeVersion, on_delete=models.CASCADE, related_name="comments", verbose_name=_("phiên bản giao ước"))
    criterion = models.ForeignKey(
        Criterion, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments", verbose_name=_("tiêu chí")
    )
    # Kept when the criterion is later edited or removed, so the history still reads right.
    criterion_text = models.CharField(_("tiêu chí (khi góp ý)"), max_length=300, blank=True)
    reply_to = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("trả lời góp ý")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người góp ý"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("đơn vị"))
    body = models.TextField(_("nội dung góp ý"))
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        ordering = ["version", "created_at", "id"]
        verbose_name = _("góp ý")
        verbose_name_plural = _("góp ý")

    def __str__(self):
        return self.body[:80]


class SigningCapacity(models.TextChoices):
    SELF = "self", _("Người đứng đầu ký")
    DEPUTY = "kt", _("Ký thay (KT.)")
    DELEGATED = "tl", _("Thừa lệnh (TL.)")


class Signature(models.Model):
    """One member agency's signature on one version. Voided (never deleted) when signing is reopened."""

    version = models.ForeignKey(PledgeVersion, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("phiên bản giao ước"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ký"))
    signer_name = models.CharField(_("họ tên người ký (in trên văn bản)"), max_length=120)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120)
    capacity = models.CharField(_("hình thức ký"), max_length=5, choices=SigningCapacity.choices, default=SigningCapacity.SELF)
    original_name = models.CharField(_("họ tên người đứng đầu"), max_length=120, blank=True)
    original_title = models.CharField(_("chức vụ người đứng đầu"), max_length=120, blank=True)
    signed_at = models.DateTimeField(_("ký lúc"), default=timezone.now)
    content_hash = models.CharField(_("mã băm nội dung đã ký"), max_length=64)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    voided_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người hủy")
    )
    void_reason = models.CharField(_("lý do hủy"), max_length=500, blank=True)

    class Meta:
        ordering = ["version", "signed_at", "id"]
        verbose_name = _("chữ ký")
        verbose_name_plural = _("chữ ký")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "agency"],
                condition=Q(voided_at__isnull=True),
                name="signature_one_per_agency",
                violation_error_message=_("Đơn vị đã ký phiên bản này."),
            ),
            models.CheckConstraint(
                condition=Q(capacity="self") | ~Q(original_name=""),
                name="signature_on_behalf_names_original",
                violation_error_message=_("Ký thay hoặc thừa lệnh phải ghi họ tên người đứng đầu."),
            ),
        ]

    def __str__(self):
        return f"{self.agency} – {self.signer_name}"

    @property
    def on_behalf_label(self):
        """"KT. GIÁM ĐỐC" / "TL. GIÁM ĐỐC" as printed above the signer's own title."""
        if self.capacity == SigningCapacity.SELF:
            return ""
        prefix = "KT." if self.capacity == SigningCapacity.DEPUTY else "TL."
        return f"{prefix} {self.original_title.upper()}".strip()


class Decline(models.Model):
    """A leader's refusal to sign, with the reason the secretary reads."""

    version = models.ForeignKey(PledgeVersion, on_delete=models.CASCADE, related_name="declines", verbose_name=_("phiên bản giao ước"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người từ chối"))
    reason = models.TextField(_("lý do"))
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    voided_at = models.DateTimeField(_("hết hiệu lực lúc"), null=True, blank=True)

    class Meta:
        ordering = ["version", "created_at", "id"]
        verbose_name = _("từ chối ký")
        verbose_name_plural = _("từ chối ký")

    def __str__(self):
        return f"{self.agency}: {self.reason[:60]}"
