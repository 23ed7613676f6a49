"""Provinces, agencies, blocs, bloc-years (yearly membership) and the people and roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    name = models.CharField(_("tên tỉnh"), max_length=100, unique=True)
    code = models.SlugField(_("mã"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tỉnh")
        verbose_name_plural = _("tỉnh")

    def __str__(self):
        return self.name


class AgencyKind(models.TextChoices):
    DEPARTMENT = "so", _("Sở")
    BOARD = "ban", _("Ban")
    OFFICE = "van_phong", _("Văn phòng")
    BUREAU = "cuc", _("Cục")
    TREASURY = "kho_bac", _("Kho bạc")
    FUND = "quy", _("Quỹ")
    ALLIANCE = "lien_minh", _("Liên minh")
    OTHER = "khac", _("Khác")


class AgencyStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    MERGED = "merged", _("Đã sáp nhập")
    DISSOLVED = "dissolved", _("Đã giải thể")


class Agency(models.Model):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("tỉnh"))
    name = models.CharField(_("tên cơ quan, đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=AgencyKind.choices, default=AgencyKind.DEPARTMENT)
    leader_name = models.CharField(_("họ tên người đứng đầu"), max_length=120, blank=True)
    leader_title = models.CharField(_("chức vụ người đứng đầu"), max_length=120, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=AgencyStatus.choices, default=AgencyStatus.ACTIVE)
    status_date = models.DateField(_("ngày hiệu lực của trạng thái"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name"],
                name="agency_unique_name_in_province",
                violation_error_message=_("Tỉnh đã có cơ quan, đơn vị với tên này."),
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(status_date__isnull=False),
                name="agency_inactive_has_date",
                violation_error_message=_("Đơn vị đã sáp nhập hoặc giải thể phải có ngày hiệu lực."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blocs:agency_edit", args=[self.pk])

    def is_usable_on(self, day):
        """An agency may join a bloc-year only before its merge or dissolution took effect."""
        return self.status == AgencyStatus.ACTIVE or (self.status_date is not None and day < self.status_date)


class Bloc(models.Model):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="blocs", verbose_name=_("tỉnh"))
    name = models.CharField(_("tên khối thi đua"), max_length=255)
    description = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("khối thi đua")
        verbose_name_plural = _("khối thi đua")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name"],
                name="bloc_unique_name_in_province",
                violation_error_message=_("Tỉnh đã có khối thi đua với tên này."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blocs:bloc_detail", args=[self.pk])


class BlocYear(models.Model):
    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, related_name="years", verbose_name=_("khối thi đua"))
    year = models.PositiveSmallIntegerField(_("năm"))
    head = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("Trưởng khối")
    )
    deputy = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("Phó khối")
    )
    notice_number = models.CharField(_("số thông báo"), max_length=60, blank=True)
    notice_date = models.DateField(_("ngày thông báo"), null=True, blank=True)
    agencies = models.ManyToManyField(Agency, through="Membership", related_name="bloc_years", verbose_name=_("thành viên"))

    class Meta:
        ordering = ["-year", "bloc__name"]
        verbose_name = _("khối thi đua theo năm")
        verbose_name_plural = _("khối thi đua theo năm")
        constraints = [
            models.UniqueConstraint(
                fields=["bloc", "year"],
                name="blocyear_unique_per_year",
                violation_error_message=_("Khối này đã có danh sách thành viên của năm đó."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="blocyear_year_range",
                violation_error_message=_("Năm phải từ 2000 đến 2100."),
            ),
            models.CheckConstraint(
                condition=Q(head__isnull=True) | Q(deputy__isnull=True) | ~Q(head=models.F("deputy")),
                name="blocyear_head_not_deputy",
                violation_error_message=_("Trưởng khối và Phó khối phải là hai đơn vị khác nhau."),
            ),
        ]

    def __str__(self):
        return f"{self.bloc.name} – {self.year}"

    def get_absolute_url(self):
        return reverse("blocs:blocyear_detail", args=[self.pk])

    @property
    def province_id(self):
        return self.bloc.province_id


class Membership(models.Model):
    bloc_year = models.ForeignKey(BlocYear, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("khối thi đua theo năm"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("cơ quan, đơn vị"))
    # Copied from the bloc-year so the database itself can hold "one bloc per agency per year".
    year = models.PositiveSmallIntegerField(_("năm"), editable=False)

    class Meta:
        ordering = ["agency__name"]
        verbose_name = _("thành viên khối")
        verbose_name_plural = _("thành viên khối")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"],
                name="membership_one_bloc_per_year",
                violation_error_message=_("Đơn vị đã là thành viên của một khối khác trong năm này."),
            ),
        ]

    def __str__(self):
        return f"{self.agency} ∈ {self.bloc_year}"


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    title = models.CharField(_("chức vụ"), max_length=150, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("cơ quan, đơn vị")
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username


class Role(models.TextChoices):
    BOARD = "board", _("Ban Thi đua – Khen thưởng")
    CENTRAL = "central", _("Theo dõi toàn quốc (chỉ đọc)")
    SECRETARY = "secretary", _("Thư ký khối")
    LEADER = "leader", _("Lãnh đạo đơn vị")
    OFFICER = "officer", _("Cán bộ thi đua – khen thưởng")


class RoleAssignment(models.Model):
    """A role with its scope: a province (board), a bloc-year (secretary) or an agency (leader, officer)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("người dùng"))
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    province = models.ForeignKey(Province, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("tỉnh"))
    bloc_year = models.ForeignKey(
        BlocYear, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments", verbose_name=_("khối thi đua theo năm")
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("cơ quan, đơn vị"))

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="board", province__isnull=False, bloc_year__isnull=True, agency__isnull=True)
                    | Q(role="central", province__isnull=True, bloc_year__isnull=True, agency__isnull=True)
                    | Q(role="secretary", province__isnull=True, bloc_year__isnull=False, agency__isnull=True)
                    | Q(role__in=["leader", "officer"], province__isnull=True, bloc_year__isnull=True, agency__isnull=False)
                ),
                name="roleassignment_scope_matches_role",
                violation_error_message=_("Phạm vi không phù hợp với vai trò."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "province", "bloc_year", "agency"],
                name="roleassignment_unique",
                violation_error_message=_("Người dùng đã có vai trò này."),
            ),
        ]

    def __str__(self):
        scope = self.province or self.bloc_year or self.agency or _("toàn quốc")
        return f"{self.user} – {self.get_role_display()} ({scope})"
