"""Time to export 1,000 and 4,000 agencies, and bloc-years with as many members, to .xlsx.

A linear export takes about four times as long for four times the rows. Builds its data in a
throwaway test database (never the development database) and drops it after.
"""

import datetime

from bench.timing import in_throwaway_database, timed

SIZES = (1000, 4000)
MEMBERS_PER_BLOC_YEAR = 20



def _grow(province, board, upto, done):
    """Bring the province to ``upto`` agencies, every twentieth in a new bloc-year, each of them a member of one."""
    from blocs.models import Agency, AgencyStatus, Bloc, BlocYear, Membership

    agencies = Agency.objects.bulk_create([
        Agency(
            province=province, name=f"Sở Thử nghiệm số {i:05d}", short_name=f"S{i}", leader_name=f"Nguyễn Văn Đức {i}",
            leader_title="Giám đốc", status=AgencyStatus.DISSOLVED if i % 10 == 0 else AgencyStatus.ACTIVE,
            status_date=datetime.date(2021, 1, 1) if i % 10 == 0 else None,
        )
        for i in range(done, upto)
    ])
    for start in range(0, len(agencies), MEMBERS_PER_BLOC_YEAR):
        bloc = Bloc.objects.create(province=province, name=f"Khối thi đua bench {done + start:05d}")
        bloc_year = BlocYear.objects.create(bloc=bloc, year=2022, notice_number="09/TB-UBND", notice_date=datetime.date(2022, 1, 18))
        Membership.objects.bulk_create([
            Membership(bloc_year=bloc_year, agency=a, year=2022) for a in agencies[start:start + MEMBERS_PER_BLOC_YEAR]
        ])


def _measure():
    from blocs import export, selectors
    from blocs.models import Province, Role, RoleAssignment, User

    province = Province.objects.create(name="Ninh Thuận (bench)", code="bench")
    board = User.objects.create(username="bench-board", full_name="Ban Thi đua")
    RoleAssignment.objects.create(user=board, role=Role.BOARD, province=province)
    lines, done = [], 0
    for size in SIZES:
        _grow(province, board, size, done)
        done = size
        agencies, _fastest, _ = timed(lambda: export.agencies_xlsx(selectors.agencies_for_export(user=board)))
        bloc_years, _fastest, _ = timed(lambda: export.bloc_years_xlsx(selectors.bloc_years_for_export(user=board)))
        lines.append(
            f"{size} agencies: agency export median {agencies * 1000:.0f} ms; "
            f"bloc-year export ({size // MEMBERS_PER_BLOC_YEAR} bloc-years x {MEMBERS_PER_BLOC_YEAR} members) "
            f"median {bloc_years * 1000:.0f} ms"
        )
    return lines


def run():
    return in_throwaway_database(_measure)
