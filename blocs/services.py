"""Writes for provinces, agencies, blocs and bloc-years. Each is one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocs.access import forget_roles
from blocs.models import Agency, AgencyStatus, Bloc, BlocYear, Membership, Role, RoleAssignment
from core.audit import audit_record


def _year_start(year):
    import datetime

    return datetime.date(year, 1, 1)


@transaction.atomic
def agency_save(*, actor, ip=None, agency=None, province, **fields):
    """Create (``agency`` None) or update an agency."""
    creating = agency is None
    agency = agency or Agency(province=province)
    for name, value in fields.items():
        setattr(agency, name, value)
    if agency.status == AgencyStatus.ACTIVE:
        agency.status_date = None
        agency.successor = None
    if agency.successor_id and agency.successor_id == agency.pk:
        raise ValidationError({"successor": _("Đơn vị kế thừa phải là một đơn vị khác.")})
    if agency.successor_id and agency.successor.province_id != agency.province_id:
        raise ValidationError({"successor": _("Đơn vị kế thừa phải thuộc cùng tỉnh.")})
    if agency.status != AgencyStatus.ACTIVE and agency.status_date is None:
        raise ValidationError({"status_date": _("Hãy nhập ngày sáp nhập hoặc giải thể có hiệu lực.")})
    agency.full_clean()
    agency.save()
    audit_record(actor=actor, ip=ip, action="agency.create" if creating else "agency.update", obj=agency, data=fields_for_log(fields))
    return agency


def fields_for_log(fields):
    return {name: (value.pk if hasattr(value, "pk") else value) for name, value in fields.items()}


@transaction.atomic
def bloc_save(*, actor, ip=None, bloc=None, province, name, description=""):
    creating = bloc is None
    bloc = bloc or Bloc(province=province)
    bloc.name = name
    bloc.description = description
    bloc.full_clean()
    bloc.save()
    audit_record(actor=actor, ip=ip, action="bloc.create" if creating else "bloc.update", obj=bloc, data={"name": name})
    return bloc


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


@transaction.atomic
def bloc_year_save(
    *,
    actor,
    ip=None,
    bloc_year=None,
    bloc,
    year,
    members,
    head=None,
    deputy=None,
    notice_number="",
    notice_date=None,
    secretaries=(),
):
    """Create or update a bloc-year with its members, head, deputy, notice and secretaries."""
    members = list(members)
    if bloc_year is None and BlocYear.objects.filter(bloc=bloc, year=year).exists():
        raise ValidationError({"year": _("Khối %(bloc)s đã có danh sách năm %(year)s.") % {"bloc": bloc.name, "year": year}})
    if bloc_year is not None and bloc_year.year != year and BlocYear.objects.filter(bloc=bloc, year=year).exclude(pk=bloc_year.pk).exists():
        raise ValidationError({"year": _("Khối %(bloc)s đã có danh sách năm %(year)s.") % {"bloc": bloc.name, "year": year}})
    errors = _check_members(
        bloc=bloc, year=year, members=members, head=head, deputy=deputy,
        exclude_bloc_year_id=bloc_year.pk if bloc_year else None,
    )
    secretaries = list(secretaries)
    outside = [u.get_full_name() for u in secretaries if u.agency_id is None or u.agency.province_id != bloc.province_id]
    if outside:
        errors.setdefault("secretaries", []).append(
            _("Thư ký khối phải là cán bộ của một đơn vị trong tỉnh: %(names)s.") % {"names": ", ".join(outside)}
        )
    if errors:
        raise ValidationError(errors)
    creating = bloc_year is None
    bloc_year = bloc_year or BlocYear(bloc=bloc)
    bloc_year.year = year
    bloc_year.head = head
    bloc_year.deputy = deputy
    bloc_year.notice_number = notice_number
    bloc_year.notice_date = notice_date
    bloc_year.full_clean()
    bloc_year.save()
    _set_members(bloc_year, members)
    _set_secretaries(bloc_year, secretaries)
    audit_record(
        actor=actor,
        ip=ip,
        action="blocyear.create" if creating else "blocyear.update",
        obj=bloc_year,
        data={
            "members": sorted(a.pk for a in members),
            "head": head.pk if head else None,
            "deputy": deputy.pk if deputy else None,
            "secretaries": sorted(u.pk for u in secretaries),
        },
    )
    return bloc_year


def _set_members(bloc_year, members):
    wanted = {agency.pk for agency in members}
    current = set(bloc_year.memberships.values_list("agency_id", flat=True))
    bloc_year.memberships.exclude(agency_id__in=wanted).delete()
    Membership.objects.filter(bloc_year=bloc_year).update(year=bloc_year.year)
    Membership.objects.bulk_create(
        [Membership(bloc_year=bloc_year, agency_id=pk, year=bloc_year.year) for pk in sorted(wanted - current)]
    )


def _set_secretaries(bloc_year, secretaries):
    wanted = {user.pk for user in secretaries}
    RoleAssignment.objects.filter(role=Role.SECRETARY, bloc_year=bloc_year).exclude(user_id__in=wanted).delete()
    current = set(
        RoleAssignment.objects.filter(role=Role.SECRETARY, bloc_year=bloc_year).values_list("user_id", flat=True)
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=pk, role=Role.SECRETARY, bloc_year=bloc_year) for pk in sorted(wanted - current)]
    )
    for user in secretaries:
        forget_roles(user)


@transaction.atomic
def bloc_year_copy(*, actor, ip=None, source, year):
    """Start ``year`` from ``source``: same members (those still active), head, deputy, secretaries."""
    start = _year_start(year)
    members = [m.agency for m in source.memberships.select_related("agency") if m.agency.is_usable_on(start)]
    member_ids = {a.pk for a in members}
    head = source.head if source.head_id in member_ids else None
    deputy = source.deputy if source.deputy_id in member_ids else None
    secretaries = [ra.user for ra in RoleAssignment.objects.filter(role=Role.SECRETARY, bloc_year=source).select_related("user")]
    bloc_year = bloc_year_save(
        actor=actor,
        ip=ip,
        bloc=source.bloc,
        year=year,
        members=members,
        head=head,
        deputy=deputy,
        secretaries=secretaries,
    )
    audit_record(actor=actor, ip=ip, action="blocyear.copy", obj=bloc_year, data={"source": source.pk})
    return bloc_year


@transaction.atomic
def role_assign(*, user, role, province=None, bloc_year=None, agency=None):
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, province=province, bloc_year=bloc_year, agency=agency
    )
    forget_roles(user)
    return assignment
