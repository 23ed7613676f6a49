"""Access rules of the pledges app (filters over ``PledgeVersion``; see ``core.access``).

An attachment, comment or signature is checked through its version. ``pledges.create`` is over
``BlocYear``. State (draft, review, signing…) is the workflow's business (``pledges.workflow``):
rules only answer who.
"""

from django.db.models import Q

from blocs.access import bloc_years_where, member_bloc_years_where
from core.access import any_of, rule


def _version_of(obj):
    return getattr(obj, "version", obj)


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


@rule("pledges.view", model="pledges.PledgeVersion", subject=_version_of)
def _view(roles) -> Q:
    """Whoever sees the bloc-year sees its pledge: members, secretaries, the board, central readers."""
    return bloc_years_where(roles, "view", at="pledge__bloc_year")


@rule("pledges.create", model="blocs.BlocYear")
def _create(roles) -> Q:
    return bloc_years_where(roles, "run", at="pk")


@rule("pledges.edit", model="pledges.PledgeVersion", subject=_version_of)
def _edit(roles) -> Q:
    """Drafting, opening review and signing, reopening, amending: the bloc-year's secretaries and the board."""
    return bloc_years_where(roles, "run", at="pledge__bloc_year")


@rule("pledges.comment", model="pledges.PledgeVersion", subject=_version_of)
def _comment(roles) -> Q:
    """The secretaries and the board, and the member agencies' leaders and officers."""
    return any_of(
        bloc_years_where(roles, "run", at="pledge__bloc_year"),
        member_bloc_years_where(roles.leader_agency_ids | roles.officer_agency_ids, at="pledge__bloc_year"),
    )


@rule("pledges.sign", model="pledges.PledgeVersion", subject=_version_of)
def _sign(roles) -> Q:
    """The leaders of the member agencies sign, each for their agency."""
    return member_bloc_years_where(roles.leader_agency_ids, at="pledge__bloc_year")
