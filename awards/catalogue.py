"""The keys a rule set may hold: what each means, its kind, its bounds and who sets it.

Only the *keys* live in code; every number is a ``RuleValue`` row with its source (seeded from
``RULES.md`` by migration 0002). ``parse`` turns a stored or typed text into the typed value
and raises ``ValidationError`` (Vietnamese) when it is not one.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DECIMAL, PERCENT, INT, FRACTION, DAY_OF_YEAR, TEXT, CHOICE = "decimal", "percent", "int", "fraction", "day_of_year", "text", "choice"
DECREE, REGULATION = "decree", "regulation"

VALUE_MAX_LENGTH = 200


@dataclass(frozen=True)
class Key:
    key: str
    label: str
    kind: str
    setter: str = REGULATION
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    choices: tuple = ()
    help: str = ""

    def choice_label(self, value):
        return dict(self.choices).get(value, value)


_D = Decimal

KEYS: dict[str, Key] = {
    k.key: k
    for k in [
        Key("scale_total", _("Tổng điểm các tiêu chí (thang điểm)"), DECIMAL, minimum=_D(1), maximum=_D(1000)),
        Key("score_step", _("Bước điểm (điểm lẻ nhỏ nhất)"), DECIMAL, minimum=_D("0.01"), maximum=_D(10),
            help=_("Ví dụ 0,25: điểm chấm là bội số của 0,25.")),
        Key("bonus_cap", _("Điểm thưởng tối đa"), DECIMAL, minimum=_D(0), maximum=_D(100)),
        Key("penalty_cap", _("Điểm trừ tối đa"), DECIMAL, minimum=_D(0), maximum=_D(100)),
        Key("tie_break", _("Khi bằng điểm"), CHOICE, choices=(
            ("ranking_body", _("Cơ quan xếp hạng (khối) quyết định")),
            ("head_and_deputy", _("Trưởng khối và Phó khối quyết định")),
        )),
        Key("band_cap_discipline", _("Giới hạn xếp loại khi bị kỷ luật"), TEXT),
        Key("self_score_deadline", _("Hạn tự chấm điểm (mặc định)"), DAY_OF_YEAR, help=_("Ngày/tháng, ví dụ 30/11.")),
        Key("objection_window_days", _("Số ngày nhận ý kiến về kết quả dự kiến"), INT, minimum=_D(1), maximum=_D(60)),
        Key("dossier_deadline", _("Hạn nộp hồ sơ của khối về Ban Thi đua – Khen thưởng"), DAY_OF_YEAR,
            help=_("Ngày/tháng, ví dụ 10/12.")),
        Key("ballot_quorum", _("Số thành viên có mặt tối thiểu để bỏ phiếu"), FRACTION, help=_("Phân số, ví dụ 2/3.")),
        Key("ballot_threshold", _("Tỷ lệ đồng ý để được đề nghị"), FRACTION, help=_("Phân số, ví dụ 1/2.")),
        Key("ballot_threshold_rule", _("Cách so với tỷ lệ đồng ý"), CHOICE, choices=(
            ("more_than", _("Trên (lớn hơn) tỷ lệ")),
            ("at_least", _("Từ (bằng hoặc lớn hơn) tỷ lệ")),
        )),
        Key("ballot_threshold_base", _("Tỷ lệ đồng ý tính trên"), CHOICE, choices=(
            ("all_members", _("Tổng số thành viên của khối")),
            ("present", _("Số thành viên có mặt")),
            ("valid_ballots", _("Số phiếu hợp lệ")),
        )),
        Key("ballot_secret", _("Hình thức bỏ phiếu"), CHOICE, choices=(
            ("secret", _("Bỏ phiếu kín")),
            ("open", _("Biểu quyết công khai")),
        )),
        Key("ballot_max_rounds", _("Số vòng bỏ phiếu tối đa"), INT, minimum=_D(1), maximum=_D(10)),
        Key("council_award_threshold", _("Tỷ lệ đồng ý của Hội đồng Thi đua – Khen thưởng (Cờ thi đua)"), PERCENT,
            setter=DECREE, minimum=_D(0), maximum=_D(100)),
        Key("cp_flag_proposal_cap", _("Tỷ lệ tối đa đề nghị Cờ thi đua của Chính phủ"), PERCENT, minimum=_D(0), maximum=_D(100),
            help=_("Phần trăm số tập thể đủ tiêu chuẩn Cờ thi đua của UBND tỉnh.")),
        Key("award_bars", _("Không khen thưởng khi"), TEXT, setter=DECREE),
    ]
}


def key(name: str) -> Key:
    return KEYS[name]


_DAY_MONTH = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*$")
_FRACTION = re.compile(r"^\s*(\d{1,3})\s*/\s*(\d{1,3})\s*$")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _decimal(text):
    try:
        number = Decimal(text.strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” không phải là một số."), code="not_number", params={"value": text[:40]}) from None
    if not number.is_finite() or abs(number.as_tuple().exponent) > 6 or number.adjusted() > 6:
        raise ValidationError(_("Số “%(value)s” quá lớn hoặc có quá nhiều chữ số."), code="huge", params={"value": text[:40]})
    return number


def _bounded(spec, number):
    if spec.minimum is not None and number < spec.minimum:
        raise ValidationError(_("Giá trị phải từ %(min)s trở lên."), code="min", params={"min": spec.minimum})
    if spec.maximum is not None and number > spec.maximum:
        raise ValidationError(_("Giá trị không được lớn hơn %(max)s."), code="max", params={"max": spec.maximum})
    return number


def parse(spec: Key, text: str):
    """The typed value of ``text`` for ``spec`` (Decimal, int, Fraction, (day, month), str)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Hãy nhập giá trị."), code="required")
    if len(text) > VALUE_MAX_LENGTH:
        raise ValidationError(_("Giá trị dài quá %(n)s ký tự."), code="max_length", params={"n": VALUE_MAX_LENGTH})
    if spec.kind in (DECIMAL, PERCENT):
        return _bounded(spec, _decimal(text))
    if spec.kind == INT:
        number = _decimal(text)
        if number != number.to_integral_value():
            raise ValidationError(_("Hãy nhập một số nguyên."), code="not_int")
        return int(_bounded(spec, number))
    if spec.kind == FRACTION:
        match = _FRACTION.match(text)
        if not match or int(match[2]) == 0 or int(match[1]) > int(match[2]):
            raise ValidationError(_("Hãy nhập một phân số từ 0 đến 1, ví dụ 2/3."), code="not_fraction")
        return Fraction(int(match[1]), int(match[2]))
    if spec.kind == DAY_OF_YEAR:
        match = _DAY_MONTH.match(text)
        if not match or not (1 <= int(match[2]) <= 12) or not (1 <= int(match[1]) <= _DAYS_IN_MONTH[int(match[2]) - 1]):
            raise ValidationError(_("Hãy nhập ngày/tháng có thật, ví dụ 10/12."), code="not_day")
        return (int(match[1]), int(match[2]))
    if spec.kind == CHOICE:
        if text not in dict(spec.choices):
            raise ValidationError(_("Hãy chọn một giá trị trong danh sách."), code="not_choice")
        return text
    return text


def canonical(spec: Key, value) -> str:
    """The stored text of a typed value (the inverse of ``parse``)."""
    if spec.kind == FRACTION:
        return f"{value.numerator}/{value.denominator}"
    if spec.kind == DAY_OF_YEAR:
        return f"{value[0]:02d}/{value[1]:02d}"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def display(spec: Key, text: str) -> str:
    """How a stored value reads on a page."""
    if spec.kind == CHOICE:
        return str(spec.choice_label(text))
    if spec.kind in (DECIMAL, PERCENT):
        shown = text.replace(".", ",")
        return f"{shown} %" if spec.kind == PERCENT else shown
    return text
