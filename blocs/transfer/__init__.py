"""Import of agencies and bloc memberships from .xlsx or .csv: parse, validate, apply.

The file is one table, one row per agency (and, when ``Năm`` and ``Khối thi đua`` are filled,
per membership of that agency in that bloc-year). Its headers are the file format, fixed in
Vietnamese whatever the interface language, so files stay exchangeable:

==============================  ============================================================
header                          meaning
==============================  ============================================================
Tên đơn vị (required)           agency, matched by name in the province (case, spacing and
                                Unicode form ignored); a new name is created when ``Loại``
                                is filled
Tên viết tắt, Loại,             the agency's details; an empty cell leaves the stored value
Người đứng đầu, Chức vụ,        as it is (an import never clears a field)
Thư điện tử
Năm, Khối thi đua               the bloc-year the agency belongs to (both or neither); a
                                new bloc name creates the bloc
Vai trò trong khối              Trưởng khối / Phó khối / Thành viên (empty: Thành viên)
Số thông báo, Ngày thông báo    the notice naming the bloc-year (same on each of its rows;
                                empty: unchanged)
Thư ký khối (tên đăng nhập)     secretaries' usernames, comma separated; empty: unchanged
Tỉnh                            optional check: must be the province being imported
STT, Trạng thái, Ngày hiệu lực, read by people only (the export writes them), ignored
Đơn vị kế thừa
==============================  ============================================================

A bloc-year named in the file gets exactly the members, head and deputy the file lists for it
(the file states the year's list, like the notice it comes from); bloc-years not named are
left alone. Nothing is written until every row is valid, then everything is written in one
transaction through ``blocs.services``, and only what differs: importing the same file twice
changes nothing the second time and logs nothing.
"""

from blocs.transfer.apply import import_apply, summary_text
from blocs.transfer.columns import COLUMN_BY_KEY, COLUMNS, MAX_BYTES, MAX_ROWS, kind_labels, norm
from blocs.transfer.parse import ParsedFile, import_parse
from blocs.transfer.validate import ImportPlan, import_validate

__all__ = [
    "COLUMNS",
    "COLUMN_BY_KEY",
    "MAX_BYTES",
    "MAX_ROWS",
    "ImportPlan",
    "ParsedFile",
    "import_apply",
    "import_parse",
    "import_validate",
    "kind_labels",
    "norm",
    "summary_text",
]
