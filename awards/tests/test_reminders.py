"""Reminder rules of the awards: self-score due (T-7/T-3/T-1, escalation), queried lines, ballots not voted, dossiers."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from awards.models import BallotMode, BallotState, BallotVoter, DossierState, LineState, ScoreLine, SheetState
from awards.tests.scoring import make_round
from awards.tests.yearend import make_ballot, make_dossier
from core import reminders
from core.models import Reminder

pytestmark = pytest.mark.django_db


def sweep(now=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return reminders.reminders_sweep(now=now)


def to(words):
    return sorted(m.to[0] for m in mail.outbox if words in m.subject)


@pytest.fixture
def scoring(world):
    return make_round(world, deadline=timezone.localdate() + datetime.timedelta(days=10))


def test_self_score_due_t7_to_officers_and_leaders_then_escalates(world, scoring):
    deadline = reminders.end_of_day(scoring.self_score_deadline)
    mail.outbox.clear()
    sweep()
    assert to("Tự chấm điểm") == []  # no reminder at opening, ten days ahead
    scoring.sheets.exclude(agency=world.agencies[2]).update(state=SheetState.SUBMITTED)
    sweep(now=deadline - datetime.timedelta(days=6))
    assert to("Tự chấm điểm") == sorted([world.officer.email, world.leaders[2].email])
    mail.outbox.clear()
    sweep(now=deadline + datetime.timedelta(hours=2))
    # The writers hear once that it is overdue (the last step), the head agency's leader is told.
    assert to("[Quá hạn]") == sorted([world.officer.email, world.leaders[2].email, world.leaders[0].email])
    assert list(Reminder.objects.filter(step=reminders.ESCALATE_HEAD).values_list("user", flat=True)) == [world.leaders[0].pk]


def test_self_score_opt_out_and_a_sheet_with_the_leader(world, scoring):
    deadline = reminders.end_of_day(scoring.self_score_deadline)
    scoring.sheets.exclude(agency=world.agencies[2]).update(state=SheetState.SUBMITTED)
    scoring.sheets.filter(agency=world.agencies[2]).update(state=SheetState.AWAITING_LEADER)
    reminders.preference_set(user=world.leaders[2], optional_off=True)
    mail.outbox.clear()
    sweep(now=deadline - datetime.timedelta(days=2))
    assert to("Tự chấm điểm") == []  # only the leader must act, and they turned these off


def test_queried_line_reaches_the_writers_with_the_question(world, scoring):
    line = ScoreLine.objects.filter(sheet__agency=world.agencies[2]).first()
    ScoreLine.objects.filter(pk=line.pk).update(check_state=LineState.QUERIED, check_note="Bổ sung quyết định khen thưởng")
    mail.outbox.clear()
    sweep()
    sent = [m for m in mail.outbox if "minh chứng" in m.subject]
    assert sorted(m.to[0] for m in sent) == sorted([world.officer.email, world.leaders[2].email])
    assert "Lý do: Bổ sung quyết định khen thưởng" in sent[0].body


def test_ballot_open_online_and_not_voted(world):
    ballot = make_ballot(world, closes_at=timezone.now() + datetime.timedelta(days=2))
    BallotVoter.objects.create(ballot=ballot, round=1, agency=world.agencies[0], cast_by=world.leaders[0])
    sweep()
    assert to("Bỏ phiếu") == sorted(u.email for u in world.leaders[1:])
    assert all("hạn" in m.subject for m in mail.outbox)


def test_ballot_next_round_asks_again_and_paper_or_closed_ballots_ask_nobody(world):
    make_ballot(world, state=BallotState.CLOSED)
    ballot = make_ballot(world)  # a bloc-year holds one ballot not closed
    for i, agency in enumerate(world.agencies):
        BallotVoter.objects.create(ballot=ballot, round=1, agency=agency, cast_by=world.leaders[i])
    sweep()
    assert to("Bỏ phiếu") == []
    ballot.round, ballot.mode = 2, BallotMode.PAPER
    ballot.save()
    sweep()
    assert to("Bỏ phiếu") == []  # a paper ballot is cast at the meeting
    ballot.mode = BallotMode.ONLINE
    ballot.save()
    sweep()
    assert len(to("Bỏ phiếu")) == len(world.leaders)


def test_submitted_dossier_waits_for_the_board(world):
    dossier = make_dossier(world, state=DossierState.SUBMITTED)
    sweep()
    assert to("hồ sơ") == [world.board.email]
    dossier.state = DossierState.RECEIVED
    dossier.save()
    mail.outbox.clear()
    sweep()
    assert mail.outbox == [] and Reminder.objects.filter(rule="awards.dossier").count() == 1
