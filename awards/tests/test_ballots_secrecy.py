"""Secrecy of the online vote (issue 11, "Rules"): nothing the portal writes links a voter to a
choice, and the results stay hidden from everyone until the ballot closes.

The main test is a permutation test: the same leaders cast the same multiset of choices twice
(rolled back in between), once as assignment A and once with the choices swapped between the
agencies. Every row of every table (``apps.get_models()``), the audit entries, the notifications,
every log record (DEBUG, all loggers, with Django's SQL log switched on) and every page served
must come out identical, up to timestamps: whatever is stored or logged is then a function of
who voted and of the totals only, so it cannot tell who chose what. A direct check of the models'
shape and of the audit entries' data comes with it; the concurrency test runs on PostgreSQL."""

import contextlib
import difflib
import logging
import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.ballots import selectors, services
from awards.models import Ballot, BallotCandidate, BallotQuestion, BallotVoter, QuestionKind
from awards.tests.test_ballots_helpers import answers_for, nominate, opened, questions
from core.models import AuditEntry, Notification
from emulation_portal.testing import build_world, race

pytestmark = pytest.mark.django_db

VOLATILE = {"entry_hash", "prev_hash", "session_key", "session_data", "last_login", "password"}
TIMES = [
    re.compile(r"datetime\.datetime\([^)]*\)"), re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?(\+\d{2}:\d{2}|Z)?"),
    re.compile(r"\b[0-9a-f]{64}\b"), re.compile(r"\(\d+\.\d+\) "), re.compile(r"csrfmiddlewaretoken\" value=\"[^\"]+\""),
    re.compile(r"X-CSRFToken\": \"[^\"]+\""), re.compile(r"SAVEPOINT \"[^\"]+\""),
    re.compile(r" at 0x[0-9a-f]+"),
]


def plain(text: str) -> str:
    for pattern in TIMES:
        text = pattern.sub("…", text)
    return text


def every_table() -> dict:
    """Every row of every model in key order, without its timestamps, hash chain fields and keys (they differ
    run to run: PostgreSQL's sequences do not roll back)."""
    dump = {}
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [f.attname for f in model._meta.concrete_fields
                  if not isinstance(f, (models.DateTimeField, models.DateField)) and f.name not in VOLATILE and not f.primary_key]
        dump[model._meta.label] = [tuple(map(repr, row)) for row in model._base_manager.order_by("pk").values_list(*fields)]
    return dump


def cast_through_pages(world, ballot, clients, assignment):
    """Every leader in ``clients`` votes through the vote page; returns the pages they and the
    secretary, the board and the superuser see afterwards."""
    pages = []
    for index, client in clients.items():
        data = {}
        for question_id, value in answers_for(ballot, **assignment[index]).items():
            if isinstance(value, dict):
                data.update({f"q{question_id}_c{cid}": "yes" if agreed else "no" for cid, agreed in value.items()})
            elif isinstance(value, list):
                data[f"q{question_id}"] = [str(v) for v in value]
            elif value is not None:
                data[f"q{question_id}"] = str(value)
        response = client.post(reverse("awards:ballot_vote", args=[ballot.pk]), data, follow=True)
        assert response.status_code == 200 and "Đã ghi nhận phiếu" in response.content.decode()
        pages.append(response.content.decode())
    for client in clients.values():
        pages.append(client.get(reverse("awards:ballot_detail", args=[ballot.pk])).content.decode())
    return pages


def run(world, ballot, clients, viewers, assignment, caplog):
    """Cast ``assignment`` and read everything, then roll it all back."""
    sid = transaction.savepoint()
    caplog.clear()
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="django"), CaptureQueriesContext(connection) as queries:
        pages = cast_through_pages(world, ballot, clients, assignment)
        pages += [client.get(reverse("awards:ballot_detail", args=[ballot.pk])).content.decode() for client in viewers]
    logs = [plain(f"{r.name} {r.levelname} {r.getMessage()}") for r in caplog.records]
    sql = [q["sql"] for q in queries.captured_queries]
    found = {
        "tables": every_table(),
        "audit": [plain(repr((e.action, e.object_id, e.data, e.actor_id))) for e in AuditEntry.objects.order_by("pk")],
        "notifications": list(Notification.objects.order_by("pk").values_list("user_id", "message", "url")),
        "logs": logs,
        "pages": [plain(p) for p in pages],
        "sql": [plain(s) for s in sql],
    }
    tallies = {c.pk: (c.yes, c.no) for c in BallotCandidate.objects.filter(question__ballot=ballot)}
    transaction.savepoint_rollback(sid)
    return found, tallies


@pytest.fixture
def secret_ballot(world, ninh_thuan_rules):
    nominate(world, (0, 1))
    return opened(world)


def test_nothing_links_a_voter_to_a_choice(world, secret_ballot, client_for, caplog, django_user_model):
    ballot = secret_ballot
    a = world.agencies
    superuser = django_user_model.objects.create_superuser("root", "root@example.vn", "x")
    ContentType.objects.get_for_model(Ballot)  # the content-type cache fills once per process, not per run
    clients = {i: client_for(world.leaders[i]) for i in range(4)}
    viewers = [client_for(u) for u in (world.secretary, world.board, superuser, world.officer)]
    choices = [
        {"agree": [a[0], a[1]], "head": a[2], "deputy": a[3]},
        {"agree": [a[0]], "head": a[3], "deputy": a[2]},
        {"agree": [], "head": None, "deputy": a[1]},
        {"agree": [a[1]], "head": a[2], "deputy": None},
    ]
    first, tallies_first = run(world, ballot, clients, viewers, dict(enumerate(choices)), caplog)
    swapped = dict(enumerate([choices[2], choices[0], choices[3], choices[1]]))  # the same choices, other voters
    second, tallies_second = run(world, ballot, clients, viewers, swapped, caplog)

    assert tallies_first == tallies_second and any(yes for yes, _no in tallies_first.values())
    assert first["tables"].keys() == second["tables"].keys()
    for label in first["tables"]:
        assert first["tables"][label] == second["tables"][label], f"{label} differs with who chose what"
    for part in ("audit", "notifications", "logs", "pages", "sql"):
        diff = "\n".join(line[:400] for line in difflib.unified_diff(list(map(str, first[part])), list(map(str, second[part])),
                                                                   lineterm="", n=1))
        assert first[part] == second[part], f"the {part} differ with who chose what\n{diff}"
    # The SQL log was on: the voters' inserts are in it, the tally update is not.
    assert any("awards_ballotvoter" in line for line in first["logs"])
    assert not any("UPDATE" in line and "awards_ballotcandidate" in line for line in first["logs"])
    # While open, no page shows a count to anyone (secretary, board, superuser, members).
    for page in first["pages"]:
        assert "data-yes" not in page and "Kết quả kiểm phiếu" not in page
        assert "4/4 đơn vị đã bỏ phiếu" in page or "Đã ghi nhận phiếu" in page
    assert "Với khối ít thành viên, kết quả nhất trí cho biết từng đơn vị đã bỏ phiếu thế nào." in first["pages"][-1]


def test_the_models_hold_no_choice_next_to_a_voter():
    """No row per choice exists: nothing points at a candidate; the voter row has no choice and no
    time; the candidate row has counts only, no user and no time."""
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is BallotCandidate:
                pytest.fail(f"{model._meta.label}.{f.name} points at a candidate: a per-choice row")
            if f.is_relation and f.related_model is BallotQuestion:
                assert model is BallotCandidate, f"{model._meta.label} refers to a question"
    assert {f.name for f in BallotVoter._meta.concrete_fields} == {"id", "ballot", "round", "agency", "cast_by"}
    candidate_fields = {f.name: f for f in BallotCandidate._meta.concrete_fields}
    assert not any(isinstance(f, models.DateTimeField) for f in candidate_fields.values())
    assert not any(f.is_relation and f.related_model is apps.get_model("blocs.User") for f in candidate_fields.values())


def test_audit_has_the_agency_and_round_only(world, secret_ballot):
    services.ballot_vote(actor=world.leaders[2], ballot=secret_ballot, answers=answers_for(secret_ballot, agree=[world.agencies[0]]))
    entry = AuditEntry.objects.get(action="ballot.vote")
    assert set(entry.data) == {"from", "to", "agency", "round"} and entry.data["agency"] == world.agencies[2].pk
    assert entry.data["from"] == entry.data["to"] == "open"


def test_results_hidden_until_the_close(world, secret_ballot):
    a = world.agencies
    for i in range(4):
        services.ballot_vote(actor=world.leaders[i], ballot=secret_ballot, answers=answers_for(secret_ballot, agree=[a[0]], head=a[1]))
    rows = selectors.questions_of(secret_ballot)
    assert all(not q.counted and q.issued is None for q in rows)
    assert all(c.yes is None and c.percent is None and c.passed is None for q in rows for c in q.candidates)
    ballot = services.ballot_close(actor=world.secretary, ballot=secret_ballot)
    rows = selectors.questions_of(ballot)
    assert rows[0].candidates[0].yes == 4 and rows[0].candidates[0].passed is True


def test_the_vote_page_hides_post_data_from_error_reports(world, secret_ballot, rf):
    from django.views.debug import SafeExceptionReporterFilter

    from awards import views_ballots

    request = rf.post(reverse("awards:ballot_vote", args=[secret_ballot.pk]), {"q1": "7"})
    request.user = world.leaders[1]
    with contextlib.suppress(Exception):  # only the decorator's mark on the request matters here
        views_ballots.ballot_vote(request, pk=secret_ballot.pk)
    assert request.sensitive_post_parameters == "__ALL__"
    assert SafeExceptionReporterFilter().get_post_parameters(request)["q1"] != "7"


# --- PostgreSQL: fifteen leaders at once -------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifteen_leaders_at_once_and_a_sixteenth_attempt():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks)")
    from awards import services as award_services
    from awards.tests.helpers import ensure_templates

    templates = ensure_templates()
    world = build_world(members=15)
    template = templates["Nghị định 91/2017/NĐ-CP"]
    award_services.rule_set_copy(actor=world.board, rule_set=template, province=world.province, name="Quy chế Khối thử",
                                 valid_from=template.valid_from, valid_to=template.valid_to)
    nominate(world, (0, 1))
    ballot = opened(world)
    a = world.agencies

    def cast(index):
        services.ballot_vote(actor=world.leaders[index], ballot=Ballot.objects.get(pk=ballot.pk),
                             answers=answers_for(ballot, agree=[a[0]], head=a[index % 3], deputy=a[3]))

    errors = race([lambda i=i: cast(i) for i in range(15)] + [lambda: cast(0)])
    assert len(errors) == 1 and "Đơn vị đã bỏ phiếu" in str(errors[0])
    assert BallotVoter.objects.filter(ballot=ballot).count() == 15
    assert BallotVoter.objects.filter(ballot=ballot).values("agency").distinct().count() == 15
    award = questions(ballot)[0]
    counts = {c.agency_id: (c.yes, c.no) for c in award.candidates.all()}
    assert counts == {a[0].pk: (15, 0), a[1].pk: (0, 15)}
    head = next(q for q in questions(ballot) if q.kind == QuestionKind.HEAD)
    assert sum(c.yes for c in head.candidates.all()) == 15
    assert AuditEntry.objects.filter(action="ballot.vote").count() == 15
