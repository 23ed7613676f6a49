import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from openpyxl import load_workbook

from blocs import export, selectors, services, transfer
from blocs.models import Agency, AgencyStatus, Bloc, BlocYear, Membership, Role, RoleAssignment
from blocs.tests.filebuilders import csv_bytes, xlsx_bytes
from core.models import AuditEntry
from emulation_portal.testing import make_agency, make_bloc_year

NEW_BLOC = "Khối thi đua các cơ quan tham mưu tổng hợp"


def plan_for(world, content, filename="danh-sach.xlsx"):
    parsed = transfer.import_parse(filename=filename, content=content)
    return parsed, transfer.import_validate(province=world.province, parsed=parsed)


def apply(world, parsed):
    return transfer.import_apply(actor=world.board, province=world.province, parsed=parsed)


def row_errors(plan):
    return {row.number: row.errors for row in plan.rows if row.errors}


def valid_rows(world):
    a, b, c, d = world.agencies
    return [
        [2023, NEW_BLOC, a.name, "", "", "", "", "", "Trưởng khối"],
        [2023, NEW_BLOC, b.name, "", "", "", "", "", "Phó khối"],
        [2023, NEW_BLOC, c.name, "", "", "Trần Văn Mới", "Giám đốc", "moi@example.vn", ""],
        [2023, NEW_BLOC, "Kho bạc Nhà nước khu vực XV", "KBNN", "Kho bạc", "Lê Thị Kho", "Giám đốc", "", "Thành viên"],
        ["", "", "Quỹ Đầu tư phát triển", "QĐTPT", "Quỹ", "", "", "", ""],
    ]


def test_valid_xlsx_is_previewed_then_applied(world):
    parsed, plan = plan_for(world, xlsx_bytes(valid_rows(world)))
    assert plan.is_valid, (plan.errors, row_errors(plan))
    assert plan.has_changes
    assert not Bloc.objects.filter(name=NEW_BLOC).exists(), "nothing is saved by the preview"
    assert [p.name for p in plan.agencies_created] == ["Kho bạc Nhà nước khu vực XV", "Quỹ Đầu tư phát triển"]
    assert [p.name for p in plan.agencies_updated] == [world.agencies[2].name]

    summary = apply(world, parsed)
    assert summary == {"agencies_created": 2, "agencies_updated": 1, "bloc_years_created": 1, "bloc_years_updated": 0}
    bloc_year = BlocYear.objects.get(bloc__name=NEW_BLOC, year=2023)
    assert bloc_year.bloc.province == world.province
    assert bloc_year.head == world.agencies[0]
    assert bloc_year.deputy == world.agencies[1]
    assert sorted(bloc_year.agencies.values_list("name", flat=True)) == sorted(
        [world.agencies[0].name, world.agencies[1].name, world.agencies[2].name, "Kho bạc Nhà nước khu vực XV"]
    )
    treasury = Agency.objects.get(name="Kho bạc Nhà nước khu vực XV")
    assert (treasury.kind, treasury.short_name, treasury.leader_name) == ("kho_bac", "KBNN", "Lê Thị Kho")
    world.agencies[2].refresh_from_db()
    assert world.agencies[2].leader_name == "Trần Văn Mới"
    assert AuditEntry.objects.filter(action="blocs.import").count() == 1


def test_reimport_of_the_same_file_changes_nothing(world):
    content = xlsx_bytes(valid_rows(world))
    parsed, _plan = plan_for(world, content)
    apply(world, parsed)
    audit_count = AuditEntry.objects.count()
    counts = (Agency.objects.count(), Bloc.objects.count(), BlocYear.objects.count(), Membership.objects.count())

    parsed, plan = plan_for(world, content)
    assert plan.is_valid and not plan.has_changes
    assert all(not row.notes for row in plan.rows)
    assert apply(world, parsed) == dict.fromkeys(plan.summary(), 0)
    assert (Agency.objects.count(), Bloc.objects.count(), BlocYear.objects.count(), Membership.objects.count()) == counts
    assert AuditEntry.objects.count() == audit_count, "no audit noise when nothing changed"


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_with_or_without_bom_and_either_delimiter(world, bom, delimiter):
    content = csv_bytes(valid_rows(world), delimiter=delimiter, bom=bom)
    _parsed, plan = plan_for(world, content, "danh-sach.csv")
    assert plan.is_valid, (plan.errors, row_errors(plan))
    assert len(plan.rows) == 5


def test_names_match_whatever_the_case_spacing_and_unicode_form(world):
    import unicodedata

    name = unicodedata.normalize("NFD", "  " + world.agencies[0].name.upper().replace(" ", "   ") + " ")
    _parsed, plan = plan_for(world, xlsx_bytes([["", "", name, "", "", "", "", "", ""]]))
    assert plan.is_valid
    assert not plan.agencies_created


def test_csv_not_in_utf8_is_refused_in_vietnamese(world):
    content = "Tên đơn vị\r\nSở Nội vụ\r\n".encode("utf-16")  # Excel's "Unicode text"
    _parsed, plan = plan_for(world, content, "x.csv")
    assert not plan.is_valid
    assert "UTF-8" in plan.errors[0]


def test_damaged_xlsx_and_other_formats(world):
    _p, plan = plan_for(world, b"not a zip", "x.xlsx")
    assert "Không đọc được tệp Excel" in plan.errors[0]
    _p, plan = plan_for(world, b"abc", "x.pdf")
    assert plan.errors == ["Chỉ nhận tệp .xlsx hoặc .csv."]


def test_missing_column(world):
    _p, plan = plan_for(world, xlsx_bytes([[2023, "Sở Nội vụ"]], headers=["Năm", "Tên đơn vị"]))
    assert not plan.is_valid
    assert any("Thiếu cột “Khối thi đua”" in e for e in plan.errors)
    _p, plan = plan_for(world, xlsx_bytes([[2023, NEW_BLOC]], headers=["Năm", "Khối thi đua"]))
    assert any("Thiếu cột “Tên đơn vị”" in e for e in plan.errors)


def test_unknown_column_is_an_error(world):
    _p, plan = plan_for(world, xlsx_bytes([["Sở Nội vụ", "x"]], headers=["Tên đơn vị", "Vai trò khối"]))
    assert any("Không nhận ra cột: Vai trò khối" in e for e in plan.errors)


def test_empty_file(world):
    _p, plan = plan_for(world, xlsx_bytes([], headers=["Tên đơn vị"]))
    assert plan.errors == ["Tệp không có dòng dữ liệu nào."]
    assert not plan.is_valid


def bad(world, *rows):
    _p, plan = plan_for(world, xlsx_bytes(rows))
    assert not plan.is_valid
    return row_errors(plan)


def test_unknown_agency_without_kind(world):
    errors = bad(world, [2023, NEW_BLOC, "Sở Không Có", "", "", "", "", "", ""])
    assert errors[2] == ["Không có đơn vị “Sở Không Có” trong Ninh Thuận; để thêm mới, hãy điền cột Loại."]


def test_unknown_agency_named_by_its_short_name_gets_a_suggestion(world):
    short = world.agencies[0].short_name
    errors = bad(world, [2023, NEW_BLOC, short, "", "", "", "", "", ""])
    assert f"Có phải “{world.agencies[0].name}”?" in errors[2][0]


def test_duplicate_row(world):
    name = world.agencies[0].name
    errors = bad(world, [2023, NEW_BLOC, name, "", "", "", "", "", ""], [2023, NEW_BLOC, name, "", "", "", "", "", ""])
    assert errors == {3: ["Trùng với dòng 2."]}


def test_same_agency_in_two_blocs_of_the_file(world):
    name = world.agencies[0].name
    errors = bad(world, [2023, NEW_BLOC, name, "", "", "", "", "", ""], [2023, "Khối khác", name, "", "", "", "", "", ""])
    assert "đã được xếp vào Khối thi đua các cơ quan tham mưu tổng hợp năm 2023 ở dòng 2" in errors[3][0]


def test_agency_already_in_another_bloc_that_year_names_the_bloc(world):
    errors = bad(world, [2022, NEW_BLOC, world.agencies[0].name, "", "", "", "", "", ""])
    assert errors[2] == [f"{world.agencies[0].name} đã là thành viên của {world.bloc.name} năm 2022."]


def test_moving_an_agency_between_two_blocs_listed_in_the_file_is_allowed(world):
    a, b, c, d = world.agencies
    rows = [[2022, world.bloc.name, x.name, "", "", "", "", "", role] for x, role in ((a, "Trưởng khối"), (b, "Phó khối"), (c, ""))]
    rows.append([2022, NEW_BLOC, d.name, "", "", "", "", "", "Trưởng khối"])
    parsed, plan = plan_for(world, xlsx_bytes(rows))
    assert plan.is_valid, row_errors(plan)
    assert plan.bloc_years[(transfer.norm(world.bloc.name), 2022)].removed == [d.name]
    apply(world, parsed)
    assert Membership.objects.get(agency=d, year=2022).bloc_year.bloc.name == NEW_BLOC
    assert world.bloc_year.memberships.count() == 3


def test_two_heads_and_head_equal_deputy(world):
    a, b = world.agencies[:2]
    errors = bad(world, [2023, NEW_BLOC, a.name, "", "", "", "", "", "Trưởng khối"], [2023, NEW_BLOC, b.name, "", "", "", "", "", "Trưởng khối"])
    assert errors[3] == [f"{NEW_BLOC} năm 2023 đã có Trưởng khối ở dòng 2."]


def test_head_must_be_a_member_and_differ_from_deputy_in_the_service(world):
    """The file format makes a head a member by construction; the service still refuses otherwise."""
    a, b = world.agencies[:2]
    bloc = Bloc.objects.create(province=world.province, name=NEW_BLOC)
    with pytest.raises(ValidationError) as info:
        services.bloc_year_create(actor=world.board, bloc=bloc, year=2023, members=[a], head=b, deputy=a)
    assert info.value.message_dict["head"] == ["Trưởng khối phải là thành viên của khối trong năm."]
    with pytest.raises(ValidationError) as info:
        services.bloc_year_create(actor=world.board, bloc=bloc, year=2023, members=[a, b], head=a, deputy=a)
    assert "Trưởng khối và Phó khối phải là hai đơn vị khác nhau." in info.value.message_dict["deputy"]


def test_invalid_role(world):
    errors = bad(world, [2023, NEW_BLOC, world.agencies[0].name, "", "", "", "", "", "Chủ tịch"])
    assert errors[2] == ["Vai trò “Chủ tịch” không hợp lệ: ghi Trưởng khối, Phó khối hoặc Thành viên."]


def test_dissolved_agency_after_its_date(world):
    gone = make_agency(world.province, name="Sở Đã Giải Thể", status=AgencyStatus.DISSOLVED, status_date=datetime.date(2023, 3, 1))
    errors = bad(world, [2024, NEW_BLOC, gone.name, "", "", "", "", "", ""])
    assert errors[2] == ["Sở Đã Giải Thể đã giải thể từ ngày 01/03/2023, không thể là thành viên năm 2024."]
    _p, plan = plan_for(world, xlsx_bytes([[2023, NEW_BLOC, gone.name, "", "", "", "", "", ""]]))
    assert plan.is_valid, "still usable in the year it was dissolved"


@pytest.mark.parametrize("year", ["20x3", "1999", "2101", "2023.5"])
def test_bad_year(world, year):
    errors = bad(world, [year, NEW_BLOC, world.agencies[0].name, "", "", "", "", "", ""])
    assert "không hợp lệ: phải là số từ 2000 đến 2100" in errors[2][0]


def test_year_without_bloc_and_bloc_without_year(world):
    name = world.agencies[0].name
    errors = bad(world, [2023, "", name, "", "", "", "", "", ""], ["", NEW_BLOC, name, "", "", "", "", "", ""])
    assert errors == {2: ["Thiếu tên Khối thi đua."], 3: ["Thiếu Năm."]}


def test_missing_name(world):
    errors = bad(world, [2023, NEW_BLOC, "", "SNV", "", "", "", "", ""])
    assert errors == {2: ["Thiếu tên đơn vị."]}


def test_wrong_province(world):
    headers = ["Tên đơn vị", "Tỉnh"]
    _p, plan = plan_for(world, xlsx_bytes([[world.agencies[0].name, "Tỉnh Khác"], [world.agencies[1].name, "ninh thuận"]], headers))
    assert row_errors(plan) == {2: ["Đơn vị thuộc “Tỉnh Khác”, không phải tỉnh đang nhập (Ninh Thuận)."]}


def test_bad_kind_and_email(world):
    errors = bad(world, ["", "", "Sở Mới", "", "Bộ", "", "", "", ""], ["", "", world.agencies[0].name, "", "", "", "", "khong-phai-email", ""])
    assert errors[2][0].startswith("Loại “Bộ” không hợp lệ; chọn một trong: Sở, Ban,")
    assert errors[3] == ["Thư điện tử “khong-phai-email” không hợp lệ."]


def test_conflicting_details_of_one_agency(world):
    name = world.agencies[0].name
    errors = bad(world, ["", "", name, "", "", "Người A", "", "", ""], [2023, NEW_BLOC, name, "", "", "Người B", "", "", ""])
    assert errors == {3: ["“Người đứng đầu” khác với dòng 2 của cùng đơn vị."]}


def test_notice_secretaries_and_bad_date(world):
    headers = [*transfer_headers(), "Số thông báo", "Ngày thông báo", "Thư ký khối (tên đăng nhập)"]
    a, b = world.agencies[:2]
    rows = [
        [2023, NEW_BLOC, a.name, "Trưởng khối", "09/TB-UBND", "18/01/2023", "secretary"],
        [2023, NEW_BLOC, b.name, "Phó khối", "09/TB-UBND", "18/01/2023", "secretary"],
    ]
    parsed, plan = plan_for(world, xlsx_bytes(rows, headers))
    assert plan.is_valid, row_errors(plan)
    apply(world, parsed)
    bloc_year = BlocYear.objects.get(bloc__name=NEW_BLOC)
    assert (bloc_year.notice_number, bloc_year.notice_date) == ("09/TB-UBND", datetime.date(2023, 1, 18))
    assert list(RoleAssignment.objects.filter(bloc_year=bloc_year, role=Role.SECRETARY).values_list("user__username", flat=True)) == ["secretary"]

    rows[1][4:7] = ["10/TB-UBND", "31/02/2023", "khong-co"]
    _p, plan = plan_for(world, xlsx_bytes(rows, headers))
    assert row_errors(plan) == {3: ["Ngày thông báo “31/02/2023” không hợp lệ (ghi dd/mm/yyyy)."]}
    rows[1][5] = "18/01/2023"
    _p, plan = plan_for(world, xlsx_bytes(rows, headers))
    assert row_errors(plan) == {3: ["“Số thông báo” khác với dòng 2 của cùng khối.", "Không có người dùng “khong-co” trong Ninh Thuận."]}
    rows[1][4] = ""  # an empty cell leaves the notice as the other row gives it
    rows[1][6] = "secretary"
    _p, plan = plan_for(world, xlsx_bytes(rows, headers))
    assert plan.is_valid and not plan.has_changes


def transfer_headers():
    return ["Năm", "Khối thi đua", "Tên đơn vị", "Vai trò trong khối"]


def test_file_lists_the_whole_bloc_year(world):
    """Members not in the file leave the bloc-year; the preview says so before anything is saved."""
    a, b = world.agencies[:2]
    rows = [[2022, world.bloc.name, a.name, "Trưởng khối"], [2022, world.bloc.name, b.name, "Phó khối"]]
    parsed, plan = plan_for(world, xlsx_bytes(rows, transfer_headers()))
    by_plan = plan.bloc_years[(transfer.norm(world.bloc.name), 2022)]
    assert by_plan.removed == sorted(x.name for x in world.agencies[2:])
    assert world.bloc_year.memberships.count() == 4
    apply(world, parsed)
    assert world.bloc_year.memberships.count() == 2


def test_confirm_revalidates_against_the_database(world):
    parsed, plan = plan_for(world, xlsx_bytes([[2023, NEW_BLOC, world.agencies[0].name, "Thành viên"]], transfer_headers()))
    assert plan.is_valid
    make_bloc_year(world.province, [world.agencies[0]], year=2023, name="Khối đến sau")
    with pytest.raises(ValidationError):
        apply(world, parsed)
    assert not Bloc.objects.filter(name=NEW_BLOC).exists()


def test_validation_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    rows = [[2023, NEW_BLOC, f"Đơn vị mới {i}", f"DV{i}", "Sở", "", "", "", ""] for i in range(300)]
    parsed = transfer.import_parse(filename="x.xlsx", content=xlsx_bytes(rows))
    with django_assert_max_num_queries(10):
        plan = transfer.import_validate(province=world.province, parsed=parsed)
    assert plan.is_valid


# --- export ----------------------------------------------------------------------------------


def sheet_rows(content, index=0):
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in workbook.worksheets[index].iter_rows(values_only=True)]


def test_bloc_year_export_reimports_cleanly(world):
    services.bloc_year_update(
        actor=world.board, bloc_year=world.bloc_year, year=2022, members=world.agencies,
        head=world.agencies[0], deputy=world.agencies[1], notice_number="09/TB-UBND", notice_date=datetime.date(2022, 1, 18),
        secretaries=[world.secretary],
    )
    content = export.bloc_years_xlsx(selectors.bloc_years_for_export(user=world.board))
    rows = sheet_rows(content)
    assert rows[0][:3] == ["Năm", "Khối thi đua", "Tên đơn vị"]
    assert len(rows) == 1 + len(world.agencies)
    head_row = next(r for r in rows if r[2] == world.agencies[0].name)
    assert head_row[8] == "Trưởng khối" and head_row[11] == "secretary" and head_row[12] == "Ninh Thuận"
    summary = sheet_rows(content, 1)
    assert summary[1][3:6] == [world.agencies[0].name, world.agencies[1].name, "09/TB-UBND"]

    parsed, plan = plan_for(world, content)
    assert plan.is_valid, (plan.errors, row_errors(plan))
    assert not plan.has_changes
    audit_count = AuditEntry.objects.count()
    apply(world, parsed)
    assert AuditEntry.objects.count() == audit_count


def test_agency_export_is_the_boards_province_and_reimports(world):
    content = export.agencies_xlsx(selectors.agencies_for_export(user=world.board))
    names = [r[0] for r in sheet_rows(content)[1:]]
    assert world.other_agency.name not in names
    assert set(names) == set(Agency.objects.filter(province=world.province).values_list("name", flat=True))
    _parsed, plan = plan_for(world, content)
    assert plan.is_valid and not plan.has_changes

    central_names = [r[0] for r in sheet_rows(export.agencies_xlsx(selectors.agencies_for_export(user=world.central)))[1:]]
    assert world.other_agency.name in central_names


def test_import_template_is_a_valid_import_file(world):
    content = export.import_template_xlsx(province_name="Ninh Thuận", year=2030)
    _parsed, plan = plan_for(world, content)
    assert plan.is_valid, (plan.errors, row_errors(plan))
    assert plan.has_changes


def test_export_keeps_text_that_looks_like_a_formula_as_text(world):
    agency = world.agencies[0]
    agency.leader_name = '=HYPERLINK("http://example.com","bấm")'
    agency.save()
    content = export.agencies_xlsx(selectors.agencies_for_export(user=world.board))
    workbook = load_workbook(io.BytesIO(content))
    cell = next(row[3] for row in workbook.worksheets[0].iter_rows(min_row=2) if row[0].value == agency.name)
    assert cell.data_type == "s" and cell.value == agency.leader_name
    _parsed, plan = plan_for(world, content)
    assert plan.is_valid and not plan.has_changes


def test_demo_bloc_years_round_trip(db):
    """The whole demo province (several blocs, three years, notices, secretaries) re-imports as it is."""
    from blocs import demo
    from blocs.models import User

    loaded = demo.load()
    board = User.objects.get(username="bantdkt")
    content = export.bloc_years_xlsx(selectors.bloc_years_for_export(user=board))
    parsed = transfer.import_parse(filename="demo.xlsx", content=content)
    plan = transfer.import_validate(province=loaded["ninh_thuan"], parsed=parsed)
    assert plan.is_valid, (plan.errors, row_errors(plan))
    assert len(plan.bloc_years) == BlocYear.objects.filter(bloc__province=loaded["ninh_thuan"]).count()
    assert not plan.has_changes


# --- one transaction -------------------------------------------------------------------------

TOUCHED = (Agency, Bloc, BlocYear, Membership, RoleAssignment, AuditEntry)


def snapshot():
    """Every row of every table an import writes, by table."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in TOUCHED}


def ten_rows(world):
    """Agency changes, a member moving between blocs, a new secretary, then six new agencies in new blocs."""
    a, b, c, d = world.agencies
    headers = [*transfer_headers(), "Loại", "Người đứng đầu", "Thư ký khối (tên đăng nhập)"]
    rows = [
        [2022, world.bloc.name, a.name, "Trưởng khối", "", "Người Đứng Đầu Mới", ""],
        [2022, world.bloc.name, b.name, "Phó khối", "", "", ""],
        [2022, world.bloc.name, c.name, "", "", "", ""],
        [2022, "Khối chuyển đến", d.name, "Trưởng khối", "", "", "officer"],
    ]
    rows += [[2023, f"Khối mới {n}", f"Đơn vị mới {n}", "Trưởng khối", "Sở", "", ""] for n in range(5, 11)]
    return xlsx_bytes(rows, headers)


def test_an_import_failing_half_way_leaves_the_database_as_it_was(world, monkeypatch):
    """Row 5's bloc-year breaks a database constraint at save time, after agencies were created,
    a member was moved and a secretary named: all of it is rolled back, audit entries included."""
    parsed, plan = plan_for(world, ten_rows(world))
    assert plan.is_valid, row_errors(plan)
    assert plan.summary() == {"agencies_created": 6, "agencies_updated": 1, "bloc_years_created": 7, "bloc_years_updated": 1}
    before = snapshot()
    at_failure = {}
    original_save = BlocYear.save

    def save_failing_for_row_5(self, *args, **kwargs):
        if self.bloc.name == "Khối mới 5":
            at_failure.update(snapshot())
            raise IntegrityError("simulated: a constraint only the database checks")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(BlocYear, "save", save_failing_for_row_5)
    with pytest.raises(ValidationError) as info:
        apply(world, parsed)
    assert [name for name in before if at_failure[name] == before[name]] == [], "every table had been written to"
    assert "chưa có gì được lưu" in info.value.messages[0]
    assert snapshot() == before

    monkeypatch.undo()
    assert apply(world, parsed) == plan.summary(), "the same file goes through once the cause is gone"
    assert Membership.objects.get(agency=world.agencies[3], year=2022).bloc_year.bloc.name == "Khối chuyển đến"
