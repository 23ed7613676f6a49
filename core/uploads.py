"""Checks an uploaded document by its content: PDF, DOCX or XLSX only, not too large, and safe to open.

The first bytes and the extension only say what a file claims to be. A PDF must also parse as
one and carry no script or launch action; a Word or Excel file must be a real Office Open XML
package (its required parts, nothing but the part names such a package holds, no macros) that
does not unpack to more than a bounded size.
"""

import io
import logging
import re
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from core.hashing import sha256_of_file

ALLOWED = {"pdf": "PDF", "docx": "DOCX", "xlsx": "XLSX"}
# Office Open XML files are zip archives; what is inside tells Word from Excel.
_ZIP_MARKERS = {"docx": "word/", "xlsx": "xl/"}

MiB = 1024 * 1024
# Bounds on what an Office file may unpack to (declared sizes, read from the zip directory).
MAX_OFFICE_PARTS = 5000
MAX_PART_UNPACKED = 100 * MiB
MAX_TOTAL_UNPACKED = 200 * MiB
# Deflated XML rarely shrinks more than ~30x; a zip bomb shrinks by thousands.
MAX_COMPRESSION_RATIO = 100
_RATIO_APPLIES_ABOVE = 1 * MiB
_CONTENT_TYPES_LIMIT = 1 * MiB

_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_MAIN_CONTENT_TYPES = {
    "docx": ("wordprocessingml.document.main+xml", "wordprocessingml.template.main+xml"),
    "xlsx": ("spreadsheetml.sheet.main+xml", "spreadsheetml.template.main+xml"),
}
_REQUIRED_PARTS = ("[Content_Types].xml", "_rels/.rels")
_IMAGE = r"(?:png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|wdp|jxr|ico)"
_SEGMENT = r"[A-Za-z0-9_\-.%~ ]+"
# Part names a Word or Excel package holds; anything else (scripts, executables, another
# program's files) has no business in it.
_PACKAGE_PARTS = re.compile(
    rf"""
    \[Content_Types\]\.xml
    | _rels/\.rels
    | docProps/{_SEGMENT}\.xml
    | docProps/thumbnail\.{_IMAGE}
    | customXml/(?:_rels/)?{_SEGMENT}\.(?:xml|rels)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_INNER_PARTS = r"""
    (?:{segment}/)*{segment}\.(?:xml|rels|vml|odttf|{image})
    | (?:{segment}/)*embeddings/{segment}\.(?:docx|xlsx|pptx|{image})
    | printerSettings/printerSettings\d+\.bin
"""
_KIND_PARTS = {
    kind: re.compile(
        rf"{re.escape(folder)}(?:{_INNER_PARTS.format(segment=_SEGMENT, image=_IMAGE)})", re.IGNORECASE | re.VERBOSE
    )
    for kind, folder in _ZIP_MARKERS.items()
}
# Macros and ActiveX controls: legitimate only in .docm/.xlsm, which are not accepted.
_ACTIVE_PARTS = re.compile(r"(?:^|/)(?:vbaProject\.bin|vbaData\.xml|activeX/)", re.IGNORECASE)

# PDF names that run code or another program when the file is opened or used.
_PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA"}
_PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch"}
_PDF_STREAM_BODY = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_ACTIVE_RAW = {b"JS", b"JavaScript", b"AA", b"Launch"}


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


def _refuse(message):
    raise ValidationError({"file": message})


def _shown(name):
    """A part name as shown in a message: short, and printable."""
    printable = "".join(char if char.isprintable() else "?" for char in name)
    return printable if len(printable) <= 80 else printable[:77] + "..."


# --- Office Open XML -------------------------------------------------------------------------


def _check_office_sizes(infos, label):
    if len(infos) > MAX_OFFICE_PARTS:
        _refuse(
            _("Tệp %(kind)s có quá nhiều thành phần (%(count)d; tối đa %(limit)d).")
            % {"kind": label, "count": len(infos), "limit": MAX_OFFICE_PARTS}
        )
    total = sum(info.file_size for info in infos)
    largest = max((info.file_size for info in infos), default=0)
    if largest > MAX_PART_UNPACKED or total > MAX_TOTAL_UNPACKED:
        _refuse(
            _("Tệp %(kind)s khi giải nén quá lớn (%(size)s); tối đa %(limit)s.")
            % {"kind": label, "size": filesizeformat(total), "limit": filesizeformat(MAX_TOTAL_UNPACKED)}
        )
    for info in infos:
        if info.file_size > _RATIO_APPLIES_ABOVE and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            _refuse(
                _("Tệp %(kind)s bị nén bất thường (thành phần %(name)s nở ra hơn %(ratio)d lần khi giải nén), "
                  "dấu hiệu của tệp độc hại; không nhận tệp này.")
                % {"kind": label, "name": _shown(info.filename), "ratio": MAX_COMPRESSION_RATIO}
            )


def _check_office_parts(infos, kind, label):
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        _refuse(_("Tệp %(kind)s có hai thành phần trùng tên; tệp bị hỏng hoặc đã bị sửa.") % {"kind": label})
    for info in infos:
        name = info.filename
        if info.flag_bits & 0x1:
            _refuse(_("Tệp %(kind)s có thành phần bị mã hoá (%(name)s); hãy gỡ mật khẩu rồi tải lên.") % {"kind": label, "name": _shown(name)})
        if _ACTIVE_PARTS.search(name):
            _refuse(
                _("Tệp %(kind)s chứa macro hoặc điều khiển ActiveX (%(name)s); chỉ nhận tệp không có macro.")
                % {"kind": label, "name": _shown(name)}
            )
        if name.endswith("/") and info.file_size == 0:
            continue  # a folder entry some zip tools add
        traverses = any(segment in ("", ".", "..") for segment in name.split("/"))
        if traverses or not (_PACKAGE_PARTS.fullmatch(name) or _KIND_PARTS[kind].fullmatch(name)):
            _refuse(
                _("Tệp %(kind)s chứa thành phần lạ không thuộc định dạng Office (%(name)s); không nhận tệp này.")
                % {"kind": label, "name": _shown(name)}
            )
    for required in (*_REQUIRED_PARTS, _MAIN_PART[kind]):
        if required not in names:
            _refuse(
                _("Tệp %(kind)s thiếu thành phần bắt buộc (%(name)s); tệp bị hỏng hoặc không phải tệp Office thật.")
                % {"kind": label, "name": required}
            )


def _check_office_content_types(archive, kind, label):
    with archive.open("[Content_Types].xml") as handle:
        declared = handle.read(_CONTENT_TYPES_LIMIT).decode("utf-8", "replace").lower()
    if "macroenabled" in declared:
        _refuse(
            _("Tệp %(kind)s chứa macro hoặc điều khiển ActiveX (%(name)s); chỉ nhận tệp không có macro.")
            % {"kind": label, "name": "[Content_Types].xml"}
        )
    if not any(main in declared for main in _MAIN_CONTENT_TYPES[kind]):
        _refuse(
            _("Tệp %(kind)s thiếu thành phần bắt buộc (%(name)s); tệp bị hỏng hoặc không phải tệp Office thật.")
            % {"kind": label, "name": _MAIN_PART[kind]}
        )


def check_office(uploaded, kind):
    """Refuse a .docx/.xlsx that is not a plain Office Open XML package of bounded size."""
    label = ALLOWED[kind]
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            infos = archive.infolist()
            _check_office_sizes(infos, label)
            _check_office_parts(infos, kind, label)
            _check_office_content_types(archive, kind, label)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        _refuse(_("Tệp %(kind)s bị hỏng, không đọc được.") % {"kind": label})
    finally:
        uploaded.seek(0)


# --- PDF -------------------------------------------------------------------------------------


def _direct_parts(obj):
    """Every value inside one PDF object, without following references (each object is visited once)."""
    stack = [obj]
    while stack:
        current = stack.pop()
        if isinstance(current, DictionaryObject):
            for key, value in dict.items(current):
                yield key, value
                stack.append(value)
        elif isinstance(current, ArrayObject):
            for value in list.__iter__(current):
                yield None, value
                stack.append(value)


def _pdf_objects(reader):
    yield reader.trailer
    for generation, table in reader.xref.items():
        for number in table:
            yield reader.get_object(IndirectObject(number, generation, reader))
    for number in reader.xref_objStm:
        yield reader.get_object(IndirectObject(number, 0, reader))


def _active_in_objects(reader):
    """The script or launch names found in the parsed objects (object streams included)."""
    for obj in _pdf_objects(reader):
        for key, value in _direct_parts(obj):
            if key in _PDF_ACTIVE_KEYS:
                return str(key)
            if isinstance(value, NameObject) and value in _PDF_ACTIVE_ACTIONS:
                return str(value)
    return None


def _active_in_bytes(data):
    """The same names in the file's text outside stream bodies: catches objects no cross-reference
    table lists, which a viewer repairing the file could still find."""
    for match in _PDF_NAME.finditer(_PDF_STREAM_BODY.sub(b"", data)):
        name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        if name in _PDF_ACTIVE_RAW:
            return "/" + name.decode("ascii")
    return None


def _opens_without_password(reader):
    """An encrypted PDF whose user password is empty (only printing or copying restricted) can be read."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an unsupported cipher: it cannot be read here either
        return False


def check_pdf(uploaded):
    """Refuse a file that does not parse as a PDF, is locked with a password, or carries JavaScript
    or launch actions (/JS, /JavaScript, /AA, /Launch, an /OpenAction running a script)."""
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    unreadable = _("Tệp PDF bị hỏng hoặc không phải tệp PDF thật; hãy xuất lại tệp PDF từ phần mềm soạn thảo rồi tải lên.")
    pypdf_log = logging.getLogger("pypdf")
    previous_level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)  # a damaged upload is the user's mistake, not a server warning
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _opens_without_password(reader):
            _refuse(_("Tệp PDF được đặt mật khẩu nên không kiểm tra được; hãy gỡ mật khẩu rồi tải lên."))
        if len(reader.pages) < 1:
            _refuse(unreadable)
        found = _active_in_objects(reader)
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds of error on hostile input: each means "not a PDF we can check"
        _refuse(unreadable)
    finally:
        pypdf_log.setLevel(previous_level)
    found = found or _active_in_bytes(data)
    if found:
        _refuse(
            _("Tệp PDF chứa mã JavaScript hoặc lệnh tự chạy (%(name)s) nên không được nhận; "
              "hãy in lại thành PDF thường (Print to PDF) rồi tải lên.")
            % {"name": found}
        )


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
    if kind == "pdf":
        check_pdf(uploaded)
    else:
        check_office(uploaded, kind)
    return kind, uploaded.size, sha256_of_file(uploaded)
