"""The one place that answers "may this user do this to this object?".

Every app registers its rules here (in its ``rules.py``, loaded by its AppConfig) and every
view asks through ``can`` or ``get_object_for_user``. Roles are data (``RoleAssignment``),
read once per request into a ``Roles`` value.

Convention: a ``*.view`` rule decides whether the object exists for the user at all
(no: 404); any other rule decides whether they may act on it (no: 403).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from blocs.models import Membership, Role, RoleAssignment


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


_RULES: dict[str, Callable] = {}


def rule(name):
    """Register ``fn(user, roles, obj) -> bool`` as the rule called ``name``."""

    def register(fn):
        if name in _RULES:
            raise RuntimeError(f"access rule {name!r} registered twice")
        _RULES[name] = fn
        return fn

    return register


def can(user, name, obj=None):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    try:
        check = _RULES[name]
    except KeyError:
        raise LookupError(f"no access rule called {name!r}") from None
    return bool(check(user, roles_of(user), obj))


def require(user, name, obj=None):
    if not can(user, name, obj):
        raise PermissionDenied


def get_object_for_user(user, queryset, *, view, change=None, **lookup):
    """Fetch one object: 404 for outsiders (``view`` fails), 403 when ``change`` fails."""
    obj = get_object_or_404(queryset, **lookup)
    if not can(user, view, obj):
        raise Http404
    if change is not None and not can(user, change, obj):
        raise PermissionDenied
    return obj


# --- rules of this app -----------------------------------------------------------------


@rule("blocs.manage_province")
def _manage_province(user, roles, province):
    """Board work: agencies, blocs, bloc-years, imports. ``province`` None means "any"."""
    if province is None:
        return roles.is_board
    return roles.is_board_of(getattr(province, "pk", province))


@rule("blocs.read_province")
def _read_province(user, roles, province):
    if province is None:
        return roles.is_board or roles.reads_everything
    return roles.reads_province(getattr(province, "pk", province))


@rule("blocs.view_agency")
def _view_agency(user, roles, agency):
    return roles.reads_province(agency.province_id) or agency.pk == roles.agency_id


@rule("blocs.change_agency")
def _change_agency(user, roles, agency):
    return roles.is_board_of(agency.province_id)


@rule("blocs.view_bloc")
def _view_bloc(user, roles, bloc):
    if roles.reads_province(bloc.province_id):
        return True
    return bloc.years.filter(pk__in=roles.member_bloc_year_ids).exists() or bloc.years.filter(
        pk__in=roles.secretary_bloc_year_ids
    ).exists()


@rule("blocs.change_bloc")
def _change_bloc(user, roles, bloc):
    return roles.is_board_of(bloc.province_id)


def is_member(roles, bloc_year):
    """Whether the user's agency is a member; uses prefetched memberships when present."""
    if roles.agency_id is None:
        return False
    cache = getattr(bloc_year, "_prefetched_objects_cache", {})
    if "memberships" in cache:
        return any(m.agency_id == roles.agency_id for m in cache["memberships"])
    return bloc_year.memberships.filter(agency_id=roles.agency_id).exists()


@rule("blocs.view_blocyear")
def _view_blocyear(user, roles, bloc_year):
    return (
        roles.reads_province(bloc_year.bloc.province_id)
        or bloc_year.pk in roles.secretary_bloc_year_ids
        or is_member(roles, bloc_year)
    )


@rule("blocs.change_blocyear")
def _change_blocyear(user, roles, bloc_year):
    """Setting up members, head, deputy and secretaries is the board's."""
    return roles.is_board_of(bloc_year.bloc.province_id)


@rule("blocs.run_blocyear")
def _run_blocyear(user, roles, bloc_year):
    """Running the bloc's year (pledge drafts, meetings, minutes): its secretaries and the board."""
    return bloc_year.pk in roles.secretary_bloc_year_ids or roles.is_board_of(bloc_year.bloc.province_id)
