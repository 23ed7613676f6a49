"""Exports write each row once: no look-back over the sheet, so their cost grows with their rows, not its square."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from blocs import export, selectors
from blocs.models import Agency, AgencyStatus, BlocYear, Membership, Role, RoleAssignment
from emulation_portal.testing import make_agency

DAY = datetime.date(2021, 3, 4)


def add_agencies(world, n, start=0):
    """``n`` agencies of the world's province: every third one dissolved (a date), every fifth one with a "formula" for a name."""
    Agency.objects.bulk_create([
        Agency(
            province=world.province, name=f"Đơn vị xuất {start + i:05d}", short_name=f"X{start + i}",
            leader_name=f'=HYPERLINK("http://x.vn","{i}")' if i % 5 == 0 else f"Lãnh Đạo {i}",
            status=AgencyStatus.DISSOLVED if i % 3 == 0 else AgencyStatus.ACTIVE, status_date=DAY if i % 3 == 0 else None,
        )
        for i in range(n)
    ])


@pytest.fixture
def sheet_lookups(monkeypatch):
    """Counts the cells openpyxl looks up again after writing them; reading ``max_row`` (a scan of every cell) fails."""
    calls = {"cells": 0}
    real_get_cell = Worksheet._get_cell

    def counting_get_cell(self, row, column):
        calls["cells"] += 1
        return real_get_cell(self, row, column)

    def no_max_row(self):
        raise AssertionError("the export scans the whole sheet (max_row) while writing it")

    monkeypatch.setattr(Worksheet, "_get_cell", counting_get_cell)
    monkeypatch.setattr(Worksheet, "max_row", property(no_max_row))
    return calls


def test_export_never_scans_the_sheet_and_looks_up_cells_linearly(world, sheet_lookups):
    add_agencies(world, 100)
    export.agencies_xlsx(selectors.agencies_for_export(user=world.board))
    small = sheet_lookups["cells"]
    add_agencies(world, 300, start=100)
    sheet_lookups["cells"] = 0
    export.agencies_xlsx(selectors.agencies_for_export(user=world.board))
    export.bloc_years_xlsx(selectors.bloc_years_for_export(user=world.board))
    export.import_template_xlsx(province_name="Ninh Thuận", year=2030)
    assert sheet_lookups["cells"] <= 4 * small + 50


def test_agency_export_of_n_rows_reads_back_whole(world, client_for, monkeypatch):
    monkeypatch.setattr(export, "CHUNK_SIZE", 7)  # several chunks, so the stream's seams are crossed
    add_agencies(world, 60)
    response = client_for(world.board).get(reverse("blocs:agency_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == export.XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]

    rows = list(sheet.iter_rows())
    expected = list(Agency.objects.filter(province=world.province).order_by("name", "pk"))
    assert [c.value for c in rows[0]] == export.AGENCY_HEADERS
    assert all(c.font.b and c.fill.fgColor.rgb.endswith("F3D9DA") for c in rows[0])
    assert [r[0].value for r in rows[1:]] == [a.name for a in expected]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 45 and sheet.column_dimensions["I"].width == 35

    by_name = {r[0].value: r for r in rows[1:]}
    for i in range(60):
        row = by_name[f"Đơn vị xuất {i:05d}"]
        assert row[1].value == f"X{i}"
        if i % 5 == 0:
            assert row[3].value == f'=HYPERLINK("http://x.vn","{i}")' and row[3].data_type == "s"
        else:
            assert row[3].value == f"Lãnh Đạo {i}"
        if i % 3 == 0:
            assert row[6].value == "Đã giải thể"
            assert row[7].value.date() == DAY and row[7].number_format == "DD/MM/YYYY"
        else:
            assert row[6].value == "Đang hoạt động" and row[7].value is None
        assert row[9].value == world.province.name
    assert all(c.data_type != "f" for r in rows for c in r)


def test_bloc_year_export_streams_every_bloc_year_with_its_own_members(world, monkeypatch):
    """Prefetched members and secretaries stay right across chunks."""
    monkeypatch.setattr(export, "CHUNK_SIZE", 3)
    for year in range(2000, 2010):
        bloc_year = BlocYear.objects.create(bloc=world.bloc, year=year, notice_number=f"{year}/TB", notice_date=DAY)
        Membership.objects.bulk_create([
            Membership(bloc_year=bloc_year, agency=make_agency(world.province), year=year) for _ in range(year % 4 + 1)
        ])
        if year in (2003, 2007):
            RoleAssignment.objects.create(user=world.secretary, role=Role.SECRETARY, bloc_year=bloc_year)
    content = export.bloc_years_xlsx(selectors.bloc_years_for_export(user=world.board))
    workbook = load_workbook(io.BytesIO(content))
    members, summary = (list(sheet.iter_rows(min_row=2)) for sheet in workbook.worksheets)

    bloc_years = BlocYear.objects.filter(bloc__province=world.province)
    assert len(members) == Membership.objects.filter(bloc_year__in=bloc_years).count()
    assert len(summary) == bloc_years.count()
    for by in bloc_years:
        names = sorted(r[2].value for r in members if r[0].value == by.year and r[1].value == by.bloc.name)
        assert names == sorted(by.memberships.values_list("agency__name", flat=True))
        (line,) = [r for r in summary if r[0].value == by.year and r[1].value == by.bloc.name]
        assert line[8].value == len(names)
        secretaries = {r[11].value for r in members if r[0].value == by.year and r[1].value == by.bloc.name}
        assert secretaries == ({"secretary"} if by.year in (2022, 2003, 2007) else {None})
        if 2000 <= by.year < 2010:
            assert line[5].value == f"{by.year}/TB"
            assert line[6].value.date() == DAY and line[6].number_format == "DD/MM/YYYY"
    assert all(sheet.freeze_panes == "A2" for sheet in workbook.worksheets)


def test_import_template_keeps_its_wrapped_guide(db):
    workbook = load_workbook(io.BytesIO(export.import_template_xlsx(province_name="Ninh Thuận", year=2030)))
    guide = workbook["Hướng dẫn"]
    assert guide.column_dimensions["B"].width == 100
    assert all(cell.alignment.wrap_text and cell.alignment.vertical == "top" for (cell,) in guide.iter_rows(min_row=2, min_col=2))
    assert not any(cell.alignment.wrap_text for (cell,) in guide.iter_rows(min_row=2, max_col=1))
