"""Pages of the ballots (issue 11): create, the ballot page (questions, turnout, who voted, the
buttons ``BALLOT_FLOW.actions`` allows, the results once a round is closed, the vote-count record),
the online vote (leaders), the paper counts (two people) and the open / close / next-round buttons.

The vote's choices travel only in the POST body; the vote view hides them from error reports
(``sensitive_post_parameters``) and never echoes them into messages, URLs or logs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from awards.ballots import documents, paper, selectors, services
from awards.forms_ballots import BallotCreateForm, ConfirmForm, PaperCountForm, VoteForm
from awards.models import Ballot, BallotMode, BallotState, BallotVoter
from awards.workflow import BALLOT_FLOW
from blocs.models import Agency, BlocYear
from core.access import can, get_object_for_user
from core.audit import client_ip
from meetings.models import Meeting, MeetingKind, MeetingState

SMALL_BLOC_NOTE = gettext_lazy("Với khối ít thành viên, kết quả nhất trí cho biết từng đơn vị đã bỏ phiếu thế nào.")


def _ballot(request, pk, *, change=None):
    return get_object_for_user(
        request.user, Ballot.objects.select_related("bloc_year__bloc__province", "meeting", "created_by", "closed_by"),
        view="awards.view_ballot", change=change, also=("awards.run_ballot", "awards.vote", "awards.count_paper"), pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ballot_create(request, pk):
    bloc_year = get_object_for_user(request.user, BlocYear.objects.select_related("bloc__province"), view="blocs.view_blocyear",
                                    change="awards.propose", pk=pk)
    unclosed = Ballot.objects.filter(bloc_year=bloc_year).exclude(state=BallotState.CLOSED).first()
    if unclosed is not None:  # also the same form posted twice: the ballot it made is shown
        messages.info(request, _("%(bloc_year)s đang có một cuộc bỏ phiếu chưa kết thúc.") % {"bloc_year": bloc_year})
        return redirect(unclosed)
    groups = services.proposed_by_award_type(bloc_year)
    meetings = Meeting.objects.filter(bloc_year=bloc_year).exclude(state=MeetingState.CANCELLED).select_related("bloc_year__bloc")
    year_end = next((m for m in meetings.order_by("-starts_at") if m.kind == MeetingKind.YEAR_END), None)
    initial = {"title": _("Bình xét, suy tôn năm %(year)s") % {"year": bloc_year.year}, "meeting": year_end}
    form = BallotCreateForm(request.POST or None, meetings=meetings.order_by("-starts_at"), groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = services.ballot_create(
                actor=request.user, ip=client_ip(request), bloc_year=bloc_year, title=data["title"], mode=data["mode"],
                meeting=data["meeting"], closes_at=data["closes_at"], max_choices=data["max_choices"],
                elect_head=data["elect_head"], elect_deputy=data["elect_deputy"],
            )
        except ValidationError as error:
            if error.code == "unclosed":
                messages.info(request, error.messages[0])
                return redirect(Ballot.objects.filter(bloc_year=bloc_year).exclude(state=BallotState.CLOSED).first() or bloc_year)
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã tạo cuộc bỏ phiếu; kiểm tra các câu hỏi rồi bấm “Mở bỏ phiếu”."))
            return redirect(ballot)
    status = 400 if request.method == "POST" else 200
    return render(request, "awards/ballots/create.html", {"bloc_year": bloc_year, "form": form, "groups": groups}, status=status)


def _detail_context(request, ballot):
    questions = selectors.questions_of(ballot)
    turnout = selectors.turnout(ballot)
    led = services.voting_agencies(request.user, ballot)
    names = {a.pk: a.name for a in turnout.members}
    current = [q for q in questions if q.round == ballot.round]
    earlier = [q for q in questions if q.round < ballot.round]
    return {
        "ballot": ballot, "bloc_year": ballot.bloc_year, "actions": BALLOT_FLOW.actions(ballot, request.user),
        "current": current, "earlier": earlier, "turnout": turnout, "rules": selectors.rules_view(ballot),
        "my_agencies": [(names.get(pk, ""), pk in turnout.voted_ids) for pk in led],
        "my_pending": [pk for pk in led if pk not in turnout.voted_ids],
        "records": documents.records_of(ballot) if ballot.state != BallotState.DRAFT else [],
        "outcome": selectors.election_outcome(ballot, questions), "unresolved": selectors.unresolved_count(ballot, questions),
        "small_bloc_note": SMALL_BLOC_NOTE, "is_online": ballot.mode == BallotMode.ONLINE,
        "last_round_message": _last_round_message(ballot),
        "may_count_paper": ballot.mode == BallotMode.PAPER and can(request.user, "awards.count_paper", ballot),
    }


def _last_round_message(ballot):
    rules = selectors.rules_view(ballot)
    if ballot.state != BallotState.CLOSED or not rules or not rules["last_round"]:
        return ""
    try:
        return services.last_round_message(services.counting.parse_rules(ballot.rules))
    except ValidationError:
        return ""


def _detail(request, ballot, *, status=200):
    return render(request, "awards/ballots/detail.html", _detail_context(request, ballot), status=status)


@login_required
@require_http_methods(["GET"])
def ballot_detail(request, pk):
    return _detail(request, _ballot(request, pk))


def _run(request, pk, service, done):
    ballot = _ballot(request, pk, change="awards.run_ballot")
    try:
        ballot = service(actor=request.user, ip=client_ip(request), ballot=ballot)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _detail(request, ballot, status=400)
    messages.success(request, done(ballot) if callable(done) else done)
    return redirect(ballot)


@login_required
@require_POST
def ballot_open(request, pk):
    return _run(request, pk, services.ballot_open, _("Đã mở bỏ phiếu."))


@login_required
@require_POST
def ballot_close(request, pk):
    return _run(request, pk, services.ballot_close, _("Đã kết thúc và kiểm phiếu; biên bản kiểm phiếu (PDF) đang được phát hành."))


@login_required
@require_POST
def ballot_next_round(request, pk):
    return _run(request, pk, services.ballot_next_round,
                lambda ballot: _("Đã mở bỏ phiếu vòng %(n)s cho các nội dung chưa có kết quả.") % {"n": ballot.round})


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def ballot_vote(request, pk):
    ballot = _ballot(request, pk, change="awards.vote")
    led = services.voting_agencies(request.user, ballot)
    voted = set(BallotVoter.objects.filter(ballot=ballot, round=ballot.round, agency_id__in=led).values_list("agency_id", flat=True))
    pending = list(Agency.objects.filter(pk__in=[pk for pk in led if pk not in voted]).order_by("name"))
    can_vote = bool(BALLOT_FLOW.actions(ballot, request.user).vote) and bool(pending)
    questions = [q for q in selectors.questions_of(ballot) if q.round == ballot.round]
    form = VoteForm(request.POST if request.method == "POST" else None, questions=questions, agencies=pending)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            agency = form.cleaned_data.get("agency")
            try:
                voter = services.ballot_vote(actor=request.user, ip=client_ip(request), ballot=ballot, answers=form.answers(),
                                             agency=agency)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Đã ghi nhận phiếu của %(agency)s. Phiếu đã bỏ không thay đổi được; kết quả công bố khi "
                                            "kết thúc bỏ phiếu.") % {"agency": voter.agency.name})
                return redirect(ballot)
    context = {"ballot": ballot, "bloc_year": ballot.bloc_year, "form": form, "can_vote": can_vote, "voted_agencies": sorted(voted),
               "led": led, "small_bloc_note": SMALL_BLOC_NOTE}
    return render(request, "awards/ballots/vote.html", context, status=status)


def _entry_rows(questions, counts) -> list[tuple]:
    """An entry to read: ``[(question title, [(what, number), …]), …]``."""
    groups = []
    for question in questions:
        numbers = counts.get(str(question.pk)) or {}
        rows = [(str(label).capitalize(), numbers.get(name, "—")) for name, label in paper.FIELD_LABELS.items()]
        rows += [(c.agency, (numbers.get("yes") or {}).get(str(c.pk), "—")) for c in question.candidates]
        groups.append((question.title, rows))
    return groups


@login_required
@require_http_methods(["GET", "POST"])
def ballot_paper(request, pk):
    ballot = _ballot(request, pk, change="awards.count_paper")
    if ballot.mode != BallotMode.PAPER:
        raise Http404
    questions = [q for q in selectors.questions_of(ballot) if q.round == ballot.round]
    found = paper.entries(ballot)
    mine = next((e for e in found if e.entered_by_id == request.user.pk), None)
    first = next((e for e in found if e.entry == 1), None)
    action = request.POST.get("action") if request.method == "POST" else None
    form = PaperCountForm(request.POST if action == "enter" else None, questions=questions,
                          initial=PaperCountForm.initial_from(mine.counts if mine else {}))
    confirm = ConfirmForm(request.POST if action == "confirm" else None, initial={"seen": paper.fingerprint(first)})
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if action == "enter" and form.is_valid():
                paper.paper_count_enter(actor=request.user, ip=client_ip(request), ballot=ballot, counts=form.counts())
                messages.success(request, _("Đã lưu kết quả kiểm phiếu do đồng chí nhập."))
                return redirect("awards:ballot_paper", ballot.pk)
            if action == "confirm" and confirm.is_valid():
                paper.paper_count_confirm(actor=request.user, ip=client_ip(request), ballot=ballot,
                                          seen=confirm.cleaned_data["seen"] or None)
                messages.success(request, _("Đã xác nhận kết quả kiểm phiếu lần thứ nhất."))
                return redirect("awards:ballot_paper", ballot.pk)
            if action not in ("enter", "confirm"):
                messages.error(request, _("Thao tác không hợp lệ."))
        except ValidationError as error:
            (form if action == "enter" else confirm).add_error(None, error.messages)
    context = {
        "ballot": ballot, "bloc_year": ballot.bloc_year, "questions": questions, "form": form, "confirm": confirm,
        "entries": found, "mine": mine, "first": first, "first_rows": _entry_rows(questions, first.counts if first else {}),
        "mismatches": paper.paper_mismatches(ballot),
        "can_count": bool(BALLOT_FLOW.actions(ballot, request.user).count),
        "may_confirm": first is not None and first.entered_by_id != request.user.pk and (mine is None or mine.entry == 2),
    }
    return render(request, "awards/ballots/paper.html", context, status=status)
