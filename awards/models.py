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

from core.models import private_storage


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


# ---------------------------------------------------------------------------------------------
# Year-end scoring (issue 10): a round per bloc-year, a sheet per member agency, a line per
# criterion of the signed pledge (plus bonus and penalty lines), evidence files, checkers,
# objections to the published draft and the ranking rows frozen with it.
# ---------------------------------------------------------------------------------------------


class CheckMode(models.TextChoices):
    SECRETARY = "secretary", _("Thư ký khối kiểm tra")
    PANEL = "panel", _("Tổ kiểm tra gồm các đơn vị thành viên")
    PAIRS = "pairs", _("Chấm chéo theo cặp đơn vị")


class RoundState(models.TextChoices):
    OPEN = "open", _("Đang tự chấm và kiểm tra")
    PUBLISHED = "published", _("Đã công bố kết quả dự kiến")
    FROZEN = "frozen", _("Đã chốt kết quả")


class ScoringRound(models.Model):
    """The scoring of one bloc-year: the signed pledge version whose criteria are scored, the rule
    set that applied when it opened, the self-score deadline and who checks."""

    bloc_year = models.OneToOneField("blocs.BlocYear", on_delete=models.PROTECT, related_name="scoring_round", verbose_name=_("khối theo năm"))
    pledge_version = models.ForeignKey(
        "pledges.PledgeVersion", on_delete=models.PROTECT, related_name="scoring_rounds", verbose_name=_("giao ước được chấm")
    )
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="scoring_rounds", verbose_name=_("bộ quy tắc áp dụng"))
    self_score_deadline = models.DateField(_("hạn tự chấm điểm"))
    check_mode = models.CharField(_("cách kiểm tra"), max_length=10, choices=CheckMode.choices, default=CheckMode.SECRETARY)
    state = models.CharField(_("trạng thái"), max_length=10, choices=RoundState.choices, default=RoundState.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người mở"))
    opened_at = models.DateTimeField(_("thời điểm mở"), auto_now_add=True)
    published_at = models.DateTimeField(_("thời điểm công bố dự kiến"), null=True, blank=True)
    objection_deadline = models.DateField(_("hạn góp ý kết quả dự kiến"), null=True, blank=True)
    frozen_at = models.DateTimeField(_("thời điểm chốt"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người chốt")
    )
    version = models.CharField(_("phiên bản"), max_length=32, default=new_version, editable=False)

    class Meta:
        verbose_name = _("đợt chấm điểm")
        verbose_name_plural = _("đợt chấm điểm")

    def __str__(self):
        return _("Chấm điểm %(bloc_year)s") % {"bloc_year": self.bloc_year}

    def get_absolute_url(self):
        return reverse("awards:round_detail", args=[self.pk])

    @property
    def is_frozen(self):
        return self.state == RoundState.FROZEN


class CheckerAssignment(models.Model):
    """Who checks whom. Secretary mode has no rows (the bloc-year's secretaries check every sheet).
    Panel mode: one row per panel agency with ``checked_agency`` empty (it checks every other
    member). Pairs mode ("chấm chéo"): one row per pair, the checker agency checks the checked one."""

    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="checkers", verbose_name=_("đợt chấm điểm"))
    checker_agency = models.ForeignKey("blocs.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị kiểm tra"))
    checked_agency = models.ForeignKey(
        "blocs.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("đơn vị được kiểm tra")
    )

    class Meta:
        verbose_name = _("phân công kiểm tra")
        verbose_name_plural = _("phân công kiểm tra")
        constraints = [
            models.UniqueConstraint(fields=["round", "checker_agency", "checked_agency"], name="checker_unique",
                                    violation_error_message=_("Phân công kiểm tra này đã có.")),
            models.UniqueConstraint(fields=["round", "checker_agency"], condition=Q(checked_agency__isnull=True), name="checker_panel_unique",
                                    violation_error_message=_("Đơn vị này đã ở trong tổ kiểm tra.")),
            models.CheckConstraint(condition=~Q(checker_agency=F("checked_agency")), name="checker_not_self",
                                   violation_error_message=_("Không đơn vị nào tự kiểm tra mình.")),
        ]

    def __str__(self):
        if self.checked_agency_id is None:
            return _("%(checker)s (tổ kiểm tra)") % {"checker": self.checker_agency}
        return _("%(checker)s kiểm tra %(checked)s") % {"checker": self.checker_agency, "checked": self.checked_agency}


class SheetState(models.TextChoices):
    DRAFT = "draft", _("Đơn vị đang tự chấm")
    AWAITING_LEADER = "awaiting_leader", _("Chờ lãnh đạo đơn vị duyệt")
    SUBMITTED = "submitted", _("Đã gửi khối")


class ScoreSheet(models.Model):
    """An agency's self-score sheet. Officers and the leader of the agency write it while it is a
    draft; the leader approves it (locked, submitted to the bloc) or sends it back with a reason."""

    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("đợt chấm điểm"))
    agency = models.ForeignKey("blocs.Agency", on_delete=models.PROTECT, related_name="score_sheets", verbose_name=_("đơn vị"))
    state = models.CharField(_("trạng thái"), max_length=16, choices=SheetState.choices, default=SheetState.DRAFT)
    sent_at = models.DateTimeField(_("thời điểm trình lãnh đạo"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("thời điểm gửi khối"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("lãnh đạo duyệt")
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    # Part of the year only: the agency was merged or dissolved during it (flagged in the table).
    partial_year = models.BooleanField(_("chỉ một phần năm"), default=False)
    version = models.CharField(_("phiên bản"), max_length=32, default=new_version, editable=False)

    class Meta:
        ordering = ["round", "agency__name"]
        verbose_name = _("phiếu tự chấm điểm")
        verbose_name_plural = _("phiếu tự chấm điểm")
        constraints = [
            models.UniqueConstraint(fields=["round", "agency"], name="scoresheet_one_per_agency",
                                    violation_error_message=_("Đơn vị đã có phiếu chấm điểm trong đợt này.")),
        ]

    def __str__(self):
        return _("Phiếu chấm điểm của %(agency)s") % {"agency": self.agency}

    def get_absolute_url(self):
        return reverse("awards:sheet_detail", args=[self.pk])


class LineKind(models.TextChoices):
    CRITERION = "criterion", _("Tiêu chí")
    BONUS = "bonus", _("Điểm thưởng")
    PENALTY = "penalty", _("Điểm trừ")


class LineState(models.TextChoices):
    PENDING = "pending", _("Chờ kiểm tra")
    ACCEPTED = "accepted", _("Đã chấp nhận")
    ADJUSTED = "adjusted", _("Đã điều chỉnh")
    QUERIED = "queried", _("Yêu cầu bổ sung minh chứng")
    ANSWERED = "answered", _("Đơn vị đã trả lời")


class ScoreLine(models.Model):
    """One line of a sheet: a criterion of the signed pledge, or a bonus or penalty line with its
    reason. Claimed points are the agency's; checked points are the checker's (equal when accepted)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="lines", verbose_name=_("phiếu chấm điểm"))
    kind = models.CharField(_("loại"), max_length=10, choices=LineKind.choices, default=LineKind.CRITERION)
    criterion = models.ForeignKey(
        "pledges.Criterion", on_delete=models.PROTECT, null=True, blank=True, related_name="score_lines", verbose_name=_("tiêu chí")
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    result_text = models.TextField(_("kết quả đạt được"), blank=True)
    figure = models.DecimalField(_("số liệu đạt được"), max_digits=14, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("lý do (điểm thưởng, điểm trừ)"), blank=True)
    claimed_points = models.DecimalField(_("điểm tự chấm"), max_digits=6, decimal_places=2, null=True, blank=True)
    check_state = models.CharField(_("kiểm tra"), max_length=10, choices=LineState.choices, default=LineState.PENDING)
    checked_points = models.DecimalField(_("điểm kiểm tra"), max_digits=6, decimal_places=2, null=True, blank=True)
    check_note = models.TextField(_("ý kiến kiểm tra"), blank=True, help_text=_("Lý do điều chỉnh, hoặc câu hỏi cần bổ sung minh chứng."))
    answer = models.TextField(_("trả lời của đơn vị"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người kiểm tra")
    )
    checked_at = models.DateTimeField(_("thời điểm kiểm tra"), null=True, blank=True)
    # Bumped at every write: two checkers saving the same line at once, one wins, the other is told.
    revision = models.PositiveIntegerField(_("lần sửa"), default=0)

    class Meta:
        ordering = ["sheet", "kind", "position", "id"]
        verbose_name = _("dòng chấm điểm")
        verbose_name_plural = _("dòng chấm điểm")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], condition=Q(criterion__isnull=False), name="scoreline_one_per_criterion",
                                    violation_error_message=_("Tiêu chí này đã có trong phiếu.")),
            models.CheckConstraint(
                condition=(Q(kind="criterion") & Q(criterion__isnull=False)) | (~Q(kind="criterion") & Q(criterion__isnull=True)),
                name="scoreline_criterion_iff_kind",
                violation_error_message=_("Dòng tiêu chí phải gắn với một tiêu chí; dòng thưởng/trừ thì không."),
            ),
            models.CheckConstraint(
                condition=(Q(claimed_points__isnull=True) | Q(claimed_points__gte=0))
                & (Q(checked_points__isnull=True) | Q(checked_points__gte=0)),
                name="scoreline_points_not_negative",
                violation_error_message=_("Điểm không được âm."),
            ),
        ]

    def __str__(self):
        return str(self.criterion) if self.criterion_id else f"{self.get_kind_display()}: {self.reason[:60]}"

    @property
    def points(self):
        """The points that count: checked ones once checked, else claimed."""
        if self.check_state in (LineState.ACCEPTED, LineState.ADJUSTED) and self.checked_points is not None:
            return self.checked_points
        return self.claimed_points


def private_files():
    """Evidence lives in the private storage (no URL): only ``awards:evidence_download`` serves it."""
    return private_storage


def evidence_path(instance, filename):
    return f"evidence/{instance.sheet.round_id}/{instance.sheet_id}/{new_version()}-{filename[-80:]}"


class Evidence(models.Model):
    """A proof file (minh chứng) of a line: private to the bloc's members, secretaries and board,
    served by a view that checks access, never from MEDIA_ROOT directly."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("phiếu chấm điểm"))
    line = models.ForeignKey(ScoreLine, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("dòng chấm điểm"))
    file = models.FileField(_("tệp"), upload_to=evidence_path, storage=private_files, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tải lên"))
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    class Meta:
        ordering = ["line", "uploaded_at", "id"]
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self):
        return self.original_name


class Objection(models.Model):
    """A member's comment on the published draft ranking, answered by the secretary."""

    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="objections", verbose_name=_("đợt chấm điểm"))
    agency = models.ForeignKey("blocs.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người góp ý"))
    text = models.TextField(_("nội dung góp ý"))
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    answer = models.TextField(_("trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người trả lời")
    )
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)

    class Meta:
        ordering = ["round", "created_at", "id"]
        verbose_name = _("góp ý kết quả dự kiến")
        verbose_name_plural = _("góp ý kết quả dự kiến")

    def __str__(self):
        return self.text[:80]


class RankingEntry(models.Model):
    """One agency's result as published (draft) or frozen: written by the ranking service, never
    edited; a reopen deletes the rows (their values kept in the audit entry) and the next
    publication writes new ones."""

    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="ranking", verbose_name=_("đợt chấm điểm"))
    agency = models.ForeignKey("blocs.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    self_total = models.DecimalField(_("tổng điểm tự chấm"), max_digits=8, decimal_places=2)
    criteria_total = models.DecimalField(_("điểm các tiêu chí"), max_digits=8, decimal_places=2)
    bonus = models.DecimalField(_("điểm thưởng"), max_digits=6, decimal_places=2)
    penalty = models.DecimalField(_("điểm trừ"), max_digits=6, decimal_places=2)
    total = models.DecimalField(_("tổng điểm"), max_digits=8, decimal_places=2)
    has_zero_criterion = models.BooleanField(_("có tiêu chí 0 điểm"), default=False)
    band = models.CharField(_("xếp loại"), max_length=100, blank=True)
    rank = models.PositiveSmallIntegerField(_("thứ hạng"), null=True, blank=True)
    tied = models.BooleanField(_("bằng điểm"), default=False)
    partial_year = models.BooleanField(_("chỉ một phần năm"), default=False)

    class Meta:
        ordering = ["round", "rank", "agency__name"]
        verbose_name = _("kết quả xếp hạng")
        verbose_name_plural = _("kết quả xếp hạng")
        constraints = [
            models.UniqueConstraint(fields=["round", "agency"], name="ranking_one_per_agency",
                                    violation_error_message=_("Đơn vị đã có kết quả trong đợt này.")),
        ]

    def __str__(self):
        return f"{self.rank}. {self.agency}"


class RankingRecord(models.Model):
    """A frozen ranking as it was printed: written at each freeze (a reopen and a new freeze write
    another), the source of the score-table PDF and of the year-end minutes' ranking."""

    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="records", verbose_name=_("đợt chấm điểm"))
    number = models.PositiveSmallIntegerField(_("lần chốt"), default=1)
    frozen_at = models.DateTimeField(_("thời điểm chốt"))
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người chốt"))
    snapshot = models.JSONField(_("kết quả đã chốt"), default=dict)
    content_hash = models.CharField(_("mã băm nội dung"), max_length=64)

    class Meta:
        ordering = ["round", "-number"]
        verbose_name = _("bản kết quả đã chốt")
        verbose_name_plural = _("bản kết quả đã chốt")
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="rankingrecord_number_unique",
                                    violation_error_message=_("Lần chốt này đã có.")),
        ]

    def __str__(self):
        return _("Kết quả chốt lần %(number)s – %(round)s") % {"number": self.number, "round": self.round}


# ---------------------------------------------------------------------------------------------
# The year-end's second half (issue 11): eligibility conditions of award types, pending cases,
# nominations, ballots (online or paper), the dossier to the board, the board's decisions and
# the award history they write.
# ---------------------------------------------------------------------------------------------


class ConditionKind(models.TextChoices):
    LEADS_BLOC = "leads_bloc", _("Dẫn đầu khối (xếp thứ nhất khi chốt kết quả chấm điểm)")
    BAND = "band", _("Xếp loại của năm xét")
    BAND_YEARS = "band_years", _("Xếp loại cao nhất liên tục nhiều năm")
    PRIOR_AWARD = "prior_award", _("Đã được khen thưởng trong những năm trước")
    DECLARED = "declared", _("Điều kiện khối xác nhận (cổng không tự kiểm tra được)")


class Severity(models.TextChoices):
    HARD = "hard", _("Bắt buộc: không đạt thì không đề nghị được")
    WARNING = "warning", _("Cảnh báo: không đạt thì phải giải trình")


class AwardCondition(models.Model):
    """A condition a candidate for an award type must meet, with its source. ``value`` reads by
    kind: BAND: the band's name; BAND_YEARS: the number of years running (this one included);
    PRIOR_AWARD: "<award code>:<years>" (received within that many earlier years); others: empty."""

    award_type = models.ForeignKey(AwardType, on_delete=models.CASCADE, related_name="conditions", verbose_name=_("hình thức khen thưởng"))
    kind = models.CharField(_("loại điều kiện"), max_length=20, choices=ConditionKind.choices)
    value = models.CharField(_("giá trị"), max_length=120, blank=True)
    text = models.CharField(_("nội dung điều kiện"), max_length=300)
    severity = models.CharField(_("mức độ"), max_length=10, choices=Severity.choices, default=Severity.HARD)
    source = models.CharField(_("nguồn"), max_length=500)

    class Meta:
        ordering = ["award_type", "id"]
        verbose_name = _("điều kiện khen thưởng")
        verbose_name_plural = _("điều kiện khen thưởng")
        constraints = [
            models.CheckConstraint(condition=~Q(source=""), name="awardcondition_has_source", violation_error_message=_("Phải ghi nguồn.")),
        ]

    def __str__(self):
        return self.text


class CaseKind(models.TextChoices):
    DISCIPLINE = "discipline", _("Đang xem xét kỷ luật")
    INSPECTION = "inspection", _("Đang thanh tra, kiểm tra")
    COMPLAINT = "complaint", _("Đang giải quyết khiếu nại, tố cáo")


class PendingCase(models.Model):
    """A discipline, inspection or complaint case about an agency, recorded by the board: while it
    is open (no ``closed_on``) the rule set's award bars (NĐ 152/2025 art. 4) block its nominations."""

    agency = models.ForeignKey("blocs.Agency", on_delete=models.PROTECT, related_name="pending_cases", verbose_name=_("đơn vị"))
    kind = models.CharField(_("loại vụ việc"), max_length=12, choices=CaseKind.choices)
    description = models.TextField(_("nội dung"))
    opened_on = models.DateField(_("ngày bắt đầu"))
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ghi"))
    recorded_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    class Meta:
        ordering = ["agency", "-opened_on", "id"]
        verbose_name = _("vụ việc đang xử lý")
        verbose_name_plural = _("vụ việc đang xử lý")
        constraints = [
            models.CheckConstraint(condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")), name="pendingcase_dates_ordered",
                                   violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu.")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description[:60]}"

    def open_on(self, day):
        return self.opened_on <= day and (self.closed_on is None or self.closed_on > day)


class NominationState(models.TextChoices):
    PROPOSED = "proposed", _("Dự kiến đề nghị")
    VOTED = "voted", _("Được khối bình xét, suy tôn")
    NOT_PASSED = "not_passed", _("Không đủ số phiếu")
    SUBMITTED = "submitted", _("Đã trình Ban Thi đua – Khen thưởng")
    RETURNED = "returned", _("Ban trả lại để hoàn thiện")
    APPROVED = "approved", _("Ban đồng ý")
    FORWARDED = "forwarded", _("Đã trình Trung ương")
    AWARDED = "awarded", _("Đã có quyết định khen thưởng")
    REJECTED = "rejected", _("Không được khen thưởng")


class Nomination(models.Model):
    """A member agency proposed for an award type of the bloc-year's rule set, with its reason.
    Its eligibility checks are computed (``awards.nominations.eligibility``), never stored; a
    failed warning needs the written ``justification``."""

    bloc_year = models.ForeignKey("blocs.BlocYear", on_delete=models.PROTECT, related_name="nominations", verbose_name=_("khối theo năm"))
    award_type = models.ForeignKey(AwardType, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("hình thức khen thưởng"))
    agency = models.ForeignKey("blocs.Agency", on_delete=models.PROTECT, related_name="nominations", verbose_name=_("đơn vị"))
    reason = models.TextField(_("thành tích, lý do đề nghị"))
    justification = models.TextField(_("giải trình (khi có cảnh báo)"), blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    state = models.CharField(_("trạng thái"), max_length=12, choices=NominationState.choices, default=NominationState.PROPOSED)
    # The ballot's result, copied when the ballot closes.
    votes_yes = models.PositiveSmallIntegerField(_("số phiếu đồng ý"), null=True, blank=True)
    votes_percent = models.DecimalField(_("tỷ lệ đồng ý (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    # The board's word on it.
    board_note = models.TextField(_("ý kiến của Ban (lý do trả lại, không đồng ý)"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người quyết định"))
    decided_at = models.DateTimeField(_("thời điểm quyết định"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("thời điểm trình Trung ương"), null=True, blank=True)
    decision = models.ForeignKey("awards.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="nominations",
                                 verbose_name=_("quyết định khen thưởng"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đề xuất"))
    created_at = models.DateTimeField(_("thời điểm đề xuất"), auto_now_add=True)
    version = models.CharField(_("phiên bản"), max_length=32, default=new_version, editable=False)

    class Meta:
        ordering = ["bloc_year", "award_type_id", "position", "id"]
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        constraints = [
            models.UniqueConstraint(fields=["bloc_year", "award_type", "agency"], name="nomination_unique",
                                    violation_error_message=_("Đơn vị đã được đề nghị hình thức khen thưởng này trong năm.")),
        ]

    def __str__(self):
        return _("%(award)s – %(agency)s (%(year)s)") % {"award": self.award_type.name, "agency": self.agency, "year": self.bloc_year.year}

    def get_absolute_url(self):
        return reverse("awards:nomination_detail", args=[self.pk])


class NominationCorrection(models.Model):
    """A change to a decided nomination: what it was, what it became, why, by whom. Never deleted."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("đề nghị khen thưởng"))
    field = models.CharField(_("nội dung sửa"), max_length=60)
    old_value = models.TextField(_("giá trị cũ"), blank=True)
    new_value = models.TextField(_("giá trị mới"), blank=True)
    reason = models.TextField(_("lý do sửa"))
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người sửa"))
    corrected_at = models.DateTimeField(_("thời điểm sửa"), auto_now_add=True)

    class Meta:
        ordering = ["nomination", "corrected_at", "id"]
        verbose_name = _("đính chính đề nghị khen thưởng")
        verbose_name_plural = _("đính chính đề nghị khen thưởng")

    def __str__(self):
        return f"{self.field}: {self.old_value} → {self.new_value}"


class BallotMode(models.TextChoices):
    ONLINE = "online", _("Bỏ phiếu trực tuyến")
    PAPER = "paper", _("Bỏ phiếu giấy tại hội nghị (nhập kết quả kiểm phiếu)")


class BallotState(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    OPEN = "open", _("Đang bỏ phiếu")
    CLOSED = "closed", _("Đã kết thúc")


class Ballot(models.Model):
    """A vote of the member agencies (bình xét, suy tôn), attached to the year-end meeting. The
    rules it counts by (quorum, threshold, base, rounds) and the number of members are copied
    when it opens, with their sources, so a later edit of the rule set never changes a result."""

    bloc_year = models.ForeignKey("blocs.BlocYear", on_delete=models.PROTECT, related_name="ballots", verbose_name=_("khối theo năm"))
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="ballots",
                                verbose_name=_("hội nghị"))
    title = models.CharField(_("tên cuộc bỏ phiếu"), max_length=255)
    mode = models.CharField(_("hình thức"), max_length=10, choices=BallotMode.choices, default=BallotMode.ONLINE)
    state = models.CharField(_("trạng thái"), max_length=10, choices=BallotState.choices, default=BallotState.DRAFT)
    round = models.PositiveSmallIntegerField(_("vòng"), default=1)
    closes_at = models.DateTimeField(_("hạn bỏ phiếu"), null=True, blank=True)
    members_count = models.PositiveSmallIntegerField(_("tổng số thành viên"), default=0)
    rules = models.JSONField(_("quy tắc kiểm phiếu"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người lập"))
    created_at = models.DateTimeField(_("thời điểm lập"), auto_now_add=True)
    opened_at = models.DateTimeField(_("thời điểm mở"), null=True, blank=True)
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("người kết thúc"))
    version = models.CharField(_("phiên bản"), max_length=32, default=new_version, editable=False)

    class Meta:
        ordering = ["bloc_year", "-created_at", "-id"]
        verbose_name = _("cuộc bỏ phiếu")
        verbose_name_plural = _("cuộc bỏ phiếu")
        constraints = [
            models.UniqueConstraint(fields=["bloc_year"], condition=~Q(state="closed"), name="ballot_one_unclosed_per_bloc_year",
                                    violation_error_message=_("Khối đã có một cuộc bỏ phiếu chưa kết thúc.")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("awards:ballot_detail", args=[self.pk])

    @property
    def is_closed(self):
        return self.state == BallotState.CLOSED


class QuestionKind(models.TextChoices):
    AWARD = "award", _("Đề nghị khen thưởng")
    HEAD = "head", _("Bầu Trưởng khối năm sau")
    DEPUTY = "deputy", _("Bầu Phó khối năm sau")


class BallotQuestion(models.Model):
    """One question of one round: an award type (agree / disagree per candidate, or choose up to
    ``max_choices``) or next year's head or deputy (choose one among the members). The counts
    (issued … invalid) and ``resolved`` are written when the round is counted."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="questions", verbose_name=_("cuộc bỏ phiếu"))
    round = models.PositiveSmallIntegerField(_("vòng"), default=1)
    kind = models.CharField(_("loại câu hỏi"), max_length=10, choices=QuestionKind.choices)
    award_type = models.ForeignKey(AwardType, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("hình thức khen thưởng"))
    title = models.CharField(_("nội dung"), max_length=300)
    # 0: agree / disagree on each candidate; N > 0: choose at most N candidates.
    max_choices = models.PositiveSmallIntegerField(_("chọn tối đa"), default=0)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    issued = models.PositiveSmallIntegerField(_("số phiếu phát ra"), null=True, blank=True)
    returned = models.PositiveSmallIntegerField(_("số phiếu thu về"), null=True, blank=True)
    valid = models.PositiveSmallIntegerField(_("số phiếu hợp lệ"), null=True, blank=True)
    invalid = models.PositiveSmallIntegerField(_("số phiếu không hợp lệ"), null=True, blank=True)
    resolved = models.BooleanField(_("đã có kết quả"), null=True, blank=True)
    note = models.TextField(_("ghi chú kết quả"), blank=True)

    class Meta:
        ordering = ["ballot", "round", "position", "id"]
        verbose_name = _("câu hỏi bỏ phiếu")
        verbose_name_plural = _("câu hỏi bỏ phiếu")
        constraints = [
            models.CheckConstraint(condition=Q(kind="award", award_type__isnull=False) | (~Q(kind="award") & Q(award_type__isnull=True)),
                                   name="ballotquestion_award_iff_kind",
                                   violation_error_message=_("Câu hỏi về khen thưởng phải gắn với một hình thức khen thưởng.")),
        ]

    def __str__(self):
        return self.title


class BallotCandidate(models.Model):
    """A candidate of a question with its running tallies. The tallies are the only trace of what
    was chosen: a vote adds to them in the transaction that writes its ``BallotVoter`` row, and
    no row per choice exists anywhere, so nothing links a voter to a choice (see the README)."""

    question = models.ForeignKey(BallotQuestion, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("câu hỏi"))
    agency = models.ForeignKey("blocs.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, null=True, blank=True, related_name="candidacies",
                                   verbose_name=_("đề nghị khen thưởng"))
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    yes = models.PositiveSmallIntegerField(_("đồng ý / được chọn"), default=0)
    no = models.PositiveSmallIntegerField(_("không đồng ý"), default=0)
    passed = models.BooleanField(_("đạt"), null=True, blank=True)

    class Meta:
        ordering = ["question", "position", "id"]
        verbose_name = _("ứng viên")
        verbose_name_plural = _("ứng viên")
        constraints = [
            models.UniqueConstraint(fields=["question", "agency"], name="ballotcandidate_unique",
                                    violation_error_message=_("Đơn vị đã có trong câu hỏi này.")),
        ]

    def __str__(self):
        return str(self.agency)


class BallotVoter(models.Model):
    """"This agency has voted in this round" — who cast it and in what capacity, never what, and no
    time (the audit entry of the vote has one; the tallies have none). One per agency per round,
    held by the database."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="voters", verbose_name=_("cuộc bỏ phiếu"))
    round = models.PositiveSmallIntegerField(_("vòng"), default=1)
    agency = models.ForeignKey("blocs.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người bỏ phiếu"))

    class Meta:
        ordering = ["ballot", "round", "agency__name"]
        verbose_name = _("đơn vị đã bỏ phiếu")
        verbose_name_plural = _("đơn vị đã bỏ phiếu")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "round", "agency"], name="ballotvoter_one_per_agency_round",
                                    violation_error_message=_("Đơn vị đã bỏ phiếu trong vòng này.")),
        ]

    def __str__(self):
        return _("%(agency)s đã bỏ phiếu") % {"agency": self.agency}


class PaperCount(models.Model):
    """One person's entry of a paper ballot's counts for one round: ``counts`` is
    ``{question_id: {"issued", "returned", "valid", "invalid", "yes": {candidate_id: n}}}`` (ids as
    text). The result counts only when two entries by two people agree."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="paper_counts", verbose_name=_("cuộc bỏ phiếu"))
    round = models.PositiveSmallIntegerField(_("vòng"), default=1)
    entry = models.PositiveSmallIntegerField(_("lần nhập"), default=1)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người nhập"))
    entered_at = models.DateTimeField(_("thời điểm nhập"), auto_now=True)
    counts = models.JSONField(_("số liệu kiểm phiếu"), default=dict)

    class Meta:
        ordering = ["ballot", "round", "entry"]
        verbose_name = _("kết quả kiểm phiếu giấy")
        verbose_name_plural = _("kết quả kiểm phiếu giấy")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "round", "entry"], name="papercount_entry_unique",
                                    violation_error_message=_("Lần nhập này đã có.")),
            models.UniqueConstraint(fields=["ballot", "round", "entered_by"], name="papercount_one_per_person",
                                    violation_error_message=_("Mỗi người chỉ nhập một lần; người thứ hai phải là người khác.")),
            models.CheckConstraint(condition=Q(entry__in=[1, 2]), name="papercount_two_entries",
                                   violation_error_message=_("Chỉ có lần nhập thứ nhất và lần nhập đối chiếu.")),
        ]

    def __str__(self):
        return _("Nhập lần %(entry)s – vòng %(round)s") % {"entry": self.entry, "round": self.round}


class DossierState(models.TextChoices):
    DRAFT = "draft", _("Khối đang chuẩn bị")
    SUBMITTED = "submitted", _("Đã nộp, chờ Ban tiếp nhận")
    RECEIVED = "received", _("Ban đã tiếp nhận")
    RETURNED = "returned", _("Ban trả lại để bổ sung")


class Dossier(models.Model):
    """The bloc's dossier of proposals (hồ sơ đề nghị) to the board: the cover letter (Tờ trình,
    an issued document), the year-end minutes, the vote-count record, the score table and one
    achievement report per nominee."""

    bloc_year = models.OneToOneField("blocs.BlocYear", on_delete=models.PROTECT, related_name="dossier", verbose_name=_("khối theo năm"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=DossierState.choices, default=DossierState.DRAFT)
    deadline = models.DateField(_("hạn nộp"), null=True, blank=True)
    number = models.CharField(_("số tờ trình"), max_length=60, blank=True)
    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("người nộp"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("người tiếp nhận"))
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    version = models.CharField(_("phiên bản"), max_length=32, default=new_version, editable=False)

    class Meta:
        ordering = ["-bloc_year__year", "bloc_year__bloc__name"]
        verbose_name = _("hồ sơ đề nghị khen thưởng")
        verbose_name_plural = _("hồ sơ đề nghị khen thưởng")

    def __str__(self):
        return _("Hồ sơ đề nghị khen thưởng – %(bloc_year)s") % {"bloc_year": self.bloc_year}

    def get_absolute_url(self):
        return reverse("awards:dossier_detail", args=[self.pk])


def report_path(instance, filename):
    return f"reports/{instance.nomination.bloc_year_id}/{instance.nomination_id}/{new_version()}-{filename[-80:]}"


class AchievementReport(models.Model):
    """The nominee's achievement report (báo cáo thành tích), uploaded; private like evidence."""

    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="report", verbose_name=_("đề nghị khen thưởng"))
    file = models.FileField(_("tệp"), upload_to=report_path, storage=private_files, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tải lên"))
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now=True)

    class Meta:
        verbose_name = _("báo cáo thành tích")
        verbose_name_plural = _("báo cáo thành tích")

    def __str__(self):
        return self.original_name


class Decision(models.Model):
    """A decision awarding (Quyết định khen thưởng): "Quyết định số 125/QĐ-UBND ngày 20/01/2020 của
    Chủ tịch UBND tỉnh"; the board records it, central ones too once they come back."""

    province = models.ForeignKey("blocs.Province", on_delete=models.PROTECT, related_name="decisions", verbose_name=_("tỉnh"))
    number = models.CharField(_("số quyết định"), max_length=60)
    date = models.DateField(_("ngày quyết định"))
    signer_title = models.CharField(_("cấp quyết định (chức vụ người ký)"), max_length=150,
                                    help_text=_("Ví dụ: Chủ tịch UBND tỉnh, Thủ tướng Chính phủ."))
    signer_name = models.CharField(_("họ tên người ký"), max_length=150, blank=True)
    level = models.CharField(_("cấp"), max_length=20, choices=AwardLevel.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ghi"))
    recorded_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "number"]
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        constraints = [
            models.UniqueConstraint(fields=["province", "number", "date"], name="decision_unique_number",
                                    violation_error_message=_("Quyết định số này, ngày này đã được ghi.")),
        ]

    def __str__(self):
        return _("Quyết định số %(number)s ngày %(date)s của %(signer)s") % {
            "number": self.number, "date": self.date.strftime("%d/%m/%Y"), "signer": self.signer_title,
        }


class AwardRecord(models.Model):
    """What an agency received, year by year (lịch sử khen thưởng): written when a nomination is
    awarded, or entered by the board for the years before the portal. The eligibility checks look
    back over these rows."""

    agency = models.ForeignKey("blocs.Agency", on_delete=models.PROTECT, related_name="award_records", verbose_name=_("đơn vị"))
    year = models.PositiveSmallIntegerField(_("năm thành tích"))
    award_code = models.SlugField(_("mã hình thức"), max_length=40)
    award_name = models.CharField(_("hình thức khen thưởng"), max_length=200)
    level = models.CharField(_("cấp"), max_length=20, choices=AwardLevel.choices)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="records",
                                 verbose_name=_("quyết định"))
    decision_text = models.CharField(_("quyết định (ghi tay, năm trước khi có cổng)"), max_length=300, blank=True)
    nomination = models.OneToOneField(Nomination, on_delete=models.PROTECT, null=True, blank=True, related_name="record",
                                      verbose_name=_("đề nghị khen thưởng"))
    bloc_year = models.ForeignKey("blocs.BlocYear", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("khối theo năm"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("người ghi"))
    recorded_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    class Meta:
        ordering = ["agency", "-year", "award_name"]
        verbose_name = _("khen thưởng đã nhận")
        verbose_name_plural = _("lịch sử khen thưởng")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "award_code"], name="awardrecord_unique",
                                    violation_error_message=_("Đơn vị đã có hình thức khen thưởng này trong năm đó.")),
            models.CheckConstraint(condition=Q(decision__isnull=False) | ~Q(decision_text=""), name="awardrecord_has_decision",
                                   violation_error_message=_("Phải ghi quyết định khen thưởng.")),
        ]

    def __str__(self):
        return f"{self.year}: {self.award_name} – {self.agency}"
