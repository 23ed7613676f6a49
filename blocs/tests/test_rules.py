"""The model and service rules of provinces, agencies, blocs and bloc-years."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from blocs import selectors, services
from blocs.models import Agency, AgencyStatus, Bloc, BlocYear, Membership, Province, Role, RoleAssignment
from core.access import can, restrict
from core.models import AuditEntry
from emulation_portal.testing import make_agency, make_bloc_year, make_user


def save(world, bloc, year, members, **kwargs):
    return services.bloc_year_create(actor=world.board, bloc=bloc, year=year, members=members, **kwargs)


def test_one_bloc_year_per_bloc_per_year(world):
    with pytest.raises(ValidationError) as info:
        save(world, world.bloc, 2022, [world.outside_agency])
    assert info.value.message_dict["year"] == [f"Khối {world.bloc.name} đã có danh sách năm 2022."]
    with pytest.raises(IntegrityError), transaction.atomic():
        BlocYear.objects.create(bloc=world.bloc, year=2022)


def test_changing_the_year_onto_an_existing_one_is_refused(world):
    other = save(world, world.bloc, 2023, [world.agencies[0]])
    with pytest.raises(ValidationError):
        services.bloc_year_update(
            actor=world.board, bloc_year=other, year=2022, members=[], head=None, deputy=None,
            notice_number="", notice_date=None, secretaries=[],
        )


def test_an_agency_is_in_one_bloc_per_year_and_the_error_names_the_other_bloc(world):
    bloc = Bloc.objects.create(province=world.province, name="Khối thứ hai")
    with pytest.raises(ValidationError) as info:
        save(world, bloc, 2022, [world.agencies[0], world.outside_agency])
    assert info.value.message_dict["members"] == [f"{world.agencies[0].name} đã là thành viên của {world.bloc.name} năm 2022."]
    save(world, bloc, 2023, [world.agencies[0]])  # another year is fine
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(bloc_year=BlocYear.objects.create(bloc=bloc, year=2022), agency=world.agencies[0], year=2022)


def test_members_come_from_the_blocs_province(world):
    bloc = Bloc.objects.create(province=world.province, name="Khối thứ hai")
    with pytest.raises(ValidationError) as info:
        save(world, bloc, 2022, [world.other_agency])
    assert "không thuộc tỉnh của khối" in info.value.message_dict["members"][0]


def test_head_and_deputy_are_different_members(world):
    bloc = Bloc.objects.create(province=world.province, name="Khối thứ hai")
    a = world.outside_agency
    b = make_agency(world.province)
    with pytest.raises(ValidationError) as info:
        save(world, bloc, 2022, [a], head=b, deputy=b)
    errors = info.value.message_dict
    assert errors["head"] == ["Trưởng khối phải là thành viên của khối trong năm."]
    assert "Phó khối phải là thành viên của khối trong năm." in errors["deputy"]
    assert "Trưởng khối và Phó khối phải là hai đơn vị khác nhau." in errors["deputy"]
    with pytest.raises(IntegrityError), transaction.atomic():
        BlocYear.objects.create(bloc=bloc, year=2030, head=a, deputy=a)


@pytest.mark.parametrize("status", [AgencyStatus.DISSOLVED, AgencyStatus.MERGED])
def test_dissolved_or_merged_agency_not_addable_after_its_date(world, status):
    bloc = Bloc.objects.create(province=world.province, name="Khối thứ hai")
    gone = make_agency(world.province, status=status, status_date=datetime.date(2025, 7, 1), successor=world.outside_agency)
    with pytest.raises(ValidationError) as info:
        save(world, bloc, 2026, [gone])
    label = "giải thể" if status == AgencyStatus.DISSOLVED else "sáp nhập"
    assert info.value.message_dict["members"] == [f"{gone.name} đã {label} từ ngày 01/07/2025, không thể là thành viên năm 2026."]
    assert save(world, bloc, 2025, [gone]).memberships.count() == 1


def test_inactive_agency_needs_a_date_and_a_successor_of_the_same_province(world):
    agency = world.agencies[3]
    with pytest.raises(ValidationError) as info:
        services.agency_update(actor=world.board, agency=agency, fields={"status": AgencyStatus.DISSOLVED})
    assert "status_date" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.agency_update(
            actor=world.board, agency=agency,
            fields={"status": AgencyStatus.MERGED, "status_date": datetime.date(2025, 7, 1), "successor": world.other_agency},
        )
    assert info.value.message_dict["successor"] == ["Đơn vị kế thừa phải thuộc cùng tỉnh."]


def test_agency_names_are_unique_in_a_province(world):
    with pytest.raises(ValidationError):
        services.agency_create(actor=world.board, province=world.province, name=world.agencies[0].name, kind="so")
    services.agency_create(actor=world.board, province=world.other_province, name=world.agencies[0].name, kind="so")


def test_board_sees_and_changes_only_its_province(world):
    assert set(restrict(Agency.objects.all(), world.board, "blocs.view_agency")) == set(Agency.objects.filter(province=world.province))
    assert list(restrict(Bloc.objects.all(), world.outsider, "blocs.view_bloc")) == []
    assert can(world.board, "blocs.change_agency", world.agencies[0])
    assert not can(world.outsider, "blocs.change_agency", world.agencies[0])
    assert not can(world.outsider, "blocs.view_blocyear", world.bloc_year)
    assert can(world.board, "blocs.change_blocyear", world.bloc_year)
    assert not can(world.board, "blocs.manage_province", world.other_province)


def test_central_reads_everything_but_changes_nothing(world):
    assert restrict(Agency.objects.all(), world.central, "blocs.view_agency").count() == Agency.objects.count()
    assert can(world.central, "blocs.view_blocyear", world.bloc_year)
    assert not can(world.central, "blocs.change_blocyear", world.bloc_year)
    assert not can(world.central, "blocs.change_agency", world.agencies[0])
    assert not can(world.central, "blocs.manage_province", None)
    assert set(selectors.provinces_readable_by(world.central)) == {world.province, world.other_province}
    assert list(selectors.provinces_managed_by(world.central)) == []


def test_members_and_secretaries_read_their_bloc_year_only(world):
    for user in (world.secretary, world.leader, world.officer):
        assert can(user, "blocs.view_blocyear", world.bloc_year)
        assert not can(user, "blocs.change_blocyear", world.bloc_year)
    assert can(world.secretary, "blocs.run_blocyear", world.bloc_year)
    assert not can(world.leader, "blocs.run_blocyear", world.bloc_year)
    assert not can(world.nonmember, "blocs.view_blocyear", world.bloc_year)
    assert not can(world.stranger, "blocs.view_bloc", world.bloc)


def test_copy_to_next_year(world):
    world.bloc_year.notice_number = "09/TB-UBND"
    world.bloc_year.save()
    a, b, c, d = world.agencies
    gone = datetime.date(2023, 1, 1)
    services.agency_update(actor=world.board, agency=d, fields={"status": AgencyStatus.DISSOLVED, "status_date": gone})
    services.agency_update(actor=world.board, agency=b, fields={"status": AgencyStatus.MERGED, "status_date": gone, "successor": c})
    new = services.bloc_year_copy(actor=world.board, source=world.bloc_year, year=2023)
    assert new.year == 2023 and new.bloc == world.bloc
    assert set(new.agencies.all()) == {a, c}, "agencies gone by 1 January are left out"
    assert new.head == a and new.deputy is None, "a deputy who left is not carried over"
    assert new.notice_number == "", "the notice belongs to the year it named"
    assert list(RoleAssignment.objects.filter(bloc_year=new, role=Role.SECRETARY).values_list("user", flat=True)) == [world.secretary.pk]
    assert AuditEntry.objects.filter(action="blocyear.copy", object_id=str(new.pk)).exists()
    with pytest.raises(ValidationError):
        services.bloc_year_copy(actor=world.board, source=world.bloc_year, year=2023)


def test_saving_records_the_audit_log(world):
    a, b, c, d = world.agencies
    services.bloc_year_update(
        actor=world.board, bloc_year=world.bloc_year, year=2022, members=[a, b, c], head=a, deputy=c,
        notice_number="", notice_date=None, secretaries=[world.secretary],
    )
    entry = AuditEntry.objects.filter(action="blocyear.update").get()
    assert entry.actor == world.board
    assert entry.data == {"changed": {"deputy": [b.pk, c.pk]}, "members": {"added": [], "removed": [d.pk]}}


def test_secretaries_are_staff_of_the_blocs_province(world):
    with pytest.raises(ValidationError) as info:
        services.bloc_year_update(
            actor=world.board, bloc_year=world.bloc_year, year=2022, members=world.agencies, head=None, deputy=None,
            notice_number="", notice_date=None, secretaries=[world.secretary, world.stranger, world.central],
        )
    message = info.value.message_dict["secretaries"][0]
    assert world.stranger.get_full_name() in message and world.central.get_full_name() in message
    assert world.secretary.get_full_name() not in message


# --- visibility: lists and objects -----------------------------------------------------------

BLOC_RULES = {
    "blocs.manage_province": Province,
    "blocs.read_province": Province,
    "blocs.view_agency": Agency,
    "blocs.change_agency": Agency,
    "blocs.view_bloc": Bloc,
    "blocs.change_bloc": Bloc,
    "blocs.view_blocyear": BlocYear,
    "blocs.change_blocyear": BlocYear,
    "blocs.run_blocyear": BlocYear,
}
WORLD_USERS = ["board", "central", "secretary", "leader", "officer", "nonmember", "outsider", "stranger"]


def bloc_without_years(province, name):
    return Bloc.objects.create(province=province, name=name)


def test_a_board_member_without_an_agency_does_not_see_yearless_blocs_of_another_province(world, client_for):
    """The old filter ORed "a bloc-year has the user's agency as a member", which for a user with
    no agency became IS NULL across an outer join and matched every bloc with no bloc-year."""
    board = make_user("board-no-agency", role=Role.BOARD, province=world.province)
    elsewhere = bloc_without_years(world.other_province, "Khối chưa có năm của tỉnh khác")
    at_home = bloc_without_years(world.province, "Khối chưa có năm của tỉnh nhà")
    for user in (board, world.board):
        visible = set(restrict(Bloc.objects.all(), user, "blocs.view_bloc"))
        assert visible == {world.bloc, at_home}, user
        page = client_for(user).get(reverse("blocs:bloc_list"))
        assert page.status_code == 200
        assert at_home.name in page.content.decode() and elsewhere.name not in page.content.decode()
        assert client_for(user).get(reverse("blocs:bloc_detail", args=[elsewhere.pk])).status_code == 404
        assert client_for(user).get(reverse("blocs:bloc_detail", args=[at_home.pk])).status_code == 200


def test_members_see_only_the_blocs_they_take_part_in(world, client_for):
    bloc_without_years(world.province, "Khối chưa có năm")
    bloc_without_years(world.other_province, "Khối chưa có năm ở tỉnh khác")
    other = make_bloc_year(world.province, [world.outside_agency], name="Khối khác trong tỉnh")
    no_agency = make_user("no-agency")
    for user in (world.leader, world.officer, world.secretary, *world.leaders):
        assert set(restrict(Bloc.objects.all(), user, "blocs.view_bloc")) == {world.bloc}, user
        assert client_for(user).get(reverse("blocs:bloc_detail", args=[world.bloc.pk])).status_code == 200
        assert client_for(user).get(reverse("blocs:bloc_detail", args=[other.bloc.pk])).status_code == 404
    assert set(restrict(Bloc.objects.all(), world.nonmember, "blocs.view_bloc")) == {other.bloc}
    for user in (world.stranger, no_agency):
        assert list(restrict(Bloc.objects.all(), user, "blocs.view_bloc")) == [], user
        assert list(restrict(BlocYear.objects.all(), user, "blocs.view_blocyear")) == [], user


def test_every_bloc_rule_agrees_as_a_list_filter_and_as_an_object_check(world, django_user_model):
    """For each role, each rule and each row of its model: in the filtered list ⇔ ``can``."""
    bloc_without_years(world.province, "Khối chưa có năm")
    bloc_without_years(world.other_province, "Khối chưa có năm ở tỉnh khác")
    make_bloc_year(world.other_province, [world.other_agency], name="Khối của tỉnh khác")
    Province.objects.create(name="Tỉnh Trống", code="tinh-trong")
    users = [getattr(world, name) for name in WORLD_USERS]
    inactive = make_user("inactive-board", role=Role.BOARD, province=world.province)
    django_user_model.objects.filter(pk=inactive.pk).update(is_active=False)
    inactive.refresh_from_db()
    users += [
        make_user("board-no-agency", role=Role.BOARD, province=world.province),
        make_user("no-role"),
        inactive,
        django_user_model.objects.create_superuser("root", "root@example.vn", "x"),
    ]
    for name, model in BLOC_RULES.items():
        rows = list(model.objects.all())
        for user in users:
            listed = set(restrict(model.objects.all(), user, name))
            checked = {row for row in rows if can(user, name, row)}
            assert listed == checked, (name, user.username)
    assert {name for name in BLOC_RULES} == {name for name in _registered_rules() if name.startswith("blocs.")}


def _registered_rules():
    from core import access

    return access._RULES  # noqa: SLF001 (the test checks the table above names every bloc rule)
