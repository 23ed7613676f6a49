"""SQL queries and response times of the main pages at national scale, for each kind of visitor.

Builds ten years of national data (34 provinces x 15 blocs x 10 years, 10 members per bloc-year,
a signed pledge of 20 criteria per bloc-year, 3 meetings per bloc-year with attendance, a
published article for one meeting in three) in a throwaway database, with ``bulk_create``
(services would take hours), then requests each page with the Django test client.

The query counts are also taken at a small size (BENCH_SMALL_SCALE, default 0.02) so a reader
sees they do not grow with the data. A count that differs between the two sizes is flagged ``!``; a median over 100 ms is flagged ``*``.

Then a wrk pass: gunicorn (production settings, DEBUG false: ``bench/settings.py``) serves the
same database, and wrk measures requests/s of a bare Django view (``bench/urls.py``) and of the
board's home page with the board's session cookie. The home page should reach at least 10 %
of the bare view's throughput. Needs ``wrk`` (``scripts/system-deps.sh bench``).

Environment:
  BENCH_SCALE        fraction of the national size (default 1.0, the full size: it builds in about
                     35 s on SQLite and 45-70 s on PostgreSQL on the 2-core machine; 0.1 for a quick run)
  BENCH_SMALL_SCALE  size of the query-count comparison (default 0.02)
  BENCH_REQUESTS     timed requests per page and visitor (default 15)
  BENCH_WRK_SECONDS  length of each wrk run (default 5; 0 skips the wrk pass)
  DATABASE_URL       postgres://… : a database bench_pages_<pid> is created on that server and
                     dropped after; otherwise a temporary SQLite file (never db.sqlite3).
"""

import datetime
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

DEFAULT_SCALE = 1.0
DEFAULT_SMALL_SCALE = 0.02
DEFAULT_REQUESTS = 15
DEFAULT_WRK_SECONDS = 5
BATCH = 2000
SLOW_MS = 100  # a page's median server time above this is flagged
HOME_SHARE_TARGET = 0.10  # the board's home page against the bare view, in the wrk pass
ROOT = Path(__file__).resolve().parent.parent

PROVINCES = 34
BLOCS_PER_PROVINCE = 15
YEARS = 10
MEMBERS = 10
FOCUS_MEMBERS = 15  # the bloc whose pledge and meetings are requested has 15 members
CRITERIA = 20

TOPICS = [
    "Tài chính",
    "Xây dựng",
    "Công thương",
    "Giao thông Vận tải",
    "Nội vụ",
    "Tư pháp",
    "Y tế",
    "Giáo dục và Đào tạo",
    "Nông nghiệp và Môi trường",
    "Khoa học và Công nghệ",
    "Văn hóa, Thể thao và Du lịch",
    "Dân tộc và Tôn giáo",
    "Ngoại vụ",
    "Lao động",
    "Kế hoạch và Đầu tư",
    "Thông tin",
    "Quy hoạch",
    "Thanh tra",
    "Bảo hiểm xã hội",
    "Kho bạc Nhà nước",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
GIVEN = ["Văn Minh", "Thị Thu Hà", "Quốc Hùng", "Đức Thắng", "Thị Mai", "Công Bình", "Minh Khoa", "Thị Lan", "Văn Sơn"]


def _sizes(scale):
    """(provinces, blocs per province, years): provinces scale linearly; blocs and years shrink only below 0.1."""
    provinces = max(1, round(PROVINCES * scale))
    depth = min(1.0, scale * 10)
    return provinces, max(2, round(BLOCS_PER_PROVINCE * depth)), max(2, round(YEARS * depth))


def _name(i):
    return f"{SURNAMES[i % len(SURNAMES)]} {GIVEN[(i // len(SURNAMES)) % len(GIVEN)]}"


def _bulk(model, objs):
    return model.objects.bulk_create(objs, batch_size=BATCH)


def _build(scale):
    """Create the data set; returns the objects the pages are requested for and the row counts."""
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from blocs.models import Agency, Bloc, BlocYear, Membership, Province, Role, RoleAssignment, User
    from core.models import IssuedDocument, JobStatus
    from meetings.models import Article, Attendance, Decision, Guest, Meeting, MeetingKind, MeetingState, MinutesRevision
    from pledges.models import Criterion, Pledge, PledgeState, PledgeVersion, Signature

    n_provinces, n_blocs, n_years = _sizes(scale)
    now = timezone.now()
    last_year = timezone.localdate().year
    years = list(range(last_year - n_years + 1, last_year + 1))
    tz = timezone.get_current_timezone()

    provinces = _bulk(
        Province, [Province(name=f"Tỉnh thử nghiệm {p + 1:02d}", code=f"tinh-{p + 1:02d}") for p in range(n_provinces)]
    )

    # Agencies: 10 per bloc, 15 for the focus bloc (bloc 0 of province 0).
    agencies = []
    per_bloc = {}  # (province index, bloc index) -> [agency index]
    for p, province in enumerate(provinces):
        k = 0
        for b in range(n_blocs):
            size = FOCUS_MEMBERS if (p, b) == (0, 0) else MEMBERS
            per_bloc[p, b] = []
            for _ in range(size):
                topic = TOPICS[k % len(TOPICS)]
                per_bloc[p, b].append(len(agencies))
                agencies.append(
                    Agency(
                        province=province,
                        name=f"Sở {topic} số {k + 1:03d}",
                        short_name=f"S{k + 1}",
                        leader_name=_name(len(agencies)),
                        leader_title="Giám đốc",
                        email=f"so{k + 1}@tinh{p + 1}.gov.vn",
                    )
                )
                k += 1
    agencies = _bulk(Agency, agencies)

    leaders = _bulk(
        User,
        [
            User(
                username=f"leader-{a.pk}", password=UNUSABLE_PASSWORD_PREFIX, full_name=a.leader_name, title="Giám đốc", agency=a
            )
            for a in agencies
        ],
    )
    boards = _bulk(
        User,
        [User(username=f"board-{p.code}", password=UNUSABLE_PASSWORD_PREFIX, full_name=f"Ban TĐKT {p.name}") for p in provinces],
    )
    central = User.objects.create(username="central", password=UNUSABLE_PASSWORD_PREFIX, full_name="Theo dõi toàn quốc")

    blocs = _bulk(
        Bloc,
        [
            Bloc(province=provinces[p], name=f"Khối thi đua số {b + 1:02d} – các cơ quan tham mưu")
            for p in range(n_provinces)
            for b in range(n_blocs)
        ],
    )
    bloc_index = {
        bloc.pk: (p, b) for bloc, (p, b) in zip(blocs, [(p, b) for p in range(n_provinces) for b in range(n_blocs)], strict=True)
    }
    # One secretary per bloc, staff of the bloc's third member agency.
    secretaries = _bulk(
        User,
        [
            User(
                username=f"secretary-{bloc.pk}",
                password=UNUSABLE_PASSWORD_PREFIX,
                full_name=_name(bloc.pk + 7),
                title="Chuyên viên",
                agency=agencies[per_bloc[bloc_index[bloc.pk]][2]],
            )
            for bloc in blocs
        ],
    )

    bloc_years = _bulk(
        BlocYear,
        [
            BlocYear(
                bloc=bloc,
                year=year,
                head=agencies[per_bloc[bloc_index[bloc.pk]][0]],
                deputy=agencies[per_bloc[bloc_index[bloc.pk]][1]],
                notice_number=f"{b % 90 + 1}/TB-TĐKT",
                notice_date=datetime.date(year, 1, 15),
            )
            for b, bloc in enumerate(blocs)
            for year in years
        ],
    )
    members_of = {by.pk: [agencies[i] for i in per_bloc[bloc_index[by.bloc_id]]] for by in bloc_years}
    _bulk(
        Membership, [Membership(bloc_year_id=by.pk, agency_id=a.pk, year=by.year) for by in bloc_years for a in members_of[by.pk]]
    )

    secretary_of_bloc = {bloc.pk: user for bloc, user in zip(blocs, secretaries, strict=True)}
    _bulk(
        RoleAssignment,
        [
            *[RoleAssignment(user=u, role=Role.LEADER, agency_id=u.agency_id) for u in leaders],
            *[RoleAssignment(user=u, role=Role.BOARD, province=p) for u, p in zip(boards, provinces, strict=True)],
            *[RoleAssignment(user=secretary_of_bloc[by.bloc_id], role=Role.SECRETARY, bloc_year=by) for by in bloc_years],
            RoleAssignment(user=central, role=Role.CENTRAL),
        ],
    )
    leader_of = {u.agency_id: u for u in leaders}

    # Pledges: one signed version per bloc-year, 20 criteria, one signature per member, its issued PDF.
    criteria_rows = [
        {
            "group": f"{'I' * (1 + i // 7)}. Nhóm nội dung thi đua",
            "max_points": f"{Decimal(5):.2f}",
            "target": "100 %",
            "text": f"Tiêu chí số {i + 1}: hoàn thành xuất sắc nhiệm vụ chính trị, đẩy mạnh cải cách hành chính và chuyển đổi số",
        }
        for i in range(CRITERIA)
    ]
    pledges = _bulk(Pledge, [Pledge(bloc_year=by) for by in bloc_years])
    by_of = {by.pk: by for by in bloc_years}
    bloc_of = {bloc.pk: bloc for bloc in blocs}
    versions = []
    for pledge in pledges:
        by = by_of[pledge.bloc_year_id]
        bloc = bloc_of[by.bloc_id]
        title = f"Giao ước thi đua năm {by.year} của {bloc.name}"
        content = {
            "bloc_year": by.pk,
            "bloc": bloc.name,
            "year": by.year,
            "version": 1,
            "title": title,
            "doc_number": "48/BKK-KTĐ",
            "place": "Tỉnh thử nghiệm",
            "date": f"{by.year}-02-20",
            "preamble": "Thực hiện Chỉ thị về phát động thi đua.",
            "criteria": criteria_rows,
            "attachments": [],
        }
        signed = datetime.datetime(by.year, 2, 20, 10, 0, tzinfo=tz)
        versions.append(
            PledgeVersion(
                pledge=pledge,
                number=1,
                state=PledgeState.SIGNED,
                title=title,
                doc_number="48/BKK-KTĐ",
                place="Tỉnh thử nghiệm",
                date=datetime.date(by.year, 2, 20),
                preamble=content["preamble"],
                content_hash="a" * 64,
                frozen_content=content,
                signing_opened_at=signed - datetime.timedelta(days=3),
                signed_at=signed,
                created_at=signed - datetime.timedelta(days=20),
                created_by=secretary_of_bloc[by.bloc_id],
            )
        )
    versions = _bulk(PledgeVersion, versions)
    _bulk(
        Criterion,
        [
            Criterion(
                version_id=v.pk, position=i, group=row["group"], text=row["text"], max_points=Decimal(5), target=row["target"]
            )
            for v in versions
            for i, row in enumerate(criteria_rows)
        ],
    )
    by_of_pledge = {p.pk: by_of[p.bloc_year_id] for p in pledges}
    _bulk(
        Signature,
        [
            Signature(
                version_id=v.pk,
                agency_id=a.pk,
                signer_id=leader_of[a.pk].pk,
                signer_name=leader_of[a.pk].full_name,
                signer_title="Giám đốc",
                content_hash="a" * 64,
                signed_at=v.signing_opened_at + datetime.timedelta(hours=i + 1),
                ip_address="10.0.0.1",
            )
            for v in versions
            for i, a in enumerate(members_of[by_of_pledge[v.pledge_id].pk])
        ],
    )
    version_type = ContentType.objects.get_for_model(PledgeVersion)
    documents = _bulk(
        IssuedDocument,
        [
            IssuedDocument(
                code=f"BP{v.pk:08d}",
                kind="pledge",
                title=v.title,
                source_type=version_type,
                source_id=v.pk,
                content_hash="a" * 64,
                status=JobStatus.DONE,
                attempts=1,
                file=f"documents/{v.date.year}/BP{v.pk:08d}.pdf",
                sha256="b" * 64,
                rendered_at=v.signed_at,
                summary={
                    "title": v.title,
                    "number": v.doc_number,
                    "bloc": bloc_of[by_of_pledge[v.pledge_id].bloc_id].name,
                    "year": v.date.year,
                    "province": "Tỉnh thử nghiệm",
                    "version": 1,
                    "signers": [
                        {
                            "agency": a.name,
                            "name": a.leader_name,
                            "title": "Giám đốc",
                            "on_behalf": "",
                            "original": "",
                            "signed_at": f"20/02/{v.date.year} 10:00",
                        }
                        for a in members_of[by_of_pledge[v.pledge_id].pk]
                    ],
                    "lines": [f"Phiên bản 1; {CRITERIA} tiêu chí thi đua."],
                },
            )
            for v in versions
        ],
    )

    # Meetings: signing (published, with its article), mid-year and year-end (approved, or planned if still ahead).
    pledge_of = {p.bloc_year_id: p for p in pledges}
    plan = [(MeetingKind.SIGNING, 2, 20), (MeetingKind.MID_YEAR, 7, 15), (MeetingKind.YEAR_END, 12, 18)]
    meetings = []
    for by in bloc_years:
        head = members_of[by.pk][0]
        for kind, month, day in plan:
            starts = datetime.datetime(by.year, month, day, 8, 0, tzinfo=tz)
            if kind == MeetingKind.SIGNING:
                state = MeetingState.PUBLISHED
            else:
                state = MeetingState.APPROVED if starts < now else MeetingState.PLANNED
            done = state != MeetingState.PLANNED
            meetings.append(
                Meeting(
                    bloc_year=by,
                    kind=kind,
                    state=state,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=3),
                    venue=f"Hội trường {head.name}",
                    host=head,
                    chair_name=head.leader_name,
                    chair_title="Giám đốc",
                    chair_user=leader_of[head.pk],
                    agenda="Khai mạc\nBáo cáo kết quả\nThảo luận\nBế mạc",
                    minutes_number=f"{month:02d}/BB-KTĐ" if done else "",
                    discussion="Các đại biểu thảo luận sôi nổi." if done else "",
                    conclusions="Thống nhất các nội dung." if done else "",
                    next_plan="Tiếp tục thực hiện." if done else "",
                    pledge=pledge_of[by.pk] if kind == MeetingKind.SIGNING else None,
                    secretary_name=secretary_of_bloc[by.bloc_id].full_name,
                    revision=1 if done else 0,
                    submitted_at=starts + datetime.timedelta(days=1) if done else None,
                    approved_at=starts + datetime.timedelta(days=2) if done else None,
                    approved_by=leader_of[head.pk] if done else None,
                    created_by=secretary_of_bloc[by.bloc_id],
                )
            )
    meetings = _bulk(Meeting, meetings)
    attendances, guests, decisions, revisions, articles = [], [], [], [], []
    province_of_by = {by.pk: provinces[bloc_index[by.bloc_id][0]] for by in bloc_years}
    for m in meetings:
        if m.state == MeetingState.PLANNED:
            continue
        for i, a in enumerate(members_of[m.bloc_year_id]):
            attendances.append(
                Attendance(
                    meeting_id=m.pk,
                    agency_id=a.pk,
                    present=i != 4,
                    representative_name=a.leader_name,
                    representative_title="Giám đốc",
                )
            )
        guests += [
            Guest(
                meeting_id=m.pk, name=_name(m.pk + g), title="Phó Trưởng ban", organization="Ban Thi đua – Khen thưởng", order=g
            )
            for g in range(2)
        ]
        decisions += [Decision(meeting_id=m.pk, text=f"Quyết nghị số {d + 1} của hội nghị.", order=d) for d in range(3)]
        revisions.append(
            MinutesRevision(
                meeting_id=m.pk,
                number=1,
                snapshot={"number": m.minutes_number},
                content_hash="c" * 64,
                approved_by_id=m.approved_by_id,
                approved_at=m.approved_at,
            )
        )
        if m.state == MeetingState.PUBLISHED:
            articles.append(
                Article(
                    meeting=m,
                    province=province_of_by[m.bloc_year_id],
                    title=f"Hội nghị ký kết giao ước thi đua năm {m.starts_at.year}",
                    lead="Các đơn vị thành viên ký kết giao ước thi đua.",
                    body="Đoạn thứ nhất.\n\nĐoạn thứ hai.\n\nĐoạn thứ ba.",
                    author=m.secretary_name,
                    is_published=True,
                    published_at=m.starts_at + datetime.timedelta(days=3),
                )
            )
    n_attendances = len(attendances)
    _bulk(Attendance, attendances)
    _bulk(Guest, guests)
    _bulk(Decision, decisions)
    _bulk(MinutesRevision, revisions)
    del attendances, guests, decisions, revisions
    articles = _bulk(Article, articles)

    # What the pages are requested for: the focus bloc's latest year and a user of each kind.
    focus_bloc = blocs[0]
    focus = next(by for by in bloc_years if by.bloc_id == focus_bloc.pk and by.year == last_year)
    focus_version = next(v for v in versions if by_of_pledge[v.pledge_id].pk == focus.pk)
    focus_meeting = next(m for m in meetings if m.bloc_year_id == focus.pk and m.kind == MeetingKind.SIGNING)
    focus_article = next(a for a in articles if a.meeting_id == focus_meeting.pk)
    focus_document = next(d for d in documents if d.source_id == focus_version.pk)
    counts = {
        "provinces": len(provinces),
        "agencies": len(agencies),
        "blocs": len(blocs),
        "bloc-years": len(bloc_years),
        "signatures": sum(len(members_of[by.pk]) for by in bloc_years),
        "criteria": len(versions) * CRITERIA,
        "meetings": len(meetings),
        "attendances": n_attendances,
        "articles": len(articles),
        "users": User.objects.count(),
    }
    return {
        "users": {
            "board": boards[0],
            "secretary": secretary_of_bloc[focus_bloc.pk],
            "leader": leader_of[members_of[focus.pk][0].pk],
            "central": central,
            "anonymous": None,
        },
        "focus": focus,
        "version": focus_version,
        "meeting": focus_meeting,
        "article": focus_article,
        "document": focus_document,
        "province": provinces[0],
        "year": last_year,
        "counts": counts,
    }


def _pages(data):
    from django.urls import reverse

    focus, version, meeting = data["focus"], data["version"], data["meeting"]
    code = data["province"].code
    return [
        ("home", reverse("home")),
        ("agency list", reverse("blocs:agency_list")),
        ("agency search", reverse("blocs:agency_list") + "?q=T%C3%A0i+ch%C3%ADnh"),
        ("bloc list", reverse("blocs:bloc_list")),
        ("bloc-year list (year)", reverse("blocs:blocyear_list") + f"?year={data['year']}"),
        ("bloc-year detail", reverse("blocs:blocyear_detail", args=[focus.pk])),
        ("my bloc", reverse("blocs:my_bloc")),
        ("pledge list", reverse("pledges:list")),
        ("pledge detail", reverse("pledges:detail", args=[version.pk])),
        ("signing status", reverse("pledges:status", args=[version.pk])),
        ("meetings list", reverse("meetings:list")),
        ("meetings timeline", reverse("meetings:timeline", args=[focus.pk])),
        ("meeting detail", reverse("meetings:detail", args=[meeting.pk])),
        ("news list", reverse("meetings:news_list", args=[code])),
        ("news article", reverse("meetings:news_detail", args=[code, data["article"].pk])),
        ("verify", reverse("verify", args=[data["document"].code])),
    ]


def _clients(data):
    from django.test import Client

    clients = {}
    for who, user in data["users"].items():
        client = Client()
        if user is not None:
            client.force_login(user)
        clients[who] = client
    return clients


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


def _measure(data, requests):
    """{(page, who): (status, queries, median ms, p95 ms)}; timings only when requests > 0."""
    import logging
    import warnings

    # Quiet: the expected 403s would each log a traceback, and every login an axes line.
    loggers = {name: logging.getLogger(name) for name in ("django.request", "axes")}
    levels = {name: logger.level for name, logger in loggers.items()}
    loggers["django.request"].setLevel(logging.CRITICAL)
    loggers["axes"].setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic in a bench
            return _requests(data, requests)
    finally:
        for name, logger in loggers.items():
            logger.setLevel(levels[name])


def _requests(data, requests):
    results = {}
    clients = _clients(data)
    for page, url in _pages(data):
        for who, client in clients.items():
            client.get(url)  # warm-up: templates, translations, content types
            status, queries = _count(client, url)
            times = []
            for _ in range(requests if status == 200 else 0):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            median = statistics.median(times) if times else None
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] if times else None
            results[page, who] = (status, queries, median, p95)
    return results


def _flush():
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


def _table(title, rows, whos, cell):
    width = max(len(page) for page, _ in rows)
    head = f"{title:<{width}} | " + " | ".join(f"{who:<17}" for who in whos)
    lines = [head, "-" * len(head)]
    for page, _url in rows:
        lines.append(f"{page:<{width}} | " + " | ".join(f"{cell(page, who):<17}" for who in whos))
    return lines


def _report(data, small, main, scale, small_scale, build_seconds, requests, vendor):
    whos = list(data["users"])
    pages = _pages(data)

    def timing(page, who):
        status, queries, median, p95 = main[page, who]
        if status != 200:
            return f"{queries:>2}q  ({status})"
        flag = " *" if median > SLOW_MS else ""
        return f"{queries:>2}q {median:4.0f}/{p95:.0f} ms{flag}"

    def flat(page, who):
        s_status, s_queries, *_ = small[page, who]
        m_status, m_queries, *_ = main[page, who]
        mark = " !" if s_queries != m_queries else ""
        note = "" if m_status == 200 else f" ({m_status})"
        return f"{s_queries:>2} -> {m_queries:<2}{mark}{note}"

    counts = ", ".join(f"{v:,} {k}" for k, v in data["counts"].items())
    lines = [
        f"database: {vendor}; scale {scale:g} ({counts}); built in {build_seconds:.0f} s",
        f"cells: SQL queries, median/p95 of {requests} requests (Django test client); (302)/(403): not for this visitor;"
        f" * = median over {SLOW_MS} ms",
        *_table("page", pages, whos, timing),
    ]
    slow = [f"{page}/{who}" for page, _ in pages for who in whos if main[page, who][0] == 200 and main[page, who][2] > SLOW_MS]
    lines += [
        f"every page under {SLOW_MS} ms median for every visitor" if not slow else f"OVER {SLOW_MS} MS MEDIAN: {', '.join(slow)}",
        "",
        f"query counts at scale {small_scale:g} -> {scale:g} ('!' = grows with data: a bug)",
        *_table("page", pages, whos, flat),
    ]
    grown = [f"{page}/{who}" for page, _ in pages for who in whos if small[page, who][1] != main[page, who][1]]
    lines.append("query counts flat on every page" if not grown else f"QUERY COUNTS GROW: {', '.join(grown)}")
    return lines


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own server on 127.0.0.1)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {url} within {seconds} s")


def _wrk(url, cookie, seconds):
    """(requests/s, median latency ms, non-2xx responses) of a wrk run against ``url``."""
    out = subprocess.run(  # noqa: S603 (our own arguments, no shell)
        [shutil.which("wrk"), "-t2", "-c8", f"-d{seconds}s", "--latency", "-H", f"Cookie: {cookie}", url],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    median = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
    median_ms = float(median.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[median.group(2)] if median else float("nan")
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rate, median_ms, int(errors.group(1)) if errors else 0


def _session_cookie(user):
    import logging

    from django.conf import settings
    from django.test import Client

    client = Client()
    axes = logging.getLogger("axes")
    level = axes.level
    axes.setLevel(logging.WARNING)  # no login lines in the report
    try:
        client.force_login(user)  # a session row in the bench database, which gunicorn reads too
    finally:
        axes.setLevel(level)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _wrk_pass(data, seconds):
    """Throughput of a bare view and of the board's home page through gunicorn (DEBUG false)."""
    from django.db import connection
    from django.urls import reverse

    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not shutil.which("wrk") or not gunicorn.exists():
        return ["wrk pass skipped: needs wrk (bash scripts/system-deps.sh bench) and gunicorn (requirements.txt)"]
    cookie = _session_cookie(data["users"]["board"])
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    workers = 2
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_DB_NAME": str(connection.settings_dict["NAME"])}
    env.pop("DEBUG", None)
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(  # noqa: S603 (our own arguments, no shell)
        [str(gunicorn), "emulation_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
    )
    try:
        _wait_until_up(f"{base}/bench/bare/", process)
        targets = [("bare view", f"{base}/bench/bare/"), ("board home", base + reverse("home"))]
        for _name, url in targets:
            _wrk(url, cookie, 1)  # warm-up: every worker connects, loads templates and translations
        results = {name: _wrk(url, cookie, seconds) for name, url in targets}
    except (RuntimeError, subprocess.SubprocessError, AttributeError) as exc:
        log.seek(0)
        return [f"wrk pass failed: {exc}", *log.read().decode(errors="replace").splitlines()[-20:]]
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    bare_rate = results["bare view"][0]
    lines = [f"wrk pass: gunicorn {workers} sync workers, DEBUG false; wrk -t2 -c8 -d{seconds}s with the board's session cookie"]
    for name, (rate, median_ms, errors) in results.items():
        note = f", {errors} non-2xx" if errors else ""
        lines.append(f"{name:<11} {rate:8.0f} req/s  (median latency {median_ms:.1f} ms{note})")
    share = results["board home"][0] / bare_rate if bare_rate else 0.0
    verdict = "ok" if share >= HOME_SHARE_TARGET else "BELOW TARGET"
    lines.append(f"board home / bare view: {share:.1%} (target >= {HOME_SHARE_TARGET:.0%}): {verdict}")
    return lines


def _env_float(name, default):
    raw = os.environ.get(name, "")
    return float(raw) if raw.strip() else default


def run():
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from emulation_portal.celery import app

    scale = _env_float("BENCH_SCALE", DEFAULT_SCALE)
    small_scale = _env_float("BENCH_SMALL_SCALE", DEFAULT_SMALL_SCALE)
    requests = int(_env_float("BENCH_REQUESTS", DEFAULT_REQUESTS))
    wrk_seconds = int(_env_float("BENCH_WRK_SECONDS", DEFAULT_WRK_SECONDS))
    if small_scale >= scale:
        small_scale = scale / 5  # the comparison needs a smaller size

    app.conf.task_always_eager = True  # nothing leaves the process
    setup_test_environment(debug=False)  # as in production: no query log, no template debug
    settings_dict = connection.settings_dict
    old_name = settings_dict["NAME"]
    old_test = dict(settings_dict.get("TEST") or {})
    tmpdir = None
    if connection.vendor == "sqlite":
        tmpdir = tempfile.TemporaryDirectory(prefix="bench_pages_")
        settings_dict["TEST"] = {**old_test, "NAME": os.path.join(tmpdir.name, "bench.sqlite3")}
    else:
        settings_dict["TEST"] = {**old_test, "NAME": f"bench_pages_{os.getpid()}"}
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        vendor = connection.vendor
        small = _measure(_build(small_scale), 0)
        _flush()
        start = time.perf_counter()
        data = _build(scale)
        build_seconds = time.perf_counter() - start
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # as autovacuum does soon after a bulk load of new rows
        main = _measure(data, requests)
        lines = _report(data, small, main, scale, small_scale, build_seconds, requests, vendor)
        if wrk_seconds > 0:
            lines += ["", *_wrk_pass(data, wrk_seconds)]
        return lines
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        settings_dict["TEST"] = old_test
        teardown_test_environment()
        if tmpdir is not None:
            tmpdir.cleanup()
