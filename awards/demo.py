"""Demo rule sets (idempotent): Ninh Thuận's bloc regulation, copied from the national template
under Nghị định 91/2017/NĐ-CP, which governs the demo years 2020–2022; and the year-end scoring
(``load_scoring``): the general bloc's 2022 round finished (frozen ranking), the economy bloc's
2022 round in progress (some sheets submitted, some lines queried)."""

import importlib

from django.apps import apps
from django.db import transaction

from awards import services
from awards.models import RuleSet
from blocs import demo_data
from blocs.models import Province, User

NAME = "Quy chế hoạt động Khối thi đua tỉnh Ninh Thuận"


def seed_templates():
    """The legal bases and templates of migration 0002 (idempotent): a database flushed after
    migrating (as tests that truncate tables leave it) has lost them."""
    importlib.import_module("awards.migrations.0002_seed_rule_sets").seed(apps, None)
    importlib.import_module("awards.migrations.0006_seed_award_conditions").seed(apps, None)


def load():
    from awards import demo_yearend

    _load_rule_set()
    load_scoring()
    demo_yearend.load()


@transaction.atomic
def _load_rule_set():
    seed_templates()
    province = Province.objects.get(code=demo_data.NINH_THUAN["code"])
    if RuleSet.objects.filter(province=province, name=NAME).exists():
        return
    template = RuleSet.objects.select_related("legal_basis").get(province__isnull=True, legal_basis__name="Nghị định 91/2017/NĐ-CP")
    board = User.objects.filter(username="bantdkt").first()
    services.rule_set_copy(
        actor=board, rule_set=template, province=province, name=NAME, valid_from=template.valid_from, valid_to=template.valid_to
    )


# --- year-end scoring ----------------------------------------------------------------------------

# Share of each criterion's maximum an agency claims, by its place in the member list (assumed).
_RATIOS = ["1", "0.97", "0.95", "0.93", "0.9", "0.9", "0.88", "0.85", "0.8", "0.78", "0.75", "0.7", "0.68", "0.65"]
RESULT_TEXT = "Hoàn thành các nhiệm vụ, chỉ tiêu đề ra trong năm; có báo cáo tổng kết kèm theo."  # assumed


def _claim(sheet, ratio):
    """The agency's claim (written on the lines: the sheet form is a page, not a service call)."""
    from decimal import ROUND_FLOOR, Decimal

    from awards.models import ScoreLine

    lines = list(sheet.lines.select_related("criterion"))
    for line in lines:
        points = (line.criterion.max_points * Decimal(ratio) * 4).to_integral_value(rounding=ROUND_FLOOR) / 4
        line.claimed_points, line.result_text = points, RESULT_TEXT
    ScoreLine.objects.bulk_update(lines, ["claimed_points", "result_text"])


def _checker_for(line, secretary, board):
    from core.access import can

    return secretary if can(secretary, "awards.check_line", line) else board


def _finished(bloc_year, secretary, board):
    import datetime

    from awards.models import ScoringRound
    from awards.scoring import checking, ranking, rounds, sheets
    from core.documents import document_render
    from core.models import JobStatus

    if ScoringRound.objects.filter(bloc_year=bloc_year).exists() or rounds.signed_version(bloc_year) is None:
        return
    scoring = rounds.round_open(actor=secretary, bloc_year=bloc_year, deadline=datetime.date(2022, 11, 30), check_mode="secretary")
    for i, sheet in enumerate(scoring.sheets.select_related("agency").order_by("agency__name")):
        _claim(sheet, _RATIOS[i % len(_RATIOS)])
        leader = _leader(sheet.agency)
        if leader is None:
            continue
        sheets.sheet_approve(actor=leader, sheet=sheet)
        for n, line in enumerate(sheet.lines.order_by("position")):
            checker = _checker_for(line, secretary, board)
            if i == 1 and n == 0:
                checking.line_adjust(actor=checker, line=line, points=line.claimed_points - 1, revision=line.revision,
                                     reason="Minh chứng chưa đủ cho một phần chỉ tiêu; trừ 1 điểm.")  # assumed
            else:
                checking.line_accept(actor=checker, line=line, revision=line.revision)
    scoring.refresh_from_db()
    scoring = ranking.ranking_publish(actor=secretary, scoring=scoring)
    first = scoring.sheets.select_related("agency").order_by("agency__name")[1]
    author = _officer(first.agency) or _leader(first.agency)
    if author is not None:
        objection = ranking.objection_add(actor=author, scoring=scoring,
                                          text="Đề nghị Khối xem lại điểm tiêu chí 1 của đơn vị: đã bổ sung báo cáo kết quả.")  # assumed
        ranking.objection_answer(actor=secretary, objection=objection,
                                 answer="Khối đã xem lại minh chứng; giữ nguyên điểm đã kiểm tra vì báo cáo chưa có số liệu.")  # assumed
    from django.db import transaction

    with transaction.atomic():
        ranking.ranking_freeze(actor=secretary, scoring=scoring)
    from awards.models import RankingRecord
    from awards.scoring.documents import document_of, issue

    record = RankingRecord.objects.filter(round=scoring).order_by("-number").first()
    document = document_of(record) or issue(record)
    if document.status != JobStatus.DONE:
        document_render(document_id=document.pk)


def _signed_pledge_b(bloc_year):
    """Seed 003's bloc (Tỉnh An Lạc, 2021) gets a pledge signed by all 11 members, through the pledge
    services, so its scoring round opens on a signed version like any other. The report gives the
    bloc and its members but not its criteria: those of the general bloc are reused (assumed)."""
    import datetime

    from awards.scoring import rounds
    from pledges import demo as pledges_demo
    from pledges.models import PledgeState

    version = rounds.signed_version(bloc_year)
    if version is not None:
        return version
    if getattr(bloc_year, "pledge", None) is not None:
        return None  # a pledge already exists and is not signed: leave it as it is
    version = pledges_demo._build(
        bloc_year, doc_number="01/GƯTĐ-KTH", date=datetime.date(2021, 3, 5), place="An Lạc",  # assumed
        preamble="Thực hiện Kế hoạch phát động phong trào thi đua năm 2021 của Ủy ban nhân dân tỉnh.",  # assumed
        criteria=pledges_demo.GENERAL_CRITERIA,
    )
    members = [m.agency for m in bloc_year.memberships.select_related("agency").order_by("agency__name")]
    version = pledges_demo._sign(version, members, datetime.datetime(2021, 3, 5, 9, 0, tzinfo=pledges_demo.TZ))
    return version if version.state == PledgeState.SIGNED else None


def _in_progress(bloc_year, secretary, board):
    """A round still open, opened through the services on a signed pledge: half the sheets approved
    (the first one checked, with a line queried), the rest drafts with claimed points."""
    import datetime

    from awards.models import LineKind, ScoringRound
    from awards.scoring import checking, rounds, sheets

    if ScoringRound.objects.filter(bloc_year=bloc_year).exists() or _signed_pledge_b(bloc_year) is None:
        return
    scoring = rounds.round_open(
        actor=secretary, bloc_year=bloc_year, deadline=datetime.date(bloc_year.year, 11, 30), check_mode="secretary"
    )
    ordered = list(scoring.sheets.select_related("agency").order_by("agency__name"))
    for i, sheet in enumerate(ordered):
        _claim(sheet, _RATIOS[i % len(_RATIOS)])
        leader = _leader(sheet.agency)
        if i >= len(ordered) // 2 or leader is None:
            continue
        sheets.sheet_approve(actor=leader, sheet=sheet)
        for n, line in enumerate(sheet.lines.filter(kind=LineKind.CRITERION).order_by("position")):
            checker = _checker_for(line, secretary, board)
            if i == 0 and n == 0:
                checking.line_query(actor=checker, line=line, revision=line.revision,
                                    question="Đề nghị bổ sung báo cáo kết quả thực hiện cả năm làm minh chứng.")  # assumed
            elif i == 0:
                checking.line_accept(actor=checker, line=line, revision=line.revision)


def _leader(agency):
    from blocs.models import Role, RoleAssignment

    found = RoleAssignment.objects.filter(role=Role.LEADER, agency=agency).select_related("user").order_by("user__username").first()
    return found.user if found else None


def _officer(agency):
    from blocs.models import Role, RoleAssignment

    found = RoleAssignment.objects.filter(role=Role.OFFICER, agency=agency).select_related("user").order_by("id").first()
    return found.user if found else None


def load_scoring():
    """Ninh Thuận's general bloc 2022: a finished round (frozen ranking, PDF). Seed 003's bloc (Tỉnh An
    Lạc, 2021): a round in progress. Idempotent: a bloc-year that has a round is left alone."""
    from blocs.models import BlocYear, Role, RoleAssignment

    plan = (
        (demo_data.NINH_THUAN["code"], demo_data.BLOC_GENERAL, 2022, "bantdkt", _finished),
        (demo_data.PROVINCE_B["code"], demo_data.BLOC_B, 2021, "b.bantdkt", _in_progress),
    )
    for code, bloc_name, year, board_name, build in plan:
        bloc_year = BlocYear.objects.filter(bloc__name=bloc_name, bloc__province__code=code, year=year).first()
        if bloc_year is None:
            continue
        board = User.objects.filter(username=board_name).first()
        found = RoleAssignment.objects.filter(role=Role.SECRETARY, bloc_year=bloc_year).select_related("user").order_by("id").first()
        secretary = found.user if found else board
        with transaction.atomic():
            build(bloc_year, secretary, board)
