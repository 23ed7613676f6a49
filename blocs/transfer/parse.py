"""Reading an uploaded .xlsx or .csv into rows of text."""

import csv
import datetime
import io
import posixpath
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from blocs.transfer.columns import (
    COLUMN_BY_KEY,
    COLUMNS,
    MAX_BYTES,
    MAX_CELLS_PER_ROW,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SHEET_ROWS,
    MAX_SHEET_XML_BYTES,
    header_map,
    norm,
)
from core.cleaning import clean_search, clean_text
from core.hashing import sha256_of_bytes


@dataclass
class ParsedFile:
    """The file as text: ``rows`` are ``[line number, {column key: text}]``, JSON-serialisable."""

    sha256: str
    filename: str
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def as_dict(self):
        return {"sha256": self.sha256, "filename": self.filename, "headers": self.headers, "rows": self.rows, "errors": self.errors}

    @classmethod
    def from_dict(cls, data):
        return cls(**data)


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value)).strip()


# An .xlsx is a zip: a few MB can unpack to gigabytes, which openpyxl would hold in memory.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"\$?([A-Za-z]+)\$?(\d+)$")


def _too_many_rows():
    return ValidationError(_("Tệp có hơn %(n)s dòng; hãy chia thành nhiều tệp.") % {"n": MAX_ROWS})


def _too_many_sheet_rows():
    return ValidationError(
        _("Trang tính có hơn %(n)s dòng (kể cả dòng trống đã định dạng); hãy xóa các dòng thừa ở cuối hoặc chia thành nhiều tệp.")
        % {"n": MAX_SHEET_ROWS}
    )


def _too_many_columns(row=None):
    message = _("Tệp có hơn %(n)s cột; mẫu nhập chỉ có %(template)s cột. Hãy xóa các cột thừa.") % {"n": MAX_COLUMNS, "template": len(COLUMNS)}
    if row is not None:
        message = _("Dòng %(row)s: %(message)s") % {"row": row, "message": message}
    return ValidationError(message)


def _too_many_cells(row):
    return ValidationError(
        _("Dòng %(row)s có hơn %(n)s ô; hãy xóa các ô thừa ở cuối dòng.") % {"row": row, "n": MAX_CELLS_PER_ROW}
    )


def _column_index(letters):
    if len(letters) > 3:  # past XFD, the last column Excel has
        return MAX_COLUMNS + 1 + len(letters)
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - ord("A") + 1
    return index


def _check_unpacked_size(archive):
    """Refuse an .xlsx whose parts, once unpacked, add up to more than the limit, or one of which is
    larger than a sheet of the largest import (zipfile stops reading at the declared sizes)."""
    parts = archive.infolist()
    if sum(item.file_size for item in parts) > MAX_UNZIPPED_BYTES or any(item.file_size > MAX_SHEET_XML_BYTES for item in parts):
        raise ValidationError(_("Tệp Excel quá lớn khi giải nén; hãy chia thành nhiều tệp."))


class _NoDoctype(ElementTree.TreeBuilder):
    """A tree builder that refuses a DOCTYPE: no part of an .xlsx has one, and entities live there."""

    def doctype(self, name, pubid, system):
        raise ElementTree.ParseError("DOCTYPE")


def _small_xml(data):
    parser = ElementTree.XMLParser(target=_NoDoctype())  # noqa: S314 (no DOCTYPE, so no entities; the part's size is capped)
    parser.feed(data)
    return parser.close()


def _first_sheet_path(archive):
    """The zip path of the first worksheet, as openpyxl reads it; None when the workbook does not say."""
    try:
        workbook = _small_xml(archive.read("xl/workbook.xml"))
        sheet = workbook.find(f"{_MAIN_NS}sheets/{_MAIN_NS}sheet")
        rel_id = sheet.get(f"{_DOC_REL_NS}id") if sheet is not None else None
        rels = _small_xml(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError):
        return None
    for rel in rels.iter(f"{_PKG_REL_NS}Relationship"):
        if rel.get("Id") == rel_id and rel.get("Target"):
            target = rel.get("Target")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            return path if path in archive.namelist() else None
    return None


def _check_dimension(ref):
    """The sheet's declared used range (``A1:Q300``) within the limits; openpyxl pads every row to it."""
    match = _CELL_REF.match((ref or "").split(":")[-1])
    if match is None:
        return
    if _column_index(match[1]) > MAX_COLUMNS:
        raise _too_many_columns()
    if int(match[2]) > MAX_SHEET_ROWS:
        raise _too_many_sheet_rows()


class _SheetScan:
    """Parser target that counts the sheet's rows and cells as they unpack, raising at the first
    limit exceeded (the declared dimension, the rows, the cells of a row and their columns).
    openpyxl parses a whole row before it yields it, so a row of a million cells is stopped here."""

    def __init__(self):
        self.rows = self.data_rows = self.cells = 0
        self.has_value = False

    def doctype(self, name, pubid, system):
        raise ElementTree.ParseError("DOCTYPE")

    def start(self, tag, attrib):
        tag = tag.rpartition("}")[2]
        if tag == "c":
            self.cells += 1
            if self.cells > MAX_CELLS_PER_ROW:
                raise _too_many_cells(self.rows)
            match = _CELL_REF.match(attrib.get("r") or "")
            if match and _column_index(match[1]) > MAX_COLUMNS:
                raise _too_many_columns(self.rows)
        elif tag in ("v", "is", "f"):
            self.has_value = True
        elif tag == "row":
            self.rows, self.cells, self.has_value = self.rows + 1, 0, False
            number = attrib.get("r") or ""
            if number.isdigit() and int(number) > self.rows:
                self.rows = int(number)
            if self.rows > MAX_SHEET_ROWS:
                raise _too_many_sheet_rows()
        elif tag == "dimension":
            _check_dimension(attrib.get("ref"))

    def end(self, tag):
        if tag.endswith("}row") or tag == "row":
            self.data_rows += self.has_value
            if self.data_rows > MAX_ROWS + 1:  # the header, then the data
                raise _too_many_rows()

    def close(self):
        return self


def _scan_sheet(source):
    """Feed the sheet's XML to ``_SheetScan`` a chunk at a time: nothing past the first limit is unpacked."""
    parser = ElementTree.XMLParser(target=_SheetScan())  # noqa: S314 (no DOCTYPE, so no entities; the part's size is capped)
    while chunk := source.read(64 * 1024):
        parser.feed(chunk)
    parser.close()


def _check_xlsx(content):
    """Every check that needs no openpyxl: part sizes, then the first sheet's dimension, rows and cells."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: openpyxl says so in its own words
    with archive:
        _check_unpacked_size(archive)
        path = _first_sheet_path(archive)
        if path is None:
            return
        try:
            with archive.open(path) as source:
                _scan_sheet(source)
        except (ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError):
            return  # damaged: openpyxl says so in its own words


def _within_limits(rows):
    """``rows`` as they are read, stopping at the first row past a limit."""
    data_rows = 0
    for number, row in enumerate(rows, start=1):
        if number > MAX_SHEET_ROWS:
            raise _too_many_sheet_rows()
        if len(row) > MAX_COLUMNS and any(v not in (None, "") for v in row[MAX_COLUMNS:]):
            raise _too_many_columns(number)
        row = row[:MAX_COLUMNS]
        if any(v not in (None, "") for v in row):
            data_rows += 1
            if data_rows > MAX_ROWS + 1:  # the header, then the data
                raise _too_many_rows()
        yield [_cell_text(v) for v in row]


def _read_xlsx(content):
    from openpyxl import load_workbook

    _check_xlsx(content)
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        yield from _within_limits(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def _read_csv(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("Tệp CSV phải dùng bảng mã UTF-8 (trong Excel: Lưu thành › CSV UTF-8)."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        yield from _within_limits(reader)
    except csv.Error:
        raise ValidationError(
            _("Không đọc được tệp CSV ở dòng %(row)s: một ô quá dài hoặc thiếu dấu ngoặc kép đóng.") % {"row": reader.line_num}
        )


def import_parse(*, filename, content):
    """Read an uploaded .xlsx or .csv into a ``ParsedFile``; problems of the file as a whole go to ``errors``."""
    parsed = ParsedFile(sha256=sha256_of_bytes(content), filename=filename)
    lower = filename.lower()
    if len(content) > MAX_BYTES:
        parsed.errors.append(_("Tệp lớn hơn %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
        return parsed
    try:
        if lower.endswith(".xlsx"):
            table = list(_read_xlsx(content))
        elif lower.endswith(".csv"):
            table = list(_read_csv(content))
        else:
            raise ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
    except ValidationError as error:
        parsed.errors.extend(error.messages)
        return parsed
    except Exception:  # openpyxl raises many kinds of errors for a damaged or fake .xlsx
        parsed.errors.append(_("Không đọc được tệp Excel: tệp bị hỏng hoặc không phải định dạng .xlsx."))
        return parsed
    if not table or not any(table[0]):
        parsed.errors.append(_("Tệp trống: dòng đầu tiên phải là tên các cột."))
        return parsed
    _read_table(parsed, table)
    return parsed


# Cells refused by the cleaning rule, listed one by one up to this many.
MAX_CELL_ERRORS = 20


class _CellCleaner:
    """Runs each cell's text through the project's input-cleaning rule, so a NUL or another
    control character is refused (naming its row and column) and never reaches the database."""

    def __init__(self, parsed):
        self.parsed = parsed
        self.refused = 0

    def __call__(self, text, *, row, column, header=""):
        if not text:
            return text
        try:
            return clean_text(text)
        except ValidationError as error:
            self.refused += 1
            if self.refused <= MAX_CELL_ERRORS:
                where = get_column_letter(column + 1) + (f" “{clean_search(header, max_length=60)}”" if header else "")
                self.parsed.errors.append(
                    _("Dòng %(row)s, cột %(column)s: %(message)s") % {"row": row, "column": where, "message": " ".join(error.messages)}
                )
            return ""

    def finish(self):
        if self.refused > MAX_CELL_ERRORS:
            self.parsed.errors.append(_("… và %(n)s ô khác bị từ chối vì cùng lý do.") % {"n": self.refused - MAX_CELL_ERRORS})


def _read_table(parsed, table):
    known = header_map()
    positions = {}
    unknown = []
    clean = _CellCleaner(parsed)
    table[0] = [clean(header, row=1, column=i) for i, header in enumerate(table[0])]
    for index, header in enumerate(table[0]):
        if not header:
            continue
        key = known.get(norm(header), "?")
        if key == "?":
            unknown.append(header)
        elif key is not None:
            if key in positions:
                parsed.errors.append(_("Cột “%(header)s” xuất hiện hai lần.") % {"header": header})
            positions[key] = index
    parsed.headers = [c.key for c in COLUMNS if c.key in positions]
    if unknown:
        parsed.errors.append(
            _("Không nhận ra cột: %(unknown)s. Các cột được dùng: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(c.header for c in COLUMNS)}
        )
    if "name" not in positions:
        parsed.errors.append(_("Thiếu cột “Tên đơn vị”."))
    if ("year" in positions) != ("bloc" in positions):
        missing = COLUMN_BY_KEY["bloc" if "year" in positions else "year"].header
        parsed.errors.append(_("Thiếu cột “%(header)s”: cột Năm và cột Khối thi đua phải đi cùng nhau.") % {"header": missing})
    data_rows = [(number, row) for number, row in enumerate(table[1:], start=2) if any(row)]
    if len(data_rows) > MAX_ROWS:
        parsed.errors.append(_("Tệp có hơn %(n)s dòng; hãy chia thành nhiều tệp.") % {"n": MAX_ROWS})
        return
    headers = table[0]
    for number, row in data_rows:
        parsed.rows.append(
            [number, {key: clean(row[i], row=number, column=i, header=headers[i]) if i < len(row) else "" for key, i in positions.items()}]
        )
    clean.finish()
    if not data_rows and not parsed.errors:
        parsed.errors.append(_("Tệp không có dòng dữ liệu nào."))
