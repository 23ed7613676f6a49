"""Rule sets: the legal bases in force by date and, under each, the rules a bloc-year is scored,
voted and awarded by. Every number is a row with its source (``RuleValue``, ``RatingBand``,
``AwardType``), so a new decree or a new provincial regulation is new rows, not new code.
The keys a rule set may hold are declared in ``awards.catalogue``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def new_version():
    return uuid.uuid4().hex


class LegalBasis(models.Model):
    """A decree (with the law it implements) and the dates it governs."""

    name = models.CharField(_("tên văn bản"), max_length=200, unique=True)
    law = models.CharField(_("luật được hướng dẫn"), max_length=200, blank=True)
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="legalbasis_dates_ordered",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày có hiệu lực."),
            )
        ]

    def __str__(self):
        return self.name

    def covers(self, day):
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class RuleSet(models.Model):
    """A province's bloc regulation (quy chế hoạt động khối) under a legal basis; a rule set with
    no province is the national template a board copies."""

    province = models.ForeignKey(
        "blocs.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="rule_sets",
        verbose_name=_("tỉnh"), help_text=_("Để trống: bộ mẫu dùng chung để các tỉnh sao chép."),
    )
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, related_name="rule_sets", verbose_name=_("căn cứ pháp lý"))
    name = models.CharField(_("tên bộ quy tắc"), max_length=255)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies", verbose_name=_("sao chép từ")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người tạo")
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    # A new token at every change: the edit form's stale-tab check and ``rules_for``'s cache key.
    version = models.CharField(_("phiên bản"), max_length=32, default=new_version, editable=False)

    class Meta:
        ordering = ["legal_basis__valid_from", "province__name", "-valid_from", "name"]
        verbose_name = _("bộ quy tắc thi đua")
        verbose_name_plural = _("bộ quy tắc thi đua")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name"], name="ruleset_unique_name_in_province",
                violation_error_message=_("Tỉnh đã có bộ quy tắc với tên này."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="ruleset_dates_ordered",
                violation_error_message=_("Ngày hết áp dụng phải sau ngày bắt đầu áp dụng."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("awards:rule_set_detail", args=[self.pk])

    @property
    def is_template(self):
        return self.province_id is None

    def covers(self, day):
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class SetBy(models.TextChoices):
    DECREE = "decree", _("Nghị định quy định")
    REGULATION = "regulation", _("Quy chế khối quy định")


class RuleValue(models.Model):
    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="values", verbose_name=_("bộ quy tắc"))
    key = models.CharField(_("mã giá trị"), max_length=60)
    value = models.CharField(_("giá trị"), max_length=200)
    set_by = models.CharField(_("do ai quy định"), max_length=20, choices=SetBy.choices, default=SetBy.REGULATION)
    source = models.CharField(_("nguồn"), max_length=500)

    class Meta:
        ordering = ["rule_set", "id"]
        verbose_name = _("giá trị quy tắc")
        verbose_name_plural = _("giá trị quy tắc")
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "key"], name="rulevalue_unique_key",
                violation_error_message=_("Bộ quy tắc đã có giá trị này."),
            ),
            models.CheckConstraint(condition=~Q(source=""), name="rulevalue_has_source", violation_error_message=_("Phải ghi nguồn.")),
        ]

    def __str__(self):
        return f"{self.key} = {self.value}"


class RatingBand(models.Model):
    """A rating band (xếp loại): ``min_total`` <= total < ``max_total`` (open when empty)."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="bands", verbose_name=_("bộ quy tắc"))
    name = models.CharField(_("tên mức xếp loại"), max_length=120)
    min_total = models.DecimalField(_("tổng điểm từ (≥)"), max_digits=7, decimal_places=2, null=True, blank=True)
    max_total = models.DecimalField(_("đến dưới (<)"), max_digits=7, decimal_places=2, null=True, blank=True)
    requires_no_zero_criterion = models.BooleanField(_("không có tiêu chí 0 điểm"), default=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    source = models.CharField(_("nguồn"), max_length=500)

    class Meta:
        ordering = ["rule_set", "order", "id"]
        verbose_name = _("mức xếp loại")
        verbose_name_plural = _("mức xếp loại")
        constraints = [
            models.CheckConstraint(condition=~Q(source=""), name="ratingband_has_source", violation_error_message=_("Phải ghi nguồn.")),
        ]

    def __str__(self):
        return self.name


class AwardLevel(models.TextChoices):
    GOVERNMENT = "government", _("Chính phủ, Thủ tướng Chính phủ")
    PROVINCE = "province", _("UBND tỉnh, Chủ tịch UBND tỉnh")


class AwardRecipients(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")
    BOTH = "both", _("Tập thể và cá nhân")


class AwardType(models.Model):
    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="award_types", verbose_name=_("bộ quy tắc"))
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên danh hiệu, hình thức khen thưởng"), max_length=200)
    level = models.CharField(_("cấp"), max_length=20, choices=AwardLevel.choices)
    recipients = models.CharField(_("đối tượng"), max_length=20, choices=AwardRecipients.choices, default=AwardRecipients.COLLECTIVE)
    per_bloc_quota = models.PositiveSmallIntegerField(_("số lượng tối đa mỗi khối"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=500)

    class Meta:
        ordering = ["rule_set", "id"]
        verbose_name = _("hình thức khen thưởng")
        verbose_name_plural = _("hình thức khen thưởng")
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "code"], name="awardtype_unique_code",
                violation_error_message=_("Bộ quy tắc đã có hình thức khen thưởng này."),
            ),
            models.CheckConstraint(condition=~Q(source=""), name="awardtype_has_source", violation_error_message=_("Phải ghi nguồn.")),
        ]

    def __str__(self):
        return self.name


class BlocYearRuleSet(models.Model):
    """The board's choice of rule set for a bloc-year, instead of the one in force on its date."""

    bloc_year = models.OneToOneField(
        "blocs.BlocYear", on_delete=models.CASCADE, related_name="rule_set_choice", verbose_name=_("khối thi đua theo năm")
    )
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="chosen_for", verbose_name=_("bộ quy tắc"))
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người chọn")
    )
    chosen_at = models.DateTimeField(_("thời điểm chọn"), auto_now=True)

    class Meta:
        verbose_name = _("bộ quy tắc áp dụng cho khối")
        verbose_name_plural = _("bộ quy tắc áp dụng cho khối")

    def __str__(self):
        return f"{self.bloc_year_id} → {self.rule_set}"
