"""Writing rule sets: copy one, edit a regulation's values, choose one for a bloc-year.

Each service is atomic and audited (``core.audit``); every value needs a source. Decree values
(``set_by="decree"``) are read-only here: a new decree is a new legal basis and template, added
by an administrator.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards import catalogue
from awards.models import AwardCondition, AwardType, BlocYearRuleSet, RatingBand, RuleSet, RuleValue, SetBy, new_version
from core.audit import audit_record
from core.cleaning import clean_text

SOURCE_MAX_LENGTH = 500
NAME_MAX_LENGTH = 255
TOTAL_LIMIT = Decimal(10000)


def clean_source(text) -> str:
    """A source as typed: one line, cleaned (NFC, no control characters); required."""
    source = clean_text(str(text or ""), max_length=SOURCE_MAX_LENGTH)
    if not source:
        raise ValidationError(_("Phải ghi nguồn (văn bản, điều khoản), ví dụ “Quy chế hoạt động Khối, Điều 8”."), code="no_source")
    return source


def _fmt(day):
    return day.strftime("%d/%m/%Y") if day else "…"


# --- copy ----------------------------------------------------------------------------------


def _check_dates(*, basis, valid_from, valid_to):
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("Ngày hết áp dụng phải sau ngày bắt đầu áp dụng.")})
    inside = basis.covers(valid_from) and (
        (valid_to is None and basis.valid_to is None) or (valid_to is not None and basis.covers(valid_to))
    )
    if not inside:
        raise ValidationError(
            _("Thời gian áp dụng phải nằm trong thời gian hiệu lực của %(basis)s (%(start)s – %(end)s).")
            % {"basis": basis.name, "start": _fmt(basis.valid_from), "end": _fmt(basis.valid_to)}
        )


def _check_no_overlap(*, province, valid_from, valid_to, exclude_pk=None):
    others = RuleSet.objects.filter(province=province).exclude(pk=exclude_pk)
    others = others.filter(valid_to__isnull=True) | others.filter(valid_to__gte=valid_from)
    if valid_to is not None:
        others = others.filter(valid_from__lte=valid_to)
    clash = others.order_by("valid_from").first()
    if clash is not None:
        raise ValidationError(
            _("Thời gian áp dụng trùng với “%(name)s” (%(start)s – %(end)s): mỗi ngày chỉ một bộ quy tắc của tỉnh có hiệu lực. "
              "Hãy chọn thời gian khác.")
            % {"name": clash.name, "start": _fmt(clash.valid_from), "end": _fmt(clash.valid_to)}
        )


@transaction.atomic
def rule_set_copy(
    *, actor, rule_set: RuleSet, province, name: str, valid_from: datetime.date, valid_to: datetime.date | None, ip: str | None = None
) -> RuleSet:
    """A new rule set of ``province`` with the values, bands and award types of ``rule_set``."""
    name = clean_text(str(name or ""), max_length=NAME_MAX_LENGTH)
    if not name:
        raise ValidationError({"name": _("Hãy đặt tên cho bộ quy tắc.")})
    _check_dates(basis=rule_set.legal_basis, valid_from=valid_from, valid_to=valid_to)
    if RuleSet.objects.filter(province=province, name=name).exists():
        raise ValidationError({"name": _("Tỉnh đã có bộ quy tắc với tên này.")})
    _check_no_overlap(province=province, valid_from=valid_from, valid_to=valid_to)
    copy = RuleSet(
        province=province, legal_basis=rule_set.legal_basis, name=name, valid_from=valid_from, valid_to=valid_to,
        copied_from=rule_set, created_by=actor,
    )
    copy.full_clean()
    copy.save()
    RuleValue.objects.bulk_create(
        RuleValue(rule_set=copy, key=v.key, value=v.value, set_by=v.set_by, source=v.source) for v in rule_set.values.order_by("pk")
    )
    RatingBand.objects.bulk_create(
        RatingBand(rule_set=copy, name=b.name, min_total=b.min_total, max_total=b.max_total,
                   requires_no_zero_criterion=b.requires_no_zero_criterion, order=b.order, source=b.source)
        for b in rule_set.bands.order_by("order", "pk")
    )
    originals = list(rule_set.award_types.prefetch_related("conditions").order_by("pk"))
    copies = AwardType.objects.bulk_create(
        AwardType(rule_set=copy, code=a.code, name=a.name, level=a.level, recipients=a.recipients,
                  per_bloc_quota=a.per_bloc_quota, source=a.source)
        for a in originals
    )
    AwardCondition.objects.bulk_create(
        AwardCondition(award_type=new, kind=c.kind, value=c.value, text=c.text, severity=c.severity, source=c.source)
        for original, new in zip(originals, copies, strict=True)
        for c in original.conditions.all()
    )
    audit_record(actor=actor, action="awards.rule_set_copy", obj=copy, ip=ip,
                 data={"from": rule_set.pk, "from_name": rule_set.name, "valid_from": valid_from, "valid_to": valid_to})
    return copy


# --- values, bands, quotas -------------------------------------------------------------------


@dataclass
class BandRow:
    name: str
    min_total: Decimal | None
    max_total: Decimal | None
    requires_no_zero_criterion: bool
    source: str


def parse_total(text, label) -> Decimal | None:
    text = str(text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("%(label)s: “%(value)s” không phải là một số.") % {"label": label, "value": text[:40]}) from None
    if not number.is_finite() or abs(number) > TOTAL_LIMIT or number != number.quantize(Decimal("0.01")):
        raise ValidationError(_("%(label)s: hãy nhập số từ -10000 đến 10000, tối đa hai chữ số thập phân.") % {"label": label})
    return number


def check_bands(bands: list[BandRow]) -> None:
    """Bands listed from the best down: each range below the one before, none overlapping."""
    if not bands:
        raise ValidationError(_("Phải có ít nhất một mức xếp loại."))
    messages = []
    for band in bands:
        if band.min_total is not None and band.max_total is not None and band.min_total >= band.max_total:
            messages.append(_("Mức “%(name)s”: điểm “từ” phải nhỏ hơn điểm “đến dưới”.") % {"name": band.name})
    for upper, lower in zip(bands, bands[1:], strict=False):
        if upper.min_total is None or (lower.min_total is not None and lower.min_total >= upper.min_total):
            messages.append(_("Các mức phải xếp từ cao xuống thấp: “%(lower)s” phải thấp hơn “%(upper)s”.")
                            % {"lower": lower.name, "upper": upper.name})
        elif lower.max_total is None or lower.max_total > upper.min_total:
            messages.append(_("Mức “%(lower)s” chồng lên mức “%(upper)s”: điểm “đến dưới” của mức dưới không được lớn hơn điểm "
                              "“từ” của mức trên.") % {"lower": lower.name, "upper": upper.name})
    if messages:
        raise ValidationError(messages)


def _value_changes(rule_set, rows, existing):
    changes, errors, writes = [], [], []
    for row in rows:
        key = row.get("key")
        spec = catalogue.KEYS.get(key)
        current = existing.get(key)
        if spec is None:
            errors.append(_("Giá trị “%(key)s” không có trong danh mục.") % {"key": str(key)[:60]})
            continue
        label = str(spec.label)
        if (current is not None and current.set_by == SetBy.DECREE) or (current is None and spec.setter == catalogue.DECREE):
            errors.append(_("“%(label)s” do Nghị định quy định, Ban không sửa được.") % {"label": label})
            continue
        text, source = str(row.get("value") or "").strip(), str(row.get("source") or "")
        if current is None and not text and not source.strip():
            continue  # an optional value left empty
        try:
            text = catalogue.canonical(spec, catalogue.parse(spec, text))
            source = clean_source(source)
        except ValidationError as error:
            errors.extend(f"{label}: {message}" for message in error.messages)
            continue
        if current is None:
            writes.append(RuleValue(rule_set=rule_set, key=key, value=text, set_by=SetBy.REGULATION, source=source))
            changes.append({"key": key, "old": None, "new": text, "old_source": None, "new_source": source})
        elif (current.value, current.source) != (text, source):
            changes.append({"key": key, "old": current.value, "new": text, "old_source": current.source, "new_source": source})
            current.value, current.source = text, source
            writes.append(current)
    return changes, errors, writes


def _band_rows(bands):
    rows = []
    for band in bands:
        name = clean_text(str(band.get("name") or ""), max_length=120)
        if not name:
            raise ValidationError(_("Mỗi mức xếp loại phải có tên."))
        rows.append(BandRow(
            name=name,
            min_total=parse_total(band.get("min_total"), name),
            max_total=parse_total(band.get("max_total"), name),
            requires_no_zero_criterion=bool(band.get("requires_no_zero_criterion")),
            source=clean_source(band.get("source")),
        ))
    check_bands(rows)
    return rows


def _award_changes(rule_set, quotas):
    by_code = {a.code: a for a in rule_set.award_types.all()}
    changes = []
    for code, (quota, source) in quotas.items():
        award = by_code.get(code)
        if award is None:
            raise ValidationError(_("Hình thức khen thưởng không có trong bộ quy tắc."))
        if quota is not None and not (0 <= quota <= 1000):
            raise ValidationError(_("%(name)s: số lượng mỗi khối phải từ 0 đến 1000.") % {"name": award.name})
        source = clean_source(source)
        if (award.per_bloc_quota, award.source) != (quota, source):
            changes.append({"code": code, "old": award.per_bloc_quota, "new": quota, "old_source": award.source, "new_source": source})
            award.per_bloc_quota, award.source = quota, source
            award.save(update_fields=["per_bloc_quota", "source"])
    return changes


STALE_MESSAGE = _("Bộ quy tắc vừa được sửa ở một trang khác sau khi bạn mở trang này. Những gì bạn nhập vẫn còn dưới đây; "
                  "hãy mở lại trang trong một thẻ mới để xem bản mới rồi nhập lại các thay đổi.")


@transaction.atomic
def rule_values_save(
    *, actor, rule_set: RuleSet, rows: list[dict], bands: list[dict] | None = None, quotas: dict | None = None,
    version: str | None = None, ip: str | None = None,
) -> RuleSet:
    """Save the regulation's values (``rows``: key, value, source), and optionally its rating bands
    (in order, best first: name, min_total, max_total, requires_no_zero_criterion, source) and the
    award types' per-bloc quotas (``{code: (quota or None, source)}``).

    ``version`` is the token the form was loaded with: a save from a stale page is refused.
    Nothing is saved unless everything is valid; each change is audited with old and new values.
    """
    locked = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if version is not None and version != locked.version:
        raise ValidationError(str(STALE_MESSAGE), code="stale")
    existing = {v.key: v for v in locked.values.all()}
    changes, errors, writes = _value_changes(locked, rows, existing)
    if errors:
        raise ValidationError(errors)
    band_changes = None
    if bands is not None:
        new_bands = _band_rows(bands)
        old = [BandRow(b.name, b.min_total, b.max_total, b.requires_no_zero_criterion, b.source) for b in locked.bands.order_by("order", "pk")]
        if old != new_bands:
            locked.bands.all().delete()
            RatingBand.objects.bulk_create(
                RatingBand(rule_set=locked, order=i, **band.__dict__) for i, band in enumerate(new_bands, start=1)
            )
            band_changes = {"old": [b.__dict__ for b in old], "new": [b.__dict__ for b in new_bands]}
    award_changes = _award_changes(locked, quotas) if quotas else []
    for row in writes:
        row.full_clean()
        row.save()
    if changes or band_changes or award_changes:
        locked.version = new_version()
        locked.save(update_fields=["version"])
        audit_record(actor=actor, action="awards.rule_values_save", obj=locked, ip=ip,
                     data={"values": changes, "bands": band_changes, "award_types": award_changes})
    rule_set.version = locked.version
    return locked


# --- a bloc-year's choice ------------------------------------------------------------------------


@transaction.atomic
def bloc_year_rule_set_choose(*, actor, bloc_year, rule_set: RuleSet | None, ip: str | None = None) -> BlocYearRuleSet | None:
    """The board picks ``rule_set`` for ``bloc_year`` (None: back to the one in force on its date)."""
    if rule_set is not None and rule_set.province_id not in (None, bloc_year.bloc.province_id):
        raise ValidationError(_("Chỉ chọn được bộ quy tắc của tỉnh này hoặc bộ mẫu."))
    current = BlocYearRuleSet.objects.select_for_update().filter(bloc_year=bloc_year).select_related("rule_set").first()
    old = {"id": current.rule_set_id, "name": current.rule_set.name} if current else None
    new = {"id": rule_set.pk, "name": rule_set.name} if rule_set else None
    if old == new:
        return current
    if rule_set is None:
        current.delete()
        choice = None
    elif current is None:
        choice = BlocYearRuleSet.objects.create(bloc_year=bloc_year, rule_set=rule_set, chosen_by=actor)
    else:
        current.rule_set, current.chosen_by = rule_set, actor
        current.save()
        choice = current
    audit_record(actor=actor, action="awards.bloc_year_rule_set_choose", obj=bloc_year, ip=ip, data={"old": old, "new": new})
    return choice
