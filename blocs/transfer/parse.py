"""Reading an uploaded .xlsx or .csv into rows of text."""

import csv
import datetime
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from blocs.transfer.columns import COLUMN_BY_KEY, COLUMNS, MAX_BYTES, MAX_ROWS, header_map, norm
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


def _check_unpacked_size(content):
    """Refuse an .xlsx whose parts add up to more than the limit once unpacked (zipfile stops at the declared sizes)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: openpyxl says so in its own words
    if unpacked > MAX_UNZIPPED_BYTES:
        raise ValidationError(_("Tệp Excel quá lớn khi giải nén; hãy chia thành nhiều tệp."))


def _read_xlsx(content):
    from openpyxl import load_workbook

    _check_unpacked_size(content)
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for index, row in enumerate(sheet.iter_rows(values_only=True)):
            if index > MAX_ROWS + 1:
                break
            yield [_cell_text(v) for v in row[:40]]
    finally:
        workbook.close()


def _read_csv(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("Tệp CSV phải dùng bảng mã UTF-8 (trong Excel: Lưu thành › CSV UTF-8)."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        yield [_cell_text(v) for v in row[:40]]


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


def _read_table(parsed, table):
    known = header_map()
    positions = {}
    unknown = []
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
    for number, row in data_rows:
        parsed.rows.append([number, {key: (row[i] if i < len(row) else "") for key, i in positions.items()}])
    if not data_rows and not parsed.errors:
        parsed.errors.append(_("Tệp không có dòng dữ liệu nào."))
