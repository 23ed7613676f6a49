"""What the blocs services write and log: creation, updates through ``model_update``, members."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from blocs import services, transfer
from blocs.models import AgencyStatus, Membership, Role, RoleAssignment
from blocs.tests.filebuilders import xlsx_bytes
from core.audit import audit_for
from core.models import AuditEntry


def update(world, bloc_year=None, **changes):
    bloc_year = bloc_year or world.bloc_year
    fields = {
        "year": bloc_year.year,
        "members": list(world.agencies),
        "head": bloc_year.head,
        "deputy": bloc_year.deputy,
        "notice_number": bloc_year.notice_number,
        "notice_date": bloc_year.notice_date,
        "secretaries": [world.secretary],
        **changes,
    }
    return services.bloc_year_update(actor=world.board, ip="192.0.2.1", bloc_year=bloc_year, **fields)


def test_agency_create_and_update_are_audited(world):
    agency = services.agency_create(actor=world.board, province=world.province, name="Sở Ngoại vụ", kind="so", short_name="SNgV")
    created = audit_for(agency).get(action="agency.create")
    assert created.data["name"] == "Sở Ngoại vụ" and created.data["province"] == world.province.pk

    changed = services.agency_update(actor=world.board, agency=agency, fields={"short_name": "SNV", "kind": "so"})
    assert changed == ["short_name"]
    assert audit_for(agency).get(action="agency.update").data == {"changed": {"short_name": ["SNgV", "SNV"]}}


def test_an_update_changing_nothing_writes_and_logs_nothing(world):
    agency = world.agencies[0]
    before = AuditEntry.objects.count()
    assert services.agency_update(actor=world.board, agency=agency, fields={"name": agency.name}) == []
    assert services.bloc_update(actor=world.board, bloc=world.bloc, name=world.bloc.name, description="") == []
    assert update(world) is False
    assert AuditEntry.objects.count() == before


def test_reactivating_an_agency_clears_its_date_and_successor(world):
    agency, successor = world.agencies[3], world.agencies[2]
    gone = datetime.date(2025, 7, 1)
    services.agency_update(actor=world.board, agency=agency, fields={"status": AgencyStatus.MERGED, "status_date": gone, "successor": successor})
    services.agency_update(actor=world.board, agency=agency, fields={"status": AgencyStatus.ACTIVE})
    agency.refresh_from_db()
    assert (agency.status, agency.status_date, agency.successor) == (AgencyStatus.ACTIVE, None, None)
    assert audit_for(agency).filter(action="agency.update").order_by("id").last().data["changed"] == {
        "status": ["merged", "active"], "status_date": ["2025-07-01", None], "successor": [successor.pk, None]
    }


def test_an_agency_cannot_succeed_itself(world):
    agency = world.agencies[3]
    with pytest.raises(ValidationError) as info:
        services.agency_update(
            actor=world.board, agency=agency, fields={"status": AgencyStatus.MERGED, "status_date": datetime.date(2025, 7, 1), "successor": agency}
        )
    assert info.value.message_dict["successor"] == ["Đơn vị kế thừa phải là một đơn vị khác."]


def test_bloc_create_and_update_are_audited(world):
    bloc = services.bloc_create(actor=world.board, province=world.province, name="Khối mới")
    assert audit_for(bloc).get(action="bloc.create").data == {"name": "Khối mới"}
    services.bloc_update(actor=world.board, bloc=bloc, name="Khối mới", description="Ghi chú")
    assert audit_for(bloc).get(action="bloc.update").data == {"changed": {"description": ["", "Ghi chú"]}}


def test_bloc_year_update_logs_its_fields_members_and_secretaries_in_one_entry(world):
    a, b, c, d = world.agencies
    assert update(world, members=[a, b, c], deputy=c, secretaries=[world.officer], notice_number="09/TB-UBND") is True
    entry = audit_for(world.bloc_year).get(action="blocyear.update")
    assert entry.ip_address == "192.0.2.1"
    assert entry.data == {
        "changed": {"deputy": [b.pk, c.pk], "notice_number": ["", "09/TB-UBND"]},
        "members": {"added": [], "removed": [d.pk]},
        "secretaries": {"added": [world.officer.pk], "removed": [world.secretary.pk]},
    }
    assert set(world.bloc_year.agencies.all()) == {a, b, c}
    assert list(RoleAssignment.objects.filter(role=Role.SECRETARY, bloc_year=world.bloc_year).values_list("user", flat=True)) == [world.officer.pk]


def test_members_only_change_is_logged_too(world):
    update(world, members=world.agencies[:3])
    assert audit_for(world.bloc_year).get(action="blocyear.update").data == {
        "changed": {}, "members": {"added": [], "removed": [world.agencies[3].pk]}
    }


def test_changing_the_year_moves_the_memberships(world):
    update(world, year=2024)
    assert set(Membership.objects.filter(bloc_year=world.bloc_year).values_list("year", flat=True)) == {2024}
    assert audit_for(world.bloc_year).get(action="blocyear.update").data == {"changed": {"year": [2022, 2024]}}


def test_removing_members_takes_away_their_head_or_deputy_role(world):
    a, b, c, d = world.agencies
    assert services.bloc_year_remove_members(actor=world.board, bloc_year=world.bloc_year, agencies=[a, d]) is True
    world.bloc_year.refresh_from_db()
    assert set(world.bloc_year.agencies.all()) == {b, c}
    assert (world.bloc_year.head, world.bloc_year.deputy) == (None, b)
    assert audit_for(world.bloc_year).get(action="blocyear.update").data == {
        "changed": {"head": [a.pk, None]}, "members": {"added": [], "removed": [a.pk, d.pk]}
    }
    assert services.bloc_year_remove_members(actor=world.board, bloc_year=world.bloc_year, agencies=[a]) is False


def test_an_import_moving_a_member_logs_its_leaving(world):
    a, b, c, d = world.agencies
    rows = [[2022, world.bloc.name, x.name, role] for x, role in ((a, "Trưởng khối"), (b, "Phó khối"), (c, ""))]
    rows.append([2022, "Khối mới", d.name, "Trưởng khối"])
    parsed = transfer.import_parse(filename="x.xlsx", content=xlsx_bytes(rows, ["Năm", "Khối thi đua", "Tên đơn vị", "Vai trò trong khối"]))
    transfer.import_apply(actor=world.board, province=world.province, parsed=parsed)
    assert audit_for(world.bloc_year).get(action="blocyear.update").data == {"changed": {}, "members": {"added": [], "removed": [d.pk]}}
    moved = Membership.objects.get(agency=d, year=2022).bloc_year
    assert audit_for(moved).get(action="blocyear.create").data["members"] == [d.pk]
    assert [e.action for e in AuditEntry.objects.order_by("id")] == ["blocyear.update", "bloc.create", "blocyear.create", "blocs.import"]
