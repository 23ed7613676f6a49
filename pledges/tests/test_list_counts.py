"""The pledge list and the secretary's panel count live signatures, members and refusals of each version on its own.

The counts are correlated subqueries (no join of signatures with memberships that multiplies
the rows): these tests pin the numbers they give, across two pledges of different sizes.
"""

import datetime

from blocs.access import forget_roles
from blocs.models import Role, RoleAssignment
from emulation_portal.testing import make_agency, make_bloc_year
from pledges import selectors, services
from pledges.tests.helpers import CRITERIA, make_signing, sign


def _second_pledge(world, members=6):
    """A second bloc-year (another year, ``members`` agencies) run by the same secretary, under signing."""
    agencies = [make_agency(world.province) for _ in range(members)]
    bloc_year = make_bloc_year(world.province, agencies, year=2023, head=agencies[0], deputy=agencies[1])
    RoleAssignment.objects.create(user=world.secretary, role=Role.SECRETARY, bloc_year=bloc_year)
    forget_roles(world.secretary)  # the services already read their roles (once per request in the portal)
    version = services.pledge_create(actor=world.board, bloc_year=bloc_year, place="Ninh Thuận", date=datetime.date(2023, 2, 1))
    services.criteria_save(actor=world.board, version=version, rows=[dict(c) for c in CRITERIA])
    services.review_open(actor=world.board, version=version)
    services.signing_open(actor=world.board, version=version)
    version.refresh_from_db()
    return version


def _counts(versions, *names):
    return {v.pk: tuple(getattr(v, name) for name in names) for v in versions}


def test_pledge_list_counts_live_signatures_and_members_per_version(world):
    first = make_signing(world)  # 4 members
    sign(first, world.leaders[0])
    sign(first, world.leaders[1])
    services.pledge_decline(actor=world.leaders[2], version=first, reason="Chưa thống nhất")
    second = _second_pledge(world)

    listed = _counts(selectors.pledge_rows(selectors.pledge_list(user=world.board)), "signed_count", "member_count")
    assert listed == {first.pk: (2, 4), second.pk: (0, 6)}
    panel = _counts(selectors.secretary_open(user=world.secretary), "signed_count", "member_count", "decline_count")
    assert panel == {first.pk: (2, 4, 1), second.pk: (0, 6, 0)}

    services.signing_reopen(actor=world.secretary, version=first, reason="Sửa tiêu chí")  # voids both signatures and the refusal
    panel = _counts(selectors.secretary_open(user=world.secretary), "signed_count", "member_count", "decline_count")
    assert panel == {first.pk: (0, 4, 0), second.pk: (0, 6, 0)}


def test_pledge_list_pages_count_without_grouping(world):
    make_signing(world)
    _second_pledge(world)
    versions = selectors.pledge_list(user=world.board)
    assert versions.count() == 2
    assert "GROUP BY" not in str(versions.query)
    assert "GROUP BY" not in str(selectors.pledge_rows(versions).query)
