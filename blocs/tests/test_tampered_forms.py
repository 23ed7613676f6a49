"""The bloc-year form posted with ids no page offers: a form error with a message, never a 500."""

import pytest
from django.urls import reverse

from blocs.models import BlocYear, Membership, Role, RoleAssignment

BAD_IDS = ["9" * 20, "-" + "9" * 20, "18446744073709551616", "-1", "0", "abc", "1\x00", "1.5", " ", "１２"]


def year_data(world, **overrides):
    data = {
        "year": "2022",
        "members": [str(agency.pk) for agency in world.agencies],
        "head": str(world.agencies[0].pk),
        "deputy": str(world.agencies[1].pk),
        "secretaries": [str(world.secretary.pk)],
    }
    data.update(overrides)
    return data


def saved(bloc_year):
    return (
        sorted(Membership.objects.filter(bloc_year=bloc_year).values_list("agency_id", flat=True)),
        sorted(RoleAssignment.objects.filter(bloc_year=bloc_year, role=Role.SECRETARY).values_list("user_id", flat=True)),
        BlocYear.objects.filter(pk=bloc_year.pk).values_list("head_id", "deputy_id").get(),
    )


@pytest.mark.parametrize("field", ["members", "secretaries", "head", "deputy"])
@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_id_in_the_edit_form_is_a_form_error(world, client_for, field, bad):
    before = saved(world.bloc_year)
    value = [*year_data(world)[field], bad] if field in ("members", "secretaries") else bad
    response = client_for(world.board).post(reverse("blocs:blocyear_edit", args=[world.bloc_year.pk]), year_data(world, **{field: value}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "không hợp lệ" in body or "không có trong danh sách" in body or "Hãy chọn" in body, body[:3000]
    assert saved(world.bloc_year) == before


@pytest.mark.parametrize("bad", ["9" * 20, "abc", "1\x00", "-1"])
def test_bad_id_in_the_create_form_saves_nothing(world, client_for, bad):
    count = BlocYear.objects.count()
    data = year_data(world, year="2023", members=[str(world.agencies[0].pk), bad], secretaries=[bad])
    response = client_for(world.board).post(reverse("blocs:blocyear_create", args=[world.bloc.pk]), data)
    assert response.status_code == 200
    assert BlocYear.objects.count() == count


def test_many_ids_are_refused_without_a_query_each(world, client_for, django_assert_max_num_queries):
    data = year_data(world, members=[str(10**15 + i) for i in range(900)])
    client = client_for(world.board)
    client.get(reverse("blocs:blocyear_edit", args=[world.bloc_year.pk]))
    with django_assert_max_num_queries(40):
        response = client.post(reverse("blocs:blocyear_edit", args=[world.bloc_year.pk]), data)
    assert response.status_code == 200 and "không nằm trong danh sách" in response.content.decode()


def test_more_fields_than_allowed_is_a_400(world, client_for):
    data = year_data(world, members=[str(i) for i in range(1, 5000)])
    response = client_for(world.board).post(reverse("blocs:blocyear_edit", args=[world.bloc_year.pk]), data)
    assert response.status_code == 400
