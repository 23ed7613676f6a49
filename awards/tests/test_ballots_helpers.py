"""Helpers of the ballot tests: a ballot made through the services and votes described by agency."""

from awards.ballots import services
from awards.models import BallotMode, QuestionKind
from awards.tests.yearend import make_nomination


def nominate(world, indexes=(0, 1), code="co-ubnd-tinh"):
    return [make_nomination(world, world.agencies[i], code) for i in indexes]


def create(world, *, mode=BallotMode.ONLINE, actor=None, **kwargs):
    kwargs.setdefault("title", f"Bình xét, suy tôn năm {world.bloc_year.year}")
    return services.ballot_create(actor=actor or world.secretary, bloc_year=world.bloc_year, mode=mode, **kwargs)


def opened(world, **kwargs):
    ballot = create(world, **kwargs)
    return services.ballot_open(actor=world.secretary, ballot=ballot)


def questions(ballot, round_number=None):
    return list(ballot.questions.filter(round=round_number or ballot.round).prefetch_related("candidates").order_by("position", "pk"))


def answers_for(ballot, *, agree=(), choose=(), head=None, deputy=None, round_number=None):
    """A whole vote described by agencies: ``agree`` (agencies agreed on in agree/disagree questions,
    the others disagreed), ``choose`` (agencies chosen in choose-N questions), ``head``/``deputy``."""
    ids = lambda agencies: {getattr(a, "pk", a) for a in agencies}  # noqa: E731
    agree, choose = ids(agree), ids(choose)
    answers = {}
    for question in questions(ballot, round_number):
        candidates = list(question.candidates.all())
        if question.kind == QuestionKind.AWARD and question.max_choices == 0:
            answers[question.pk] = {c.pk: c.agency_id in agree for c in candidates}
        elif question.kind == QuestionKind.AWARD:
            answers[question.pk] = [c.pk for c in candidates if c.agency_id in choose]
        else:
            wanted = head if question.kind == QuestionKind.HEAD else deputy
            wanted = getattr(wanted, "pk", wanted)
            answers[question.pk] = next((c.pk for c in candidates if c.agency_id == wanted), None)
    return answers


def vote(world, ballot, index, **choices):
    return services.ballot_vote(actor=world.leaders[index], ballot=ballot, answers=answers_for(ballot, **choices))
