"""Points as people type, check and read them — one place for the sheet, the check and the pages.

``parse_decimal`` reads "7,5", "7.5" or " 10 "; ``check_points`` holds claimed points to 0..max
and the rule set's step (``step_of``); ``shown`` is the value a form field shows back ("7,5"),
``fmt`` the number a page prints in the language's format ("9,5"; "—" for none).
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

DEFAULT_STEP = Decimal("0.25")
POINTS_MAX = Decimal("1000")
POINTS_LIMIT = Decimal("9999.99")  # the column holds 6 digits, 2 after the point


def parse_decimal(text, *, maximum=Decimal("999999999999")) -> Decimal | None:
    """A number as people type it ("7,5", "7.5", " 10 "); None when blank. ValidationError otherwise
    (code "too_big" beyond ``maximum``, "invalid" for anything that is not a number)."""
    text = str(text or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if len(text) > 20:
        raise ValidationError(_("Số quá dài."), code="invalid")
    text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(text)s” không phải là một số; ví dụ 7,5.") % {"text": text[:20]}, code="invalid") from None
    if not value.is_finite():
        raise ValidationError(_("“%(text)s” không phải là một số; ví dụ 7,5.") % {"text": text[:20]}, code="invalid")
    if abs(value) > maximum:
        raise ValidationError(_("Số quá lớn."), code="too_big")
    return value


def shown(value) -> str:
    """A decimal as the page shows it: "7,5"; "" for None."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f").replace(".", ",")


def step_of(rules) -> Decimal:
    """The rule set's score step (0.25 when it names none)."""
    step = rules.score_step
    return step if isinstance(step, Decimal) and step > 0 else DEFAULT_STEP


def check_points(value: Decimal | None, *, maximum: Decimal | None, step: Decimal, what: str) -> None:
    if value is None:
        return
    if value < 0:
        raise ValidationError(_("%(what)s không được âm.") % {"what": what})
    limit = maximum if maximum is not None else POINTS_MAX
    if value > limit:
        raise ValidationError(_("%(what)s tối đa là %(max)s điểm.") % {"what": what, "max": shown(limit)})
    if value % step != 0:
        raise ValidationError(_("%(what)s phải là bội số của %(step)s (bước điểm của quy chế).") % {"what": what, "step": shown(step)})
    if value.as_tuple().exponent < -2:
        raise ValidationError(_("%(what)s chỉ lấy tối đa hai chữ số thập phân.") % {"what": what})


# --- totals ----------------------------------------------------------------------------------


def fmt(points) -> str:
    """Points as the page prints them: the language's decimal mark, no trailing zeros (9,5; 30)."""
    if points is None:
        return "—"
    return number_format(Decimal(format(Decimal(points).normalize(), "f")))
