"""Meetings of a bloc-year, their minutes (attendance, guests, decisions, photos) and news articles."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    SIGNING = "signing", _("Hội nghị ký kết giao ước thi đua")
    MID_YEAR = "mid_year", _("Hội nghị sơ kết 6 tháng")
    YEAR_END = "year_end", _("Hội nghị tổng kết")
    OTHER = "other", _("Hội nghị khác")


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Đã lên lịch")
    HELD = "held", _("Đã họp, đang ghi biên bản")
    SUBMITTED = "submitted", _("Biên bản chờ duyệt")
    APPROVED = "approved", _("Biên bản đã duyệt")
    PUBLISHED = "published", _("Đã đăng tin")
    CANCELLED = "cancelled", _("Đã hủy")


# States in which the minutes may be edited by the secretary.
EDITABLE_STATES = (MeetingState.PLANNED, MeetingState.HELD)
LOCKED_STATES = (MeetingState.APPROVED, MeetingState.PUBLISHED)


class Meeting(models.Model):
    bloc_year = models.ForeignKey(
        "blocs.BlocYear", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("khối thi đua theo năm")
    )
    kind = models.CharField(_("loại hội nghị"), max_length=20, choices=MeetingKind.choices)
    state = models.CharField(_("trạng thái"), max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    venue = models.CharField(_("địa điểm"), max_length=255)
    host = models.ForeignKey(
        "blocs.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("đơn vị chủ trì")
    )
    chair_name = models.CharField(_("họ tên người chủ trì"), max_length=150, blank=True)
    chair_title = models.CharField(_("chức vụ người chủ trì"), max_length=255, blank=True)
    chair_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tài khoản người chủ trì (duyệt biên bản)"),
    )
    agenda = models.TextField(_("chương trình hội nghị"), blank=True, help_text=_("Mỗi dòng một nội dung."))
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)

    # The minutes (biên bản).
    minutes_number = models.CharField(_("số biên bản"), max_length=60, blank=True)
    discussion = models.TextField(_("diễn biến, thảo luận"), blank=True)
    conclusions = models.TextField(_("kết luận"), blank=True)
    results = models.TextField(
        _("kết quả thực hiện"), blank=True, help_text=_("Sơ kết: kết quả 6 tháng đầu năm; tổng kết: kết quả cả năm.")
    )
    next_plan = models.TextField(_("phương hướng, nhiệm vụ thời gian tới"), blank=True)
    documents_adopted = models.TextField(
        _("văn bản khác được thông qua"), blank=True, help_text=_("Mỗi dòng một văn bản, ví dụ: Kế hoạch hoạt động, Quy chế hoạt động.")
    )
    pledge = models.ForeignKey(
        "pledges.Pledge",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adopting_meetings",
        verbose_name=_("giao ước được thông qua"),
    )
    secretary_name = models.CharField(_("họ tên thư ký ký biên bản"), max_length=150, blank=True)
    secretary_title = models.CharField(_("chức vụ thư ký"), max_length=255, blank=True)

    revision = models.PositiveSmallIntegerField(_("số lần duyệt"), default=0)
    submitted_at = models.DateTimeField(_("trình duyệt lúc"), null=True, blank=True)
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người duyệt")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người tạo")
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")
        indexes = [models.Index(fields=["bloc_year", "starts_at"], name="meeting_blocyear_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("Giờ kết thúc phải sau giờ bắt đầu."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.bloc_year.bloc.name} {self.bloc_year.year}"

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    @property
    def title(self):
        return gettext("%(kind)s năm %(year)s của %(bloc)s") % {
            "kind": self.get_kind_display(),
            "year": self.bloc_year.year,
            "bloc": self.bloc_year.bloc.name,
        }

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    @property
    def is_locked(self):
        return self.state in LOCKED_STATES

    @property
    def is_cancelled(self):
        return self.state == MeetingState.CANCELLED

    def agenda_items(self):
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]

    def adopted_items(self):
        return [line.strip() for line in self.documents_adopted.splitlines() if line.strip()]


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("hội nghị"))
    agency = models.ForeignKey("blocs.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị thành viên"))
    present = models.BooleanField(_("có mặt"), default=True)
    representative_name = models.CharField(_("họ tên người dự"), max_length=150, blank=True)
    representative_title = models.CharField(_("chức vụ người dự"), max_length=255, blank=True)
    absence_reason = models.CharField(_("lý do vắng"), max_length=255, blank=True)

    class Meta:
        ordering = ["agency__name"]
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "agency"],
                name="attendance_one_per_agency",
                violation_error_message=_("Đơn vị này đã được điểm danh trong hội nghị."),
            ),
        ]

    def __str__(self):
        return f"{self.agency} – {gettext('có mặt') if self.present else gettext('vắng')}"


class Guest(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests", verbose_name=_("hội nghị"))
    name = models.CharField(_("họ tên"), max_length=150)
    title = models.CharField(_("chức vụ"), max_length=255, blank=True)
    organization = models.CharField(_("cơ quan"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("khách mời")
        verbose_name_plural = _("khách mời")

    def __str__(self):
        return ", ".join(part for part in (self.name, self.title, self.organization) if part)


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("hội nghị"))
    text = models.TextField(_("nội dung quyết nghị"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("quyết nghị")
        verbose_name_plural = _("quyết nghị")

    def __str__(self):
        return self.text[:80]


class Photo(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="photos", verbose_name=_("hội nghị"))
    image = models.ImageField(_("ảnh"), upload_to="meetings/photos/%Y/")
    thumbnail = models.ImageField(_("ảnh thu nhỏ"), upload_to="meetings/thumbs/%Y/")
    caption = models.CharField(_("chú thích"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    width = models.PositiveIntegerField(_("chiều rộng"), default=0)
    height = models.PositiveIntegerField(_("chiều cao"), default=0)
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("ảnh hội nghị")
        verbose_name_plural = _("ảnh hội nghị")

    def __str__(self):
        return self.caption or f"Ảnh {self.pk}"

    def get_absolute_url(self):
        return reverse("meetings:photo", args=[self.pk, "full"])

    def thumbnail_url(self):
        return reverse("meetings:photo", args=[self.pk, "thumb"])


class MinutesRevision(models.Model):
    """One approval of a meeting's minutes, with a frozen copy of what was approved.

    The minutes PDF is issued for a revision, so a reopen and a new approval issue a new
    document instead of changing the file already issued.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("hội nghị"))
    number = models.PositiveSmallIntegerField(_("lần duyệt"))
    snapshot = models.JSONField(_("nội dung đã duyệt"))
    content_hash = models.CharField(_("mã băm nội dung"), max_length=64)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("người duyệt")
    )
    approved_at = models.DateTimeField(_("duyệt lúc"))

    class Meta:
        ordering = ["meeting", "-number"]
        verbose_name = _("bản biên bản đã duyệt")
        verbose_name_plural = _("bản biên bản đã duyệt")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="minutes_revision_unique_number",
                violation_error_message=_("Lần duyệt này đã có."),
            ),
        ]

    def __str__(self):
        return gettext("Biên bản %(number)s (lần duyệt %(n)s)") % {
            "number": self.snapshot.get("number") or self.meeting_id,
            "n": self.number,
        }


class Article(models.Model):
    """The public news report of a meeting, drafted from its minutes."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="article", verbose_name=_("hội nghị"))
    province = models.ForeignKey("blocs.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh"))
    title = models.CharField(_("tiêu đề"), max_length=300)
    lead = models.TextField(_("sa pô"), blank=True)
    body = models.TextField(_("nội dung"), help_text=_("Các đoạn cách nhau bằng một dòng trống."))
    author = models.CharField(_("người viết"), max_length=150, blank=True)
    is_published = models.BooleanField(_("đã đăng"), default=False)
    published_at = models.DateTimeField(_("đăng lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("tin bài")
        verbose_name_plural = _("tin bài")
        indexes = [models.Index(fields=["province", "is_published", "-published_at"], name="article_news_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="article_published_has_date",
                violation_error_message=_("Tin đã đăng phải có ngày đăng."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:news_detail", args=[self.province.code, self.pk])

    def paragraphs(self):
        return [part.strip() for part in self.body.replace("\r\n", "\n").split("\n\n") if part.strip()]
