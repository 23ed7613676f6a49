"""Checking every row against the file and the database, and working out what would change."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from blocs.models import Agency, AgencyKind, Bloc, BlocYear, Membership, Role, User
from blocs.transfer.columns import AGENCY_FIELDS, COLUMN_BY_KEY, DEPUTY, HEAD, ROLE_WORDS, kind_labels, norm
from blocs.transfer.parse import ParsedFile


@dataclass
class RowResult:
    number: int
    values: dict
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)


@dataclass
class AgencyPlan:
    name: str
    agency: Agency | None
    fields: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)  # field -> first row number that set it

    @property
    def changes(self):
        if self.agency is None:
            return dict(self.fields)
        return {k: v for k, v in self.fields.items() if getattr(self.agency, k) != v}


@dataclass
class BlocYearPlan:
    bloc_name: str
    year: int
    bloc: Bloc | None
    bloc_year: BlocYear | None
    first_row: int
    members: dict = field(default_factory=dict)  # agency key -> row number
    head: str | None = None
    deputy: str | None = None
    notice_number: str = ""
    notice_date: datetime.date | None = None
    secretaries: list | None = None  # users, or None: leave as they are
    given: dict = field(default_factory=dict)  # notice field -> (value, first row number giving it)
    old_head: str = ""
    old_deputy: str = ""
    new_head: str = ""
    new_deputy: str = ""
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: bool = False


@dataclass
class ImportPlan:
    province: object
    parsed: ParsedFile
    rows: list = field(default_factory=list)
    agencies: dict = field(default_factory=dict)
    bloc_years: dict = field(default_factory=dict)
    row_index: dict = field(default_factory=dict)

    def row(self, number):
        return self.row_index[number]

    def summary(self):
        return {
            "agencies_created": len(self.agencies_created),
            "agencies_updated": len(self.agencies_updated),
            "bloc_years_created": len(self.bloc_years_created),
            "bloc_years_updated": len(self.bloc_years_updated),
        }

    @property
    def errors(self):
        return self.parsed.errors

    @property
    def is_valid(self):
        return not self.parsed.errors and bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def error_count(self):
        return len(self.parsed.errors) + sum(1 for r in self.rows if r.errors)

    @property
    def agencies_created(self):
        return [p for p in self.agencies.values() if p.agency is None]

    @property
    def agencies_updated(self):
        return [p for p in self.agencies.values() if p.agency is not None and p.changes]

    @property
    def blocs_created(self):
        return sorted({p.bloc_name for p in self.bloc_years.values() if p.bloc is None})

    @property
    def bloc_years_created(self):
        return [p for p in self.bloc_years.values() if p.bloc_year is None]

    @property
    def bloc_years_updated(self):
        return [p for p in self.bloc_years.values() if p.bloc_year is not None and p.changed]

    @property
    def has_changes(self):
        return bool(self.agencies_created or self.agencies_updated or self.bloc_years_created or self.bloc_years_updated)


def _parse_year(text):
    try:
        year = int(text)
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


def _parse_date(text):
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class _Context:
    """Everything validation needs from the database, read in a fixed number of queries."""

    def __init__(self, province, parsed):
        self.province = province
        agencies = list(Agency.objects.filter(province=province))
        self.agencies = {norm(a.name): a for a in agencies}
        self.by_short_name = {norm(a.short_name): a for a in agencies if a.short_name}
        self.blocs = {norm(b.name): b for b in Bloc.objects.filter(province=province)}
        years = {_parse_year(v.get("year", "")) for _n, v in parsed.rows} - {None}
        self.bloc_years = {
            (by.bloc_id, by.year): by
            for by in BlocYear.objects.filter(bloc__province=province, year__in=years)
            .select_related("bloc", "head", "deputy")
            .prefetch_related("memberships__agency", "role_assignments")
        }
        self.taken = {
            (m.agency_id, m.year): m.bloc_year
            for m in Membership.objects.filter(agency__province=province, year__in=years).select_related("bloc_year__bloc")
        }
        usernames = set()
        for _n, values in parsed.rows:
            usernames.update(_split_names(values.get("secretaries", "")))
        self.users = {
            u.username.casefold(): u
            for u in User.objects.filter(username__in=usernames).select_related("agency")
        } if usernames else {}
        self.kinds = {norm(label): value for value, label in kind_labels().items()}
        self.kinds.update({norm(value): value for value in AgencyKind.values})


def _split_names(text):
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def import_validate(*, province, parsed):
    """Check every row against the file and the database; return the plan of what would change."""
    plan = ImportPlan(province=province, parsed=parsed)
    ctx = _Context(province, parsed)
    seen_rows = {}
    year_of_agency = {}
    for number, values in parsed.rows:
        row = RowResult(number=number, values=values)
        plan.rows.append(row)
        plan.row_index[number] = row
        _check_row(plan, ctx, row, seen_rows, year_of_agency)
    for by_plan in plan.bloc_years.values():
        _finish_bloc_year(plan, ctx, by_plan)
    return plan


def _check_row(plan, ctx, row, seen_rows, year_of_agency):
    values = row.values
    for key, text in values.items():
        column = COLUMN_BY_KEY[key]
        if len(text) > column.max_length:
            row.errors.append(_("“%(header)s” dài quá %(n)s ký tự.") % {"header": column.header, "n": column.max_length})
    name = values.get("name", "")
    if not name:
        row.errors.append(_("Thiếu tên đơn vị."))
        return
    province_text = values.get("province", "")
    if province_text and norm(province_text) not in (norm(ctx.province.name), norm(ctx.province.code)):
        row.errors.append(
            _("Đơn vị thuộc “%(given)s”, không phải tỉnh đang nhập (%(province)s).")
            % {"given": province_text, "province": ctx.province.name}
        )
        return
    agency_key = norm(name)
    agency_plan = _agency_plan(plan, ctx, row, agency_key, name)
    year_text, bloc_name = values.get("year", ""), values.get("bloc", "")
    if not year_text and not bloc_name:
        duplicate_key = ("agency", agency_key)
        if duplicate_key in seen_rows:
            row.errors.append(_("Trùng với dòng %(n)s.") % {"n": seen_rows[duplicate_key]})
        seen_rows.setdefault(duplicate_key, row.number)
        if values.get("role") or values.get("notice_number") or values.get("secretaries"):
            row.errors.append(_("Dòng có vai trò, thông báo hoặc thư ký nhưng thiếu Năm và Khối thi đua."))
        return
    _check_membership(plan, ctx, row, agency_key, agency_plan, year_text, bloc_name, seen_rows, year_of_agency)


def _check_membership(plan, ctx, row, agency_key, agency_plan, year_text, bloc_name, seen_rows, year_of_agency):
    """The row puts the agency in a bloc-year: check it and add it to that bloc-year's plan."""
    values = row.values
    if not year_text:
        row.errors.append(_("Thiếu Năm."))
        return
    if not bloc_name:
        row.errors.append(_("Thiếu tên Khối thi đua."))
        return
    year = _parse_year(year_text)
    if year is None:
        row.errors.append(_("Năm “%(year)s” không hợp lệ: phải là số từ 2000 đến 2100.") % {"year": year_text})
        return
    duplicate_key = ("member", agency_key, year, norm(bloc_name))
    if duplicate_key in seen_rows:
        row.errors.append(_("Trùng với dòng %(n)s.") % {"n": seen_rows[duplicate_key]})
        return
    seen_rows[duplicate_key] = row.number
    other = year_of_agency.get((agency_key, year))
    if other is not None and norm(other[0]) != norm(bloc_name):
        row.errors.append(
            _("Đơn vị đã được xếp vào %(bloc)s năm %(year)s ở dòng %(n)s; mỗi năm một đơn vị chỉ thuộc một khối.")
            % {"bloc": other[0], "year": year, "n": other[1]}
        )
        return
    year_of_agency[(agency_key, year)] = (bloc_name, row.number)
    agency = agency_plan.agency if agency_plan else None
    if agency is not None and not agency.is_usable_on(datetime.date(year, 1, 1)):
        row.errors.append(
            _("%(agency)s %(status)s từ ngày %(date)s, không thể là thành viên năm %(year)s.")
            % {
                "agency": agency.name,
                "status": agency.get_status_display().lower(),
                "date": agency.status_date.strftime("%d/%m/%Y"),
                "year": year,
            }
        )
    role = ROLE_WORDS.get(norm(values.get("role", "")))
    if role is None:
        row.errors.append(
            _("Vai trò “%(role)s” không hợp lệ: ghi Trưởng khối, Phó khối hoặc Thành viên.") % {"role": values["role"]}
        )
    by_plan = _bloc_year_plan(plan, ctx, row, bloc_name, year)
    by_plan.members[agency_key] = row.number
    if role in (HEAD, DEPUTY):
        _set_role(row, by_plan, role, agency_key)
    _bloc_year_details(ctx, row, by_plan)


def _set_role(row, by_plan, role, agency_key):
    """One head and one deputy per bloc-year."""
    current = getattr(by_plan, role)
    if current is not None and current != agency_key:
        label = _("Trưởng khối") if role == HEAD else _("Phó khối")
        row.errors.append(
            _("%(bloc)s năm %(year)s đã có %(role)s ở dòng %(n)s.")
            % {"bloc": by_plan.bloc_name, "year": by_plan.year, "role": label, "n": by_plan.members[current]}
        )
    else:
        setattr(by_plan, role, agency_key)


def _agency_plan(plan, ctx, row, key, name):
    """Collect the agency's details from this row; report an unknown agency or a conflict between rows."""
    agency_plan = plan.agencies.get(key)
    if agency_plan is None:
        agency = ctx.agencies.get(key)
        if agency is None and not row.values.get("kind"):
            suggestion = ctx.by_short_name.get(key)
            message = _("Không có đơn vị “%(name)s” trong %(province)s; để thêm mới, hãy điền cột Loại.") % {
                "name": name,
                "province": ctx.province.name,
            }
            if suggestion is not None:
                message += " " + _("Có phải “%(name)s”? Hãy ghi tên đầy đủ.") % {"name": suggestion.name}
            row.errors.append(message)
            return None
        agency_plan = AgencyPlan(name=agency.name if agency else " ".join(name.split()), agency=agency)
        plan.agencies[key] = agency_plan
    for field_name in AGENCY_FIELDS:
        text = row.values.get(field_name, "")
        if not text:
            continue
        value = _agency_value(ctx, row, field_name, text)
        if value is None:
            continue
        if field_name in agency_plan.fields and agency_plan.fields[field_name] != value:
            column = COLUMN_BY_KEY[field_name].header
            row.errors.append(
                _("“%(header)s” khác với dòng %(n)s của cùng đơn vị.") % {"header": column, "n": agency_plan.sources[field_name]}
            )
            continue
        agency_plan.fields.setdefault(field_name, value)
        agency_plan.sources.setdefault(field_name, row.number)
    if agency_plan.agency is None:
        row.notes.append(_("Thêm đơn vị mới"))
    else:
        updated = [
            COLUMN_BY_KEY[f].header
            for f, value in agency_plan.fields.items()
            if agency_plan.sources[f] == row.number and getattr(agency_plan.agency, f) != value
        ]
        if updated:
            row.notes.append(_("Cập nhật %(fields)s") % {"fields": ", ".join(updated)})
    return agency_plan


def _agency_value(ctx, row, field_name, text):
    if field_name == "kind":
        kind = ctx.kinds.get(norm(text))
        if kind is None:
            row.errors.append(
                _("Loại “%(kind)s” không hợp lệ; chọn một trong: %(choices)s.")
                % {"kind": text, "choices": ", ".join(kind_labels().values())}
            )
        return kind
    if field_name == "email":
        try:
            validate_email(text)
        except ValidationError:
            row.errors.append(_("Thư điện tử “%(email)s” không hợp lệ.") % {"email": text})
            return None
    return " ".join(text.split())


def _bloc_year_plan(plan, ctx, row, bloc_name, year):
    key = (norm(bloc_name), year)
    by_plan = plan.bloc_years.get(key)
    if by_plan is None:
        bloc = ctx.blocs.get(norm(bloc_name))
        bloc_year = ctx.bloc_years.get((bloc.pk, year)) if bloc else None
        by_plan = BlocYearPlan(
            bloc_name=bloc.name if bloc else " ".join(bloc_name.split()),
            year=year,
            bloc=bloc,
            bloc_year=bloc_year,
            first_row=row.number,
        )
        if bloc_year is not None:
            by_plan.notice_number = bloc_year.notice_number
            by_plan.notice_date = bloc_year.notice_date
        plan.bloc_years[key] = by_plan
    return by_plan


def _bloc_year_details(ctx, row, by_plan):
    """Notice and secretaries: given once per bloc-year, or the same on each of its rows; empty: unchanged."""
    number, date_text, names = (row.values.get(k, "") for k in ("notice_number", "notice_date", "secretaries"))
    notice_date = None
    if date_text:
        notice_date = _parse_date(date_text)
        if notice_date is None:
            row.errors.append(_("Ngày thông báo “%(date)s” không hợp lệ (ghi dd/mm/yyyy).") % {"date": date_text})
            return
    for field_name, value in (("notice_number", number), ("notice_date", notice_date)):
        if not value:
            continue
        first = by_plan.given.get(field_name)
        if first is None:
            by_plan.given[field_name] = (value, row.number)
            setattr(by_plan, field_name, value)
        elif first[0] != value:
            column = COLUMN_BY_KEY[field_name].header
            row.errors.append(_("“%(header)s” khác với dòng %(n)s của cùng khối.") % {"header": column, "n": first[1]})
    if names:
        users = []
        for username in _split_names(names):
            user = ctx.users.get(username.casefold())
            if user is None or not user.is_active or user.agency is None or user.agency.province_id != ctx.province.pk:
                row.errors.append(_("Không có người dùng “%(username)s” trong %(province)s.") % {"username": username, "province": ctx.province.name})
                return
            users.append(user)
        if by_plan.secretaries is not None and {u.pk for u in by_plan.secretaries} != {u.pk for u in users}:
            row.errors.append(_("Thư ký khối khác với các dòng khác của cùng khối."))
        elif by_plan.secretaries is None:
            by_plan.secretaries = users


def _finish_bloc_year(plan, ctx, by_plan):
    """Work out what changes for this bloc-year, and the rules that span its rows."""
    if by_plan.head is not None and by_plan.head == by_plan.deputy:
        plan.row(by_plan.first_row).errors.append(_("Trưởng khối và Phó khối phải là hai đơn vị khác nhau."))
    for key, number in by_plan.members.items():
        agency = plan.agencies[key].agency if key in plan.agencies else None
        taken = ctx.taken.get((agency.pk, by_plan.year)) if agency is not None else None
        # Leaving a bloc that the file also lists is a move, not a clash.
        if taken is not None and norm(taken.bloc.name) != norm(by_plan.bloc_name) and (norm(taken.bloc.name), by_plan.year) not in plan.bloc_years:
            plan.row(number).errors.append(
                _("%(agency)s đã là thành viên của %(bloc)s năm %(year)s.")
                % {"agency": agency.name, "bloc": taken.bloc.name, "year": by_plan.year}
            )
    for role in ("head", "deputy"):
        key = getattr(by_plan, role)
        setattr(by_plan, f"new_{role}", plan.agencies[key].name if key in plan.agencies else "")
    bloc_year = by_plan.bloc_year
    wanted = set(by_plan.members)
    if bloc_year is None:
        by_plan.added = sorted(plan.agencies[k].name for k in wanted if k in plan.agencies)
        by_plan.changed = True
        for number in by_plan.members.values():
            _note(plan, number, _("Thêm vào khối"))
        return
    current = {norm(m.agency.name): m.agency for m in bloc_year.memberships.all()}
    by_plan.added = sorted(plan.agencies[k].name for k in wanted - set(current) if k in plan.agencies)
    by_plan.removed = sorted(current[k].name for k in set(current) - wanted)
    for key in wanted - set(current):
        _note(plan, by_plan.members[key], _("Thêm vào khối"))
    head = norm(bloc_year.head.name) if bloc_year.head else None
    deputy = norm(bloc_year.deputy.name) if bloc_year.deputy else None
    by_plan.old_head = bloc_year.head.name if bloc_year.head else ""
    by_plan.old_deputy = bloc_year.deputy.name if bloc_year.deputy else ""
    current_secretaries = {ra.user_id for ra in bloc_year.role_assignments.all() if ra.role == Role.SECRETARY}
    by_plan.changed = bool(
        by_plan.added
        or by_plan.removed
        or head != by_plan.head
        or deputy != by_plan.deputy
        or bloc_year.notice_number != by_plan.notice_number
        or bloc_year.notice_date != by_plan.notice_date
        or (by_plan.secretaries is not None and {u.pk for u in by_plan.secretaries} != current_secretaries)
    )
    if head != by_plan.head and by_plan.head:
        _note(plan, by_plan.members[by_plan.head], _("Đặt làm Trưởng khối"))
    if deputy != by_plan.deputy and by_plan.deputy:
        _note(plan, by_plan.members[by_plan.deputy], _("Đặt làm Phó khối"))


def _note(plan, number, text):
    plan.row(number).notes.append(text)
