"""The score table page (issue 10) at 15 agencies x 30 criteria, live (before publication) and
published, next to the pledge's signing board (its page while 15 members sign): median and fastest
server time and SQL queries, as the secretary sees them.

Builds its data in a throwaway test database (never the development database) and drops it after.
Environment: BENCH_REQUESTS (timed requests per page, default 15).
"""

import datetime
import os
from decimal import Decimal

from bench.timing import in_throwaway_database, timed

AGENCIES = 15
CRITERIA = 30


def _build():
    from awards.demo import seed_templates
    from awards.models import LineKind, LineState, RuleSet, ScoreLine, ScoreSheet, ScoringRound, SheetState
    from awards.services import rule_set_copy
    from blocs.models import Agency, Bloc, BlocYear, Membership, Province, Role, RoleAssignment, User
    from pledges import services
    from pledges.models import Signature

    seed_templates()
    province = Province.objects.create(name="Ninh Thuận (bench)", code="bench")
    agencies = [
        Agency.objects.create(province=province, name=f"Sở Thử nghiệm số {i:02d}", short_name=f"S{i}",
                              leader_name=f"Nguyễn Văn Đức {i}", leader_title="Giám đốc")
        for i in range(1, AGENCIES + 1)
    ]
    bloc = Bloc.objects.create(province=province, name="Khối thi đua các cơ quan tham mưu tổng hợp (bench)")
    bloc_year = BlocYear.objects.create(bloc=bloc, year=2022, head=agencies[0], deputy=agencies[1])
    Membership.objects.bulk_create([Membership(bloc_year=bloc_year, agency=a, year=2022) for a in agencies])
    board = User.objects.create(username="bench-board", full_name="Ban Thi đua")
    RoleAssignment.objects.create(user=board, role=Role.BOARD, province=province)
    secretary = User.objects.create(username="bench-secretary", full_name="Thư ký")
    RoleAssignment.objects.create(user=secretary, role=Role.SECRETARY, bloc_year=bloc_year)
    leaders = [User.objects.create(username=f"bench-leader-{a.pk}", full_name=a.leader_name, title="Giám đốc", agency=a) for a in agencies]
    RoleAssignment.objects.bulk_create([RoleAssignment(user=u, role=Role.LEADER, agency=a) for u, a in zip(leaders, agencies, strict=True)])
    template = RuleSet.objects.get(province__isnull=True, legal_basis__name="Nghị định 91/2017/NĐ-CP")
    rule_set = rule_set_copy(actor=board, rule_set=template, province=province, name="Quy chế (bench)",
                             valid_from=template.valid_from, valid_to=template.valid_to)
    version = services.pledge_create(
        actor=secretary, bloc_year=bloc_year, doc_number="48/BKK-KTĐ3", place="Ninh Thuận", date=datetime.date(2022, 2, 28),
        preamble="Thực hiện Chỉ thị số 02/CT-UBND ngày 10/01/2022 của Chủ tịch Ủy ban nhân dân tỉnh.",
    )
    rows = [{"group": f"{'I' * (1 + i // 10)}. Nhóm nội dung", "text": f"Tiêu chí thi đua số {i + 1}", "max_points": Decimal("3"),
             "target": ""} for i in range(CRITERIA)]
    services.criteria_save(actor=secretary, version=version, rows=rows)
    services.review_open(actor=secretary, version=version)
    version = services.signing_open(actor=secretary, version=version)
    # Signatures written directly (the signing flow would enqueue a render): 14 of 15 signed.
    Signature.objects.bulk_create([
        Signature(version=version, agency=a, signer=u, signer_name=u.full_name, signer_title="Giám đốc", content_hash=version.content_hash)
        for a, u in list(zip(agencies, leaders, strict=True))[:-1]
    ])
    scoring = ScoringRound.objects.create(bloc_year=bloc_year, pledge_version=version, rule_set=rule_set,
                                          self_score_deadline=datetime.date(2022, 11, 30), opened_by=secretary)
    sheets = ScoreSheet.objects.bulk_create([ScoreSheet(round=scoring, agency=a, state=SheetState.SUBMITTED) for a in agencies])
    criteria = list(version.criteria.order_by("position"))
    lines = []
    for n, sheet in enumerate(sheets):
        for i, c in enumerate(criteria):
            points = Decimal("3") - Decimal("0.25") * ((n + i) % 4)
            lines.append(ScoreLine(sheet=sheet, kind=LineKind.CRITERION, criterion=c, position=i, claimed_points=points,
                                   checked_points=points, check_state=LineState.ACCEPTED, result_text="Hoàn thành"))
        lines.append(ScoreLine(sheet=sheet, kind=LineKind.BONUS, claimed_points=Decimal("1"), checked_points=Decimal("1"),
                               check_state=LineState.ACCEPTED, reason="Sáng kiến", position=99))
    ScoreLine.objects.bulk_create(lines)
    return scoring, version, secretary


def _page(client, path, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm-up (rule-set cache, session)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    queries = len(captured)  # now: the next request resets the connection's query log
    median, fastest, _ = timed(lambda: client.get(path), runs=runs)
    return median, fastest, queries


def _measure():
    from django.test import Client
    from django.urls import reverse

    from awards.scoring import ranking

    runs = int(os.environ.get("BENCH_REQUESTS", "15"))
    scoring, version, secretary = _build()
    client = Client()
    client.force_login(secretary)
    out = []
    for label, path in (
        (f"score table, live ({AGENCIES} agencies x {CRITERIA} criteria)", reverse("awards:score_table", args=[scoring.pk])),
        (f"pledge signing board ({AGENCIES} members, {CRITERIA} criteria)", reverse("pledges:detail", args=[version.pk])),
    ):
        median, fastest, queries = _page(client, path, runs)
        out.append(f"{label}: median {median * 1000:.0f} ms, min {fastest * 1000:.0f} ms, {queries} queries")
    ranking.ranking_publish(actor=secretary, scoring=scoring)
    median, fastest, queries = _page(client, reverse("awards:score_table", args=[scoring.pk]), runs)
    out.insert(1, f"score table, published ({AGENCIES} x {CRITERIA}): median {median * 1000:.0f} ms, min {fastest * 1000:.0f} ms, "
                  f"{queries} queries")
    median, fastest, _ = timed(lambda: client.get(reverse("awards:score_table_xlsx", args=[scoring.pk])), runs=5)
    out.append(f"score table .xlsx ({AGENCIES} x {CRITERIA}): median {median * 1000:.0f} ms, min {fastest * 1000:.0f} ms")
    return out


def run():
    return in_throwaway_database(_measure)
