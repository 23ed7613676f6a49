"""Who the user is in the portal (``Roles``, read once per request from ``RoleAssignment``)
and the access rules over provinces, agencies, blocs and bloc-years.

Rules are filters (see ``core.access``): each returns the ``Q`` of the rows a user may see or
act on, built from small id sets and id subqueries. Other apps reach a bloc-year rule through
``bloc_years_where(roles, name)`` (the bloc-years, as a ``Q`` over a relation).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.utils.translation import gettext as _

from blocs.models import Bloc, BlocYear, Membership, Role, RoleAssignment
from core.access import EVERYTHING, NOTHING, any_of, forget_access, rule, rule_q


@dataclass
class Roles:
    user_id: int | None = None
    agency_id: int | None = None
    is_superuser: bool = False
    is_central: bool = False
    board_province_ids: set = field(default_factory=set)
    secretary_bloc_year_ids: set = field(default_factory=set)
    leader_agency_ids: set = field(default_factory=set)
    officer_agency_ids: set = field(default_factory=set)

    @property
    def reads_everything(self):
        return self.is_superuser or self.is_central

    @property
    def is_board(self):
        return self.is_superuser or bool(self.board_province_ids)

    @property
    def is_secretary(self):
        return bool(self.secretary_bloc_year_ids)

    @property
    def is_leader(self):
        return bool(self.leader_agency_ids)

    @property
    def is_officer(self):
        return bool(self.officer_agency_ids)

    @cached_property
    def member_bloc_year_ids(self):
        """Bloc-years the user's agency belongs to, as a subquery (no query of its own)."""
        if self.agency_id is None:
            return Membership.objects.none().values("bloc_year_id")
        return Membership.objects.filter(agency_id=self.agency_id).values("bloc_year_id")

    def is_board_of(self, province_id):
        return self.is_superuser or province_id in self.board_province_ids

    def reads_province(self, province_id):
        return self.reads_everything or province_id in self.board_province_ids

    def leads(self, agency_id):
        return agency_id is not None and agency_id in self.leader_agency_ids

    def names(self):
        """Role labels for the navigation bar."""
        labels = []
        if self.is_superuser:
            labels.append(_("Quản trị hệ thống"))
        for role, present in (
            (Role.BOARD, bool(self.board_province_ids)),
            (Role.CENTRAL, self.is_central),
            (Role.SECRETARY, self.is_secretary),
            (Role.LEADER, self.is_leader),
            (Role.OFFICER, self.is_officer),
        ):
            if present:
                labels.append(str(role.label))
        return labels


_ANONYMOUS = Roles()


def roles_of(user):
    if user is None or not user.is_authenticated:
        return _ANONYMOUS
    cached = getattr(user, "_portal_roles", None)
    if cached is not None:
        return cached
    roles = Roles(user_id=user.pk, agency_id=user.agency_id, is_superuser=user.is_superuser)
    for role, province_id, bloc_year_id, agency_id in RoleAssignment.objects.filter(user=user).values_list(
        "role", "province_id", "bloc_year_id", "agency_id"
    ):
        if role == Role.BOARD:
            roles.board_province_ids.add(province_id)
        elif role == Role.CENTRAL:
            roles.is_central = True
        elif role == Role.SECRETARY:
            roles.secretary_bloc_year_ids.add(bloc_year_id)
        elif role == Role.LEADER:
            roles.leader_agency_ids.add(agency_id)
        elif role == Role.OFFICER:
            roles.officer_agency_ids.add(agency_id)
    user._portal_roles = roles
    return roles


def forget_roles(user):
    """Call after changing a user's role assignments within the same request."""
    if hasattr(user, "_portal_roles"):
        del user._portal_roles
    forget_access(user)


def _board(roles, field):
    """Rows of the provinces the user is the board of (everything for a superuser)."""
    if roles.is_superuser:
        return EVERYTHING
    return Q(**{f"{field}__in": sorted(roles.board_province_ids)}) if roles.board_province_ids else None


def _reader(roles, field):
    if roles.reads_everything:
        return EVERYTHING
    return _board(roles, field)


def _bloc_ids_of_provinces(roles):
    return Bloc.objects.filter(province_id__in=sorted(roles.board_province_ids)).values("pk")


def _pk_in_union(*id_sets):
    """``pk IN (a UNION b …)`` over the non-None id subqueries. PostgreSQL sizes a union of small
    sets and joins it on the primary key; an OR of ``IN`` terms makes it scan the table with a
    filter and guess half of it, and hash joins over whole tables follow."""
    present = [ids.order_by() for ids in id_sets if ids is not None]
    if not present:
        return NOTHING
    return Q(pk__in=present[0].union(*present[1:]) if len(present) > 1 else present[0])


def _secretary_ids(roles):
    if not roles.secretary_bloc_year_ids:
        return None
    return BlocYear.objects.filter(pk__in=sorted(roles.secretary_bloc_year_ids)).values("pk")


def _view_blocyear_q(roles):
    if roles.reads_everything:
        return EVERYTHING
    return _pk_in_union(
        BlocYear.objects.filter(bloc_id__in=_bloc_ids_of_provinces(roles)).values("pk") if roles.board_province_ids else None,
        roles.member_bloc_year_ids if roles.agency_id is not None else None,
        _secretary_ids(roles),
    )


def _run_blocyear_q(roles):
    if roles.is_superuser:
        return EVERYTHING
    return any_of(
        Q(bloc_id__in=_bloc_ids_of_provinces(roles)) if roles.board_province_ids else None,
        Q(pk__in=sorted(roles.secretary_bloc_year_ids)) if roles.secretary_bloc_year_ids else None,
    )


def _change_blocyear_q(roles):
    if roles.is_superuser:
        return EVERYTHING
    return Q(bloc_id__in=_bloc_ids_of_provinces(roles)) if roles.board_province_ids else NOTHING


_BLOC_YEAR_RULES = {"view": _view_blocyear_q, "run": _run_blocyear_q, "change": _change_blocyear_q}


def bloc_years_where(roles, which, *, at="bloc_year"):
    """A ``Q`` keeping rows whose bloc-year (reached through ``at``) passes the bloc-year rule
    ``which`` ("view", "run" or "change"): an id subquery, or nothing at all for readers of everything."""
    where = _BLOC_YEAR_RULES[which](roles)
    if not where:
        return EVERYTHING
    if where == NOTHING:
        return NOTHING
    return Q(**{f"{at}__in": BlocYear.objects.filter(where).values("pk")})


def member_bloc_years_where(agency_ids, *, at="bloc_year"):
    """Rows whose bloc-year has one of ``agency_ids`` as a member."""
    if not agency_ids:
        return NOTHING
    return Q(**{f"{at}__in": Membership.objects.filter(agency_id__in=sorted(agency_ids)).values("bloc_year_id")})


def _is_board(roles):
    return roles.is_board


def _reads_some_province(roles):
    return roles.is_board or roles.reads_everything


@rule("blocs.manage_province", model="blocs.Province", anywhere=_is_board)
def _manage_province(roles):
    """Board work: agencies, blocs, bloc-years, imports."""
    return any_of(_board(roles, "pk"))


@rule("blocs.read_province", model="blocs.Province", anywhere=_reads_some_province)
def _read_province(roles):
    return any_of(_reader(roles, "pk"))


@rule("blocs.view_agency", model="blocs.Agency")
def _view_agency(roles):
    return any_of(_reader(roles, "province_id"), Q(pk=roles.agency_id) if roles.agency_id is not None else None)


@rule("blocs.change_agency", model="blocs.Agency")
def _change_agency(roles):
    return any_of(_board(roles, "province_id"))


@rule("blocs.view_bloc", model="blocs.Bloc")
def _view_bloc(roles):
    """The board's and readers' provinces, and the blocs the user takes part in (any year)."""
    taking_part = taking_part_where(roles)
    return any_of(
        _reader(roles, "province_id"),
        Q(pk__in=BlocYear.objects.filter(taking_part).values("bloc_id")) if taking_part != NOTHING else None,
    )


@rule("blocs.change_bloc", model="blocs.Bloc")
def _change_bloc(roles):
    return any_of(_board(roles, "province_id"))


@rule("blocs.view_blocyear", model="blocs.BlocYear")
def _view_blocyear(roles):
    """Members of the bloc-year, its secretaries, the province's board, central readers."""
    return _view_blocyear_q(roles)


@rule("blocs.change_blocyear", model="blocs.BlocYear")
def _change_blocyear(roles):
    """Setting up members, head, deputy and secretaries is the board's."""
    return _change_blocyear_q(roles)


@rule("blocs.run_blocyear", model="blocs.BlocYear")
def _run_blocyear(roles):
    """Running the bloc's year (pledge drafts, meetings, minutes): its secretaries and the board."""
    return _run_blocyear_q(roles)


def taking_part_where(roles):
    """Bloc-years the user takes part in (their agency is a member, or they are a secretary)."""
    return _pk_in_union(roles.member_bloc_year_ids if roles.agency_id is not None else None, _secretary_ids(roles))


__all__ = ["Roles", "roles_of", "forget_roles", "bloc_years_where", "member_bloc_years_where", "taking_part_where", "rule_q"]
