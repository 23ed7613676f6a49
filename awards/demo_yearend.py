"""Demo of the year-end's second half (issue 11), built through the services (idempotent):

- Ninh Thuận's general bloc, 2022: the whole year-end done — nominations from the frozen ranking,
  the year-end meeting (20/12/2022, assumed) with an online ballot every member voted in, its
  minutes approved, next year's head and deputy elected (the 2023 bloc-year waits for the UBND
  notice), the dossier submitted and received, the board's decision and the award history, plus
  awards of 2020–2021 entered by hand (assumed).
- The second province's "Khối tổng hợp", 2021: an online ballot open on next year's head and
  deputy, four of the eleven members have voted.

Facts the seeds do not give (the ranking's nominees, vote choices, decision numbers, signers,
dates) are assumed and marked so.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards.models import AwardType, Ballot, BallotState, Nomination, NominationState, RankingEntry, RoundState
from awards.selectors import rule_set_for
from blocs import demo_data
from blocs.models import BlocYear, Role, RoleAssignment, User

TZ = timezone.get_fixed_timezone(7 * 60)
MEETING_AT = datetime.datetime(2022, 12, 20, 8, 0, tzinfo=TZ)  # assumed
DECISION = {  # assumed: the number, date and signer of the province's decision
    "number": "125/QĐ-UBND", "date": datetime.date(2023, 1, 20), "signer_title": "Chủ tịch UBND tỉnh",
    "signer_name": "Trần Quốc Nam", "level": "province",
}
EARLIER_AWARDS = [  # assumed: awards of the years before the portal, entered by the board
    (2, 2021, "bang-khen-chu-tich-tinh", "Quyết định số 210/QĐ-UBND ngày 25/01/2022 của Chủ tịch UBND tỉnh"),
    (1, 2020, "co-ubnd-tinh", "Quyết định số 198/QĐ-UBND ngày 22/01/2021 của Chủ tịch UBND tỉnh"),
]
JUSTIFICATION = "Khối đã xem xét báo cáo thành tích của đơn vị và xác nhận đơn vị đạt điều kiện này."  # assumed


def _user(username):
    return User.objects.filter(username=username).first()


def _secretary(bloc_year):
    found = RoleAssignment.objects.filter(role=Role.SECRETARY, bloc_year=bloc_year).select_related("user").order_by("id").first()
    return found.user if found else None


def _leader(agency_id):
    found = RoleAssignment.objects.filter(role=Role.LEADER, agency_id=agency_id).select_related("user").order_by("user__username").first()
    return found.user if found else None


def _report_pdf(nomination):
    from core.documents import html_to_pdf

    html = (
        "<html lang='vi'><head><meta charset='utf-8'><title>Báo cáo thành tích</title></head><body style='font-family: serif'>"
        f"<h3>BÁO CÁO THÀNH TÍCH</h3><p>Đề nghị tặng {nomination.award_type.name} năm {nomination.bloc_year.year}</p>"
        f"<p><b>{nomination.agency.name}</b></p><p>{nomination.reason}</p></body></html>"
    )
    return SimpleUploadedFile(f"bao-cao-thanh-tich-{nomination.agency.short_name or nomination.pk}.pdf", html_to_pdf(html),
                              content_type="application/pdf")


# --- Ninh Thuận, general bloc, 2022: the whole year-end ---------------------------------------------


def _propose(bloc_year, secretary):
    from awards.nominations.eligibility import checks_for_candidate
    from awards.nominations.services import nomination_propose

    ranking = list(RankingEntry.objects.filter(round__bloc_year=bloc_year, round__state=RoundState.FROZEN)
                   .select_related("agency").order_by("rank", "agency__name"))
    if len(ranking) < 3:
        return []
    rule_set = rule_set_for(bloc_year)
    plan = [  # assumed: the bloc proposes its leader for the flag, the next two for the chairman's certificate
        (ranking[0].agency, "co-ubnd-tinh", "Dẫn đầu Khối thi đua năm 2022 với %s điểm; hoàn thành xuất sắc các chỉ tiêu giao ước."),
        (ranking[1].agency, "bang-khen-chu-tich-tinh", "Xếp thứ hai của Khối năm 2022 với %s điểm; hoàn thành xuất sắc nhiệm vụ."),
        (ranking[2].agency, "bang-khen-chu-tich-tinh", "Xếp thứ ba của Khối năm 2022 với %s điểm; hoàn thành xuất sắc nhiệm vụ."),
    ]
    totals = {entry.agency_id: entry.total for entry in ranking}
    made = []
    for agency, code, reason in plan:
        award_type = AwardType.objects.get(rule_set=rule_set, code=code)
        checks = checks_for_candidate(bloc_year, award_type, agency)
        justification = JUSTIFICATION if any(check.status == "warn" for check in checks) else ""
        made.append(nomination_propose(
            actor=secretary, bloc_year=bloc_year, award_type=award_type, agency=agency,
            reason=reason % str(totals[agency.pk]).replace(".", ","), justification=justification,
        ))
    return made


def _meeting(bloc_year, secretary):
    from meetings.models import Meeting, MeetingKind
    from meetings.services import meeting_schedule

    found = Meeting.objects.filter(bloc_year=bloc_year, kind=MeetingKind.YEAR_END).first()
    if found is not None:
        return found
    return meeting_schedule(
        actor=secretary, bloc_year=bloc_year, kind=MeetingKind.YEAR_END, starts_at=MEETING_AT,
        venue="Hội trường Văn phòng Đoàn ĐBQH và HĐND tỉnh",  # assumed
        host=bloc_year.head, chair_name=bloc_year.head.leader_name,
        chair_title=f"{bloc_year.head.leader_title} {bloc_year.head.name}, Trưởng Khối thi đua",
        chair_user=_leader(bloc_year.head_id),
        agenda="Tổng kết phong trào thi đua năm 2022\nCông bố kết quả chấm điểm, xếp hạng\n"
               "Bình xét, suy tôn khen thưởng\nBầu Trưởng khối, Phó khối năm 2023",
        confirm_second_signing=True,
    )


def _members(bloc_year):
    return [m.agency for m in bloc_year.memberships.select_related("agency").order_by("agency__name")]


def _vote_all(ballot, members, *, head, deputy, voters=None):
    """Every member (or the first ``voters``) agrees with every nominee and picks ``head`` and
    ``deputy`` (assumed choices)."""
    from awards.ballots.services import ballot_vote
    from awards.models import QuestionKind

    questions = list(ballot.questions.filter(round=ballot.round).prefetch_related("candidates"))
    answers = {}
    for question in questions:
        by_agency = {c.agency_id: c.pk for c in question.candidates.all()}
        if question.kind == QuestionKind.AWARD and question.max_choices == 0:
            answers[question.pk] = {pk: True for pk in by_agency.values()}
        elif question.kind == QuestionKind.AWARD:
            answers[question.pk] = list(by_agency.values())[: question.max_choices]
        else:
            answers[question.pk] = by_agency.get((head if question.kind == QuestionKind.HEAD else deputy).pk)
    for agency in members[:voters]:
        leader = _leader(agency.pk)
        if leader is not None:
            ballot_vote(actor=leader, ballot=ballot, answers=answers, agency=agency)


def _ballot(bloc_year, secretary, meeting):
    from awards.ballots import services as ballots

    found = Ballot.objects.filter(bloc_year=bloc_year).first()
    if found is not None:
        return found
    ballot = ballots.ballot_create(
        actor=secretary, bloc_year=bloc_year, meeting=meeting, mode="online",
        title="Bình xét, suy tôn khen thưởng năm 2022 và bầu Trưởng khối, Phó khối năm 2023",
    )
    ballots.ballot_open(actor=secretary, ballot=ballot)
    members = _members(bloc_year)
    # Assumed: the deputy of 2022 (Sở Nội vụ) becomes head in 2023 and Sở Tài chính its deputy.
    deputy_2023 = next((a for a in members if a.name == "Sở Tài chính"), members[-1])
    _vote_all(ballot, members, head=bloc_year.deputy, deputy=deputy_2023)
    ballot = ballots.ballot_close(actor=secretary, ballot=Ballot.objects.get(pk=ballot.pk))
    Ballot.objects.filter(pk=ballot.pk).update(opened_at=MEETING_AT + datetime.timedelta(hours=1),
                                               closed_at=MEETING_AT + datetime.timedelta(hours=1, minutes=30))
    return ballot


def _minutes(bloc_year, secretary, meeting):
    from meetings.models import MeetingState
    from meetings.services import minutes_approve, minutes_record, minutes_submit

    if meeting.state not in (MeetingState.PLANNED, MeetingState.HELD):
        return
    members = _members(bloc_year)
    minutes_record(
        actor=secretary, meeting=meeting,
        attendance=[{"agency": a, "present": True, "representative_name": a.leader_name, "representative_title": a.leader_title}
                    for a in members],
        guests=[{"name": "Ngô Thị Kim Oanh", "title": "Trưởng Ban Thi đua – Khen thưởng", "organization": "Sở Nội vụ"}],
        decisions=["Thống nhất kết quả chấm điểm, xếp hạng năm 2022 của Khối",
                   "Thống nhất đề nghị khen thưởng theo kết quả bỏ phiếu",
                   "Bầu Trưởng khối, Phó khối năm 2023 theo kết quả bỏ phiếu"],
        minutes_number="05/BB-KTĐTH",  # assumed
        secretary_name=secretary.get_full_name(), secretary_title=secretary.title,
        discussion="Các đơn vị thảo luận kết quả thực hiện giao ước thi đua năm 2022 và thống nhất kết quả chấm điểm của Khối.",
        conclusions="Khối hoàn thành tốt các chỉ tiêu giao ước thi đua năm 2022.",
        results="Các đơn vị trong Khối hoàn thành các chỉ tiêu giao ước; kết quả xếp hạng đã được chốt.",
        next_plan="Tiếp tục đổi mới nội dung, hình thức thi đua năm 2023.",
        documents_adopted="Báo cáo tổng kết phong trào thi đua năm 2022 của Khối",
    )
    minutes_submit(actor=secretary, meeting=meeting)
    minutes_approve(actor=_leader(bloc_year.head_id), meeting=meeting)


def _render_pending():
    from core.documents import document_render
    from core.models import IssuedDocument, JobStatus

    for document in IssuedDocument.objects.exclude(status=JobStatus.DONE).filter(kind__in=["minutes", "awards.ballot_record",
                                                                                            "awards.cover_letter", "score_table"]):
        try:
            document_render(document_id=document.pk)
        except Exception:  # noqa: BLE001, S112 - recorded on the row; the page offers a retry
            continue


def _issue_documents(bloc_year):
    """Ask for the score table and the vote-count record now (both get-or-create): the services
    ask for them after the commit, which a caller holding one transaction (a test) never reaches."""
    from awards.ballots import documents as ballot_documents
    from awards.models import RankingRecord
    from awards.scoring import documents as scoring_documents

    for record in RankingRecord.objects.filter(round__bloc_year=bloc_year, round__state=RoundState.FROZEN):
        scoring_documents.issue(record)
    for ballot in Ballot.objects.filter(bloc_year=bloc_year, state=BallotState.CLOSED):
        ballot_documents.issue(ballot, ballot.round)


def _dossier(bloc_year, secretary, board):
    from awards.decisions import board as board_services
    from awards.decisions import dossier as dossiers
    from awards.models import DossierState

    dossier = dossiers.dossier_for(bloc_year)
    if dossier.state != DossierState.DRAFT:
        return dossier
    voted = list(Nomination.objects.filter(bloc_year=bloc_year, state=NominationState.VOTED).select_related("award_type", "agency"))
    for nomination in voted:
        dossiers.report_upload(actor=secretary, nomination=nomination, uploaded=_report_pdf(nomination))
    # The demo runs years later: the board moves the deadline to today, then the dates are put back.
    dossiers.dossier_deadline_set(actor=board, dossier=dossier, deadline=timezone.localdate())
    dossier = dossiers.dossier_submit(actor=secretary, dossier=dossier, number="06/TTr-KTĐTH")  # assumed
    dossier = board_services.dossier_receive(actor=board, dossier=dossier)
    type(dossier).objects.filter(pk=dossier.pk).update(
        deadline=datetime.date(2022, 12, 31), submitted_at=datetime.datetime(2022, 12, 26, 9, 0, tzinfo=TZ),
        received_at=datetime.datetime(2022, 12, 28, 14, 0, tzinfo=TZ),
    )
    for nomination in voted:
        board_services.nomination_approve(actor=board, nomination=nomination)
    board_services.decision_record(actor=board, province=bloc_year.bloc.province, nominations=voted, **DECISION)
    return dossier


def _earlier_awards(bloc_year, board):
    from awards.decisions.history import award_choices, award_record_add
    from awards.models import AwardRecord

    ranking = list(RankingEntry.objects.filter(round__bloc_year=bloc_year, round__state=RoundState.FROZEN)
                   .select_related("agency").order_by("rank", "agency__name"))
    names = {choice.code for choice in award_choices(bloc_year.bloc.province_id)}
    for place, year, code, text in EARLIER_AWARDS:
        if place > len(ranking) or code not in names:
            continue
        agency = ranking[place - 1].agency
        if not AwardRecord.objects.filter(agency=agency, year=year, award_code=code).exists():
            award_record_add(actor=board, agency=agency, year=year, award_code=code, decision_text=text)


def _done(bloc_year):
    secretary, board = _secretary(bloc_year), _user("bantdkt")
    if secretary is None or board is None:
        return
    if not RankingEntry.objects.filter(round__bloc_year=bloc_year, round__state=RoundState.FROZEN).exists():
        return
    _earlier_awards(bloc_year, board)
    if not Nomination.objects.filter(bloc_year=bloc_year).exists():
        _propose(bloc_year, secretary)
    meeting = _meeting(bloc_year, secretary)
    _ballot(bloc_year, secretary, meeting)
    _minutes(bloc_year, secretary, meeting)
    _issue_documents(bloc_year)
    _render_pending()
    _dossier(bloc_year, secretary, board)
    _render_pending()


# --- the second province's bloc, 2021: a ballot open -----------------------------------------------


def _ballot_open(bloc_year):
    from awards.ballots import services as ballots

    secretary = _secretary(bloc_year)
    if secretary is None or Ballot.objects.filter(bloc_year=bloc_year).exists():
        return
    ballot = ballots.ballot_create(actor=secretary, bloc_year=bloc_year, mode="online",
                                   title="Bầu Trưởng khối, Phó khối năm 2022")
    ballot = ballots.ballot_open(actor=secretary, ballot=ballot)
    members = _members(bloc_year)
    # Assumed: the first four members have voted, the others have not yet.
    _vote_all(ballot, members, head=bloc_year.deputy, deputy=members[-1], voters=4)


def load():
    plan = (
        (demo_data.NINH_THUAN["code"], demo_data.BLOC_GENERAL, 2022, _done),
        (demo_data.PROVINCE_B["code"], demo_data.BLOC_B, 2021, _ballot_open),
    )
    for code, bloc_name, year, build in plan:
        bloc_year = BlocYear.objects.select_related("bloc__province", "head", "deputy").filter(
            bloc__name=bloc_name, bloc__province__code=code, year=year).first()
        if bloc_year is None:
            continue
        build(bloc_year)
    return Ballot.objects.filter(state=BallotState.OPEN).count()
