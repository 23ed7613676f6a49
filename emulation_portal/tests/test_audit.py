from core.audit import audit_for, audit_record, audit_verify_chain
from core.models import AuditEntry


def test_entries_are_chained_and_tampering_shows(world):
    first = audit_record(actor=world.board, action="blocyear.update", obj=world.bloc_year, ip="10.0.0.1", data={"x": 1})
    second = audit_record(actor=world.secretary, action="blocyear.update", obj=world.bloc_year, data={"x": 2})
    assert second.prev_hash == first.entry_hash
    assert audit_verify_chain() is None
    assert [e.action for e in audit_for(world.bloc_year)] == ["blocyear.update", "blocyear.update"]

    AuditEntry.objects.filter(pk=first.pk).update(data={"x": 99})
    assert audit_verify_chain().pk == first.pk


def test_deleting_an_entry_breaks_the_chain(world):
    audit_record(actor=world.board, action="a", obj=world.bloc_year)
    middle = audit_record(actor=world.board, action="b", obj=world.bloc_year)
    audit_record(actor=world.board, action="c", obj=world.bloc_year)
    middle.delete()
    assert audit_verify_chain() is not None


def test_entry_records_who_and_from_where(world):
    entry = audit_record(actor=world.board, action="agency.update", obj=world.agencies[0], ip="192.0.2.7")
    assert entry.actor_name == world.board.get_full_name()
    assert entry.ip_address == "192.0.2.7"
    assert entry.object_type == "blocs.agency"
