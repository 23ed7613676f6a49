"""Test data of the dossier and the board's decisions: a bloc-year whose year-end is done up to the
dossier (frozen ranking and its PDF request, approved year-end minutes, a closed ballot with its
vote-count record, voted nominations with their reports). Shared by the ``test_dossier_*`` and
``test_decisions_*`` files; the one test here checks the world is ready to submit."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards.decisions import dossier as dossiers
from awards.models import BallotState, Dossier, NominationState
from awards.tests.yearend import frozen_round, make_ballot, make_nomination
from core.tests.upload_samples import make_office, make_pdf

JUSTIFICATION = "Khối đã xác nhận đơn vị hoàn thành vượt mức các chỉ tiêu thi đua."
# Two collectives the bloc voted for: the leader for the provincial flag, the second for a Bằng khen.
VOTED = (("co-ubnd-tinh", 0, 4), ("bang-khen-chu-tich-tinh", 1, 3))


def pdf(name="bao-cao-thanh-tich.pdf"):
    return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")


def docx(name="bao-cao.docx"):
    return SimpleUploadedFile(name, make_office("docx"), content_type="application/octet-stream")


def future(days=30):
    return timezone.localdate() + datetime.timedelta(days=days)


def score_table(world):
    """The frozen round and its score-table document (the freeze requests it after the commit)."""
    from awards.models import RankingRecord
    from awards.scoring import documents as scoring_documents

    scoring = frozen_round(world)
    scoring_documents.issue(RankingRecord.objects.filter(round=scoring).latest("number"))
    return scoring


def year_end_minutes(world):
    from meetings.models import MeetingKind
    from meetings.tests.factories import approved, local

    return approved(world, kind=MeetingKind.YEAR_END, starts_at=local(world.bloc_year.year, 12, 20, 8, 0), render=False)


def closed_ballot(world, nominations):
    from awards.ballots import documents as ballot_documents

    ballot = make_ballot(world, nominations, state=BallotState.CLOSED)
    ballot_documents.issue(ballot, 1)
    return ballot


def voted(world, voted=VOTED, *, bloc_year=None, **fields):
    fields.setdefault("justification", JUSTIFICATION)
    members = len(world.agencies)
    return [
        make_nomination(
            world,
            world.agencies[i],
            code,
            state=NominationState.VOTED,
            bloc_year=bloc_year,
            votes_yes=yes,
            votes_percent=round(100 * yes / members, 2),
            **fields,
        )
        for code, i, yes in voted
    ]


def ready(world, *, reports=True, minutes=True, ballot=True, score=True, deadline="future", nominations=VOTED):
    """A dossier ready to submit (each part can be left out)."""
    if score:
        score_table(world)
    listed = voted(world, nominations)
    if ballot:
        closed_ballot(world, listed)
    if minutes:
        year_end_minutes(world)
    dossier = dossiers.dossier_for(world.bloc_year)
    if deadline == "future":
        Dossier.objects.filter(pk=dossier.pk).update(deadline=future())
        dossier.refresh_from_db()
    if reports:
        for nomination in listed:
            dossiers.report_upload(actor=world.secretary, nomination=nomination, uploaded=pdf())
    return SimpleNamespace(dossier=dossier, nominations=listed)


def submitted(world, **kwargs):
    found = ready(world, **kwargs)
    found.dossier = dossiers.dossier_submit(actor=world.secretary, dossier=found.dossier, number="15/TTr-KTĐ3")
    for nomination in found.nominations:
        nomination.refresh_from_db()
    return found


def received(world, **kwargs):
    from awards.decisions import board

    found = submitted(world, **kwargs)
    found.dossier = board.dossier_receive(actor=world.board, dossier=found.dossier)
    return found


@pytest.mark.django_db
def test_the_ready_world_lists_every_document(world, ninh_thuan_rules):
    found = ready(world)
    status = dossiers.dossier_status(found.dossier)
    assert [d.key for d in status.documents][:2] == ["cover_letter", "minutes"]
    assert all(d.present for d in status.documents if not d.generated), [(d.key, d.note) for d in status.documents]
    assert status.missing == [] and status.blocking == [] and status.ready
