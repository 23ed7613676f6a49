"""The one input-cleaning rule for text people type: form fields and query parameters.

Typed text is:

- refused when it holds control characters: NUL (PostgreSQL cannot store it: a 500), the other
  C0/C1 codes (printed invisibly in a signed PDF), lone surrogates, and the bidirectional
  overrides and isolates (they reorder what a reader sees, as in "Trojan Source"); tab,
  newline and carriage return are allowed in multi-line text only (one-line text loses them
  at either end, as pasted from a spreadsheet cell, and is refused for them inside);
- normalised to NFC, so a name typed on a Mac and on Windows is the same string;
- stripped of white space and invisible format characters (zero-width space, BOM: Unicode
  category Cf) at both ends, so a value made only of those counts as blank;
- capped in length: the field's own ``max_length`` (the model's), else ``TEXT_MAX_LENGTH``
  from the settings (long text: comments, minutes, articles).

Query parameters (search boxes, filters) are never refused: they are cleaned instead (control
and format characters dropped, length cut), so a hostile URL still gets a page, never a 500.
"""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

DEFAULT_TEXT_MAX_LENGTH = 20_000

LINE_BREAKS = frozenset("\t\n\r")
# Line and paragraph separators: line breaks that a one-line field cannot show either.
_UNICODE_LINE_BREAKS = frozenset("\u2028\u2029")
# Embeddings, overrides and isolates: they make text read in another order than it is stored.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

CONTROL_MESSAGE = _(
    "Nội dung có ký tự điều khiển không in được (mã %(code)s), thường do dán từ tệp hoặc trang khác. "
    "Hãy xóa ký tự đó rồi gửi lại."
)
ONE_LINE_MESSAGE = _("Ô này chỉ nhận một dòng: hãy bỏ dấu xuống dòng hoặc dấu tab (mã %(code)s).")
LENGTH_MESSAGE = _(
    "Nội dung dài %(length)s ký tự, vượt quá mức tối đa %(limit)s ký tự của ô này. "
    "Hãy rút gọn, hoặc đưa phần chi tiết vào tệp đính kèm hay văn bản riêng."
)


def text_max_length() -> int:
    """The cap on long text (fields with no ``max_length`` of their own)."""
    return int(getattr(settings, "TEXT_MAX_LENGTH", DEFAULT_TEXT_MAX_LENGTH))


def forbidden_character(value: str, *, multiline: bool) -> str | None:
    """The first character the rule refuses in ``value``, or None."""
    for char in value:
        if char in LINE_BREAKS or char in _UNICODE_LINE_BREAKS:
            if not multiline:
                return char
            continue
        if char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs"):
            return char
    return None


def _is_edge_junk(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf"


def strip_invisible(value: str) -> str:
    """``value`` without white space and format characters at either end ("" when that is all it holds)."""
    start, end = 0, len(value)
    while start < end and _is_edge_junk(value[start]):
        start += 1
    while end > start and _is_edge_junk(value[end - 1]):
        end -= 1
    return value[start:end]


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


def clean_text(value: str, *, multiline: bool = False, max_length: int | None = None, strip: bool = True) -> str:
    """``value`` under the rule; raises ValidationError (in Vietnamese) when the rule refuses it.

    A value of only white space and format characters comes back as "" (blank), so the field's
    own "required" check answers for it.
    """
    if strip:
        value = value.strip(" \t\r\n")  # a tab or line break pasted at either end is not worth a refusal
    char = forbidden_character(value, multiline=multiline)
    if char is not None:
        if not multiline and (char in LINE_BREAKS or char in _UNICODE_LINE_BREAKS):
            raise ValidationError(ONE_LINE_MESSAGE, code="one_line", params={"code": _code(char)})
        raise ValidationError(CONTROL_MESSAGE, code="control_character", params={"code": _code(char)})
    value = unicodedata.normalize("NFC", value)
    if strip:
        value = strip_invisible(value)
    elif not strip_invisible(value):
        value = ""
    check_length(value, max_length=max_length)
    return value


def check_length(value: str, *, max_length: int | None) -> None:
    limit = text_max_length() if max_length is None else max_length
    if len(value) > limit:
        raise ValidationError(
            LENGTH_MESSAGE,
            code="max_length",
            params={"length": number_format(len(value), force_grouping=True), "limit": number_format(limit, force_grouping=True)},
        )


def clean_search(value: str, *, max_length: int) -> str:
    """A query parameter made safe: control characters become spaces, format characters go, NFC,
    runs of white space become one space, cut to ``max_length``. Never raises."""
    kept = []
    for char in value[: max_length * 4]:  # a bound before the work; NFC never shrinks text by 4x
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Zl", "Zp"):
            kept.append(" ")
        elif category != "Cf":
            kept.append(char)
    text = unicodedata.normalize("NFC", "".join(kept))
    return " ".join(text.split())[:max_length].strip()


SEARCH_MAX_LENGTH = 100


def clean_query(request, name: str, *, max_length: int = SEARCH_MAX_LENGTH) -> str:
    """The GET parameter ``name`` cleaned by :func:`clean_search` ("" when absent)."""
    return clean_search(request.GET.get(name, ""), max_length=max_length)


def clean_query_int(request, name: str, *, minimum: int, maximum: int) -> int | None:
    """The GET parameter ``name`` as a whole number within [minimum, maximum], else None.

    Anything else (text, a NUL, a 20-digit number, a year no bloc-year can have) is treated as
    absent, so the page shows its unfiltered list instead of an error.
    """
    try:
        number = int(clean_query(request, name, max_length=20))
    except ValueError:
        return None
    return number if minimum <= number <= maximum else None
