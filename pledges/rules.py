"""Access rules of the pledges app (registered in blocs.access, loaded by PledgesConfig.ready).

Rules take a ``PledgeVersion`` (or a ``Pledge``); ``pledges.create`` takes a ``BlocYear``.
State (draft, review, signing…) is the services' business: rules only answer who.
"""

from blocs.access import can, rule


def bloc_year_of(obj):
    """The bloc-year of a pledge, a version, or anything hanging off a version (attachment, comment…)."""
    version = getattr(obj, "version", obj)
    pledge = getattr(version, "pledge", version)
    return pledge.bloc_year


def _member_agency_id(bloc_year, agency_ids):
    """The first of ``agency_ids`` that is a member of ``bloc_year`` (prefetched memberships when present)."""
    if not agency_ids:
        return None
    cache = getattr(bloc_year, "_prefetched_objects_cache", {})
    if "memberships" in cache:
        member_ids = {m.agency_id for m in cache["memberships"]}
    else:
        member_ids = set(bloc_year.memberships.filter(agency_id__in=agency_ids).values_list("agency_id", flat=True))
    found = sorted(member_ids & set(agency_ids))
    return found[0] if found else None


def signing_agency_id(roles, bloc_year):
    """The member agency of ``bloc_year`` that the user leads (signs and declines for), or None."""
    return _member_agency_id(bloc_year, roles.leader_agency_ids)


def commenting_agency_id(roles, bloc_year):
    """The member agency the user comments for as its leader or officer, or None."""
    return _member_agency_id(bloc_year, roles.leader_agency_ids | roles.officer_agency_ids)


@rule("pledges.view")
def _view(user, roles, obj):
    """Whoever sees the bloc-year sees its pledge: members, secretaries, the board, central readers."""
    return can(user, "blocs.view_blocyear", bloc_year_of(obj))


@rule("pledges.create")
def _create(user, roles, bloc_year):
    return can(user, "blocs.run_blocyear", bloc_year)


@rule("pledges.edit")
def _edit(user, roles, obj):
    """Drafting, opening review and signing, reopening, amending: the bloc-year's secretaries and the board."""
    return can(user, "blocs.run_blocyear", bloc_year_of(obj))


@rule("pledges.comment")
def _comment(user, roles, obj):
    bloc_year = bloc_year_of(obj)
    return can(user, "blocs.run_blocyear", bloc_year) or commenting_agency_id(roles, bloc_year) is not None


@rule("pledges.sign")
def _sign(user, roles, obj):
    return signing_agency_id(roles, bloc_year_of(obj)) is not None
