"""Ballots (bình xét, suy tôn): create, open, vote online, close and count, next round (issue 11).

Every state change goes through ``BALLOT_FLOW`` (row lock on the ballot, state, rule, audit).
Paper counts are in ``awards.ballots.paper`` (re-exported here).

Secrecy of an online vote: the vote writes "agency X voted in round R" (``BallotVoter``) and adds
to the candidates' tallies in the same transaction; nothing else. No row per choice exists, the
audit entry holds only the agency and the round, and the tally update is sent to the database
outside Django's query log, so even a DEBUG log of the SQL does not pair a voter with a choice.
Every candidate row of the round is rewritten at every vote (adding 0 to those not chosen), so
which rows changed in a transaction tells nothing either. See the README for the limits.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Prefetch, Value, When
from django.db.models.sql import UpdateQuery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from awards.ballots import counting
from awards.ballots.paper import agreed_counts, paper_count_confirm, paper_count_enter, paper_mismatches  # noqa: F401 (one import point)
from awards.models import (
    AwardType,
    Ballot,
    BallotCandidate,
    BallotMode,
    BallotQuestion,
    BallotState,
    BallotVoter,
    Nomination,
    NominationState,
    QuestionKind,
)
from awards.selectors import NoRuleSet
from awards.workflow import BALLOT_FLOW, NOMINATION_FLOW
from blocs.models import Agency, BlocYear, Membership, Role, User
from core.access import roles_for, rule_q
from core.audit import audit_record
from core.cleaning import clean_text
from core.notifications import notify

ALREADY_VOTED = _("Đơn vị đã bỏ phiếu trong vòng này; phiếu đã bỏ không thay đổi được.")
MAX_CHOICES_LIMIT = 50


def members_of(bloc_year) -> list[Agency]:
    """The bloc-year's member agencies, by name."""
    return [m.agency for m in Membership.objects.filter(bloc_year=bloc_year).select_related("agency").order_by("agency__name", "agency_id")]


def electable_members(bloc_year) -> list[Agency]:
    """Members that can still be head or deputy next year (not merged or dissolved by 1 January)."""
    start = datetime.date(bloc_year.year + 1, 1, 1)
    return [agency for agency in members_of(bloc_year) if agency.is_usable_on(start)]


def proposed_by_award_type(bloc_year) -> list[tuple[AwardType, list[Nomination]]]:
    """The bloc-year's PROPOSED nominations grouped by award type, in the rule set's order."""
    groups: dict[int, tuple] = {}
    nominations = (
        Nomination.objects.filter(bloc_year=bloc_year, state=NominationState.PROPOSED)
        .select_related("award_type", "agency").order_by("award_type_id", "position", "pk")
    )
    for nomination in nominations:
        groups.setdefault(nomination.award_type_id, (nomination.award_type, []))[1].append(nomination)
    return list(groups.values())


def default_max_choices(award_type: AwardType, candidates: int) -> int:
    """The award type's per-bloc quota (capped by the number of candidates), else 0: agree / disagree."""
    if award_type.per_bloc_quota:
        return min(award_type.per_bloc_quota, candidates)
    return 0


def _unclosed_exists(bloc_year_id, *, exclude_pk=None) -> bool:
    others = Ballot.objects.filter(bloc_year_id=bloc_year_id).exclude(state=BallotState.CLOSED)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def _unclosed_message(bloc_year) -> str:
    return _("%(bloc_year)s đang có một cuộc bỏ phiếu chưa kết thúc: hãy kết thúc cuộc đó trước.") % {"bloc_year": bloc_year}


def _check_max_choices(groups, max_choices) -> dict[int, int]:
    chosen = {}
    known = {award.pk: (award, nominations) for award, nominations in groups}
    for key, value in (max_choices or {}).items():
        try:
            award_id = int(key)
        except (TypeError, ValueError):
            raise ValidationError(_("Hình thức khen thưởng không hợp lệ."), code="forged") from None
        if award_id not in known:
            raise ValidationError(_("Hình thức khen thưởng không có đề nghị nào đang chờ bình xét."), code="forged")
        award, nominations = known[award_id]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > MAX_CHOICES_LIMIT:
            raise ValidationError({"max_choices": _("“%(award)s”: số chọn tối đa phải là số nguyên từ 0.") % {"award": award.name}})
        if value > len(nominations):
            raise ValidationError({"max_choices": _("“%(award)s”: chỉ có %(n)s đơn vị được đề nghị, không chọn tối đa %(m)s được.")
                                   % {"award": award.name, "n": len(nominations), "m": value}})
        chosen[award_id] = value
    return chosen


def ballot_create(
    *,
    actor: User,
    bloc_year: BlocYear,
    title: str,
    mode: str,
    meeting=None,
    closes_at: datetime.datetime | None = None,
    max_choices: dict[int, int] | None = None,
    elect_head: bool = True,
    elect_deputy: bool = True,
    ip: str | None = None,
) -> Ballot:
    """A draft ballot of ``bloc_year``: one question per award type with PROPOSED nominations (agree /
    disagree per candidate, or choose up to N), and the head and deputy questions over the members.

    At most one ballot of a bloc-year is not closed: the bloc-year's row is locked while checking,
    so two secretaries creating at once get one ballot and one clear refusal."""
    with transaction.atomic():
        bloc_year = BlocYear.objects.select_for_update(of=("self",)).select_related("bloc").get(pk=bloc_year.pk)
        if not BlocYear.objects.filter(rule_q(actor, "awards.propose"), pk=bloc_year.pk).exists():
            raise PermissionDenied
        if _unclosed_exists(bloc_year.pk):
            raise ValidationError(_unclosed_message(bloc_year), code="unclosed")
        title = clean_text(title or "", max_length=255)
        if not title:
            raise ValidationError({"title": _("Hãy nhập tên cuộc bỏ phiếu.")})
        if mode not in BallotMode.values:
            raise ValidationError({"mode": _("Hình thức bỏ phiếu không hợp lệ.")})
        if meeting is not None and meeting.bloc_year_id != bloc_year.pk:
            raise ValidationError({"meeting": _("Hội nghị không thuộc khối thi đua năm này.")}, code="forged")
        if closes_at is not None and (mode != BallotMode.ONLINE or closes_at <= timezone.now()):
            raise ValidationError({"closes_at": _("Hạn bỏ phiếu chỉ dùng cho bỏ phiếu trực tuyến và phải sau thời điểm hiện tại.")})
        groups = proposed_by_award_type(bloc_year)
        chosen = _check_max_choices(groups, max_choices)
        electable = electable_members(bloc_year) if (elect_head or elect_deputy) else []
        if (elect_head or elect_deputy) and len(electable) < 2:
            raise ValidationError(_("Khối cần ít nhất hai đơn vị thành viên để bầu Trưởng khối, Phó khối."))
        if not groups and not (elect_head or elect_deputy):
            raise ValidationError(_("Không có đề nghị khen thưởng nào đang chờ bình xét và không bầu Trưởng khối, Phó khối: "
                                    "cuộc bỏ phiếu không có câu hỏi nào."), code="empty")
        ballot = Ballot(bloc_year=bloc_year, meeting=meeting, title=title, mode=mode, closes_at=closes_at, created_by=actor)
        ballot.full_clean()
        ballot.save()
        _write_questions(ballot, groups, chosen, electable, elect_head=elect_head, elect_deputy=elect_deputy)
        audit_record(actor=actor, ip=ip, action="ballot.create", obj=ballot, data={
            "mode": mode, "meeting": meeting.pk if meeting else None,
            "award_types": {award.pk: chosen.get(award.pk, default_max_choices(award, len(noms))) for award, noms in groups},
            "elect_head": elect_head, "elect_deputy": elect_deputy,
        })
    return ballot


def _write_questions(ballot, groups, chosen, electable, *, elect_head, elect_deputy):
    position, pending = 0, []
    for award, nominations in groups:
        question = BallotQuestion.objects.create(
            ballot=ballot, round=1, kind=QuestionKind.AWARD, award_type=award, title=award.name, position=position,
            max_choices=chosen.get(award.pk, default_max_choices(award, len(nominations))),
        )
        position += 1
        pending += [BallotCandidate(question=question, agency_id=n.agency_id, nomination=n, position=i) for i, n in enumerate(nominations)]
    for wanted, kind, title in (
        (elect_head, QuestionKind.HEAD, _("Bầu Trưởng khối năm %(year)s") % {"year": ballot.bloc_year.year + 1}),
        (elect_deputy, QuestionKind.DEPUTY, _("Bầu Phó khối năm %(year)s") % {"year": ballot.bloc_year.year + 1}),
    ):
        if not wanted:
            continue
        question = BallotQuestion.objects.create(ballot=ballot, round=1, kind=kind, title=title, max_choices=1, position=position)
        position += 1
        pending += [BallotCandidate(question=question, agency=a, position=i) for i, a in enumerate(electable)]
    BallotCandidate.objects.bulk_create(pending)


def _leaders_of_members(ballot) -> list[int]:
    members = Membership.objects.filter(bloc_year_id=ballot.bloc_year_id).values("agency_id")
    return list(
        User.objects.filter(is_active=True, role_assignments__role=Role.LEADER, role_assignments__agency_id__in=members)
        .values_list("pk", flat=True).distinct()
    )


def _notify_open(ballot):
    if ballot.mode != BallotMode.ONLINE:
        return
    message = _("Cuộc bỏ phiếu “%(title)s” (vòng %(round)s) đã mở: lãnh đạo đơn vị bỏ phiếu cho đơn vị.") % {
        "title": ballot.title, "round": ballot.round}
    notify(users=_leaders_of_members(ballot), message=message, url=ballot.get_absolute_url())


def ballot_open(*, actor: User, ballot: Ballot, ip: str | None = None) -> Ballot:
    """Open a draft ballot: copy the counting rules (with their sources) and the number of members;
    tell the members' leaders when it is online."""

    def apply(row):
        try:
            snapshot = counting.rules_snapshot(row.bloc_year)
        except NoRuleSet as error:
            raise ValidationError(str(error)) from None
        counting.parse_rules(snapshot)
        if not row.questions.filter(round=row.round).exists():
            raise ValidationError(_("Cuộc bỏ phiếu chưa có câu hỏi nào."))
        row.members_count = Membership.objects.filter(bloc_year_id=row.bloc_year_id).count()
        if row.members_count == 0:
            raise ValidationError(_("Khối chưa có đơn vị thành viên nào."))
        if row.closes_at is not None and row.closes_at <= timezone.now():
            raise ValidationError(_("Hạn bỏ phiếu đã qua: hãy tạo lại cuộc bỏ phiếu với hạn mới."))
        row.rules = snapshot
        row.opened_at = timezone.now()
        return {"members_count": row.members_count, "rule_set": snapshot["rule_set"]}

    row = BALLOT_FLOW.run("open", obj=ballot, actor=actor, ip=ip, apply=apply)
    _notify_open(row)
    return row


# --- online vote -------------------------------------------------------------------------------


def voting_agencies(user, ballot) -> list[int]:
    """The member agencies of the ballot's bloc-year that ``user`` leads (usually one)."""
    led = roles_for(user).leader_agency_ids
    if not led:
        return []
    members = Membership.objects.filter(bloc_year_id=ballot.bloc_year_id, agency_id__in=sorted(led))
    return sorted(members.values_list("agency_id", flat=True))


def _voting_agency(actor, ballot, agency) -> int:
    led = voting_agencies(actor, ballot)
    if agency is not None:
        agency_id = getattr(agency, "pk", agency)
        if agency_id not in led:
            raise PermissionDenied
        return agency_id
    if not led:
        raise PermissionDenied
    if len(led) > 1:
        raise ValidationError({"agency": _("Đồng chí là lãnh đạo của nhiều đơn vị thành viên: hãy chọn đơn vị bỏ phiếu.")}, code="agency")
    return led[0]


def _as_int(value):
    if isinstance(value, bool):
        raise ValidationError(_("Phiếu bầu không hợp lệ."), code="forged")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("Phiếu bầu không hợp lệ."), code="forged") from None


FORGED = _("Phiếu có lựa chọn không thuộc cuộc bỏ phiếu này.")


@sensitive_variables("answers", "value", "given", "yes", "no")
def validate_answers(questions, answers) -> tuple[list[int], list[int]]:
    """Check a whole vote before anything is written; return the candidate ids counted "yes" and
    "no". ``answers``: ``{question id: value}`` where the value is ``{candidate id: True|False}``
    (agree / disagree), a list of candidate ids (choose up to N) or one candidate id or None
    (head, deputy: None is a blank vote)."""
    if not isinstance(answers, dict):
        raise ValidationError(_("Phiếu bầu không hợp lệ."), code="forged")
    by_id = {q.pk: q for q in questions}
    given = {}
    for key, value in answers.items():
        question_id = _as_int(key)
        if question_id not in by_id:
            raise ValidationError(FORGED, code="forged")
        given[question_id] = value
    yes, no, problems = [], [], []
    for question in questions:
        candidates = {c.pk: c for c in question.candidates.all()}
        value = given.get(question.pk)
        if question.kind == QuestionKind.AWARD and question.max_choices == 0:
            value = value if value is not None else {}
            if not isinstance(value, dict):
                raise ValidationError(FORGED, code="forged")
            marks = {_as_int(k): v for k, v in value.items()}
            if set(marks) - set(candidates) or any(v not in (True, False) for v in marks.values()):
                raise ValidationError(FORGED, code="forged")
            missing = [c.agency.name for pk, c in candidates.items() if pk not in marks]
            if missing:
                problems.append(_("“%(q)s”: hãy chọn đồng ý hoặc không đồng ý với từng đơn vị (còn: %(names)s).")
                                % {"q": question.title, "names": ", ".join(missing)})
            yes += [pk for pk, v in marks.items() if v is True]
            no += [pk for pk, v in marks.items() if v is False]
        elif question.kind == QuestionKind.AWARD:
            value = [] if value in (None, "") else value
            value = list(value) if isinstance(value, (list, tuple, set)) else [value]
            chosen = [_as_int(v) for v in value]
            if len(set(chosen)) != len(chosen) or set(chosen) - set(candidates):
                raise ValidationError(FORGED, code="forged")
            if len(chosen) > question.max_choices:
                problems.append(_("“%(q)s”: chỉ chọn tối đa %(n)s đơn vị.") % {"q": question.title, "n": question.max_choices})
            yes += chosen
        else:
            if isinstance(value, (list, tuple, set)):
                if len(value) > 1:
                    problems.append(_("“%(q)s”: chỉ chọn một đơn vị (hoặc để trống).") % {"q": question.title})
                    continue
                value = next(iter(value), None)
            if value in (None, ""):
                continue
            chosen = _as_int(value)
            if chosen not in candidates:
                raise ValidationError(FORGED, code="forged")
            yes.append(chosen)
    if problems:
        raise ValidationError(problems, code="incomplete")
    return yes, no


@sensitive_variables("yes_ids", "no_ids", "sql", "params")
def _add_to_tallies(question_ids, yes_ids, no_ids) -> None:
    """Add one vote to the tallies: every candidate of the round is rewritten (+1 or +0), in one
    statement run on the driver's cursor, past Django's query log (DEBUG logs every statement
    with its parameters, which would print the chosen ids next to the voter's insert)."""
    queryset = BallotCandidate.objects.filter(question_id__in=sorted(question_ids))
    query = queryset.query.chain(UpdateQuery)
    query.add_update_values({
        "yes": F("yes") + Case(When(pk__in=sorted(yes_ids), then=Value(1)), default=Value(0)),
        "no": F("no") + Case(When(pk__in=sorted(no_ids), then=Value(1)), default=Value(0)),
    })
    sql, params = query.get_compiler(queryset.db).as_sql()
    with connection.cursor() as wrapper:
        wrapper.cursor.execute(sql, params)


@sensitive_variables("answers", "yes_ids", "no_ids")
def ballot_vote(*, actor: User, ballot: Ballot, answers: dict, agency: Agency | int | None = None, ip: str | None = None) -> BallotVoter:
    """Cast the vote of the agency ``actor`` leads (``agency`` when they lead several members).

    Checked whole before any write; a second vote of the agency in the round is refused
    ("Đơn vị đã bỏ phiếu") — by this check under the ballot's row lock, and by the database's
    unique constraint behind it. Audited as "ballot.vote" with the agency and the round only."""
    cast = {}

    def apply(row):
        agency_id = _voting_agency(actor, row, agency)
        if BallotVoter.objects.filter(ballot=row, round=row.round, agency_id=agency_id).exists():
            raise ValidationError(ALREADY_VOTED, code="voted")
        questions = list(row.questions.filter(round=row.round).prefetch_related(
            Prefetch("candidates", BallotCandidate.objects.select_related("agency").only("pk", "question_id", "agency__name"))))
        yes_ids, no_ids = validate_answers(questions, answers)
        try:
            with transaction.atomic():
                cast["voter"] = BallotVoter.objects.create(ballot=row, round=row.round, agency_id=agency_id, cast_by=actor)
        except IntegrityError:
            raise ValidationError(ALREADY_VOTED, code="voted") from None
        _add_to_tallies([q.pk for q in questions], yes_ids, no_ids)
        return {"agency": agency_id, "round": row.round}

    BALLOT_FLOW.run("vote", obj=ballot, actor=actor, ip=ip, apply=apply)
    return cast["voter"]


# --- closing and counting ----------------------------------------------------------------------

_KIND_ORDER = {QuestionKind.AWARD: 0, QuestionKind.HEAD: 1, QuestionKind.DEPUTY: 2}


def _round_questions(ballot, round_number):
    candidates = BallotCandidate.objects.select_related("agency", "nomination").order_by("position", "pk")
    questions = list(ballot.questions.filter(round=round_number).select_related("award_type")
                     .prefetch_related(Prefetch("candidates", candidates)))
    return sorted(questions, key=lambda q: (_KIND_ORDER.get(q.kind, 9), q.position, q.pk))


def elected_before(ballot, round_number) -> dict[str, int]:
    """``{"head": agency id, "deputy": agency id}`` elected in the rounds before ``round_number``."""
    rows = BallotCandidate.objects.filter(
        question__ballot=ballot, question__round__lt=round_number, question__kind__in=(QuestionKind.HEAD, QuestionKind.DEPUTY),
        passed=True,
    ).values_list("question__kind", "agency_id")
    return dict(rows)


def _count_round(row, rules, questions, paper_counts, present_online):
    """Count every question of the round (writes the questions and candidates); returns the
    agencies elected in this round and the nominations decided: ``[(nomination, passed, yes, %)]``."""
    elected = elected_before(row, row.round)
    new_elected, decided = {}, []
    for question in questions:
        candidates = list(question.candidates.all())
        if paper_counts is not None:
            counts = paper_counts[str(question.pk)]
            issued, returned, valid, invalid = counts["issued"], counts["returned"], counts["valid"], counts["invalid"]
            for candidate in candidates:
                candidate.yes = counts["yes"][str(candidate.pk)]
                candidate.no = valid - candidate.yes if question.kind == QuestionKind.AWARD and question.max_choices == 0 else 0
        else:
            issued, returned, valid, invalid = row.members_count, present_online, present_online, 0
        exclude, excluded_note = set(), ""
        other = {QuestionKind.DEPUTY: QuestionKind.HEAD, QuestionKind.HEAD: QuestionKind.DEPUTY}.get(question.kind)
        if other and elected.get(other):
            exclude = {c.pk for c in candidates if c.agency_id == elected[other]}
            excluded_note = _("Đơn vị đã được bầu %(role)s không tính cho câu hỏi này.") % {
                "role": _("Trưởng khối") if other == QuestionKind.HEAD else _("Phó khối")}
        outcome = counting.decide(
            kind=question.kind, max_choices=question.max_choices, candidates=[(c.pk, c.yes) for c in candidates],
            members_count=row.members_count, present=returned, valid=valid, rules=rules, exclude=exclude,
            names={c.pk: c.agency.name for c in candidates}, excluded_note=excluded_note,
        )
        question.issued, question.returned, question.valid, question.invalid = issued, returned, valid, invalid
        question.resolved, question.note = outcome.resolved, outcome.note
        for candidate in candidates:
            candidate.passed = outcome.outcomes.get(candidate.pk)
            if candidate.nomination_id and candidate.passed is not None:
                decided.append((candidate.nomination, candidate.passed, candidate.yes, counting.percent(candidate.yes, outcome.base)))
        BallotCandidate.objects.bulk_update(candidates, ["yes", "no", "passed"])
        if outcome.elected is not None:
            agency_id = next(c.agency_id for c in candidates if c.pk == outcome.elected)
            elected[question.kind] = new_elected[question.kind] = agency_id
    BallotQuestion.objects.bulk_update(questions, ["issued", "returned", "valid", "invalid", "resolved", "note"])
    return new_elected, decided


def _decide_nominations(*, actor, ip, ballot, decided):
    for nomination, passed, yes, share in decided:
        if nomination.state != NominationState.PROPOSED:
            continue  # withdrawn or decided elsewhere since the ballot was made: left as it is

        def apply(row, yes=yes, share=share):
            row.votes_yes, row.votes_percent = yes, share
            return {"ballot": ballot.pk, "round": ballot.round, "votes_yes": yes, "votes_percent": share}

        NOMINATION_FLOW.run("vote_pass" if passed else "vote_fail", obj=nomination, actor=actor, ip=ip, apply=apply)


def ballot_close(*, actor: User, ballot: Ballot, ip: str | None = None) -> Ballot:
    """Close the round and count it by the copied rules: quorum, threshold (base, more than / at
    least), top N, the head then the deputy. Decided nominations become VOTED / NOT_PASSED with
    their votes; the elected head and deputy fill next year's bloc-year; the vote-count record
    (PDF) is issued after the commit. A paper ballot closes only on two agreeing entries."""
    from awards.ballots import documents, next_year

    outcome = {}

    def apply(row):
        rules = counting.parse_rules(row.rules)
        questions = _round_questions(row, row.round)
        paper_counts = agreed_counts(row) if row.mode == BallotMode.PAPER else None
        present = BallotVoter.objects.filter(ballot=row, round=row.round).count() if paper_counts is None else None
        new_elected, decided = _count_round(row, rules, questions, paper_counts, present)
        now = timezone.now()
        row.closed_at, row.closed_by = now, actor
        if present is None:
            present = max((q.returned or 0 for q in questions), default=0)
        closed_rounds = dict(row.rules.get("closed_rounds") or {})
        closed_rounds[str(row.round)] = {"closed_at": now.isoformat(), "closed_by": actor.get_full_name(), "present": present}
        row.rules = {**row.rules, "closed_rounds": closed_rounds}
        outcome.update(elected=new_elected, decided=decided, round=row.round)
        return {"round": row.round, "present": present, "resolved": sum(1 for q in questions if q.resolved),
                "unresolved": sum(1 for q in questions if not q.resolved)}

    with transaction.atomic():
        row = BALLOT_FLOW.run("close", obj=ballot, actor=actor, ip=ip, apply=apply,
                              on_commit=[lambda: documents.issue(ballot, outcome["round"])])
        _decide_nominations(actor=actor, ip=ip, ballot=row, decided=outcome["decided"])
        if outcome["elected"]:
            next_year.fill_next_year(actor=actor, bloc_year=row.bloc_year, head_id=outcome["elected"].get(QuestionKind.HEAD),
                                     deputy_id=outcome["elected"].get(QuestionKind.DEPUTY), ip=ip)
    return row


def last_round_message(rules: counting.CountRules) -> str:
    text = _("Đã hết số vòng bỏ phiếu tối đa (%(n)s vòng) theo quy chế.") % {"n": rules.max_rounds}
    if rules.tie_break:
        source = rules.sources.get("tie_break", "")
        text += " " + _("Các câu hỏi chưa có kết quả: %(rule)s%(source)s.") % {
            "rule": rules.label("tie_break"), "source": f" ({source})" if source else ""}
    return text


def ballot_next_round(*, actor: User, ballot: Ballot, ip: str | None = None) -> Ballot:
    """Open round + 1 on the unresolved questions of the closed round, with their undecided
    candidates (a choose-N question keeps the seats still free); allowed while the round is below
    the rule set's ``ballot_max_rounds``."""

    def apply(row):
        rules = counting.parse_rules(row.rules)
        if row.round >= rules.max_rounds:
            raise ValidationError(last_round_message(rules), code="last_round")
        list(BlocYear.objects.select_for_update().filter(pk=row.bloc_year_id).values_list("pk", flat=True))  # one unclosed ballot
        if _unclosed_exists(row.bloc_year_id, exclude_pk=row.pk):
            raise ValidationError(_unclosed_message(row.bloc_year), code="unclosed")
        copied = _copy_unresolved(row)
        if not copied:
            raise ValidationError(_("Mọi câu hỏi của vòng này đã có kết quả: không cần bỏ phiếu vòng tiếp theo."), code="nothing")
        row.round += 1
        row.opened_at, row.closed_at, row.closed_by = timezone.now(), None, None
        return {"round": row.round, "questions": copied}

    row = BALLOT_FLOW.run("next_round", obj=ballot, actor=actor, ip=ip, apply=apply)
    _notify_open(row)
    return row


def _copy_unresolved(row) -> int:
    copied, pending = 0, []
    for position, question in enumerate(q for q in _round_questions(row, row.round) if not q.resolved):
        candidates = list(question.candidates.all())
        undecided = [c for c in candidates if c.passed is None]
        if not undecided:
            continue
        max_choices = question.max_choices
        if question.kind == QuestionKind.AWARD and max_choices > 0:
            max_choices = max(1, max_choices - sum(1 for c in candidates if c.passed is True))
        new = BallotQuestion.objects.create(
            ballot=row, round=row.round + 1, kind=question.kind, award_type=question.award_type, title=question.title,
            max_choices=max_choices, position=position,
        )
        pending += [BallotCandidate(question=new, agency_id=c.agency_id, nomination_id=c.nomination_id, position=i)
                    for i, c in enumerate(undecided)]
        copied += 1
    BallotCandidate.objects.bulk_create(pending)
    return copied
