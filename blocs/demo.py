"""Builds the demo provinces, agencies, blocs, bloc-years and users. Idempotent."""

import unicodedata

from django.db import transaction

from blocs import demo_data as data
from blocs.models import Agency, Bloc, BlocYear, Membership, Province, Role, RoleAssignment, User


def _slug(text):
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in text if c.isalnum()).lower()


def _user(username, full_name, title, agency, *, email=""):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "title": title, "agency": agency, "email": email or f"{username}@thidua.local"},
    )
    if created:
        user.set_password(data.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _role(user, role, **scope):
    RoleAssignment.objects.get_or_create(user=user, role=role, **scope)


def _agencies(province, rows):
    agencies = {}
    for row in rows:
        name, short, kind = row[:3]
        leader_name, leader_title = row[3:5] if len(row) > 3 else data.LEADERS.get(name, ("", ""))
        agency, _ = Agency.objects.get_or_create(
            province=province,
            name=name,
            defaults={"short_name": short, "kind": kind, "leader_name": leader_name, "leader_title": leader_title,
                      "email": f"{_slug(short)}@{province.code}.gov.vn"},
        )
        agencies[name] = agency
    return agencies


def _bloc_years(province, agencies, rows):
    result = {}
    for bloc_name, year, members, head, deputy, notice, notice_date in rows:
        bloc, _ = Bloc.objects.get_or_create(province=province, name=bloc_name)
        bloc_year, _ = BlocYear.objects.get_or_create(
            bloc=bloc,
            year=year,
            defaults={"head": agencies[head], "deputy": agencies[deputy], "notice_number": notice, "notice_date": notice_date},
        )
        for name in members:
            Membership.objects.get_or_create(bloc_year=bloc_year, agency=agencies[name], defaults={"year": year})
        result[(bloc_name, year)] = bloc_year
    return result


@transaction.atomic
def load():
    ninh_thuan, _ = Province.objects.get_or_create(code=data.NINH_THUAN["code"], defaults={"name": data.NINH_THUAN["name"]})
    province_b, _ = Province.objects.get_or_create(code=data.PROVINCE_B["code"], defaults={"name": data.PROVINCE_B["name"]})
    nt_agencies = _agencies(ninh_thuan, data.NINH_THUAN_AGENCIES)
    b_agencies = _agencies(province_b, data.PROVINCE_B_AGENCIES)
    bloc_years = _bloc_years(ninh_thuan, nt_agencies, data.NINH_THUAN_BLOC_YEARS)
    bloc_years.update(_bloc_years(province_b, b_agencies, data.PROVINCE_B_BLOC_YEARS))

    for username, full_name, title, agency_name, role, scope in data.DEMO_USERS:
        agency = nt_agencies.get(agency_name) if agency_name else None
        user = _user(username, full_name, title, agency)
        if role == Role.BOARD:
            _role(user, role, province=ninh_thuan)
        elif role == Role.CENTRAL:
            _role(user, role)
        elif role == Role.SECRETARY:
            for year in (2020, 2021, 2022):
                _role(user, role, bloc_year=bloc_years[(scope[0], year)])
        else:
            _role(user, role, agency=agency)

    # Every member agency gets a leader login (so pledges can be signed) and an officer login.
    for agencies in (nt_agencies, b_agencies):
        for agency in agencies.values():
            short = _slug(agency.short_name or agency.name)
            prefix = "" if agency.province_id == ninh_thuan.pk else "b."
            if agency.leader_name and not User.objects.filter(agency=agency, role_assignments__role=Role.LEADER).exists():
                leader = _user(f"{prefix}ld.{short}", agency.leader_name, agency.leader_title, agency)
                _role(leader, Role.LEADER, agency=agency)
            officer = _user(f"{prefix}cb.{short}", f"Cán bộ TĐKT {agency.short_name}", "Chuyên viên", agency)
            _role(officer, Role.OFFICER, agency=agency)

    # A secretary for the economy bloc (staff of its 2020 head) and for province B's bloc.
    economy_secretary = _user("thuky.kinhte", "Đinh Thị Thanh Hương", "Chuyên viên", nt_agencies["Ban Quản lý các khu công nghiệp"])
    for year in (2020, 2021, 2022):
        _role(economy_secretary, Role.SECRETARY, bloc_year=bloc_years[(data.BLOC_ECONOMY, year)])
    b_secretary = _user("b.thuky", "Nguyễn Minh Hằng", "Chuyên viên", b_agencies["Văn phòng UBND tỉnh"])
    _role(b_secretary, Role.SECRETARY, bloc_year=bloc_years[(data.BLOC_B, 2021)])
    b_board = _user("b.bantdkt", "Hoàng Văn Tâm", "Ban Thi đua – Khen thưởng", b_agencies["Sở Nội vụ"])
    _role(b_board, Role.BOARD, province=province_b)
    return {"ninh_thuan": ninh_thuan, "province_b": province_b, "bloc_years": bloc_years}
