"""Opening a bloc-year's scoring and setting it up (issue 10).

``round_open`` makes the round from the latest signed pledge version: one sheet per member agency,
one line per criterion (its group, text, maximum and target are the criterion's), the self-score
deadline and who checks. ``round_setup`` changes the deadline and the checkers while it is open
(``ROUND_FLOW`` "setup"). Reading for the round page: ``round_rows``.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from awards.models import (
    CheckerAssignment,
    CheckMode,
    LineKind,
    ScoreLine,
    ScoreSheet,
    ScoringRound,
    new_version,
)
from awards.selectors import NoRuleSet, rule_set_for, rules_of
from awards.workflow import ROUND_FLOW
from blocs.models import AgencyStatus, BlocYear
from core.access import rule_q
from core.audit import audit_record
from pledges.models import PledgeState, PledgeVersion


def signed_version(bloc_year) -> PledgeVersion | None:
    """The latest signed version of the bloc-year's pledge (the score template), or None."""
    return (
        PledgeVersion.objects.filter(pledge__bloc_year=bloc_year, state=PledgeState.SIGNED)
        .order_by("-number", "-pk").first()
    )


def members_of(bloc_year) -> list:
    """The member agencies, by name (the order of the rotation and of the sheets)."""
    return [m.agency for m in bloc_year.memberships.select_related("agency").order_by("agency__name", "agency_id")]


def default_deadline(bloc_year, rule_set=None) -> datetime.date:
    """The rule set's ``self_score_deadline`` (day/month) in the bloc-year's year, else 30/11."""
    value = None
    if rule_set is not None:
        value = rules_of(rule_set).self_score_deadline
    day, month = (30, 11)
    if isinstance(value, tuple) and len(value) == 2:
        day, month = value
    elif hasattr(value, "day") and hasattr(value, "month"):
        day, month = value.day, value.month
    try:
        return datetime.date(bloc_year.year, month, day)
    except ValueError:
        return datetime.date(bloc_year.year, 11, 30)


def rotation(agencies) -> list[tuple]:
    """The default pairs: A checks B, B checks C, …, the last checks A (``[(checker, checked), …]``)."""
    agencies = list(agencies)
    if len(agencies) < 2:
        return []
    return [(agencies[i - 1], agencies[i]) for i in range(1, len(agencies))] + [(agencies[-1], agencies[0])]


def is_partial_year(agency, year: int) -> bool:
    """Merged or dissolved during ``year`` (or with no date for it): scored for part of the year."""
    if agency.status == AgencyStatus.ACTIVE:
        return False
    return agency.status_date is None or agency.status_date.year == year


def _check_checkers(bloc_year, mode, panel, pairs, members) -> tuple[list, list]:
    member_ids = {a.pk for a in members}
    if mode == CheckMode.PANEL:
        panel = list({a.pk: a for a in panel or ()}.values())
        if any(a.pk not in member_ids for a in panel):
            raise ValidationError({"panel": _("Tổ kiểm tra chỉ gồm các đơn vị thành viên của khối.")})
        if len(panel) < 2:
            raise ValidationError({"panel": _("Tổ kiểm tra cần ít nhất hai đơn vị (để phiếu của mỗi thành viên tổ có người khác kiểm tra).")})
        return panel, []
    if mode == CheckMode.PAIRS:
        pairs = list(pairs or ())
        checked = [b.pk for _a, b in pairs]
        if len(members) < 2:
            raise ValidationError({"check_mode": _("Khối cần ít nhất hai thành viên để chấm chéo.")})
        if any(a.pk not in member_ids or b.pk not in member_ids for a, b in pairs):
            raise ValidationError({"pairs": _("Chấm chéo chỉ giữa các đơn vị thành viên của khối.")})
        if any(a.pk == b.pk for a, b in pairs):
            raise ValidationError({"pairs": _("Không đơn vị nào tự kiểm tra mình.")})
        if sorted(checked) != sorted(member_ids):
            raise ValidationError({"pairs": _("Mỗi thành viên phải được đúng một đơn vị kiểm tra.")})
        return [], pairs
    if mode != CheckMode.SECRETARY:
        raise ValidationError({"check_mode": _("Cách kiểm tra không hợp lệ.")})
    return [], []


def _write_checkers(scoring, panel, pairs):
    CheckerAssignment.objects.filter(round=scoring).delete()
    CheckerAssignment.objects.bulk_create(
        [CheckerAssignment(round=scoring, checker_agency=a) for a in panel]
        + [CheckerAssignment(round=scoring, checker_agency=a, checked_agency=b) for a, b in pairs]
    )


def _checkers_audit(panel, pairs):
    return {"panel": [a.pk for a in panel], "pairs": [[a.pk, b.pk] for a, b in pairs]}


def round_open(*, actor, ip=None, bloc_year: BlocYear, deadline: datetime.date, check_mode: str,
               panel=(), pairs=()) -> ScoringRound:
    """Open the scoring of ``bloc_year`` (once). Raises ValidationError with a Vietnamese message."""
    with transaction.atomic():
        bloc_year = BlocYear.objects.select_for_update().select_related("bloc").get(pk=bloc_year.pk)
        if not BlocYear.objects.filter(rule_q(actor, "awards.open_scoring"), pk=bloc_year.pk).exists():
            raise PermissionDenied
        if ScoringRound.objects.filter(bloc_year=bloc_year).exists():
            raise ValidationError(_("Việc chấm điểm của %(bloc_year)s đã được mở.") % {"bloc_year": bloc_year}, code="exists")
        version = signed_version(bloc_year)
        if version is None:
            raise ValidationError(_("Chưa mở được chấm điểm: giao ước thi đua của %(bloc_year)s chưa có bản đã ký đủ. "
                                    "Bảng điểm lấy từ các tiêu chí của bản giao ước đã ký.") % {"bloc_year": bloc_year})
        criteria = list(version.criteria.order_by("position", "pk"))
        if not criteria:
            raise ValidationError(_("Bản giao ước đã ký không có tiêu chí nào để chấm điểm."))
        try:
            rule_set = rule_set_for(bloc_year)
        except NoRuleSet as error:
            raise ValidationError(str(error)) from None
        if deadline is None:
            raise ValidationError({"deadline": _("Hãy nhập hạn tự chấm điểm.")})
        members = members_of(bloc_year)
        if not members:
            raise ValidationError(_("Khối chưa có đơn vị thành viên nào."))
        panel, pairs = _check_checkers(bloc_year, check_mode, panel, pairs, members)
        try:
            with transaction.atomic():
                scoring = ScoringRound.objects.create(
                    bloc_year=bloc_year, pledge_version=version, rule_set=rule_set, self_score_deadline=deadline,
                    check_mode=check_mode, opened_by=actor,
                )
        except IntegrityError:
            raise ValidationError(_("Việc chấm điểm của %(bloc_year)s đã được mở.") % {"bloc_year": bloc_year}, code="exists") from None
        _write_checkers(scoring, panel, pairs)
        sheets = ScoreSheet.objects.bulk_create(
            ScoreSheet(round=scoring, agency=a, partial_year=is_partial_year(a, bloc_year.year)) for a in members
        )
        ScoreLine.objects.bulk_create(
            ScoreLine(sheet=sheet, kind=LineKind.CRITERION, criterion=c, position=i)
            for sheet in sheets for i, c in enumerate(criteria)
        )
        audit_record(actor=actor, ip=ip, action="scoring.open", obj=scoring, data={
            "bloc_year": bloc_year.pk, "pledge_version": version.pk, "rule_set": rule_set.pk,
            "deadline": deadline.isoformat(), "check_mode": check_mode, "sheets": len(sheets), "criteria": len(criteria),
            "partial_year": [s.agency_id for s in sheets if s.partial_year], **_checkers_audit(panel, pairs),
        })
    return scoring


class StaleRound(ValidationError):
    pass


def round_setup(*, actor, ip=None, scoring: ScoringRound, version: str, deadline: datetime.date, check_mode: str,
                panel=(), pairs=()) -> ScoringRound:
    """Change the deadline and who checks while the round is open (``ROUND_FLOW`` "setup")."""

    def apply(row):
        if version != row.version:
            raise StaleRound(_("Người khác vừa sửa hạn hoặc phân công kiểm tra của đợt này; trang đã hiện phân công mới nhất, "
                               "hãy xem lại rồi lưu lại."), code="stale")
        if deadline is None:
            raise ValidationError({"deadline": _("Hãy nhập hạn tự chấm điểm.")})
        checked = ScoreLine.objects.filter(sheet__round=row).exclude(checked_by=None).exists()
        if checked and check_mode != row.check_mode:
            raise ValidationError({"check_mode": _("Đã có dòng được kiểm tra: không đổi được cách kiểm tra nữa (chỉ đổi được đơn vị kiểm tra).")})
        members = members_of(row.bloc_year)
        new_panel, new_pairs = _check_checkers(row.bloc_year, check_mode, panel, pairs, members)
        before = {"deadline": row.self_score_deadline.isoformat(), "check_mode": row.check_mode}
        row.self_score_deadline, row.check_mode, row.version = deadline, check_mode, new_version()
        _write_checkers(row, new_panel, new_pairs)
        return {"before": before, "deadline": deadline.isoformat(), "check_mode": check_mode, **_checkers_audit(new_panel, new_pairs)}

    return ROUND_FLOW.run("setup", obj=scoring, actor=actor, ip=ip, apply=apply)


def checker_rows(scoring) -> list:
    return list(scoring.checkers.select_related("checker_agency", "checked_agency").order_by("checker_agency__name", "pk"))


def round_rows(scoring) -> list:
    """The round page's rows: each sheet with its agency and lines checked n/m (one query)."""
    done = ("accepted", "adjusted")
    return list(
        scoring.sheets.select_related("agency", "submitted_by")
        .annotate(
            line_count=Count("lines", filter=Q(lines__kind=LineKind.CRITERION)),
            checked_count=Count("lines", filter=Q(lines__kind=LineKind.CRITERION, lines__check_state__in=done)),
            queried_count=Count("lines", filter=Q(lines__check_state="queried")),
        )
        .order_by("agency__name", "pk")
    )
