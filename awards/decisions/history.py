"""The award history (lịch sử khen thưởng): what each agency received, year by year, and the
province's public page of the awards decided (công bố).

Rows are written by ``decision_record`` (one per awarded nomination) or entered by hand by the
board for the years before the portal (``award_record_add``, with the decision's text).
"""

from collections import OrderedDict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from awards.models import AwardLevel, AwardRecord, AwardType, NominationState
from blocs.models import Agency, Membership
from core.access import rule_q
from core.audit import audit_record
from core.cleaning import clean_text

DECISION_TEXT_MAX_LENGTH = 300
FIRST_YEAR, LAST_YEAR = 1945, 2100

# Public: decided awards only (a corrected "awarded → rejected" has no row any more; an approved
# nomination waiting for its decision has none yet).
PUBLIC = Q(nomination__isnull=True) | Q(nomination__state=NominationState.AWARDED)


def decision_text(record: AwardRecord) -> str:
    """ "Quyết định số 125/QĐ-UBND ngày 20/01/2020 của Chủ tịch UBND tỉnh", or the text typed in."""
    return str(record.decision) if record.decision_id else record.decision_text


@dataclass(frozen=True)
class AwardChoice:
    code: str
    name: str
    level: str


def award_choices(province_id) -> list[AwardChoice]:
    """The award types the province's rule sets and the national templates name, one per code. One query."""
    rows = (
        AwardType.objects.filter(Q(rule_set__province_id=province_id) | Q(rule_set__province__isnull=True))
        .order_by("code", "-rule_set__valid_from", "pk")
        .values_list("code", "name", "level")
    )
    seen = OrderedDict()
    for code, name, level in rows:
        seen.setdefault(code, AwardChoice(code, name, level))
    return list(seen.values())


def agency_history(agency: Agency) -> list[tuple[int, list[AwardRecord]]]:
    """``[(year, [record, …]), …]``, the latest year first. One query however many years."""
    rows = (
        AwardRecord.objects.filter(agency=agency)
        .select_related("decision", "bloc_year__bloc", "nomination")
        .order_by("-year", "level", "award_name", "pk")
    )
    years = OrderedDict()
    for row in rows:
        row.decision_shown = decision_text(row)
        years.setdefault(row.year, []).append(row)
    return list(years.items())


def award_record_add(
    *, actor, agency: Agency, year: int, award_code: str, decision_text: str, ip: str | None = None
) -> AwardRecord:
    """The board enters an award of the years before the portal, with the decision as printed."""
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": _("Năm phải từ %(first)s đến %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}})
    try:
        text = clean_text(decision_text or "", max_length=DECISION_TEXT_MAX_LENGTH)
    except ValidationError as error:
        raise ValidationError({"decision_text": error.messages}) from None
    if not text:
        raise ValidationError({"decision_text": _("Hãy ghi quyết định khen thưởng (số, ngày, cấp quyết định).")})
    choice = next((c for c in award_choices(agency.province_id) if c.code == award_code), None)
    if choice is None:
        raise ValidationError({"award_code": _("Hãy chọn hình thức khen thưởng trong danh sách.")})
    with transaction.atomic():
        if not Agency.objects.filter(rule_q(actor, "awards.manage_cases"), pk=agency.pk).exists():
            raise PermissionDenied
        if AwardRecord.objects.filter(agency=agency, year=year, award_code=choice.code).exists():
            raise ValidationError(_("Đơn vị đã có “%(award)s” năm %(year)s.") % {"award": choice.name, "year": year})
        membership = Membership.objects.filter(agency=agency, year=year).only("bloc_year_id").first()
        record = AwardRecord(
            agency=agency,
            year=year,
            award_code=choice.code,
            award_name=choice.name,
            level=choice.level if choice.level in AwardLevel.values else AwardLevel.PROVINCE,
            decision_text=text,
            bloc_year_id=membership.bloc_year_id if membership else None,
            recorded_by=actor,
        )
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:  # the same row posted twice at once
            raise ValidationError(_("Đơn vị đã có “%(award)s” năm %(year)s.") % {"award": choice.name, "year": year}) from None
        audit_record(
            actor=actor,
            ip=ip,
            action="award_record.add",
            obj=agency,
            data={
                "record": record.pk,
                "year": year,
                "award": choice.name,
                "decision_text": text,
            },
        )
    return record


def public_awards(*, year: int, province_id: int | None = None):
    """The awards decided in ``year`` (all provinces, or one), as a queryset for a page of rows;
    one query per page: each row brings its agency, province, bloc and decision."""
    rows = AwardRecord.objects.filter(PUBLIC, year=year).select_related("agency__province", "decision", "bloc_year__bloc")
    if province_id is not None:
        rows = rows.filter(agency__province_id=province_id)
    return rows.order_by("agency__province__name", "level", "award_name", "agency__name", "pk")


def public_years():
    """The years that have a decided award, the latest first (the public page's year links)."""
    return list(AwardRecord.objects.filter(PUBLIC).order_by("-year").values_list("year", flat=True).distinct()[:50])
