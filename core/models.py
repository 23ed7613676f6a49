"""The base every app builds on: the audit log, notifications and issued documents (PDFs with a code)."""

import os
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One state change, signature, vote cast, decision or deletion, chained by hash."""

    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người thực hiện")
    )
    actor_name = models.CharField(_("tên người thực hiện"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    action = models.CharField(_("hành động"), max_length=80, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=80)
    object_id = models.CharField(_("mã đối tượng"), max_length=40)
    object_repr = models.CharField(_("đối tượng"), max_length=300)
    data = models.JSONField(_("chi tiết"), default=dict, blank=True)
    prev_hash = models.CharField(_("mã băm trước"), max_length=64)
    entry_hash = models.CharField(_("mã băm"), max_length=64, unique=True)

    class Meta:
        db_table = "emulation_portal_auditentry"  # created before the base moved to core
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        verbose_name = _("nhật ký")
        verbose_name_plural = _("nhật ký")

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.actor_name} {self.action} {self.object_repr}"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("người nhận"))
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    message = models.CharField(_("nội dung"), max_length=500)
    url = models.CharField(_("liên kết"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    # What the notification is about ("pledges.sign:12"): one unread per key and person, and it is
    # marked read when the person does what it asks (core.notifications).
    key = models.CharField(_("khóa sự việc"), max_length=120, blank=True, default="")

    class Meta:
        db_table = "emulation_portal_notification"  # created before the base moved to core
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["key", "user"], condition=~models.Q(key=""), name="notification_key_user")]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def __str__(self):
        return self.message


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Hoàn tất")
    FAILED = "failed", _("Lỗi")


class IssuedDocument(models.Model):
    """A generated PDF with its public verification code.

    ``summary`` is a snapshot of what was issued (title, bloc, year, signers), taken when the
    document is rendered, so the verify page shows exactly what the file says.
    """

    code = models.CharField(_("mã văn bản"), max_length=20, unique=True)
    kind = models.CharField(_("loại"), max_length=30)
    title = models.CharField(_("tiêu đề"), max_length=300)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    content_hash = models.CharField(_("mã băm nội dung đã ký"), max_length=64, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    error = models.TextField(_("lỗi"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần tạo"), default=0)
    file = models.FileField(_("tệp PDF"), upload_to="documents/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256 của tệp"), max_length=64, blank=True)
    summary = models.JSONField(_("tóm tắt"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    # When the row entered its current status (queued, claimed by a worker, failed): the sweep
    # re-queues what has waited or run too long, and the page offers a retry once it is stale.
    status_since = models.DateTimeField(_("trạng thái từ lúc"), default=timezone.now)
    rendered_at = models.DateTimeField(_("hoàn tất lúc"), null=True, blank=True)

    class Meta:
        db_table = "emulation_portal_issueddocument"  # created before the base moved to core
        ordering = ["-created_at"]
        verbose_name = _("văn bản phát hành")
        verbose_name_plural = _("văn bản phát hành")
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id", "kind"], name="document_one_per_source_kind"),
        ]
        indexes = [models.Index(fields=["status", "status_since"], name="document_status_since")]

    def __str__(self):
        return f"{self.code} – {self.title}"

    def get_absolute_url(self):
        return reverse("verify", args=[self.code])

    @property
    def is_ready(self):
        return self.status == JobStatus.DONE and bool(self.file)

    @property
    def is_failed(self):
        return self.status == JobStatus.FAILED

    @property
    def is_in_progress(self):
        """Waiting for or being rendered by a worker (pages poll until it is done or failed)."""
        return self.status in (JobStatus.PENDING, JobStatus.RUNNING)

    @staticmethod
    def stale_before():
        """Rows waiting or running since before this moment are stale (lost message, killed worker)."""
        return timezone.now() - timedelta(seconds=settings.DOCUMENT_STALE_SECONDS)

    @property
    def is_stale(self):
        return self.is_in_progress and self.status_since < self.stale_before()

    @property
    def may_retry(self):
        """Failed, or stuck long enough that a manager may put it back in the queue."""
        return self.is_failed or self.is_stale


@deconstructible(path="core.models.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files under ``MEDIA_ROOT/private/`` with no URL (the development media route skips the
    folder): job results leave only through the job's download view, which checks who asks."""

    @cached_property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, "private")

    @cached_property
    def base_url(self):
        return None


private_storage = PrivateStorage()


def job_storage():
    return private_storage


class Job(models.Model):
    """A long piece of work a user asked for (a large export or import), run by a Celery worker.

    The row is the job's whole state: the worker reads ``params``, reports ``done``/``total``,
    stores the file it made, and the page polls the row. ``key`` makes asking twice (a double
    click, a re-posted form) give the same unfinished job.
    """

    kind = models.CharField(_("loại"), max_length=60)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("người yêu cầu")
    )
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    key = models.CharField(_("khóa chống trùng"), max_length=64)
    status = models.CharField(_("trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    total = models.PositiveIntegerField(_("tổng số"), null=True, blank=True)
    file = models.FileField(_("tệp kết quả"), upload_to="jobs/%Y/%m/", storage=job_storage, blank=True)
    filename = models.CharField(_("tên tệp"), max_length=200, blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    # When the row entered its status; while running, also the time of the last progress
    # report: the sweep takes back a job that has shown no sign of life for a while.
    status_since = models.DateTimeField(_("trạng thái từ lúc"), default=timezone.now)
    finished_at = models.DateTimeField(_("hoàn tất lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "requested_by", "key"],
                condition=models.Q(status__in=["pending", "running"]),
                name="job_one_unfinished_per_key",
                violation_error_message=_("Công việc này đang chạy."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "status_since"], name="job_status_since"),
            models.Index(fields=["created_at"], name="job_created_at"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("job_detail", args=[self.pk])

    @property
    def is_ready(self):
        return self.status == JobStatus.DONE

    @property
    def is_failed(self):
        return self.status == JobStatus.FAILED

    @property
    def is_in_progress(self):
        return self.status in (JobStatus.PENDING, JobStatus.RUNNING)

    @property
    def percent(self):
        """Whole percent done, or None while the total is unknown (the bar then just moves)."""
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)

    @staticmethod
    def stale_before():
        return timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS)

    @property
    def is_stale(self):
        return self.is_in_progress and self.status_since < self.stale_before()

    @property
    def may_retry(self):
        return self.is_failed or self.is_stale


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")
    SKIPPED = "skipped", _("Không gửi (đã làm xong)")


class Reminder(models.Model):
    """One reminder of one rule about one object to one person at one step (core.reminders).

    The unique row is the claim: the sweep inserts it (conflicts ignored) before the mail is sent,
    so two sweeps at once send it once; the send itself is claimed by ``pending → sending``.
    """

    rule = models.CharField(_("loại nhắc việc"), max_length=60)
    object_id = models.PositiveBigIntegerField(_("mã đối tượng"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("người nhận"))
    step = models.CharField(_("bước nhắc"), max_length=40)
    deadline = models.DateTimeField(_("hạn"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi lần gửi cuối"), blank=True)
    claim = models.CharField(_("lượt quét"), max_length=32, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người bấm nhắc ngay")
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    status_since = models.DateTimeField(_("trạng thái từ lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("nhắc việc")
        verbose_name_plural = _("nhắc việc")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "object_id", "user", "step"],
                name="reminder_once_per_step",
                violation_error_message=_("Đã nhắc người này ở bước này."),
            ),
        ]
        indexes = [
            models.Index(fields=["claim"], name="reminder_claim"),
            models.Index(fields=["status", "status_since"], name="reminder_status_since"),
        ]

    def __str__(self):
        return f"{self.rule}:{self.object_id} → {self.user_id} ({self.step}, {self.status})"

    @property
    def step_display(self):
        """"T-7", "T+5" as they are; the named steps in words."""
        if self.step.startswith("now-"):
            return _("Nhắc ngay")
        named = {"open": _("Khi bắt đầu"), "overdue-head": _("Quá hạn: báo lãnh đạo đơn vị Trưởng khối"),
                 "overdue-board": _("Quá hạn: báo Ban Thi đua – Khen thưởng")}
        step = self.step.split(".", 1)[0]  # without its cycle (core.reminders)
        return named.get(step, step)


class ReminderPreference(models.Model):
    """A person's notification settings: the essential reminders (sign, vote, approve) always go."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference", verbose_name=_("người dùng")
    )
    optional_off = models.BooleanField(_("tắt các nhắc việc không bắt buộc"), default=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("cài đặt thông báo")
        verbose_name_plural = _("cài đặt thông báo")

    def __str__(self):
        return str(self.user)
