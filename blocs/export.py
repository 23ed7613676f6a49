"""Excel workbooks: the agency list, the bloc-years (in the import format) and the import template."""

import io

from django.db.models import QuerySet
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from blocs.models import AgencyStatus, Membership
from blocs.transfer import COLUMN_BY_KEY, COLUMNS, kind_labels

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADER_FILL = PatternFill("solid", fgColor="F3D9DA")
_DATE_FORMAT = "DD/MM/YYYY"

# The bloc-year sheet is an import file: same headers, one row per membership.
BLOC_YEAR_KEYS = [
    "year", "bloc", "name", "short_name", "kind", "leader_name", "leader_title", "email",
    "role", "notice_number", "notice_date", "secretaries", "province",
]
AGENCY_HEADERS = [
    "Tên đơn vị", "Tên viết tắt", "Loại", "Người đứng đầu", "Chức vụ", "Thư điện tử",
    "Trạng thái", "Ngày hiệu lực", "Đơn vị kế thừa", "Tỉnh",
]


# Rows read from the database per query (and per prefetch): memory stays flat however long the export.
CHUNK_SIZE = 2000


def _cell_value(value):
    """Text without the control characters (pasted from Word) the file format forbids: openpyxl refuses the whole sheet."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _rows_of(queryset):
    """Stream a queryset in chunks (prefetches run per chunk); plain iterables pass through."""
    return queryset.iterator(chunk_size=CHUNK_SIZE) if isinstance(queryset, QuerySet) else queryset


class _Sheet:
    """A streamed sheet: widths, frozen header and styles are set up front, rows are written as they come.

    A write-only workbook never looks rows up again, so an export costs the same per row however long it is.
    """

    def __init__(self, workbook, title, headers, widths=None, alignments=None):
        self.sheet = workbook.create_sheet(title)
        # Column widths and panes go into the sheet's head: they must be set before the first row.
        for index, header in enumerate(headers, start=1):
            width = (widths or {}).get(header, max(12, min(45, len(header) + 4)))
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        self.alignments = alignments or {}
        self.sheet.append([self._header(header) for header in headers])

    def _header(self, value):
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        return cell

    def _cell(self, index, value):
        value = _cell_value(value)
        alignment = self.alignments.get(index)
        is_date = hasattr(value, "year") and hasattr(value, "day")
        is_formula_like = isinstance(value, str) and value.startswith("=")
        if value is None or not (alignment or is_date or is_formula_like):
            return value
        cell = WriteOnlyCell(self.sheet, value=value)
        if is_formula_like:
            # openpyxl turns any text starting with "=" into a formula: names typed by users stay text.
            cell.data_type = "s"
        if is_date:
            cell.number_format = _DATE_FORMAT
        if alignment:
            cell.alignment = alignment
        return cell

    def append(self, values):
        self.sheet.append([self._cell(index, value) for index, value in enumerate(values, start=1)])


def _sheet(workbook, title, headers, rows, widths=None, alignments=None):
    sheet = _Sheet(workbook, title, headers, widths, alignments)
    for row in rows:
        sheet.append(row)
    return sheet


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _new_workbook():
    return Workbook(write_only=True)


def _status_labels():
    with translation.override("vi"):
        return {value: str(label) for value, label in AgencyStatus.choices}


def agency_row_count(agencies) -> int:
    """Rows ``agencies_xlsx`` writes for these agencies (one query): whether it runs as a job."""
    return agencies.count()


def bloc_year_row_count(bloc_years) -> int:
    """Rows of the bloc-year export's main sheet (its memberships), in one query."""
    return Membership.objects.filter(bloc_year__in=bloc_years.values("pk")).count()


def _counted(rows, progress, total):
    """``rows`` passed through, telling ``progress(done, total)`` after each one."""
    for done, row in enumerate(rows, start=1):
        yield row
        progress(done, total)


def agencies_xlsx(agencies, *, progress=None, total=None):
    """``agencies``: from ``selectors.agencies_for_export`` (province and successor joined).
    ``progress(done, total)`` is told after each row (a job's progress bar)."""
    kinds, statuses = kind_labels(), _status_labels()
    source = _rows_of(agencies)
    if progress is not None:
        source = _counted(source, progress, total)
    rows = (
        [
            a.name, a.short_name, kinds.get(a.kind, a.kind), a.leader_name, a.leader_title, a.email,
            statuses.get(a.status, a.status), a.status_date, a.successor.name if a.successor else "", a.province.name,
        ]
        for a in source
    )
    workbook = _new_workbook()
    _sheet(workbook, "Cơ quan, đơn vị", AGENCY_HEADERS, rows, {"Tên đơn vị": 45, "Đơn vị kế thừa": 35})
    return _save(workbook)


def bloc_years_xlsx(bloc_years, *, progress=None, total=None):
    """``bloc_years``: from ``selectors.bloc_years_for_export`` (members, head, deputy, secretaries).

    One pass over the bloc-years fills both sheets: each streams to its own part of the file.
    ``progress(done, total)`` is told the membership rows written after each bloc-year.
    """
    done = 0
    kinds = kind_labels()
    workbook = _new_workbook()
    members = _Sheet(
        workbook, "Thành viên", [COLUMN_BY_KEY[k].header for k in BLOC_YEAR_KEYS], {"Khối thi đua": 45, "Tên đơn vị": 45},
    )
    summary = _Sheet(
        workbook,
        "Tổng hợp",
        ["Năm", "Khối thi đua", "Tỉnh", "Trưởng khối", "Phó khối", "Số thông báo", "Ngày thông báo", "Thư ký khối", "Số thành viên"],
        {"Khối thi đua": 45, "Trưởng khối": 35, "Phó khối": 35, "Thư ký khối": 35},
    )
    for by in _rows_of(bloc_years):
        secretaries = [ra.user for ra in by.secretary_assignments]
        usernames = ", ".join(sorted(u.username for u in secretaries))
        for m in by.memberships.all():
            a = m.agency
            role = "Trưởng khối" if a.pk == by.head_id else "Phó khối" if a.pk == by.deputy_id else "Thành viên"
            members.append(
                [
                    by.year, by.bloc.name, a.name, a.short_name, kinds.get(a.kind, a.kind), a.leader_name, a.leader_title,
                    a.email, role, by.notice_number, by.notice_date, usernames, by.bloc.province.name,
                ]
            )
        summary.append(
            [
                by.year, by.bloc.name, by.bloc.province.name, by.head.name if by.head else "", by.deputy.name if by.deputy else "",
                by.notice_number, by.notice_date, ", ".join(u.get_full_name() for u in secretaries), len(by.memberships.all()),
            ]
        )
        if progress is not None:
            done += len(by.memberships.all())
            progress(done, total)
    return _save(workbook)


def import_template_xlsx(*, province_name, year=None):
    """An empty import file with example rows and a sheet explaining each column."""
    year = year or timezone.localdate().year
    bloc = "Khối thi đua các cơ quan tham mưu tổng hợp"
    examples = [
        [year, bloc, "Sở Nội vụ", "SNV", "Sở", "Nguyễn Văn A", "Giám đốc", "snv@example.gov.vn", "Trưởng khối"],
        [year, bloc, "Sở Tài chính", "STC", "Sở", "", "", "", "Phó khối"],
        [year, bloc, "Kho bạc Nhà nước khu vực", "KBNN", "Kho bạc", "", "", "", "Thành viên"],
        ["", "", "Quỹ Đầu tư phát triển", "QĐTPT", "Quỹ", "", "", "", ""],
    ]
    help_rows = [
        ["Năm", "Năm của danh sách khối, ví dụ 2025. Để trống cùng cột Khối thi đua nếu dòng chỉ khai báo đơn vị."],
        ["Khối thi đua", "Tên khối; khối chưa có sẽ được tạo mới. Mỗi năm một đơn vị chỉ thuộc một khối."],
        ["Tên đơn vị", "Bắt buộc. Tên đầy đủ; đơn vị chưa có sẽ được tạo khi có cột Loại."],
        ["Tên viết tắt, Người đứng đầu, Chức vụ, Thư điện tử", "Ô để trống giữ nguyên thông tin đã có."],
        ["Loại", "Một trong: " + ", ".join(kind_labels().values()) + "."],
        ["Vai trò trong khối", "Trưởng khối, Phó khối hoặc Thành viên (để trống: Thành viên)."],
        ["Số thông báo, Ngày thông báo", "Thông báo công nhận Trưởng, Phó khối, ví dụ 09/TB-UBND, 18/01/2022; để trống: giữ nguyên."],
        ["Thư ký khối (tên đăng nhập)", "Tên đăng nhập của thư ký khối, cách nhau bằng dấu phẩy; để trống: giữ nguyên."],
        ["Tỉnh", "Không bắt buộc; nếu có phải là " + province_name + "."],
        ["Lưu ý", "Danh sách một khối trong một năm trong tệp là danh sách đầy đủ: đơn vị không có trong tệp sẽ bị "
                  "bỏ khỏi khối năm đó. Nhập lại cùng một tệp không thay đổi gì. Tệp CSV dùng bảng mã UTF-8, "
                  "phân cách bằng dấu phẩy hoặc chấm phẩy."],
    ]
    workbook = _new_workbook()
    _sheet(workbook, "Danh sách", [c.header for c in COLUMNS if c.key != "province"], examples, {"Khối thi đua": 45, "Tên đơn vị": 40})
    _sheet(
        workbook, "Hướng dẫn", ["Cột", "Cách ghi"], help_rows, {"Cột": 40, "Cách ghi": 100},
        alignments={2: Alignment(wrap_text=True, vertical="top")},
    )
    return _save(workbook)
