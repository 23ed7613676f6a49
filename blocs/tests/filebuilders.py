"""Build import files in memory for the tests."""

import io

from openpyxl import Workbook

HEADERS = ["Năm", "Khối thi đua", "Tên đơn vị", "Tên viết tắt", "Loại", "Người đứng đầu", "Chức vụ", "Thư điện tử", "Vai trò trong khối"]


def xlsx_bytes(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, headers=HEADERS, delimiter=",", bom=False):
    lines = [delimiter.join(headers)] + [delimiter.join(str(v) for v in row) for row in rows]
    text = "\r\n".join(lines) + "\r\n"
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")
