"""The score table as .xlsx, in the usual "Bảng tổng hợp kết quả chấm điểm" layout: heading rows
(province, bloc, year, title), then one row per agency: the checked points of each criterion,
bonus, penalty, total, band, rank. Written with openpyxl's write-only workbook like ``blocs.export``."""

import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

_HEADER_FILL = PatternFill("solid", fgColor="F3D9DA")
_NUMBER = "0.00"


def _text(value):
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _number(value):
    return None if value is None else float(value)


def xlsx_filename(scoring) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"bang-tong-hop-ket-qua-{scoring.bloc_year.year}-{scoring.pk}").strip("-")
    return f"{slug}.xlsx"


def score_table_workbook(table) -> bytes:
    """The bytes of the workbook of ``table`` (an ``awards.scoring.table.ScoreTable``)."""
    scoring = table.scoring
    bloc_year = scoring.bloc_year
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Bảng tổng hợp"))
    criteria = table.criteria
    headers = [_("STT"), _("Đơn vị")]
    headers += [_("TC %(n)s (tối đa %(max)s)") % {"n": i, "max": c.max_points.normalize()} for i, c in enumerate(criteria, start=1)]
    headers += [_("Tổng tự chấm"), _("Điểm tiêu chí"), _("Điểm thưởng"), _("Điểm trừ"), _("Tổng điểm"), _("Xếp loại"),
                _("Thứ hạng"), _("Ghi chú")]
    widths = [6, 40] + [11] * len(criteria) + [12, 12, 11, 11, 12, 22, 10, 24]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    def styled(value, *, bold=False, fill=False, wrap=False, number=False):
        cell = WriteOnlyCell(sheet, value=_text(value))
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        if bold:
            cell.font = Font(bold=True)
        if fill:
            cell.fill = _HEADER_FILL
        if wrap:
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        if number:
            cell.number_format = _NUMBER
        return cell

    sheet.append([styled(bloc_year.bloc.province.name.upper(), bold=True)])
    sheet.append([styled(bloc_year.bloc.name.upper(), bold=True)])
    sheet.append([])
    sheet.append([styled(_("BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA"), bold=True)])
    state = _("Kết quả đã chốt") if scoring.is_frozen else (_("Kết quả dự kiến") if table.published else _("Số liệu đang chấm"))
    sheet.append([_("Năm %(year)s — %(state)s") % {"year": bloc_year.year, "state": state}])
    sheet.append([])
    sheet.append([styled(h, bold=True, fill=True, wrap=True) for h in headers])
    for number, row in enumerate(table.rows, start=1):
        cells = [number, row.agency_name]
        cells += [styled(_number(c["checked"] if c and c["checked"] is not None else (c["claimed"] if c else None)), number=True)
                  for c in row.cells]
        note = []
        if row.partial_year:
            note.append(_("Chỉ một phần năm"))
        if row.tied:
            note.append(_("Bằng điểm"))
        cells += [styled(_number(v), number=True) for v in (row.self_total, row.criteria_total, row.bonus, row.penalty, row.total)]
        cells += [row.band, row.rank, "; ".join(note)]
        sheet.append(cells)
    sheet.append([])
    sheet.append([_("Điểm mỗi tiêu chí là điểm sau kiểm tra (điểm tự chấm khi dòng chưa được kiểm tra).")])
    if table.tie_break["text"]:
        sheet.append([_("Khi bằng điểm: %(text)s (%(source)s).") % table.tie_break])
    for i, c in enumerate(criteria, start=1):
        sheet.append([_("TC %(n)s") % {"n": i}, _text(f"{c.group + ': ' if c.group else ''}{c.text}")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
