"""Every page of the rule sets for each role, wrong methods, forged ids, bad input, query counts."""

import datetime

import pytest
from django.urls import reverse

from awards import services
from awards.models import AwardType, BlocYearRuleSet, RatingBand, RuleSet
from blocs.models import Role
from emulation_portal.testing import make_province, make_user

D = datetime.date
SOURCE = "Quy chế hoạt động Khối, Điều 8"
ROLES = ["board", "central", "secretary", "leader", "officer", "nonmember", "outsider", "stranger", None]


def _user(world, role):
    return getattr(world, role) if role else None


def _status(client_for, world, role, url, method="get", data=None):
    response = getattr(client_for(_user(world, role)), method)(url, data or {})
    if role is None:
        assert response.status_code == 302 and reverse("login") in response["Location"]
        return "login"
    return response.status_code


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [200, 200, 403, 403, 403, 403, 200, 403, "login"], strict=True)))
def test_list(world, client_for, templates, role, expected):
    assert _status(client_for, world, role, reverse("awards:rule_set_list")) == expected


@pytest.mark.parametrize(("role", "own", "template"), list(zip(
    ROLES, [200, 200, 404, 404, 404, 404, 404, 404, "login"], [200, 200, 404, 404, 404, 404, 200, 404, "login"], strict=True)))
def test_detail(world, client_for, templates, ninh_thuan_rules, role, own, template):
    assert _status(client_for, world, role, reverse("awards:rule_set_detail", args=[ninh_thuan_rules.pk])) == own
    assert _status(client_for, world, role, reverse("awards:rule_set_detail", args=[templates["Nghị định 91/2017/NĐ-CP"].pk])) == template


@pytest.mark.parametrize(("role", "own", "template"), list(zip(
    ROLES, [200, 403, 404, 404, 404, 404, 404, 404, "login"], [403, 403, 404, 404, 404, 404, 403, 404, "login"], strict=True)))
def test_edit_page(world, client_for, templates, ninh_thuan_rules, role, own, template):
    assert _status(client_for, world, role, reverse("awards:rule_set_edit", args=[ninh_thuan_rules.pk])) == own
    assert _status(client_for, world, role, reverse("awards:rule_set_edit", args=[templates["Nghị định 91/2017/NĐ-CP"].pk])) == template


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [200, 403, 404, 404, 404, 404, 200, 404, "login"], strict=True)))
def test_copy_page(world, client_for, templates, role, expected):
    assert _status(client_for, world, role, reverse("awards:rule_set_copy", args=[templates["Nghị định 98/2023/NĐ-CP"].pk])) == expected


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [200, 200, 200, 200, 200, 404, 404, 404, "login"], strict=True)))
def test_quy_che_ap_dung_page(world, client_for, templates, role, expected):
    assert _status(client_for, world, role, reverse("awards:blocyear_rules", args=[world.bloc_year.pk])) == expected


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [302, 403, 403, 403, 403, 404, 404, 404, "login"], strict=True)))
def test_choose(world, client_for, templates, role, expected):
    chosen = templates["Nghị định 152/2025/NĐ-CP"]
    url = reverse("awards:blocyear_rule_set_choose", args=[world.bloc_year.pk])
    assert _status(client_for, world, role, url, "post", {"rule_set": chosen.pk}) == expected
    assert BlocYearRuleSet.objects.filter(bloc_year=world.bloc_year, rule_set=chosen).exists() == (expected == 302)


@pytest.mark.parametrize(("name", "method"), [
    ("rule_set_list", "post"), ("rule_set_detail", "post"), ("rule_set_copy", "put"), ("rule_set_edit", "delete"),
    ("blocyear_rules", "post"), ("blocyear_rule_set_choose", "get"),
])
def test_wrong_method(world, client_for, templates, ninh_thuan_rules, name, method):
    args = [] if name == "rule_set_list" else [world.bloc_year.pk if name.startswith("blocyear") else ninh_thuan_rules.pk]
    assert getattr(client_for(world.board), method)(reverse(f"awards:{name}", args=args)).status_code == 405


def test_forged_ids(world, client_for, templates):
    board = client_for(world.board)
    for name in ("rule_set_detail", "rule_set_copy", "rule_set_edit", "blocyear_rules"):
        assert board.get(reverse(f"awards:{name}", args=[987654])).status_code == 404
    assert board.post(reverse("awards:blocyear_rule_set_choose", args=[987654]), {"rule_set": ""}).status_code == 404
    other = services.rule_set_copy(actor=world.outsider, rule_set=templates["Nghị định 91/2017/NĐ-CP"], province=world.other_province,
                                   name="Khác", valid_from=D(2020, 1, 1), valid_to=D(2020, 12, 31))
    url = reverse("awards:blocyear_rule_set_choose", args=[world.bloc_year.pk])
    for forged in (other.pk, 987654, "abc", "1\x00"):
        response = board.post(url, {"rule_set": forged}, follow=True)
        assert response.status_code == 200
        assert "không áp dụng được cho khối này" in response.content.decode()
    assert not BlocYearRuleSet.objects.exists()


def _edit_data(response, **changes):
    """The edit page's form as posted, with ``changes`` (``key=(value, source)``) to the value rows."""
    data = {"version": response.context["version"]}
    for formset in (response.context["values"], response.context["bands"], response.context["quotas"]):
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        for form in formset:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is None or value is False:
                    continue
                data[form.add_prefix(name)] = "on" if value is True else value
            key = form.initial.get("key")
            if key in changes:
                data[form.add_prefix("value")], data[form.add_prefix("source")] = changes[key]
    return data


def test_board_edits_a_value_with_its_source(world, client_for, ninh_thuan_rules):
    board = client_for(world.board)
    url = reverse("awards:rule_set_edit", args=[ninh_thuan_rules.pk])
    response = board.post(url, _edit_data(board.get(url), bonus_cap=("2,5", SOURCE)))
    assert response.status_code == 302 and response["Location"] == ninh_thuan_rules.get_absolute_url()
    assert ninh_thuan_rules.values.get(key="bonus_cap").source == SOURCE
    page = board.get(response["Location"]).content.decode()
    assert "2,5" in page and SOURCE in page


def test_a_value_without_source_is_refused_and_typed_text_kept(world, client_for, ninh_thuan_rules):
    board = client_for(world.board)
    url = reverse("awards:rule_set_edit", args=[ninh_thuan_rules.pk])
    data = _edit_data(board.get(url), bonus_cap=("4,75", ""), penalty_cap=("ba", "nguồn gõ dở"),
                      score_step=("0,25", "Điều\x00 9"))
    response = board.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phải ghi nguồn" in page and "không phải là một số" in page and "ký tự điều khiển" in page
    assert 'value="4,75"' in page and 'value="nguồn gõ dở"' in page
    assert ninh_thuan_rules.values.get(key="bonus_cap").value == "3"


def test_a_stale_tab_is_told_and_keeps_what_was_typed(world, client_for, ninh_thuan_rules):
    board = client_for(world.board)
    url = reverse("awards:rule_set_edit", args=[ninh_thuan_rules.pk])
    first, second = _edit_data(board.get(url), bonus_cap=("2", SOURCE)), _edit_data(board.get(url), bonus_cap=("1,5", "Điều 9"))
    assert board.post(url, first).status_code == 302
    response = board.post(url, second)
    assert response.status_code == 200
    page = response.content.decode()
    assert "vừa được sửa ở một trang khác" in page and 'value="1,5"' in page and 'value="Điều 9"' in page
    assert ninh_thuan_rules.values.get(key="bonus_cap").value == "2"


def test_a_tampered_edit_form_is_a_message_not_a_500(world, client_for, ninh_thuan_rules):
    board = client_for(world.board)
    url = reverse("awards:rule_set_edit", args=[ninh_thuan_rules.pk])
    data = _edit_data(board.get(url))
    for bad in ({"values-TOTAL_FORMS": "100000"}, {"values-0-key": "cp_flag_proposal_cap"}, {"values-0-key": "x\x00"},
                {"bands-TOTAL_FORMS": "abc"}, {"awards-0-per_bloc_quota": "9" * 30}, {"version": "\x00" * 40}):
        response = board.post(url, {**data, **bad})
        assert response.status_code == 200, bad
        assert "alert-danger" in response.content.decode()
    assert ninh_thuan_rules.values.get(key="cp_flag_proposal_cap").value == "20"


def test_copy_through_the_page(world, client_for, templates):
    board = client_for(world.board)
    template = templates["Nghị định 152/2025/NĐ-CP"]
    url = reverse("awards:rule_set_copy", args=[template.pk])
    response = board.post(url, {"name": "Quy chế 2025", "valid_from": "01/7/2025", "valid_to": "", "province": world.province.pk})
    copy = RuleSet.objects.get(province=world.province, name="Quy chế 2025")
    assert response.status_code == 302 and response["Location"] == copy.get_absolute_url()
    # dates outside the decree: told on the form, typed text kept
    response = board.post(url, {"name": "Quy chế cũ", "valid_from": "01/01/2020", "valid_to": "", "province": world.province.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "nằm trong thời gian hiệu lực của Nghị định 152/2025/NĐ-CP" in page and 'value="Quy chế cũ"' in page
    # another board's province is not a choice
    response = board.post(url, {"name": "X", "valid_from": "01/7/2025", "province": world.other_province.pk})
    assert response.status_code == 200 and not RuleSet.objects.filter(name="X").exists()


def test_the_bloc_year_page_shows_the_applied_rule_set_and_the_boards_form(world, client_for, templates, ninh_thuan_rules):
    url = world.bloc_year.get_absolute_url()
    page = client_for(world.board).get(url).content.decode()
    assert "Quy chế áp dụng" in page and ninh_thuan_rules.name in page and "theo ngày hiệu lực" in page
    assert reverse("awards:blocyear_rule_set_choose", args=[world.bloc_year.pk]) in page
    page = client_for(world.secretary).get(url).content.decode()
    assert ninh_thuan_rules.name in page and reverse("awards:blocyear_rule_set_choose", args=[world.bloc_year.pk]) not in page


def test_board_of_two_provinces_picks_the_province_when_copying(world, client_for, templates):
    third = make_province("Tỉnh Thứ Ba")
    both = make_user("board2", role=Role.BOARD, province=world.province)
    both.role_assignments.create(role=Role.BOARD, province=third)
    page = client_for(both).get(reverse("awards:rule_set_copy", args=[templates["Nghị định 98/2023/NĐ-CP"].pk])).content.decode()
    assert "Tỉnh Thứ Ba" in page and 'name="province"' in page


def _grow(world, templates, n):
    """``n`` provinces with a regulation each, and ``n`` more bands and award types on one of them."""
    template = templates["Nghị định 98/2023/NĐ-CP"]
    for _ in range(n):
        province = make_province()
        rule_set = services.rule_set_copy(actor=None, rule_set=template, province=province, name="Quy chế",
                                          valid_from=D(2024, 1, 1), valid_to=D(2025, 6, 30))
    for i in range(n):
        RatingBand.objects.create(rule_set=rule_set, name=f"Mức {i}", min_total=-100 - i, max_total=-99 - i, order=10 + i, source="x")
        AwardType.objects.create(rule_set=rule_set, code=f"a{i}", name=f"Khen {i}", level="province", source="x")
    return rule_set


def test_list_and_detail_queries_do_not_grow(world, client_for, templates, django_assert_num_queries):
    central = client_for(world.central)
    counts = []
    for n in (1, 6):
        rule_set = _grow(world, templates, n)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as listing:
            assert central.get(reverse("awards:rule_set_list")).status_code == 200
        with CaptureQueriesContext(connection) as detail:
            assert central.get(reverse("awards:rule_set_detail", args=[rule_set.pk])).status_code == 200
        counts.append((len(listing), len(detail)))
    assert counts[0] == counts[1]
