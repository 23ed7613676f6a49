"""Every blocs view × each role and outsiders: allowed, 403, 404, wrong method."""

import pytest
from django.urls import reverse

from blocs.tests.filebuilders import xlsx_bytes

ROLES = ["board", "central", "secretary", "leader", "officer", "nonmember", "outsider", "stranger"]


def url(world, name):
    args = {
        "bloc": [world.bloc.pk],
        "bloc_pk": [world.bloc.pk],
        "bloc_year": [world.bloc_year.pk],
        "agency": [world.agencies[3].pk],
    }
    kind = {
        "blocs:agency_edit": "agency",
        "blocs:bloc_detail": "bloc",
        "blocs:bloc_edit": "bloc",
        "blocs:blocyear_create": "bloc_pk",
        "blocs:blocyear_detail": "bloc_year",
        "blocs:blocyear_edit": "bloc_year",
        "blocs:blocyear_copy": "bloc_year",
    }.get(name)
    return reverse(name, args=args[kind] if kind else [])


# status by role, in the order of ROLES
PROVINCE_READ = [200, 200, 403, 403, 403, 403, 200, 403]  # board pages of one's own province (central: all)
PROVINCE_MANAGE = [200, 403, 403, 403, 403, 403, 200, 403]  # the board's forms; the outsider manages their own province
BLOC_READ = [200, 200, 200, 200, 200, 404, 404, 404]
BLOC_CHANGE = [200, 403, 403, 403, 403, 404, 404, 404]
AGENCY_CHANGE = [200, 403, 404, 404, 404, 404, 404, 404]
EVERYONE = [200] * 8

GET_VIEWS = {
    "blocs:agency_list": PROVINCE_READ,
    "blocs:agency_create": PROVINCE_MANAGE,
    "blocs:agency_edit": AGENCY_CHANGE,
    "blocs:agency_export": PROVINCE_READ,
    "blocs:bloc_list": PROVINCE_READ,
    "blocs:bloc_create": PROVINCE_MANAGE,
    "blocs:bloc_detail": BLOC_READ,
    "blocs:bloc_edit": BLOC_CHANGE,
    "blocs:blocyear_create": BLOC_CHANGE,
    "blocs:blocyear_list": PROVINCE_READ,
    "blocs:blocyear_export": PROVINCE_READ,
    "blocs:blocyear_detail": BLOC_READ,
    "blocs:blocyear_edit": BLOC_CHANGE,
    "blocs:my_bloc": EVERYONE,
    "blocs:import_upload": PROVINCE_MANAGE,
    "blocs:import_template": PROVINCE_MANAGE,
}
GET_ONLY = [
    "blocs:agency_list", "blocs:agency_export", "blocs:bloc_list", "blocs:bloc_detail", "blocs:blocyear_list",
    "blocs:blocyear_export", "blocs:blocyear_detail", "blocs:my_bloc", "blocs:import_preview", "blocs:import_template",
]
POST_ONLY = ["blocs:blocyear_copy", "blocs:import_confirm", "blocs:import_cancel"]


@pytest.mark.parametrize("name", list(GET_VIEWS))
def test_get_view_by_role(world, client_for, name):
    target = url(world, name)
    got = [client_for(getattr(world, role)).get(target).status_code for role in ROLES]
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, GET_VIEWS[name], strict=True))


@pytest.mark.parametrize("name", [*GET_VIEWS, "blocs:import_preview", *POST_ONLY])
def test_anonymous_is_sent_to_login(world, client_for, name):
    response = client_for(None).generic("POST" if name in POST_ONLY else "GET", url(world, name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", GET_ONLY)
def test_get_only_views_refuse_post(world, client_for, name):
    assert client_for(world.board).post(url(world, name)).status_code == 405


@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_views_refuse_get(world, client_for, name):
    assert client_for(world.board).get(url(world, name)).status_code == 405


@pytest.mark.parametrize("name", [n for n in GET_VIEWS if n not in GET_ONLY])
def test_form_views_refuse_put_and_delete(world, client_for, name):
    client = client_for(world.board)
    assert client.put(url(world, name)).status_code == 405
    assert client.delete(url(world, name)).status_code == 405


@pytest.mark.parametrize(
    ("role", "status"),
    [("board", 302), ("central", 403), ("secretary", 403), ("leader", 403), ("officer", 403), ("nonmember", 404), ("outsider", 404), ("stranger", 404)],
)
def test_copy_by_role(world, client_for, role, status):
    response = client_for(getattr(world, role)).post(url(world, "blocs:blocyear_copy"), {"year": 2023})
    assert response.status_code == status
    assert world.bloc.years.filter(year=2023).exists() == (status == 302)


@pytest.mark.parametrize("role", ["central", "secretary", "leader", "officer", "nonmember", "stranger"])
@pytest.mark.parametrize("name", ["blocs:import_preview", "blocs:import_confirm", "blocs:import_cancel"])
def test_import_steps_are_the_boards(world, client_for, role, name):
    client = client_for(getattr(world, role))
    response = client.post(url(world, name)) if name != "blocs:import_preview" else client.get(url(world, name))
    assert response.status_code == 403


def test_agency_pages_of_another_province_are_404_for_the_board(world, client_for):
    response = client_for(world.board).get(reverse("blocs:agency_edit", args=[world.other_agency.pk]))
    assert response.status_code == 404


def test_missing_objects_are_404(world, client_for):
    client = client_for(world.board)
    for name in ("blocs:agency_edit", "blocs:bloc_detail", "blocs:bloc_edit", "blocs:blocyear_detail", "blocs:blocyear_edit"):
        assert client.get(reverse(name, args=[999999])).status_code == 404, name
    assert client.post(reverse("blocs:blocyear_copy", args=[999999]), {"year": 2023}).status_code == 404


# --- the board's work through the forms -------------------------------------------------------


def test_board_creates_agency_bloc_and_bloc_year(world, client_for):
    client = client_for(world.board)
    response = client.post(reverse("blocs:agency_create"), {"name": "Sở Ngoại vụ", "short_name": "SNgV", "kind": "so", "status": "active"})
    assert response.status_code == 302
    response = client.post(reverse("blocs:bloc_create"), {"name": "Khối mới", "description": ""})
    assert response.status_code == 302
    from blocs.models import Agency, Bloc

    bloc = Bloc.objects.get(name="Khối mới")
    new = Agency.objects.get(name="Sở Ngoại vụ")
    members = [world.outside_agency.pk, new.pk]
    response = client.post(
        reverse("blocs:blocyear_create", args=[bloc.pk]),
        {"year": 2022, "members": members, "head": new.pk, "deputy": world.outside_agency.pk, "notice_number": "09/TB-UBND", "notice_date": "2022-01-18"},
    )
    assert response.status_code == 302, response.context["form"].errors
    bloc_year = bloc.years.get(year=2022)
    assert set(bloc_year.agencies.all()) == {new, world.outside_agency}


def test_rule_errors_show_on_the_form_in_vietnamese(world, client_for):
    client = client_for(world.board)
    from blocs.models import Bloc

    bloc = Bloc.objects.create(province=world.province, name="Khối mới")
    response = client.post(
        reverse("blocs:blocyear_create", args=[bloc.pk]),
        {"year": 2022, "members": [world.agencies[0].pk], "head": world.outside_agency.pk},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert f"{world.agencies[0].name} đã là thành viên của {world.bloc.name} năm 2022." in text
    assert "Trưởng khối phải là thành viên của khối trong năm." in text


def test_copy_to_an_existing_year_shows_an_error(world, client_for):
    client = client_for(world.board)
    response = client.post(url(world, "blocs:blocyear_copy"), {"year": 2022}, follow=True)
    assert "đã có danh sách năm 2022" in response.content.decode()


def test_my_bloc_shows_the_bloc_of_the_users_agency(world, client_for):
    text = client_for(world.leader).get(reverse("blocs:my_bloc")).content.decode()
    assert world.bloc.name in text and world.agencies[0].name in text
    text = client_for(world.nonmember).get(reverse("blocs:my_bloc")).content.decode()
    assert world.bloc.name not in text
    assert "chưa thuộc khối thi đua nào" in text


def test_list_links_to_import_and_export(world, client_for):
    for name in ("blocs:agency_list", "blocs:blocyear_list"):
        text = client_for(world.board).get(reverse(name)).content.decode()
        assert reverse("blocs:import_upload") in text
        text = client_for(world.central).get(reverse(name)).content.decode()
        assert reverse("blocs:import_upload") not in text
        assert "export.xlsx" in text


def test_export_responses_are_xlsx(world, client_for):
    response = client_for(world.board).get(reverse("blocs:blocyear_export"), {"year": 2022})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


# --- import through the pages ----------------------------------------------------------------


def upload(client, rows, name="ds.xlsx", headers=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = xlsx_bytes(rows, headers) if headers else xlsx_bytes(rows)
    return client.post(reverse("blocs:import_upload"), {"file": SimpleUploadedFile(name, content)})


def test_import_upload_preview_confirm(world, client_for):
    client = client_for(world.board)
    response = upload(client, [[2023, "Khối nhập", world.agencies[0].name, "", "", "", "", "", "Trưởng khối"]])
    assert response.status_code == 302 and response["Location"] == reverse("blocs:import_preview")
    preview = client.get(reverse("blocs:import_preview"))
    text = preview.content.decode()
    assert "Tệp hợp lệ" in text and "Xác nhận nhập" in text
    sha = preview.context["plan"].parsed.sha256
    assert client.post(reverse("blocs:import_confirm"), {"sha256": "0" * 64}).status_code == 302
    assert not world.bloc.__class__.objects.filter(name="Khối nhập").exists(), "a stale or foreign preview is not applied"
    upload(client, [[2023, "Khối nhập", world.agencies[0].name, "", "", "", "", "", "Trưởng khối"]])
    # A freshly written .xlsx carries its creation time, so take the hash of this upload's preview.
    sha = client.get(reverse("blocs:import_preview")).context["plan"].parsed.sha256
    response = client.post(reverse("blocs:import_confirm"), {"sha256": sha}, follow=True)
    assert "Đã nhập tệp ds.xlsx" in response.content.decode()
    assert world.bloc.__class__.objects.filter(name="Khối nhập").exists()
    assert client.get(reverse("blocs:import_preview")).status_code == 302, "the session is cleared after confirm"


def test_import_preview_lists_errors_and_offers_no_confirm(world, client_for):
    client = client_for(world.board)
    upload(client, [[2022, "Khối nhập", world.agencies[0].name, "", "", "", "", "", ""], ["abc", "Khối nhập", "Sở Lạ", "", "", "", "", "", ""]])
    text = client.get(reverse("blocs:import_preview")).content.decode()
    assert "Tệp có 2 lỗi" in text
    assert f"đã là thành viên của {world.bloc.name} năm 2022" in text
    assert "Năm “abc” không hợp lệ" in text
    assert 'id="import-confirm"' not in text


def test_import_confirm_of_an_invalid_file_saves_nothing(world, client_for):
    client = client_for(world.board)
    upload(client, [["", "", "Sở Lạ", "", "", "", "", "", ""]])
    sha = client.get(reverse("blocs:import_preview")).context["plan"].parsed.sha256
    response = client.post(reverse("blocs:import_confirm"), {"sha256": sha})
    assert response["Location"] == reverse("blocs:import_preview")
    assert not world.province.agencies.filter(name="Sở Lạ").exists()


def test_import_cancel_forgets_the_file(world, client_for):
    client = client_for(world.board)
    upload(client, [["", "", world.agencies[0].name, "", "", "", "", "", ""]])
    client.post(reverse("blocs:import_cancel"))
    assert client.get(reverse("blocs:import_preview")).status_code == 302


def test_import_form_refuses_other_extensions(world, client_for):
    response = upload(client_for(world.board), [], name="ds.pdf")
    assert response.status_code == 200
    assert "Chỉ nhận tệp .xlsx hoặc .csv." in response.content.decode()


def test_pending_import_of_another_province_is_not_usable(world, client_for):
    """A session prepared for one province cannot be confirmed by someone not managing it."""
    client = client_for(world.board)
    upload(client, [["", "", world.agencies[0].name, "", "", "", "", "", ""]])
    session = client.session
    session["blocs_import"]["province_id"] = world.other_province.pk
    session.save()
    assert client.get(reverse("blocs:import_preview")).status_code == 302


def test_bloc_year_list_pages_keep_the_year_filter(world, client_for):
    from blocs.models import Bloc, BlocYear

    for i in range(60):
        BlocYear.objects.create(bloc=Bloc.objects.create(province=world.province, name=f"Khối phân trang {i:02d}"), year=2022)
    text = client_for(world.board).get(reverse("blocs:blocyear_list"), {"year": 2022}).content.decode()
    assert "?year=2022&amp;page=2" in text


def test_admin_changing_a_bloc_years_year_moves_its_memberships(world, client_for, django_user_model):
    from emulation_portal.testing import PASSWORD

    admin = django_user_model.objects.create_superuser("quantri", "qt@example.vn", PASSWORD)
    by = world.bloc_year
    memberships = list(by.memberships.order_by("pk"))
    data = {
        "bloc": by.bloc_id, "year": 2023, "head": by.head_id, "deputy": by.deputy_id, "notice_number": "", "notice_date": "",
        "memberships-TOTAL_FORMS": len(memberships), "memberships-INITIAL_FORMS": len(memberships),
        "memberships-MIN_NUM_FORMS": 0, "memberships-MAX_NUM_FORMS": 1000,
    }
    for i, m in enumerate(memberships):
        data |= {f"memberships-{i}-id": m.pk, f"memberships-{i}-bloc_year": by.pk, f"memberships-{i}-agency": m.agency_id}
    response = client_for(admin).post(f"/admin/blocs/blocyear/{by.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(by.memberships.values_list("year", flat=True)) == {2023}


def test_a_superuser_chooses_the_province_to_import_into(world, client_for, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from emulation_portal.testing import PASSWORD

    admin = django_user_model.objects.create_superuser("quantri", "qt@example.vn", PASSWORD)
    client = client_for(admin)
    assert 'name="province"' in client.get(reverse("blocs:import_upload")).content.decode()
    content = xlsx_bytes([["", "", world.other_agency.name, "", "", "", "", "", ""]])
    response = client.post(
        reverse("blocs:import_upload"), {"province": world.other_province.pk, "file": SimpleUploadedFile("ds.xlsx", content)}
    )
    assert response.status_code == 302
    plan = client.get(reverse("blocs:import_preview")).context["plan"]
    assert plan.province == world.other_province and plan.is_valid


@pytest.mark.parametrize("name", ["blocs:agency_create", "blocs:bloc_create"])
def test_a_superuser_chooses_the_province_of_a_new_agency_or_bloc(world, client_for, django_user_model, name):
    from emulation_portal.testing import PASSWORD

    admin = django_user_model.objects.create_superuser("quantri", "qt@example.vn", PASSWORD)
    client = client_for(admin)
    assert 'name="province"' in client.get(reverse(name)).content.decode()
    response = client.post(reverse(name), {"province": world.other_province.pk, "name": "Sở Ngoại vụ", "kind": "so", "status": "active"})
    assert response.status_code == 302
    assert world.other_province.agencies.filter(name="Sở Ngoại vụ").exists() or world.other_province.blocs.filter(name="Sở Ngoại vụ").exists()


def test_import_preview_says_who_leaves_a_bloc_and_head_changes(world, client_for):
    client = client_for(world.board)
    a, b = world.agencies[:2]
    headers = ["Năm", "Khối thi đua", "Tên đơn vị", "Vai trò trong khối"]
    upload(client, [[2022, world.bloc.name, a.name, "Phó khối"], [2022, world.bloc.name, b.name, "Trưởng khối"]], headers=headers)
    text = client.get(reverse("blocs:import_preview")).content.decode()
    assert "Bỏ khỏi khối" in text and world.agencies[3].name in text
    assert f"{a.name} → {b.name}" in text
    assert "Đặt làm Trưởng khối" in text


def test_import_form_refuses_a_file_too_large(world, client_for, monkeypatch):
    monkeypatch.setattr("blocs.forms.MAX_BYTES", 100)
    response = upload(client_for(world.board), [[2023, "Khối", "Một đơn vị có tên rất dài " * 10, "", "Sở", "", "", "", ""]])
    assert response.status_code == 200
    assert "Tệp lớn hơn" in response.content.decode()
