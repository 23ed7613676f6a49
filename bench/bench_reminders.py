"""The reminder sweep (core.reminders) over 100,000 due items on PostgreSQL: 100,000 score lines the
checker queried, each waiting for its agency's leader. Reported: the time of the first sweep (plans,
claims and inserts 100,000 reminders; the mails are not sent), the number of batches and of SQL
queries per batch, the second sweep (nothing new), next to a single SELECT over the same rows.

Builds its data in a throwaway test database and drops it after. Environment: BENCH_REMINDER_ITEMS
(default 100,000 on PostgreSQL, 10,000 on SQLite), REMINDER_BATCH (objects per batch, default 500).
"""

import os
import time

from bench.timing import in_throwaway_database

AGENCIES = 100


def _build(items):
    import datetime

    from django.db import connection

    from awards.demo import seed_templates
    from awards.models import LineKind, LineState, RuleSet, ScoreLine, ScoreSheet, ScoringRound
    from blocs.models import Agency, Bloc, BlocYear, Membership, Province, Role, RoleAssignment, User
    from pledges.models import Pledge, PledgeState, PledgeVersion

    seed_templates()
    province = Province.objects.create(name="Tỉnh thử tải nhắc việc", code="bench-rem")
    agencies = Agency.objects.bulk_create([Agency(province=province, name=f"Sở thử tải {i:03d}", short_name=f"S{i}") for i in range(AGENCIES)])
    bloc_year = BlocYear.objects.create(bloc=Bloc.objects.create(province=province, name="Khối thử tải"), year=2022, head=agencies[0])
    Membership.objects.bulk_create([Membership(bloc_year=bloc_year, agency=a, year=2022) for a in agencies])
    leaders = User.objects.bulk_create([User(username=f"bench-rem-{a.pk}", email=f"ld{a.pk}@example.vn", agency=a) for a in agencies])
    RoleAssignment.objects.bulk_create([RoleAssignment(user=u, role=Role.LEADER, agency=a) for u, a in zip(leaders, agencies, strict=True)])
    secretary = User.objects.create(username="bench-rem-secretary")
    version = PledgeVersion.objects.create(pledge=Pledge.objects.create(bloc_year=bloc_year), title="Giao ước (bench)",
                                           state=PledgeState.SIGNED, content_hash="0" * 64)
    rule_set = RuleSet.objects.filter(province__isnull=True).first()
    scoring = ScoringRound.objects.create(bloc_year=bloc_year, pledge_version=version, rule_set=rule_set,
                                          self_score_deadline=datetime.date(2022, 11, 30), opened_by=secretary)
    sheets = ScoreSheet.objects.bulk_create([ScoreSheet(round=scoring, agency=a, state="submitted") for a in agencies])
    per_sheet = items // AGENCIES
    for sheet in sheets:
        ScoreLine.objects.bulk_create(
            [ScoreLine(sheet=sheet, kind=LineKind.BONUS, reason=f"Dòng {i}", position=i, check_state=LineState.QUERIED,
                       check_note="Bổ sung minh chứng") for i in range(per_sheet)],
            batch_size=5000,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does on a live database after a bulk load
    return per_sheet * AGENCIES


def _measure(items):
    from django.conf import settings
    from django.db import connection, reset_queries

    from awards.models import LineState, ScoreLine
    from core import reminders
    from core.models import Reminder

    settings.REMINDER_BATCH = int(os.environ.get("REMINDER_BATCH", settings.REMINDER_BATCH))
    built = _build(items)
    rule = reminders.get_rule("awards.answer_line")
    reminders.send = lambda pk: True  # measure the sweep, not the mail

    start = time.perf_counter()
    rows = list(ScoreLine.objects.filter(check_state=LineState.QUERIED).values_list("pk", "sheet__agency_id"))
    select = time.perf_counter() - start

    settings.DEBUG = True  # record the queries
    reset_queries()
    start = time.perf_counter()
    first = reminders.sweep_rule(rule)
    first_time = time.perf_counter() - start
    queries = [q["sql"] for q in connection.queries]
    reset_queries()
    start = time.perf_counter()
    second = reminders.sweep_rule(rule)
    second_time = time.perf_counter() - start
    second_queries = len(connection.queries)
    settings.DEBUG = False
    per_batch = (len(queries) - 1) / first.batches  # the last, empty batch costs one SELECT
    return [
        f"{connection.vendor}, {built:,} due items (queried score lines), {AGENCIES} agencies, batch {settings.REMINDER_BATCH}",
        f"single SELECT over the same rows:   {select * 1000:8.0f} ms ({len(rows):,} rows)",
        f"first sweep (claims every reminder): {first_time * 1000:8.0f} ms, {first.created:,} reminders, "
        f"{first.batches} batches, {per_batch:.1f} queries per batch ({len(queries)} in all)",
        f"second sweep (nothing new):          {second_time * 1000:8.0f} ms, {second.created} reminders, "
        f"{second_queries} queries in {second.batches} batches",
        f"reminder rows: {Reminder.objects.count():,}; sweep / SELECT: {first_time / select:.0f}× (first), {second_time / select:.0f}× (second)",
    ]


def run():
    from django.db import connection

    default = 100_000 if connection.vendor == "postgresql" else 10_000
    items = int(os.environ.get("BENCH_REMINDER_ITEMS", default))
    return in_throwaway_database(lambda: _measure(items))
