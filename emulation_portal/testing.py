"""Shared test helpers: factories and a small world with one user of each role plus outsiders."""

import itertools
import threading
import time
from pathlib import Path
from types import SimpleNamespace

from blocs.models import Agency, Bloc, BlocYear, Membership, Province, Role, RoleAssignment, User

PASSWORD = "test-pass-123"
_seq = itertools.count(1)


def make_province(name=None):
    n = next(_seq)
    return Province.objects.create(name=name or f"Tỉnh {n}", code=f"tinh-{n}")


def make_agency(province, name=None, **fields):
    n = next(_seq)
    fields.setdefault("short_name", f"DV{n}")
    fields.setdefault("leader_name", f"Lãnh Đạo {n}")
    fields.setdefault("leader_title", "Giám đốc")
    return Agency.objects.create(province=province, name=name or f"Sở Thử nghiệm {n}", **fields)


def make_user(username=None, *, agency=None, full_name=None, title="Chuyên viên", role=None, **scope):
    n = next(_seq)
    username = username or f"user{n}"
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.vn",
        full_name=full_name or f"Người Dùng {n}", title=title, agency=agency,
    )
    if role:
        RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


def make_bloc_year(province, members, *, year=2022, head=None, deputy=None, name=None):
    bloc = Bloc.objects.create(province=province, name=name or f"Khối thi đua {next(_seq)}")
    bloc_year = BlocYear.objects.create(bloc=bloc, year=year, head=head, deputy=deputy)
    Membership.objects.bulk_create([Membership(bloc_year=bloc_year, agency=a, year=year) for a in members])
    return bloc_year


def build_world(members=4):
    """A province with a bloc-year of ``members`` agencies and one user per role.

    - board: the province's emulation board; central: reads every province (read-only)
    - secretary: staff of the head agency, secretary of the bloc-year
    - leader / officer: of a member agency (leader of members[1], officer of members[2])
    - leaders: one leader per member agency (leaders[0] is the head's)
    - nonmember: leader of an agency of the same province outside the bloc
    - outsider: board of another province; stranger: leader in another province
    """
    province = make_province("Ninh Thuận")
    other = make_province("Tỉnh Khác")
    agencies = [make_agency(province) for _ in range(members)]
    bloc_year = make_bloc_year(province, agencies, head=agencies[0], deputy=agencies[1])
    leaders = [make_user(agency=a, full_name=a.leader_name, title="Giám đốc", role=Role.LEADER, agency_id=a.pk) for a in agencies]
    outside_agency = make_agency(province, name="Sở Ngoài Khối")
    other_agency = make_agency(other, name="Sở Tỉnh Khác")
    return SimpleNamespace(
        province=province,
        other_province=other,
        agencies=agencies,
        bloc_year=bloc_year,
        bloc=bloc_year.bloc,
        leaders=leaders,
        board=make_user("board", agency=agencies[0], role=Role.BOARD, province=province),
        central=make_user("central", role=Role.CENTRAL),
        secretary=make_user("secretary", agency=agencies[0], role=Role.SECRETARY, bloc_year=bloc_year),
        leader=leaders[1],
        officer=make_user("officer", agency=agencies[2 % members], role=Role.OFFICER, agency_id=agencies[2 % members].pk),
        nonmember=make_user("nonmember", agency=outside_agency, role=Role.LEADER, agency_id=outside_agency.pk),
        outsider=make_user("outsider", agency=other_agency, role=Role.BOARD, province=other),
        stranger=make_user("stranger", agency=other_agency, role=Role.LEADER, agency_id=other_agency.pk),
        outside_agency=outside_agency,
        other_agency=other_agency,
    )


# --- concurrency and real-worker tests ------------------------------------------------


def race(targets, *, seconds=60):
    """Run every callable at the same instant in its own thread (own connection); return their errors."""
    from django.db import connections

    barrier = threading.Barrier(len(targets))
    errors = []

    def run(target):
        try:
            barrier.wait(timeout=10)
            target()
        except Exception as exc:  # collected and asserted by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds)
    assert not any(thread.is_alive() for thread in threads), f"a thread is still waiting after {seconds} s"
    return errors


def wait_until_done(document, *, seconds=60):
    """Poll an issued document until a real worker has rendered it (or the time is up)."""
    from core.models import JobStatus

    deadline = time.monotonic() + seconds
    while document.status != JobStatus.DONE and time.monotonic() < deadline:
        time.sleep(0.2)
        document.refresh_from_db()
    return document


# --- browser tests (Playwright) ---------------------------------------------------------

SHOTS = Path("/tmp/shots")  # noqa: S108 (screenshots for people to look at, not secrets)


def log_in(page, live_server, username, password=PASSWORD):
    """Log in through the real login form and wait for the home page."""
    from django.urls import reverse

    page.set_default_timeout(10_000)
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + reverse("home"))


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def screenshot(page, folder, name):
    """Save a full-page screenshot to /tmp/shots/<folder>/<name>.png, to be looked at."""
    (SHOTS / folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / folder / f"{name}.png"), full_page=True)
