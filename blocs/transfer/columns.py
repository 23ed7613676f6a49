"""The file format: columns, their Vietnamese headers, and how names are matched."""

import unicodedata
from dataclasses import dataclass

from django.utils import translation

from blocs.models import AgencyKind

# Limits on an uploaded file, checked while it is read so a hostile file is refused before the work.
MAX_ROWS = 5000  # data rows: a province has a few hundred agencies, times a few years
MAX_BYTES = 5 * 1024 * 1024
MAX_COLUMNS = 50  # the template has 13 columns (17 with the export's own): room for notes columns
MAX_CELLS_PER_ROW = MAX_COLUMNS  # cell elements in one row of the sheet, whatever their addresses
MAX_SHEET_ROWS = 2 * MAX_ROWS  # rows of the sheet, blank ones included (formatted but empty)
MAX_SHEET_XML_BYTES = 20 * 1024 * 1024  # one sheet (or the shared strings) unpacked; 5,000 full rows take ~6 MB


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    max_length: int = 255


COLUMNS = [
    Column("year", "Năm"),
    Column("bloc", "Khối thi đua"),
    Column("name", "Tên đơn vị"),
    Column("short_name", "Tên viết tắt", 60),
    Column("kind", "Loại"),
    Column("leader_name", "Người đứng đầu", 120),
    Column("leader_title", "Chức vụ", 120),
    Column("email", "Thư điện tử", 254),
    Column("role", "Vai trò trong khối"),
    Column("notice_number", "Số thông báo", 60),
    Column("notice_date", "Ngày thông báo"),
    Column("secretaries", "Thư ký khối (tên đăng nhập)", 2000),
    Column("province", "Tỉnh"),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
IGNORED_HEADERS = ["STT", "Trạng thái", "Ngày hiệu lực", "Đơn vị kế thừa"]
ALIASES = {"Vai trò": "role", "Thư ký khối": "secretaries", "Tên cơ quan, đơn vị": "name", "Khối": "bloc"}
AGENCY_FIELDS = ["short_name", "kind", "leader_name", "leader_title", "email"]

HEAD, DEPUTY, MEMBER = "head", "deputy", "member"
ROLE_WORDS = {"trưởng khối": HEAD, "trưởng": HEAD, "phó khối": DEPUTY, "phó": DEPUTY, "thành viên": MEMBER, "": MEMBER}


def norm(text):
    """Key for matching names: Unicode NFC, single spaces, case-folded."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


def header_map():
    mapping = {norm(c.header): c.key for c in COLUMNS}
    mapping.update({norm(alias): key for alias, key in ALIASES.items()})
    mapping.update({norm(h): None for h in IGNORED_HEADERS})
    return mapping


def kind_labels():
    """Vietnamese labels of agency kinds, as files write them, whatever the interface language."""
    with translation.override("vi"):
        return {value: str(label) for value, label in AgencyKind.choices}
