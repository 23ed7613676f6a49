"""Blocs security: boards stay in their province, central reads only, ids of other provinces, import files."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blocs import transfer
from blocs.models import Agency, Bloc, BlocYear, Membership, Role, RoleAssignment
from blocs.tests.filebuilders import xlsx_bytes
from emulation_portal.testing import make_bloc_year, make_user


@pytest.fixture
def other_province_bloc(world):
    return make_bloc_year(world.other_province, [world.other_agency], head=world.other_agency)


def test_the_board_of_province_x_neither_reads_nor_changes_province_y(world, client_for, other_province_bloc):
    bloc_year = other_province_bloc
    client = client_for(world.board)
    assert client.get(reverse("blocs:agency_edit", args=[world.other_agency.pk])).status_code == 404
    assert client.post(reverse("blocs:agency_edit", args=[world.other_agency.pk]), {"name": "Đổi"}).status_code == 404
    assert client.get(reverse("blocs:bloc_detail", args=[bloc_year.bloc.pk])).status_code == 404
    assert client.post(reverse("blocs:bloc_edit", args=[bloc_year.bloc.pk]), {"name": "Đổi"}).status_code == 404
    assert client.post(reverse("blocs:blocyear_create", args=[bloc_year.bloc.pk]), {"year": "2023"}).status_code == 404
    assert client.get(reverse("blocs:blocyear_detail", args=[bloc_year.pk])).status_code == 404
    assert client.post(reverse("blocs:blocyear_edit", args=[bloc_year.pk]), {"year": "2022"}).status_code == 404
    assert client.post(reverse("blocs:blocyear_copy", args=[bloc_year.pk]), {"year": "2023"}).status_code == 404
    for name in ("blocs:agency_list", "blocs:bloc_list", "blocs:blocyear_list"):
        page = client.get(reverse(name)).content.decode()
        assert world.other_agency.name not in page and bloc_year.bloc.name not in page, name
    world.other_agency.refresh_from_db()
    assert world.other_agency.name == "Sở Tỉnh Khác"
    assert not BlocYear.objects.filter(bloc=bloc_year.bloc, year=2023).exists()


def test_exports_hold_only_the_boards_province(world, client_for, other_province_bloc):
    from openpyxl import load_workbook

    client = client_for(world.board)
    for name in ("blocs:agency_export", "blocs:blocyear_export"):
        response = client.get(reverse(name))
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        text = " ".join(str(v) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v)
        assert "Sở Tỉnh Khác" not in text and other_province_bloc.bloc.name not in text, name
        assert response["Content-Disposition"].startswith("attachment;")


def test_a_form_cannot_pull_in_agencies_or_users_of_another_province(world, client_for):
    data = {
        "year": "2022", "members": [str(world.agencies[0].pk), str(world.other_agency.pk)], "head": str(world.other_agency.pk),
        "secretaries": [str(world.stranger.pk)],
    }
    response = client_for(world.board).post(reverse("blocs:blocyear_edit", args=[world.bloc_year.pk]), data)
    assert response.status_code == 200
    assert not Membership.objects.filter(agency=world.other_agency).exists()
    assert not RoleAssignment.objects.filter(user=world.stranger, role=Role.SECRETARY).exists()
    data = {"name": world.agencies[0].name, "kind": "so", "status": "merged", "status_date": "2025-07-01",
            "successor": str(world.other_agency.pk)}
    response = client_for(world.board).post(reverse("blocs:agency_edit", args=[world.agencies[0].pk]), data)
    assert response.status_code == 200
    world.agencies[0].refresh_from_db()
    assert world.agencies[0].successor_id is None


def test_a_board_managing_one_province_cannot_create_in_another(world, client_for):
    data = {"province": str(world.other_province.pk), "name": "Khối lấn tỉnh", "description": ""}
    client_for(world.board).post(reverse("blocs:bloc_create"), data)
    assert not Bloc.objects.filter(name="Khối lấn tỉnh", province=world.other_province).exists()
    data = {"province": str(world.other_province.pk), "name": "Sở lấn tỉnh", "kind": "so", "status": "active"}
    client_for(world.board).post(reverse("blocs:agency_create"), data)
    assert not Agency.objects.filter(name="Sở lấn tỉnh", province=world.other_province).exists()


@pytest.mark.parametrize("who", ["central", "secretary", "leader", "officer"])
def test_people_who_are_not_the_board_change_nothing(world, client_for, who):
    client = client_for(getattr(world, who))
    expected = {"central": 403}.get(who)
    responses = [
        client.post(reverse("blocs:agency_create"), {"name": "Mới", "kind": "so", "status": "active"}),
        client.post(reverse("blocs:bloc_create"), {"name": "Khối mới"}),
        client.post(reverse("blocs:bloc_edit", args=[world.bloc.pk]), {"name": "Đổi tên"}),
        client.post(reverse("blocs:blocyear_edit", args=[world.bloc_year.pk]), {"year": "2022"}),
        client.post(reverse("blocs:blocyear_copy", args=[world.bloc_year.pk]), {"year": "2023"}),
        client.post(reverse("blocs:agency_edit", args=[world.agencies[1].pk]), {"name": "Đổi"}),
        client.post(reverse("blocs:import_upload"), {}),
        client.post(reverse("blocs:import_confirm"), {}),
    ]
    for response in responses:
        assert response.status_code in ((expected,) if expected else (403, 404))
    assert not Agency.objects.filter(name__in=["Mới", "Đổi"]).exists()
    assert not Bloc.objects.filter(name__in=["Khối mới", "Đổi tên"]).exists()
    assert not BlocYear.objects.filter(year=2023).exists()


def test_an_import_waiting_in_the_session_is_applied_only_to_a_province_the_user_manages(world, client_for):
    """The session holds the province of the preview; a board that lost the province may not confirm."""
    content = xlsx_bytes([[2022, "Khối lấn", "Sở Lấn Tỉnh", "SLT", "Sở", "", "", "", ""]])
    client = client_for(world.board)
    client.post(reverse("blocs:import_upload"), {"file": SimpleUploadedFile("a.xlsx", content)})
    session = client.session
    session["blocs_import"]["province_id"] = world.other_province.pk
    session.save()
    import hashlib

    client.post(reverse("blocs:import_confirm"), {"sha256": hashlib.sha256(content).hexdigest()})
    assert not Agency.objects.filter(name="Sở Lấn Tỉnh").exists()


# --- import files --------------------------------------------------------------------------------


def _zip_bomb_xlsx(padding):
    """A valid .xlsx whose sheet is far larger unpacked than packed."""
    source = io.BytesIO(xlsx_bytes([[2022, "Khối", "Sở A", "SA", "Sở", "", "", "", ""]]))
    target = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b"<!-- " + b"A" * padding + b" --></worksheet>")
            bomb.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return target.getvalue()


def test_an_xlsx_that_unpacks_far_beyond_the_limit_is_refused_unread(db, monkeypatch):
    monkeypatch.setattr(transfer.parse, "MAX_UNZIPPED_BYTES", 200_000, raising=False)
    content = _zip_bomb_xlsx(padding=1_000_000)
    assert len(content) < 50_000
    called = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: called.append(1))
    parsed = transfer.import_parse(filename="bom.xlsx", content=content)
    assert called == []
    assert parsed.rows == [] and any("quá lớn" in e for e in parsed.errors)


def test_an_ordinary_xlsx_still_imports(db):
    parsed = transfer.import_parse(filename="ok.xlsx", content=_zip_bomb_xlsx(padding=10))
    assert parsed.errors == [] and parsed.rows[0][1]["name"] == "Sở A"


def test_a_fake_xlsx_is_a_message_not_a_500(world, client_for):
    client = client_for(world.board)
    response = client.post(reverse("blocs:import_upload"), {"file": SimpleUploadedFile("a.xlsx", b"<html>not excel</html>")})
    assert response.status_code == 302
    page = client.get(reverse("blocs:import_preview")).content.decode()
    assert "Không đọc được tệp Excel" in page


def test_user_text_is_escaped_in_the_board_pages(world, client_for):
    evil = '<img src=x onerror="alert(1)">'
    Agency.objects.filter(pk=world.agencies[1].pk).update(leader_name=evil, short_name=evil)
    Bloc.objects.filter(pk=world.bloc.pk).update(description=evil)
    user = make_user(agency=world.agencies[1], full_name=evil)
    RoleAssignment.objects.create(user=user, role=Role.SECRETARY, bloc_year=world.bloc_year)
    client = client_for(world.board)
    for url in (
        reverse("blocs:agency_list"), reverse("blocs:bloc_detail", args=[world.bloc.pk]),
        reverse("blocs:blocyear_detail", args=[world.bloc_year.pk]), reverse("blocs:blocyear_edit", args=[world.bloc_year.pk]),
    ):
        page = client.get(url).content.decode()
        assert "<img src=x" not in page, url


def test_export_survives_control_characters_in_user_text(world, client_for):
    """A name pasted from Word can carry control characters that openpyxl refuses to write."""
    from openpyxl import load_workbook

    Agency.objects.filter(pk=world.agencies[1].pk).update(leader_name="Nguyễn\x0bVăn\x1fA", short_name="=1+1")
    client = client_for(world.board)
    client.raise_request_exception = False
    for name in ("blocs:agency_export", "blocs:blocyear_export"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        workbook = load_workbook(io.BytesIO(response.content))
        values = [c.value for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
        assert "NguyễnVănA" in values and "=1+1" in values, name
        assert all(c.data_type != "f" for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row)
