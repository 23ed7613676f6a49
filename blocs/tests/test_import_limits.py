"""Import files past the row, column and cell limits are refused as they are read, before the work;
every cell's text goes through the input-cleaning rule."""

import csv
import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from blocs import transfer
from blocs.tests.filebuilders import HEADERS, csv_bytes, xlsx_bytes
from blocs.transfer import parse
from blocs.transfer.columns import MAX_CELLS_PER_ROW, MAX_COLUMNS, MAX_ROWS, MAX_SHEET_ROWS

ROW = [2023, "Khối thi đua các cơ quan tham mưu tổng hợp", "Sở Tư pháp", "STP", "Sở", "", "", "", ""]
SHEET = "xl/worksheets/sheet1.xml"


def rewrite_sheet(content, change):
    """``content`` with its first sheet's XML passed through ``change`` (bytes -> bytes)."""
    source, target = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            copy.writestr(item, change(data) if item.filename == SHEET else data, compress_type=zipfile.ZIP_DEFLATED)
    return target.getvalue()


def with_dimension(content, ref):
    """``content`` declaring the used range ``ref``, in place of its own (openpyxl's write-only mode writes none)."""
    tag = f'<dimension ref="{ref}"/>'.encode()
    return rewrite_sheet(content, lambda xml: re.sub(rb"<dimension[^>]*/>", b"", xml).replace(b"<sheetViews>", tag + b"<sheetViews>", 1))


def without_dimension(content):
    return rewrite_sheet(content, lambda xml: re.sub(rb"<dimension[^>]*/>", b"", xml))


@pytest.fixture
def openpyxl_calls(monkeypatch):
    """Records whether openpyxl was asked to load the workbook at all."""
    calls = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: calls.append(1))
    return calls


@pytest.fixture
def scanned_cells(monkeypatch):
    """Counts the cells the sheet scan looked at before it stopped."""
    seen = []
    original = parse._SheetScan.start

    def start(self, tag, attrib):
        if tag.endswith("}c"):
            seen.append(1)
        return original(self, tag, attrib)

    monkeypatch.setattr(parse._SheetScan, "start", start)
    return seen


def wide_row_xlsx(columns):
    """One row of ``columns`` cells, streamed by openpyxl's write-only mode."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    sheet.append(["x"] * columns)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("declared", [True, False])
def test_a_row_as_wide_as_excel_allows_is_refused_before_openpyxl_reads_it(openpyxl_calls, scanned_cells, declared):
    """16,384 columns (XFD, Excel's last; openpyxl writes no further): by the declared dimension, else by the scan."""
    content = wide_row_xlsx(16_384)
    if declared:
        content = with_dimension(content, "A1:XFD2")
    parsed = transfer.import_parse(filename="rong.xlsx", content=content)
    assert parsed.rows == []
    columns = f"Tệp có hơn {MAX_COLUMNS} cột; mẫu nhập chỉ có 13 cột. Hãy xóa các cột thừa."
    assert parsed.errors == [columns if declared else f"Dòng 2 có hơn {MAX_CELLS_PER_ROW} ô; hãy xóa các ô thừa ở cuối dòng."]
    assert openpyxl_calls == []
    assert len(scanned_cells) <= (0 if declared else len(HEADERS) + MAX_CELLS_PER_ROW + 1)  # stopped at the limit, not at 16,384


def test_a_cell_far_to_the_right_is_refused_by_its_column(openpyxl_calls):
    content = rewrite_sheet(
        xlsx_bytes([ROW]), lambda xml: xml.replace(b"</row></sheetData>", b'<c r="ZZ2" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
    )
    parsed = transfer.import_parse(filename="xa.xlsx", content=without_dimension(content))
    assert parsed.errors == [f"Dòng 2: Tệp có hơn {MAX_COLUMNS} cột; mẫu nhập chỉ có 13 cột. Hãy xóa các cột thừa."]
    assert openpyxl_calls == []


@pytest.mark.parametrize("cell", [b'<c r="A2" t="inlineStr"><is><t>x</t></is></c>', b'<c t="inlineStr"><is><t>x</t></is></c>'])
def test_a_row_of_100000_cells_is_refused_by_the_cells_of_its_row(openpyxl_calls, scanned_cells, cell):
    """The same address repeated, or no addresses at all (openpyxl reads those one after another)."""
    content = without_dimension(rewrite_sheet(xlsx_bytes([ROW]), lambda xml: xml.replace(b"</row></sheetData>", cell * 100_000 + b"</row></sheetData>")))
    parsed = transfer.import_parse(filename="lap.xlsx", content=content)
    assert parsed.errors == [f"Dòng 2 có hơn {MAX_CELLS_PER_ROW} ô; hãy xóa các ô thừa ở cuối dòng."]
    assert openpyxl_calls == []
    assert len(scanned_cells) <= len(HEADERS) + MAX_CELLS_PER_ROW + 1


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("A1:XFD1048576", f"Tệp có hơn {MAX_COLUMNS} cột; mẫu nhập chỉ có 13 cột. Hãy xóa các cột thừa."),
        ("A1:I1048576", f"Trang tính có hơn {MAX_SHEET_ROWS} dòng"),
    ],
)
def test_a_huge_declared_dimension_is_refused_before_openpyxl_reads_it(openpyxl_calls, scanned_cells, ref, message):
    parsed = transfer.import_parse(filename="vung.xlsx", content=with_dimension(xlsx_bytes([ROW]), ref))
    assert len(parsed.errors) == 1 and parsed.errors[0].startswith(message)
    assert parsed.rows == []
    assert openpyxl_calls == [] and scanned_cells == []  # refused at the dimension, before the first cell


def test_too_many_rows_stop_the_scan_at_the_limit(monkeypatch, openpyxl_calls):
    monkeypatch.setattr(parse, "MAX_ROWS", 10)
    rows_seen = []
    original = parse._SheetScan.end
    monkeypatch.setattr(parse._SheetScan, "end", lambda self, tag: (rows_seen.append(tag) if tag.endswith("}row") else None, original(self, tag)))
    parsed = transfer.import_parse(filename="dai.xlsx", content=xlsx_bytes([ROW] * 40))
    assert parsed.errors == ["Tệp có hơn 10 dòng; hãy chia thành nhiều tệp."]
    assert len(rows_seen) == 12  # the header and 11 data rows, not 41
    assert openpyxl_calls == []


def test_a_sheet_larger_than_the_part_limit_is_refused_unread(monkeypatch, openpyxl_calls):
    monkeypatch.setattr(parse, "MAX_SHEET_XML_BYTES", 5_000)
    parsed = transfer.import_parse(filename="to.xlsx", content=xlsx_bytes([ROW] * 40))
    assert parsed.errors == ["Tệp Excel quá lớn khi giải nén; hãy chia thành nhiều tệp."]
    assert openpyxl_calls == []


def test_the_limits_also_hold_while_openpyxl_streams_the_rows(monkeypatch):
    """A sheet the scan cannot find (say, an odd workbook) is still read row by row under the limits."""
    monkeypatch.setattr(parse, "_first_sheet_path", lambda archive: None)
    monkeypatch.setattr(parse, "MAX_ROWS", 10)
    parsed = transfer.import_parse(filename="dai.xlsx", content=xlsx_bytes([ROW] * 40))
    assert parsed.errors == ["Tệp có hơn 10 dòng; hãy chia thành nhiều tệp."]


# --- CSV ----------------------------------------------------------------------------------------------


@pytest.fixture
def csv_rows_read(monkeypatch):
    """Counts the rows the CSV reader handed over."""
    count = []
    original = csv.reader

    def reader(*args, **kwargs):
        for row in original(*args, **kwargs):
            count.append(1)
            yield row

    monkeypatch.setattr(parse.csv, "reader", reader)
    return count


def test_a_csv_with_a_huge_row_is_refused(csv_rows_read):
    content = csv_bytes([ROW, ["x"] * 100_000, ROW])
    parsed = transfer.import_parse(filename="rong.csv", content=content)
    assert parsed.errors == [f"Dòng 3: Tệp có hơn {MAX_COLUMNS} cột; mẫu nhập chỉ có 13 cột. Hãy xóa các cột thừa."]
    assert parsed.rows == [] and len(csv_rows_read) == 3


def test_a_csv_with_too_many_rows_stops_at_the_limit(csv_rows_read):
    content = csv_bytes([[2023, "Khối", f"Đơn vị {i}", "", "Sở", "", "", "", ""] for i in range(MAX_ROWS + 500)])
    parsed = transfer.import_parse(filename="dai.csv", content=content)
    assert parsed.errors == [f"Tệp có hơn {MAX_ROWS} dòng; hãy chia thành nhiều tệp."]
    assert len(csv_rows_read) == MAX_ROWS + 2  # the header, the data up to the limit, and the one past it


def test_a_csv_cell_longer_than_the_reader_allows_is_a_message_not_a_500():
    content = csv_bytes([[2023, "Khối", '"' + "x" * 200_000, "", "Sở", "", "", "", ""]])
    parsed = transfer.import_parse(filename="o.csv", content=content)
    assert parsed.errors == ["Không đọc được tệp CSV ở dòng 2: một ô quá dài hoặc thiếu dấu ngoặc kép đóng."]


# --- cleaning ---------------------------------------------------------------------------------------


def test_a_nul_in_a_cell_is_refused_naming_its_row_and_column(world):
    content = csv_bytes([ROW, [2023, "Khối", "Sở\x00Nội vụ", "", "Sở", "", "", "", ""]])
    parsed = transfer.import_parse(filename="nul.csv", content=content)
    assert parsed.errors == [
        "Dòng 3, cột C “Tên đơn vị”: Nội dung có ký tự điều khiển không in được (mã U+0000), "
        "thường do dán từ tệp hoặc trang khác. Hãy xóa ký tự đó rồi gửi lại."
    ]
    assert "\x00" not in repr(parsed.as_dict())
    plan = transfer.import_validate(province=world.province, parsed=parsed)
    assert not plan.is_valid


def test_a_bidi_override_in_an_xlsx_cell_is_refused():
    parsed = transfer.import_parse(filename="bidi.xlsx", content=xlsx_bytes([[2023, "Khối", "Sở \u202eTư pháp", "", "Sở", "", "", "", ""]]))
    assert len(parsed.errors) == 1 and parsed.errors[0].startswith("Dòng 2, cột C “Tên đơn vị”: ") and "U+202E" in parsed.errors[0]


def test_many_refused_cells_are_summed_up():
    content = csv_bytes([[2023, "Khối", f"Sở\x00{i}", "", "Sở", "", "", "", ""] for i in range(30)])
    parsed = transfer.import_parse(filename="nul.csv", content=content)
    assert len(parsed.errors) == parse.MAX_CELL_ERRORS + 1
    assert parsed.errors[-1] == "… và 10 ô khác bị từ chối vì cùng lý do."


def test_a_normal_file_still_imports_with_clean_text():
    parsed = transfer.import_parse(filename="ok.xlsx", content=xlsx_bytes([[2023, "Khối", "  Sở\u00a0Tư pháp ", "", "Sở", "", "", "", ""]]))
    assert parsed.errors == []
    assert parsed.rows[0][1]["name"] == "Sở\u00a0Tư pháp"
