"""core.access: one rule answers for lists and for single objects (404 / 403 / allowed)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from blocs.models import Agency, Bloc, BlocYear, Province
from core import access
from core.access import EVERYTHING, NOTHING, any_of, can, can_many, get_object_for_user, restrict

ROLE_NAMES = ["board", "central", "secretary", "leader", "officer", "nonmember", "outsider", "stranger"]


def test_any_of_skips_missing_terms_and_keeps_everything():
    assert any_of() == NOTHING
    assert any_of(None, NOTHING) == NOTHING
    assert any_of(None, Q(pk=1)) == Q(pk=1)
    assert any_of(Q(pk=1), EVERYTHING) == EVERYTHING  # "everything" is not swallowed by OR


def test_unknown_rule_is_a_programming_error(world):
    with pytest.raises(LookupError):
        can(world.board, "nope.view", world.bloc)


def test_rule_refuses_an_object_of_another_model(world):
    with pytest.raises(TypeError):
        can(world.board, "blocs.view_bloc", world.bloc_year)
    with pytest.raises(TypeError):
        restrict(BlocYear.objects.all(), world.board, "blocs.view_bloc")


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(
    "rule, model",
    [
        ("blocs.view_agency", Agency),
        ("blocs.change_agency", Agency),
        ("blocs.view_bloc", Bloc),
        ("blocs.change_bloc", Bloc),
        ("blocs.view_blocyear", BlocYear),
        ("blocs.change_blocyear", BlocYear),
        ("blocs.run_blocyear", BlocYear),
        ("blocs.manage_province", Province),
        ("blocs.read_province", Province),
    ],
)
def test_list_filter_and_object_check_agree(world, role, rule, model):
    user = getattr(world, role)
    listed = set(restrict(model.objects.all(), user, rule))
    for obj in model.objects.all():
        assert can(user, rule, obj) == (obj in listed), (role, rule, obj)


def test_inactive_and_anonymous_users_get_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    world.board.is_active = False
    assert not can(world.board, "blocs.view_bloc", world.bloc)
    assert list(restrict(Bloc.objects.all(), world.board, "blocs.view_bloc")) == []
    assert not can(AnonymousUser(), "blocs.view_bloc", world.bloc)
    assert list(restrict(Bloc.objects.all(), AnonymousUser(), "blocs.view_bloc")) == []


def test_get_object_for_user_404_then_403(world):
    queryset = BlocYear.objects.all()
    assert get_object_for_user(world.board, queryset, view="blocs.view_blocyear", change="blocs.change_blocyear", pk=world.bloc_year.pk)
    with pytest.raises(Http404):  # another province's board: the bloc-year does not exist for them
        get_object_for_user(world.outsider, queryset, view="blocs.view_blocyear", pk=world.bloc_year.pk)
    with pytest.raises(Http404):  # absent
        get_object_for_user(world.board, queryset, view="blocs.view_blocyear", pk=10**9)
    with pytest.raises(Http404):  # a forged, non-numeric id is "not found", not a crash
        get_object_for_user(world.board, queryset, view="blocs.view_blocyear", pk="1\x00")
    with pytest.raises(PermissionDenied):  # a member sees it but may not change it
        get_object_for_user(world.leader, queryset, view="blocs.view_blocyear", change="blocs.change_blocyear", pk=world.bloc_year.pk)


def test_get_object_for_user_checks_in_the_same_query(world, django_assert_num_queries):
    user = world.board
    access.roles_for(user)  # roles are read once per request, before
    with django_assert_num_queries(1):
        get_object_for_user(user, BlocYear.objects.all(), view="blocs.view_blocyear", change="blocs.change_blocyear", pk=world.bloc_year.pk)
    with django_assert_num_queries(0):  # the answer is remembered for the request
        assert can(user, "blocs.change_blocyear", world.bloc_year)


def test_can_many_answers_several_rules_in_one_query(world, django_assert_num_queries):
    user = world.secretary
    access.roles_for(user)
    with django_assert_num_queries(1):
        answers = can_many(user, ["blocs.view_blocyear", "blocs.run_blocyear", "blocs.change_blocyear"], world.bloc_year)
    assert answers == {"blocs.view_blocyear": True, "blocs.run_blocyear": True, "blocs.change_blocyear": False}


def test_restrict_via_a_relation_uses_the_rule_of_the_related_model(world):
    from blocs.models import Membership

    mine = restrict(Membership.objects.all(), world.leader, "blocs.view_blocyear", via="bloc_year")
    assert set(mine) == set(Membership.objects.filter(bloc_year=world.bloc_year))
    assert not restrict(Membership.objects.all(), world.stranger, "blocs.view_blocyear", via="bloc_year").exists()


def test_rule_without_object_answers_somewhere(world):
    assert can(world.board, "blocs.manage_province")
    assert not can(world.leader, "blocs.manage_province")
    assert can(world.central, "blocs.read_province")
    assert not can(world.central, "blocs.manage_province")
