"""Excel workbooks: the agency list, the bloc-years (in the import format) and the import template."""

import io

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from blocs.models import AgencyStatus
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


def _cell_value(value):
    """Text without the control characters (pasted from Word) the file format forbids: openpyxl refuses the whole sheet."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _sheet(workbook, title, headers, rows, widths=None):
    sheet = workbook.create_sheet(title)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        sheet.append([_cell_value(value) for value in row])
        for cell in sheet[sheet.max_row]:
            # openpyxl turns any text starting with "=" into a formula: names typed by users stay text.
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    for index, header in enumerate(headers, start=1):
        width = (widths or {}).get(header, max(12, min(45, len(header) + 4)))
        sheet.column_dimensions[get_column_letter(index)].width = width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if hasattr(cell.value, "year") and hasattr(cell.value, "day"):
                cell.number_format = _DATE_FORMAT
    sheet.freeze_panes = "A2"
    return sheet


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _new_workbook():
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def _status_labels():
    with translation.override("vi"):
        return {value: str(label) for value, label in AgencyStatus.choices}


def agencies_xlsx(agencies):
    """``agencies``: from ``selectors.agencies_for_export`` (province and successor joined)."""
    kinds, statuses = kind_labels(), _status_labels()
    rows = [
        [
            a.name, a.short_name, kinds.get(a.kind, a.kind), a.leader_name, a.leader_title, a.email,
            statuses.get(a.status, a.status), a.status_date, a.successor.name if a.successor else "", a.province.name,
        ]
        for a in agencies
    ]
    workbook = _new_workbook()
    _sheet(workbook, "Cơ quan, đơn vị", AGENCY_HEADERS, rows, {"Tên đơn vị": 45, "Đơn vị kế thừa": 35})
    return _save(workbook)


def bloc_years_xlsx(bloc_years):
    """``bloc_years``: from ``selectors.bloc_years_for_export`` (members, head, deputy, secretaries)."""
    kinds = kind_labels()
    member_rows, summary_rows = [], []
    for by in bloc_years:
        secretaries = [ra.user for ra in by.secretary_assignments]
        usernames = ", ".join(sorted(u.username for u in secretaries))
        for m in by.memberships.all():
            a = m.agency
            role = "Trưởng khối" if a.pk == by.head_id else "Phó khối" if a.pk == by.deputy_id else "Thành viên"
            member_rows.append(
                [
                    by.year, by.bloc.name, a.name, a.short_name, kinds.get(a.kind, a.kind), a.leader_name, a.leader_title,
                    a.email, role, by.notice_number, by.notice_date, usernames, by.bloc.province.name,
                ]
            )
        summary_rows.append(
            [
                by.year, by.bloc.name, by.bloc.province.name, by.head.name if by.head else "", by.deputy.name if by.deputy else "",
                by.notice_number, by.notice_date, ", ".join(u.get_full_name() for u in secretaries), len(by.memberships.all()),
            ]
        )
    workbook = _new_workbook()
    _sheet(
        workbook, "Thành viên", [COLUMN_BY_KEY[k].header for k in BLOC_YEAR_KEYS], member_rows,
        {"Khối thi đua": 45, "Tên đơn vị": 45},
    )
    _sheet(
        workbook,
        "Tổng hợp",
        ["Năm", "Khối thi đua", "Tỉnh", "Trưởng khối", "Phó khối", "Số thông báo", "Ngày thông báo", "Thư ký khối", "Số thành viên"],
        summary_rows,
        {"Khối thi đua": 45, "Trưởng khối": 35, "Phó khối": 35, "Thư ký khối": 35},
    )
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
    guide = _sheet(workbook, "Hướng dẫn", ["Cột", "Cách ghi"], help_rows, {"Cột": 40, "Cách ghi": 100})
    for (cell,) in guide.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return _save(workbook)
