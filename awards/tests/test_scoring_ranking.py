"""The ranking service (issue 10): totals, caps, bands, ties from the rule set's numbers; publish,
objections, freeze, reopen through the round's workflow; frozen results never change silently."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from awards.models import (
    LineKind,
    LineState,
    Objection,
    RankingEntry,
    RankingRecord,
    RoundState,
    ScoreLine,
    SheetState,
)
from awards.scoring import ranking
from awards.scoring.ranking import Row, rank
from awards.selectors import rules_of
from awards.tests.scoring import accept_all, fill, make_round, scored_round, submit
from awards.workflow import LINE_FLOW, SHEET_FLOW
from core.models import AuditEntry, IssuedDocument, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(ninh_thuan_rules):
    return rules_of(ninh_thuan_rules)


def row(name, criteria, bonus=(), penalty=(), claimed=None, agency_id=None):
    return Row(agency_id=agency_id or abs(hash(name)) % 10_000, agency_name=name, criteria=tuple(D(str(c)) for c in criteria),
               claimed=tuple(D(str(c)) for c in (claimed or criteria)), bonus=tuple(D(str(b)) for b in bonus),
               bonus_claimed=tuple(D(str(b)) for b in bonus), penalty=tuple(D(str(p)) for p in penalty),
               penalty_claimed=tuple(D(str(p)) for p in penalty))


# The rule set's numbers (RULES.md "Scoring"): bands ≥ 95 / 85 / 75, "no criterion at 0" for the
# two best, bonus and penalty capped at 3 each.
@pytest.mark.parametrize(("criteria", "bonus", "penalty", "total", "band", "zero"), [
    ([60, 35], [], [], D("95"), "Hoàn thành xuất sắc nhiệm vụ", False),
    ([60, 34.75], [], [], D("94.75"), "Hoàn thành tốt nhiệm vụ", False),
    ([60, 32], [2, 2], [], D("95"), "Hoàn thành xuất sắc nhiệm vụ", False),  # bonus 4 capped at 3
    ([60, 38], [], [1, 1, 2], D("95"), "Hoàn thành xuất sắc nhiệm vụ", False),  # penalty 4 capped at 3
    ([100, 0], [], [], D("100"), "Hoàn thành nhiệm vụ", True),  # a criterion at 0: not xuất sắc nor tốt
    ([85, 0], [], [], D("85"), "Hoàn thành nhiệm vụ", True),
    ([50, 35], [], [], D("85"), "Hoàn thành tốt nhiệm vụ", False),
    ([50, 34.75], [], [], D("84.75"), "Hoàn thành nhiệm vụ", False),
    ([40, 35], [], [], D("75"), "Hoàn thành nhiệm vụ", False),
    ([40, 34.75], [], [], D("74.75"), "Không hoàn thành nhiệm vụ", False),
    ([70, 0], [], [], D("70"), "Không hoàn thành nhiệm vụ", True),
    ([40, 35], [3], [3], D("75"), "Hoàn thành nhiệm vụ", False),
])
def test_totals_caps_and_bands(rules, criteria, bonus, penalty, total, band, zero):
    [result] = rank([row("Sở A", criteria, bonus, penalty)], rules)
    assert (result.total, result.band, result.has_zero_criterion, result.rank, result.tied) == (total, band, zero, 1, False)
    assert result.bonus <= rules.bonus_cap and result.penalty <= rules.penalty_cap


def test_ties_share_a_rank_listed_by_name_and_the_next_rank_skips(rules):
    results = rank([row("Sở Y tế", [90]), row("Sở Công Thương", [90]), row("Sở Nội vụ", [95]), row("Sở Xây dựng", [80])], rules)
    assert [(r.agency_name, r.rank, r.tied) for r in results] == [
        ("Sở Nội vụ", 1, False), ("Sở Công Thương", 2, True), ("Sở Y tế", 2, True), ("Sở Xây dựng", 4, False),
    ]
    assert ranking.tie_break(rules)["text"] and "Điều 8.2" in ranking.tie_break(rules)["source"]


def test_self_total_and_difference(rules):
    [result] = rank([row("Sở A", [80, 10], bonus=[2], claimed=[85, 10])], rules)
    assert (result.self_total, result.total, result.difference) == (D("97"), D("92"), D("-5"))


def test_unclaimed_criterion_counts_as_zero(rules):
    [result] = rank([Row(agency_id=1, agency_name="Sở A", criteria=(D("96"), None), claimed=(D("96"), None))], rules)
    assert result.has_zero_criterion and result.total == D("96") and result.band == "Hoàn thành nhiệm vụ"


def test_compute_reads_checked_points_in_two_queries(world, ninh_thuan_rules, django_assert_num_queries):
    scoring = scored_round(world)
    line = ScoreLine.objects.filter(sheet__agency=world.agencies[1], kind=LineKind.CRITERION).first()
    line.check_state, line.checked_points = LineState.ADJUSTED, line.claimed_points - 5
    line.save()
    rules_of(scoring.rule_set)  # cached once per rule-set version
    with django_assert_num_queries(2):
        results = ranking.compute(scoring)
    by_agency = {r.agency_id: r for r in results}
    assert by_agency[world.agencies[1].pk].difference == D("-5")
    assert [r.rank for r in results] == sorted(r.rank for r in results)
    assert by_agency[world.agencies[0].pk].rank == 1


def test_compute_flags_partial_year(world, ninh_thuan_rules):
    scoring = scored_round(world)
    scoring.sheets.filter(agency=world.agencies[3]).update(partial_year=True)
    assert {r.agency_id for r in ranking.compute(scoring) if r.partial_year} == {world.agencies[3].pk}


# --- publish --------------------------------------------------------------------------------------


def test_publish_refused_listing_what_is_missing(world, ninh_thuan_rules):
    scoring = make_round(world)
    sheets = list(scoring.sheets.order_by("agency__name"))
    for sheet in sheets[:2]:
        submit(fill(sheet))
    accept_all(sheets[0], world.secretary)
    ScoreLine.objects.filter(sheet=sheets[1]).update(check_state=LineState.QUERIED)
    with pytest.raises(ValidationError) as caught:
        ranking.ranking_publish(actor=world.secretary, scoring=scoring)
    text = " ".join(caught.value.messages)
    for sheet in sheets[2:]:
        assert sheet.agency.name in text
    assert f"{sheets[1].agency.name} (3)" in text
    scoring.refresh_from_db()
    assert scoring.state == RoundState.OPEN and not RankingEntry.objects.exists()


def test_publish_writes_rows_deadline_and_notifies(world, ninh_thuan_rules):
    scoring = scored_round(world)
    before = Notification.objects.count()
    scoring = ranking.ranking_publish(actor=world.secretary, scoring=scoring)
    assert scoring.state == RoundState.PUBLISHED and scoring.published_at is not None
    assert scoring.objection_deadline == timezone.localdate() + timezone.timedelta(days=5)  # rule set: 5 days
    entries = list(RankingEntry.objects.filter(round=scoring).order_by("rank"))
    assert [e.agency_id for e in entries] == [a.pk for a in world.agencies]  # ratios 0.95, 0.90, …
    assert entries[0].rank == 1 and entries[0].total == entries[0].criteria_total
    assert Notification.objects.count() > before
    assert Notification.objects.filter(user=world.officer, message__contains="dự kiến").exists()
    entry = AuditEntry.objects.filter(action="scoring.publish").get()
    assert entry.data["to"] == "published" and len(entry.data["totals"]) == len(world.agencies)


@pytest.mark.parametrize("who", ["leader", "officer", "central", "outsider"])
def test_only_the_secretary_or_board_publishes(world, ninh_thuan_rules, who):
    scoring = scored_round(world)
    with pytest.raises(PermissionDenied):
        ranking.ranking_publish(actor=getattr(world, who), scoring=scoring)


def test_board_publishes_too(world, ninh_thuan_rules):
    scoring = ranking.ranking_publish(actor=world.board, scoring=scored_round(world))
    assert scoring.state == RoundState.PUBLISHED


def test_publish_twice_refused(world, ninh_thuan_rules):
    scoring = ranking.ranking_publish(actor=world.secretary, scoring=scored_round(world))
    with pytest.raises(ValidationError, match="đã được công bố"):
        ranking.ranking_publish(actor=world.secretary, scoring=scoring)
    assert RankingEntry.objects.filter(round=scoring).count() == len(world.agencies)


# --- objections --------------------------------------------------------------------------------


@pytest.fixture
def published(world, ninh_thuan_rules):
    return ranking.ranking_publish(actor=world.secretary, scoring=scored_round(world))


def test_objection_add_and_answer(world, published):
    objection = ranking.objection_add(actor=world.officer, scoring=published, text="  Đề nghị xem lại điểm tiêu chí 2.  ")
    assert objection.agency_id == world.officer.agency_id and objection.text == "Đề nghị xem lại điểm tiêu chí 2."
    with pytest.raises(ValidationError, match="đã được gửi"):
        ranking.objection_add(actor=world.officer, scoring=published, text="Đề nghị xem lại điểm tiêu chí 2.")
    with pytest.raises(PermissionDenied):
        ranking.objection_answer(actor=world.leader, objection=objection, answer="Không")
    ranking.objection_answer(actor=world.secretary, objection=objection, answer="Đã xem lại, giữ nguyên.")
    objection.refresh_from_db()
    assert objection.answer == "Đã xem lại, giữ nguyên." and objection.answered_by == world.secretary
    with pytest.raises(ValidationError, match="đã được trả lời"):
        ranking.objection_answer(actor=world.secretary, objection=objection, answer="Lần hai")
    assert Notification.objects.filter(user=world.officer, message__contains="đã được trả lời").exists()
    assert AuditEntry.objects.filter(action="scoring.object").count() == 1
    assert AuditEntry.objects.filter(action="scoring.answer_objection").count() == 1


@pytest.mark.parametrize("text", ["", "   ", "a\x00b", "x" * (ranking.OBJECTION_MAX_LENGTH + 1)])
def test_objection_bad_text_refused(world, published, text):
    with pytest.raises(ValidationError):
        ranking.objection_add(actor=world.officer, scoring=published, text=text)
    assert not Objection.objects.exists()


@pytest.mark.parametrize("who", ["nonmember", "outsider", "central"])
def test_objection_only_from_members(world, published, who):
    with pytest.raises((PermissionDenied, ValidationError)):
        ranking.objection_add(actor=getattr(world, who), scoring=published, text="Góp ý")
    assert not Objection.objects.exists()


def test_objection_refused_while_open_or_frozen(world, ninh_thuan_rules):
    scoring = scored_round(world)
    with pytest.raises(ValidationError, match="Chỉ góp ý được"):
        ranking.objection_add(actor=world.officer, scoring=scoring, text="Sớm quá")
    scoring = ranking.ranking_publish(actor=world.secretary, scoring=scoring)
    scoring = ranking.ranking_freeze(actor=world.secretary, scoring=scoring)
    with pytest.raises(ValidationError, match="Chỉ góp ý được"):
        ranking.objection_add(actor=world.officer, scoring=scoring, text="Muộn quá")


def test_objection_refused_after_the_window_and_the_button_goes(world, published, client_for):
    import datetime

    from awards.models import ScoringRound
    from awards.workflow import ROUND_FLOW
    from core.access import forget_access

    last_day = published.objection_deadline
    assert ROUND_FLOW.actions(published, world.officer).object
    ScoringRound.objects.filter(pk=published.pk).update(objection_deadline=datetime.date.today() - datetime.timedelta(days=1))
    published.refresh_from_db()
    with pytest.raises(ValidationError, match="Đã hết hạn góp ý"):
        ranking.objection_add(actor=world.officer, scoring=published, text="Muộn một ngày")
    assert not Objection.objects.exists() and last_day is not None
    forget_access(world.officer)
    assert not ROUND_FLOW.actions(published, world.officer).object


# --- freeze and reopen -------------------------------------------------------------------------


def test_freeze_needs_every_objection_answered(world, published, django_capture_on_commit_callbacks):
    objection = ranking.objection_add(actor=world.officer, scoring=published, text="Xem lại giúp")
    with pytest.raises(ValidationError, match="1 góp ý chưa trả lời"):
        ranking.ranking_freeze(actor=world.secretary, scoring=published)
    ranking.objection_answer(actor=world.secretary, objection=objection, answer="Đã xem lại")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        scoring = ranking.ranking_freeze(actor=world.secretary, scoring=published)
    assert scoring.state == RoundState.FROZEN and scoring.frozen_by == world.secretary
    record = RankingRecord.objects.get(round=scoring)
    assert record.number == 1 and [r["agency_id"] for r in record.snapshot["rows"]] == [a.pk for a in world.agencies]
    audit = AuditEntry.objects.get(action="scoring.freeze")
    assert audit.data["before_deadline"] is True and audit.data["content_hash"] == record.content_hash
    assert callbacks  # the PDF is asked for after the commit


def test_frozen_lines_and_sheets_cannot_be_edited(world, published):
    scoring = ranking.ranking_freeze(actor=world.secretary, scoring=published)
    line = ScoreLine.objects.filter(sheet__round=scoring, sheet__agency=world.agencies[1]).first()
    with pytest.raises(ValidationError):
        LINE_FLOW.run("adjust", obj=line, actor=world.secretary)
    sheet = line.sheet
    sheet.state = SheetState.DRAFT
    sheet.save(update_fields=["state"])
    with pytest.raises(ValidationError):
        SHEET_FLOW.run("save", obj=sheet, actor=world.leaders[1])
    line.refresh_from_db()
    assert line.check_state == LineState.ACCEPTED and line.revision == 0  # nothing written
    assert RankingEntry.objects.filter(round=scoring).count() == len(world.agencies)


def test_reopen_requires_a_reason_and_keeps_the_values_in_the_audit(world, published):
    scoring = ranking.ranking_freeze(actor=world.secretary, scoring=published)
    with pytest.raises(ValidationError):
        ranking.ranking_reopen(actor=world.secretary, scoring=scoring, reason="  ")
    with pytest.raises(PermissionDenied):
        ranking.ranking_reopen(actor=world.leader, scoring=scoring, reason="Sai điểm")
    published_totals = {str(e.agency_id): str(e.total) for e in RankingEntry.objects.filter(round=scoring)}
    scoring = ranking.ranking_reopen(actor=world.secretary, scoring=scoring, reason="Sai điểm tiêu chí 2 của Sở A")
    assert scoring.state == RoundState.OPEN and scoring.frozen_at is None and scoring.published_at is None
    assert not RankingEntry.objects.filter(round=scoring).exists()
    entry = AuditEntry.objects.get(action="scoring.reopen")
    assert entry.data["reason"] == "Sai điểm tiêu chí 2 của Sở A" and entry.data["from"] == "frozen"
    assert {str(r["agency_id"]): r["total"] for r in entry.data["ranking"]} == published_totals
    # Publishing and freezing again writes a second record (a second PDF), the first is kept.
    scoring = ranking.ranking_publish(actor=world.secretary, scoring=scoring)
    ranking.ranking_freeze(actor=world.secretary, scoring=scoring)
    assert list(RankingRecord.objects.filter(round=scoring).values_list("number", flat=True)) == [2, 1]


def test_freeze_issues_the_pdf(world, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        scoring = ranking.ranking_freeze(actor=world.secretary, scoring=published)
    record = RankingRecord.objects.get(round=scoring)
    from awards.scoring.documents import document_of

    document = document_of(record)
    assert document is not None and document.kind == "score_table"
    assert IssuedDocument.objects.filter(kind="score_table").count() == 1


def test_ranking_panel_buttons_and_counts(world, published, django_assert_max_num_queries):
    ranking.objection_add(actor=world.officer, scoring=published, text="Một")
    with django_assert_max_num_queries(2):
        panel = ranking.ranking_panel(published, world.secretary)
    assert panel["ranking_actions"].freeze and panel["ranking_actions"].reopen and not panel["ranking_actions"].publish
    assert (panel["ranking_objections"], panel["ranking_objections_open"]) == (1, 1)
    member = ranking.ranking_panel(published, world.officer)
    assert member["ranking_actions"].object and not member["ranking_actions"].freeze


def test_demo_has_a_finished_and_an_in_progress_round_and_a_year_end(transactional_db):
    """Committed as ``load_demo`` commits (each service's on-commit work runs as it would there)."""
    from awards import demo
    from awards.models import ScoringRound
    from blocs import demo as blocs_demo
    from blocs import demo_data
    from pledges import demo as pledges_demo

    blocs_demo.load()
    pledges_demo.load()
    demo.load()
    demo.load()  # idempotent
    rounds = {r.bloc_year.bloc.name: r for r in ScoringRound.objects.select_related("bloc_year__bloc")}
    assert len(rounds) == 2
    finished, running = rounds[demo_data.BLOC_GENERAL], rounds[demo_data.BLOC_B]
    assert running.pledge_version.state == "signed"  # scoring opens only on a signed pledge
    assert finished.state == RoundState.FROZEN and RankingRecord.objects.filter(round=finished).count() == 1
    assert RankingEntry.objects.filter(round=finished).count() == finished.sheets.count()
    assert Objection.objects.filter(round=finished).exclude(answer="").count() == 1
    assert IssuedDocument.objects.filter(kind="score_table", status="done").count() == 1
    assert running.state == RoundState.OPEN
    assert running.sheets.filter(state=SheetState.SUBMITTED).exists() and running.sheets.exclude(state=SheetState.SUBMITTED).exists()
    assert ScoreLine.objects.filter(sheet__round=running, check_state=LineState.QUERIED).count() == 1
    _assert_demo_year_end(finished.bloc_year, running.bloc_year)


def _assert_demo_year_end(done, voting):
    """The general bloc's 2022 year-end is done (ballot, decision, history); seed 003's bloc has a ballot open."""
    from awards.models import AwardRecord, Ballot, BallotVoter, Dossier, Nomination
    from blocs.models import BlocYear

    nominations = Nomination.objects.filter(bloc_year=done)
    assert nominations.count() == 3 and set(nominations.values_list("state", flat=True)) == {"awarded"}
    closed = Ballot.objects.get(bloc_year=done)
    assert closed.state == "closed" and BallotVoter.objects.filter(ballot=closed).count() == closed.members_count
    assert Dossier.objects.get(bloc_year=done).state == "received"
    assert AwardRecord.objects.filter(nomination__bloc_year=done, decision__number="125/QĐ-UBND").count() == 3
    assert AwardRecord.objects.filter(nomination__isnull=True).count() == 2  # entered by hand for 2020 and 2021
    following = BlocYear.objects.get(bloc=done.bloc, year=done.year + 1)
    assert following.head_id == done.deputy_id and following.notice_number == ""  # "chờ thông báo"
    for kind in ("minutes", "awards.ballot_record", "awards.cover_letter"):
        assert IssuedDocument.objects.filter(kind=kind, status="done").exists(), kind
    open_ballot = Ballot.objects.get(bloc_year=voting)
    assert open_ballot.state == "open" and BallotVoter.objects.filter(ballot=open_ballot).count() == 4
