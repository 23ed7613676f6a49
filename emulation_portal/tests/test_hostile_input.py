"""Hostile input is answered, never a 500: NUL bytes and control characters in URLs and forms,
text of nothing but zero-width characters, a megabyte of text.

NUL fails only on PostgreSQL (it cannot store or compare it), so these tests also run there
(DATABASE_URL=postgres://…); on SQLite they still check the answer and that nothing with a NUL,
a control character or an invisible-only value was stored.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from pledges.models import Comment, Signature
from pledges.tests.helpers import make_draft, make_signing

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


# --- query parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["blocs:agency_list", "blocs:bloc_list", "blocs:blocyear_list"])
def test_a_nul_in_a_list_search_gives_the_cleaned_search(world, client_for, name):
    response = client_for(world.board).get(reverse(name) + "?q=a%00b&status=active%00&year=2022%00&page=1%00")
    assert response.status_code == 200
    text = response.content.decode()
    assert "\x00" not in text
    assert 'value="a b"' in text


def test_a_search_with_a_nul_still_finds_by_the_cleaned_words(world, client_for):
    agency = world.agencies[0]
    first, rest = agency.name.split(" ", 1)
    response = client_for(world.board).get(reverse("blocs:agency_list"), {"q": f"{first}\x00{rest}"})
    assert response.status_code == 200
    assert agency.name in response.content.decode()


@pytest.mark.parametrize("name", ["blocs:agency_export", "blocs:blocyear_export"])
def test_a_nul_in_an_export_search_still_gives_the_file(world, client_for, name):
    response = client_for(world.board).get(reverse(name) + "?q=a%00b&status=%00&year=2022%00")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


@pytest.mark.parametrize("name", ["pledges:list", "meetings:list"])
def test_a_nul_in_the_pledge_and_meeting_lists_is_ignored(world, client_for, name):
    response = client_for(world.secretary).get(reverse(name) + "?q=a%00b&year=2022%00&state=draft%00&page=%00")
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()


@pytest.mark.parametrize("name", ["pledges:list", "meetings:list", "blocs:blocyear_list", "blocs:blocyear_export"])
def test_a_year_out_of_range_is_ignored(world, client_for, name):
    response = client_for(world.board).get(reverse(name) + "?year=99999999999999999999999")
    assert response.status_code == 200


def test_a_nul_on_the_news_list_is_ignored(world, client):
    response = client.get(reverse("meetings:news_list", args=[world.province.code]) + "?page=1%00")
    assert response.status_code == 200


# --- codes in the path ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/verify/AB%00CD/", "/verify/AB%00CD/pdf/", "/verify/%07%1B/", "/verify/AB%E2%80%AECD/pdf/"])
def test_a_verification_code_with_control_characters_is_not_found(db, client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "\x00" not in response.content.decode()


def test_posting_a_file_to_a_code_with_a_nul_is_not_found(db, client):
    assert client.post("/verify/AB%00CD/", {}).status_code == 404


# --- forms -------------------------------------------------------------------------------------------


def _sign_data(version, **extra):
    data = {"signer_name": "Lãnh Đạo", "signer_title": "Giám đốc", "capacity": "self", "content_hash": version.content_hash, "confirm": "on"}
    data.update(extra)
    return data


@pytest.mark.parametrize("name", ["Nguyễn\x1bVăn A", "Nguyễn\x00Văn A", "Nguyễn\u202eA nă\u202cV", "Nguyễn\nVăn A"])
def test_a_signer_name_with_control_characters_is_refused(world, client_for, name):
    version = make_signing(world)
    response = client_for(world.leader).post(reverse("pledges:sign", args=[version.pk]), _sign_data(version, signer_name=name))
    assert response.status_code == 200
    assert "signer_name" in response.context["form"].errors
    assert not Signature.objects.exists()


def test_a_signer_name_typed_decomposed_is_stored_composed(world, client_for):
    version = make_signing(world)
    data = _sign_data(version, signer_name=" Nguye\u0302\u0303n Văn A\t")
    response = client_for(world.leader).post(reverse("pledges:sign", args=[version.pk]), data)
    assert response.status_code == 302
    assert Signature.objects.get().signer_name == "Nguyễn Văn A"


def _review(world):
    from pledges import services

    version = make_draft(world)
    services.review_open(actor=world.secretary, version=version)
    return version


@pytest.mark.parametrize("body", [ZERO_WIDTH, f"\n {ZERO_WIDTH}\u00a0\n", "Góp ý\x00"])
def test_a_comment_of_invisible_or_control_characters_is_refused(world, client_for, body):
    version = _review(world)
    response = client_for(world.leader).post(reverse("pledges:comment", args=[version.pk]), {"body": body})
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    assert not Comment.objects.exists()


def test_a_megabyte_comment_is_refused(world, client_for):
    version = _review(world)
    response = client_for(world.leader).post(reverse("pledges:comment", args=[version.pk]), {"body": "x" * 1_000_000})
    assert response.status_code == 302
    shown = list(get_messages(response.wsgi_request))
    assert [m.level_tag for m in shown] == ["error"]
    assert "tối đa" in shown[0].message  # the page says why: too long, not "empty"
    assert not Comment.objects.exists()


def test_a_megabyte_comment_is_explained_by_the_form(world):
    from pledges.forms import CommentForm

    form = CommentForm({"body": "x" * 1_000_000})
    assert not form.is_valid()
    assert "tối đa" in form.errors["body"][0]


def test_a_comment_within_the_cap_is_kept_whole(world, client_for, settings):
    version = _review(world)
    body = "Góp ý\r\n\tchi tiết " + "x" * 1000
    response = client_for(world.leader).post(reverse("pledges:comment", args=[version.pk]), {"body": body})
    assert response.status_code == 302
    assert Comment.objects.get().body == body
