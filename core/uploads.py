"""Checks an uploaded document by its content: PDF, DOCX or XLSX only, and not too large."""

import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.hashing import sha256_of_file

ALLOWED = {"pdf": "PDF", "docx": "DOCX", "xlsx": "XLSX"}
# Office Open XML files are zip archives; what is inside tells Word from Excel.
_ZIP_MARKERS = {"docx": "word/", "xlsx": "xl/"}


def _zip_kind(uploaded):
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    for kind, marker in _ZIP_MARKERS.items():
        if any(name.startswith(marker) for name in names) and "[Content_Types].xml" in names:
            return kind
    return None


def detect_kind(uploaded):
    """'pdf', 'docx', 'xlsx' or None, from the bytes (the file name is not trusted)."""
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    guess = filetype.guess(head)
    if guess is None:
        return None
    if guess.extension == "pdf":
        return "pdf"
    if guess.extension in ("zip", "docx", "xlsx"):
        return _zip_kind(uploaded)
    return None


def check_upload(uploaded):
    """Return (kind, size, sha256) or raise ValidationError with a Vietnamese message."""
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            {"file": _("Tệp quá lớn (%(size)s); dung lượng tối đa là %(limit)s.") % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}}
        )
    if uploaded.size == 0:
        raise ValidationError({"file": _("Tệp rỗng.")})
    kind = detect_kind(uploaded)
    if kind is None:
        raise ValidationError({"file": _("Chỉ nhận tệp PDF, Word (DOCX) hoặc Excel (XLSX); nội dung tệp này không phải các định dạng đó.")})
    extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
    if extension != kind:
        raise ValidationError(
            {"file": _("Tên tệp có đuôi .%(ext)s nhưng nội dung là tệp %(kind)s; hãy kiểm tra lại tệp.") % {"ext": extension or "?", "kind": ALLOWED[kind]}}
        )
    return kind, uploaded.size, sha256_of_file(uploaded)
