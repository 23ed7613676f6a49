"""Writes for agencies, blocs and bloc-years. Each is one transaction and leaves an audit entry.

Creating records the new row; updating goes through ``core.services.model_update``, which
audits ``{"changed": {field: [old, new]}}`` and writes nothing when nothing changed. A
bloc-year's members and secretaries are logged next to its own fields, as
``{"members": {"added": [ids], "removed": [ids]}}`` (and ``"secretaries"`` alike).
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from blocs.access import forget_roles
from blocs.models import Agency, AgencyKind, AgencyStatus, Bloc, BlocYear, Membership, Province, Role, RoleAssignment, User
from core.audit import audit_record
from core.services import model_update

# --- agencies --------------------------------------------------------------------------------


def _agency_status_rules(agency: Agency, fields: dict) -> dict:
    """``fields`` with what an active status implies; raise ``ValidationError`` for a broken status rule."""
    status = fields.get("status", agency.status)
    if status == AgencyStatus.ACTIVE:
        fields = {**fields, "status_date": None, "successor": None}
    successor = fields["successor"] if "successor" in fields else agency.successor
    status_date = fields["status_date"] if "status_date" in fields else agency.status_date
    if successor is not None and agency.pk is not None and successor.pk == agency.pk:
        raise ValidationError({"successor": _("Đơn vị kế thừa phải là một đơn vị khác.")})
    if successor is not None and successor.province_id != agency.province_id:
        raise ValidationError({"successor": _("Đơn vị kế thừa phải thuộc cùng tỉnh.")})
    if status != AgencyStatus.ACTIVE and status_date is None:
        raise ValidationError({"status_date": _("Hãy nhập ngày sáp nhập hoặc giải thể có hiệu lực.")})
    return fields


@transaction.atomic
def agency_create(
    *,
    actor: User,
    province: Province,
    name: str,
    kind: str = AgencyKind.DEPARTMENT,
    short_name: str = "",
    leader_name: str = "",
    leader_title: str = "",
    email: str = "",
    status: str = AgencyStatus.ACTIVE,
    status_date: datetime.date | None = None,
    successor: Agency | None = None,
    ip: str | None = None,
) -> Agency:
    agency = Agency(province=province)
    fields = _agency_status_rules(
        agency,
        {
            "name": name,
            "kind": kind,
            "short_name": short_name,
            "leader_name": leader_name,
            "leader_title": leader_title,
            "email": email,
            "status": status,
            "status_date": status_date,
            "successor": successor,
        },
    )
    for field_name, value in fields.items():
        setattr(agency, field_name, value)
    agency.full_clean()
    agency.save()
    audit_record(actor=actor, ip=ip, action="agency.create", obj=agency, data=model_to_dict(agency))
    return agency


@transaction.atomic
def agency_update(*, actor: User, agency: Agency, fields: dict, ip: str | None = None) -> list[str]:
    """Set the given fields (name, kind, leader, status…; the province stays); return those that changed."""
    fields = _agency_status_rules(agency, fields)
    return model_update(instance=agency, fields=fields, actor=actor, action="agency.update", ip=ip)


# --- blocs -----------------------------------------------------------------------------------


@transaction.atomic
def bloc_create(*, actor: User, province: Province, name: str, description: str = "", ip: str | None = None) -> Bloc:
    bloc = Bloc(province=province, name=name, description=description)
    bloc.full_clean()
    bloc.save()
    audit_record(actor=actor, ip=ip, action="bloc.create", obj=bloc, data={"name": name})
    return bloc


@transaction.atomic
def bloc_update(*, actor: User, bloc: Bloc, name: str, description: str, ip: str | None = None) -> list[str]:
    return model_update(instance=bloc, fields={"name": name, "description": description}, actor=actor, action="bloc.update", ip=ip)


# --- bloc-years ------------------------------------------------------------------------------


def _year_start(year: int) -> datetime.date:
    return datetime.date(year, 1, 1)


def _check_members(*, bloc, year, members, head, deputy, exclude_bloc_year_id=None):
    """Return {field: [messages]} for every broken membership rule."""
    errors = {}
    member_ids = {agency.pk for agency in members}
    bad_province = [a.name for a in members if a.province_id != bloc.province_id]
    if bad_province:
        errors.setdefault("members", []).append(
            _("Các đơn vị sau không thuộc tỉnh của khối: %(names)s.") % {"names": ", ".join(bad_province)}
        )
    start = _year_start(year)
    gone = [a for a in members if not a.is_usable_on(start)]
    for agency in gone:
        errors.setdefault("members", []).append(
            _("%(agency)s đã %(status)s từ ngày %(date)s, không thể là thành viên năm %(year)s.")
            % {
                "agency": agency.name,
                "status": agency.get_status_display().lower().replace("đã ", ""),
                "date": agency.status_date.strftime("%d/%m/%Y"),
                "year": year,
            }
        )
    taken = (
        Membership.objects.filter(year=year, agency_id__in=member_ids, bloc_year__bloc__province_id=bloc.province_id)
        .exclude(bloc_year__bloc=bloc)
        .select_related("agency", "bloc_year__bloc")
    )
    if exclude_bloc_year_id:
        taken = taken.exclude(bloc_year_id=exclude_bloc_year_id)
    for membership in taken:
        errors.setdefault("members", []).append(
            _("%(agency)s đã là thành viên của %(bloc)s năm %(year)s.")
            % {"agency": membership.agency.name, "bloc": membership.bloc_year.bloc.name, "year": year}
        )
    if head is not None and head.pk not in member_ids:
        errors.setdefault("head", []).append(_("Trưởng khối phải là thành viên của khối trong năm."))
    if deputy is not None and deputy.pk not in member_ids:
        errors.setdefault("deputy", []).append(_("Phó khối phải là thành viên của khối trong năm."))
    if head is not None and deputy is not None and head.pk == deputy.pk:
        errors.setdefault("deputy", []).append(_("Trưởng khối và Phó khối phải là hai đơn vị khác nhau."))
    return errors


def _check_bloc_year(*, bloc_year, bloc, year, members, head, deputy, secretaries):
    """Raise ``ValidationError`` listing every broken rule of the bloc-year as it would be saved."""
    taken_year = BlocYear.objects.filter(bloc=bloc, year=year)
    if bloc_year is not None:
        taken_year = taken_year.exclude(pk=bloc_year.pk)
    if (bloc_year is None or bloc_year.year != year) and taken_year.exists():
        raise ValidationError({"year": _("Khối %(bloc)s đã có danh sách năm %(year)s.") % {"bloc": bloc.name, "year": year}})
    errors = _check_members(
        bloc=bloc, year=year, members=members, head=head, deputy=deputy,
        exclude_bloc_year_id=bloc_year.pk if bloc_year else None,
    )
    outside = [u.get_full_name() for u in secretaries if u.agency_id is None or u.agency.province_id != bloc.province_id]
    if outside:
        errors.setdefault("secretaries", []).append(
            _("Thư ký khối phải là cán bộ của một đơn vị trong tỉnh: %(names)s.") % {"names": ", ".join(outside)}
        )
    if errors:
        raise ValidationError(errors)


def _diff(current: set[int], wanted: set[int]) -> dict:
    return {"added": sorted(wanted - current), "removed": sorted(current - wanted)} if current != wanted else {}


def _member_ids(bloc_year: BlocYear) -> set[int]:
    return set(bloc_year.memberships.values_list("agency_id", flat=True))


def _secretary_ids(bloc_year: BlocYear) -> set[int]:
    return set(RoleAssignment.objects.filter(role=Role.SECRETARY, bloc_year=bloc_year).values_list("user_id", flat=True))


def _set_members(bloc_year: BlocYear, members: list[Agency], current: set[int]) -> None:
    """Make the bloc-year's members exactly ``members`` (``current``: its members until now), in its year."""
    wanted = {agency.pk for agency in members}
    bloc_year.memberships.exclude(agency_id__in=wanted).delete()
    Membership.objects.filter(bloc_year=bloc_year).exclude(year=bloc_year.year).update(year=bloc_year.year)
    Membership.objects.bulk_create(
        [Membership(bloc_year=bloc_year, agency_id=pk, year=bloc_year.year) for pk in sorted(wanted - current)]
    )


def _set_secretaries(bloc_year: BlocYear, secretaries: list[User], current: set[int]) -> None:
    wanted = {user.pk for user in secretaries}
    RoleAssignment.objects.filter(role=Role.SECRETARY, bloc_year=bloc_year).exclude(user_id__in=wanted).delete()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=pk, role=Role.SECRETARY, bloc_year=bloc_year) for pk in sorted(wanted - current)]
    )
    for user in secretaries:
        forget_roles(user)


def _update_audited(*, actor: User, ip: str | None, bloc_year: BlocYear, fields: dict, people: dict) -> bool:
    """Save the bloc-year's own ``fields`` and audit them with the ``people`` changes
    (members, secretaries) as one "blocyear.update" entry; nothing is logged when nothing changed."""
    people = {name: change for name, change in people.items() if change}
    changed = model_update(instance=bloc_year, fields=fields, actor=actor, action="blocyear.update", ip=ip, data=people)
    if not changed and people:
        audit_record(actor=actor, ip=ip, action="blocyear.update", obj=bloc_year, data={"changed": {}, **people})
    return bool(changed or people)


@transaction.atomic
def bloc_year_create(
    *,
    actor: User,
    bloc: Bloc,
    year: int,
    members: Iterable[Agency],
    head: Agency | None = None,
    deputy: Agency | None = None,
    notice_number: str = "",
    notice_date: datetime.date | None = None,
    secretaries: Iterable[User] = (),
    ip: str | None = None,
) -> BlocYear:
    """Set up a bloc's year: its members, head, deputy, notice and secretaries."""
    members, secretaries = list(members), list(secretaries)
    _check_bloc_year(bloc_year=None, bloc=bloc, year=year, members=members, head=head, deputy=deputy, secretaries=secretaries)
    bloc_year = BlocYear(
        bloc=bloc, year=year, head=head, deputy=deputy, notice_number=notice_number, notice_date=notice_date
    )
    bloc_year.full_clean()
    bloc_year.save()
    _set_members(bloc_year, members, current=set())
    _set_secretaries(bloc_year, secretaries, current=set())
    audit_record(
        actor=actor,
        ip=ip,
        action="blocyear.create",
        obj=bloc_year,
        data={
            **model_to_dict(bloc_year, fields=["year", "head", "deputy", "notice_number", "notice_date"]),
            "members": sorted(a.pk for a in members),
            "secretaries": sorted(u.pk for u in secretaries),
        },
    )
    return bloc_year


@transaction.atomic
def bloc_year_update(
    *,
    actor: User,
    bloc_year: BlocYear,
    year: int,
    members: Iterable[Agency],
    head: Agency | None,
    deputy: Agency | None,
    notice_number: str,
    notice_date: datetime.date | None,
    secretaries: Iterable[User],
    ip: str | None = None,
) -> bool:
    """Replace the bloc-year's details, members and secretaries; return whether anything changed."""
    members, secretaries = list(members), list(secretaries)
    _check_bloc_year(
        bloc_year=bloc_year, bloc=bloc_year.bloc, year=year, members=members, head=head, deputy=deputy, secretaries=secretaries
    )
    current_members, current_secretaries = _member_ids(bloc_year), _secretary_ids(bloc_year)
    people = {
        "members": _diff(current_members, {a.pk for a in members}),
        "secretaries": _diff(current_secretaries, {u.pk for u in secretaries}),
    }
    fields = {"year": year, "head": head, "deputy": deputy, "notice_number": notice_number, "notice_date": notice_date}
    # The row first: its memberships then take its (maybe new) year.
    changed = _update_audited(actor=actor, ip=ip, bloc_year=bloc_year, fields=fields, people=people)
    _set_members(bloc_year, members, current=current_members)
    _set_secretaries(bloc_year, secretaries, current=current_secretaries)
    return changed


@transaction.atomic
def bloc_year_remove_members(*, actor: User, bloc_year: BlocYear, agencies: Iterable[Agency], ip: str | None = None) -> bool:
    """Take ``agencies`` out of the bloc-year (a head or deputy among them loses that role too)."""
    leaving = {agency.pk for agency in agencies}
    if not leaving:
        return False
    current = _member_ids(bloc_year)
    bloc_year.memberships.filter(agency_id__in=leaving).delete()
    fields = {role: None for role in ("head", "deputy") if getattr(bloc_year, f"{role}_id") in leaving}
    members = _diff(current, current - leaving)
    return _update_audited(actor=actor, ip=ip, bloc_year=bloc_year, fields=fields, people={"members": members})


@transaction.atomic
def bloc_year_copy(*, actor: User, source: BlocYear, year: int, ip: str | None = None) -> BlocYear:
    """Start ``year`` from ``source``: same members (those still active), head, deputy, secretaries."""
    start = _year_start(year)
    members = [m.agency for m in source.memberships.select_related("agency") if m.agency.is_usable_on(start)]
    member_ids = {a.pk for a in members}
    head = source.head if source.head_id in member_ids else None
    deputy = source.deputy if source.deputy_id in member_ids else None
    secretaries = [ra.user for ra in RoleAssignment.objects.filter(role=Role.SECRETARY, bloc_year=source).select_related("user")]
    bloc_year = bloc_year_create(
        actor=actor, ip=ip, bloc=source.bloc, year=year, members=members, head=head, deputy=deputy, secretaries=secretaries
    )
    audit_record(actor=actor, ip=ip, action="blocyear.copy", obj=bloc_year, data={"source": source.pk})
    return bloc_year


@transaction.atomic
def role_assign(
    *,
    user: User,
    role: str,
    province: Province | None = None,
    bloc_year: BlocYear | None = None,
    agency: Agency | None = None,
) -> RoleAssignment:
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, province=province, bloc_year=bloc_year, agency=agency
    )
    forget_roles(user)
    return assignment
