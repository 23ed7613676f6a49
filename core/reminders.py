"""Reminders: the portal chases people for what waits for them, by mail and on the home page.

Each app declares its rules in ``<app>/reminders.py`` (imported by the app's ``ready()``)::

    @reminder_rule("pledges.sign", model="pledges.PledgeVersion", title=_("Ký giao ước"),
                   due=lambda now: PledgeVersion.objects.filter(state="signing"),
                   deadline=lambda v: end_of_day(v.signing_deadline), steps=BEFORE_DEADLINE,
                   essential=True, escalate=True, manage="pledges.edit")
    def sign(objects):
        return [leaders_not_signed.values("object_id", "user_id")]

``due(now)`` is the queryset of objects that need someone; the decorated function gets a queryset
of those objects and returns querysets of ``(object_id, user_id)`` pairs: who must act and has not
yet (one query each, whatever the number of objects). The same pairs feed the sweep, the home page's
"Việc cần làm" and the secretary's "Nhắc ngay".

The sweep (``reminders_sweep``, beat every few minutes) walks each rule's due objects in batches of
``REMINDER_BATCH`` with a fixed number of queries per batch: it works out the step each object has
reached (at opening, T-7, T-3, T-1 before the deadline; after it, the head agency's leader, then the
board), inserts one ``Reminder`` row per (rule, object, person, step) with conflicts ignored, reads
back the rows its own insert made (its claim token) and sends those, one Celery task per mail, once
the batch commits. Two sweeps at once insert the same rows once; a duplicated task finds the row no
longer pending. A mail that fails is retried with backoff and ends ``failed`` on the page after the
last try; a row left ``sending`` by a killed worker is marked failed, never sent a second time.

The base imports no app: who leads a bloc-year's head agency and who is its province's board come
from a provider the blocs app registers (``set_escalation_provider``).
"""

import datetime
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from core.models import Reminder, ReminderPreference, ReminderStatus

log = logging.getLogger(__name__)

OPENING = "open"
ESCALATE_HEAD = "overdue-head"
ESCALATE_BOARD = "overdue-board"
NOW_PREFIX = "now-"  # "Nhắc ngay": one step per day, so once per person per day


def base_step(step: str) -> str:
    """The step without its cycle ("T-7.t2x9kq" → "T-7")."""
    return step.split(".", 1)[0]


def is_escalation(step: str) -> bool:
    return base_step(step) in (ESCALATE_HEAD, ESCALATE_BOARD)


@dataclass(frozen=True)
class Step:
    name: str
    offset: datetime.timedelta | None  # from the deadline (negative: before); None: as soon as it is due


AT_OPENING = Step(OPENING, None)
BEFORE_DEADLINE = (AT_OPENING, Step("T-7", -datetime.timedelta(days=7)), Step("T-3", -datetime.timedelta(days=3)),
                   Step("T-1", -datetime.timedelta(days=1)))


@dataclass(frozen=True)
class ReminderRule:
    name: str
    model_label: str
    title: str  # what the person must do ("Ký giao ước")
    due: Callable  # (now) -> QuerySet of objects that wait for someone
    pairs: Callable  # (objects QuerySet) -> list of QuerySets of values("object_id", "user_id")
    label: Callable  # (obj) -> what, for which bloc and year
    url: Callable  # (obj) -> path of the page where the person acts
    deadline: Callable | None = None  # (obj) -> aware datetime or None
    steps: tuple = (AT_OPENING,)
    essential: bool = False  # sign, vote, approve: ignores the opt-out
    escalate: bool = False  # after the deadline: the head agency's leader, then the board
    bloc_year_id: Callable | None = None  # (obj) -> bloc-year id (escalation)
    manage: str | None = None  # access rule of who sees the history and presses "Nhắc ngay"
    view: str | None = None  # access rule that decides whether the object exists for the user
    reason: Callable | None = None  # (obj) -> text shown with a returned item
    attachments: Callable | None = None  # (obj) -> [(filename, bytes, mimetype)]
    template: str = "reminder"
    todo: bool = True  # listed under "Việc cần làm"
    # The sweep reads only the deadline and the bloc-year: it loads the objects with these joins
    # alone, not the ones ``due`` adds for the labels (a model built per join per object costs more
    # than the queries at 100,000 objects).
    sweep_related: tuple = ()
    # What starts the wait anew (signing reopened, minutes resubmitted, a new ballot round): its
    # value is part of each step's name, so the steps run again, once, for the new cycle.
    cycle: Callable | None = None

    def suffix(self, obj) -> str:
        value = self.cycle(obj) if self.cycle else None
        if value is None:
            return ""
        # microseconds: a resubmission within the same second is a new cycle too
        number = int(value.timestamp() * 1_000_000) if isinstance(value, datetime.datetime) else int(value)
        digits = ""
        while True:
            number, rest = divmod(number, 36)
            digits = "0123456789abcdefghijklmnopqrstuvwxyz"[rest] + digits
            if not number:
                return f".{digits}"

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def deadline_of(self, obj):
        return self.deadline(obj) if self.deadline else None

    def is_due(self, obj, *, now=None):
        """The object as ``due`` returns it (with its joins) while it waits for someone, else None."""
        return self.due(now or timezone.now()).filter(pk=obj.pk).first()


_RULES: dict[str, ReminderRule] = {}
_escalation_provider: Callable | None = None


def reminder_rule(name: str, *, model: str, title, due: Callable, label: Callable, url: Callable, **options):
    """Register the decorated ``fn(objects) -> [pairs QuerySet, …]`` as the reminder rule ``name``."""

    def register(fn):
        if name in _RULES:
            raise RuntimeError(f"reminder rule {name!r} registered twice")
        _RULES[name] = ReminderRule(name=name, model_label=model, title=title, due=due, pairs=fn, label=label, url=url, **options)
        return fn

    return register


def get_rule(name: str) -> ReminderRule:
    try:
        return _RULES[name]
    except KeyError:
        raise LookupError(f"no reminder rule called {name!r}") from None


def all_rules() -> list[ReminderRule]:
    return list(_RULES.values())


def set_escalation_provider(provider: Callable) -> None:
    """``provider(level, bloc_year_ids) -> {bloc_year_id: [user_id, …]}``, ``level`` "head" or "board"."""
    global _escalation_provider
    _escalation_provider = provider


def end_of_day(day: datetime.date | None) -> datetime.datetime | None:
    """A date deadline as the last second of that day in the portal's time zone."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


# --- who must act ------------------------------------------------------------------------------


def pairs_of(rule: ReminderRule, objects: QuerySet) -> dict[int, set[int]]:
    """{object id: user ids who must act and have not} for ``objects`` (one query per pairs queryset)."""
    found: dict[int, set[int]] = defaultdict(set)
    for queryset in rule.pairs(objects):
        for object_id, user_id in queryset.values_list("object_id", "user_id"):
            if user_id is not None:
                found[object_id].add(user_id)
    return found


def _user_filter(rule: ReminderRule, objects: QuerySet, user_id: int) -> Q:
    terms = [Q(pk__in=qs.filter(user_id=user_id).values("object_id")) for qs in rule.pairs(objects)]
    where = terms[0]
    for term in terms[1:]:
        where |= term
    return where


def todo_for(user, *, now=None) -> list[dict]:
    """What waits for ``user``: one query per rule, overdue first, then by deadline."""
    now = now or timezone.now()
    items = []
    for rule in _RULES.values():
        if not rule.todo:
            continue
        objects = rule.due(now)
        for obj in objects.filter(_user_filter(rule, rule.due(now), user.pk)):
            deadline = rule.deadline_of(obj)
            items.append({
                "rule": rule, "title": rule.title, "label": rule.label(obj), "url": rule.url(obj), "deadline": deadline,
                "overdue": bool(deadline and deadline < now), "reason": rule.reason(obj) if rule.reason else "",
            })
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    items.sort(key=lambda item: (not item["overdue"], item["deadline"] or far, str(item["label"])))
    return items


# --- the sweep ---------------------------------------------------------------------------------


@dataclass
class SweepReport:
    created: int = 0
    batches: int = 0
    requeued: int = 0
    failed_stale: int = 0
    rows: list = field(default_factory=list)  # (rule, object_id, user_id, step) of a dry run


def _reached_steps(rule: ReminderRule, deadline, now) -> tuple[str | None, list[str]]:
    """The latest step that has come (one mail, not a burst after a pause; after the deadline the
    last one stays, already sent), and the escalation levels reached."""
    current = None
    for step in rule.steps:
        if step.offset is None or (deadline is not None and now >= deadline + step.offset):
            current = step.name
    levels = []
    if rule.escalate and deadline is not None and now >= deadline:
        levels.append(ESCALATE_HEAD)
        if now >= deadline + datetime.timedelta(days=settings.REMINDER_BOARD_AFTER_DAYS):
            levels.append(ESCALATE_BOARD)
    return current, levels


def _muted(user_ids) -> set[int]:
    return set(ReminderPreference.objects.filter(user_id__in=user_ids, optional_off=True).values_list("user_id", flat=True))


def _plan_batch(rule: ReminderRule, batch: list, now) -> list[tuple[int, int, str, datetime.datetime | None]]:
    ids = [obj.pk for obj in batch]
    waiting = pairs_of(rule, rule.model._default_manager.filter(pk__in=ids))
    planned = []
    escalations: dict[str, list] = defaultdict(list)
    for obj in batch:
        people = waiting.get(obj.pk)
        if not people:
            continue
        deadline = rule.deadline_of(obj)
        step, levels = _reached_steps(rule, deadline, now)
        suffix = rule.suffix(obj)
        if step:
            planned.extend((obj.pk, user_id, step + suffix, deadline) for user_id in sorted(people))
        for level in levels:
            escalations[level].append((obj, deadline, suffix))
    if escalations and _escalation_provider is not None and rule.bloc_year_id is not None:
        for level, objs in escalations.items():
            who = _escalation_provider("head" if level == ESCALATE_HEAD else "board", {rule.bloc_year_id(o) for o, _d, _s in objs})
            for obj, deadline, suffix in objs:
                planned.extend((obj.pk, user_id, level + suffix, deadline) for user_id in sorted(who.get(rule.bloc_year_id(obj), ())))
    if not rule.essential and planned:
        muted = _muted({user_id for _o, user_id, _s, _d in planned})
        planned = [row for row in planned if row[1] not in muted]
    return planned


def _claim(rule: ReminderRule, planned, *, now, requested_by=None) -> list[int]:
    """Insert the rows (conflicts ignored) and return the ids this insert made: the claim.

    ``created_at`` is the moment the sweep planned for: the mail is sent if the object was still due
    then and the person has still not acted (``reminder_deliver``)."""
    if not planned:
        return []
    token = uuid.uuid4().hex
    Reminder.objects.bulk_create(
        [Reminder(rule=rule.name, object_id=object_id, user_id=user_id, step=step, deadline=deadline, claim=token,
                  requested_by=requested_by, created_at=now, status_since=timezone.now())
         for object_id, user_id, step, deadline in planned],
        ignore_conflicts=True,
    )
    return list(Reminder.objects.filter(claim=token).values_list("pk", flat=True))


def _enqueue(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: [send(pk) for pk in ids])


def send(reminder_id: int) -> bool:
    """Hand one reminder to the broker. Never raises: a row left pending is sent again by the sweep."""
    from core.documents import BROKER_ERRORS
    from core.tasks import send_reminder

    try:
        send_reminder.delay(reminder_id)
    except BROKER_ERRORS as exc:
        log.warning("broker unavailable, reminder %s stays pending for the sweep: %s", reminder_id, exc)
        return False
    return True


def sweep_rule(rule: ReminderRule, *, now=None, dry_run=False, report=None) -> SweepReport:
    now = now or timezone.now()
    report = report or SweepReport()
    objects = rule.due(now).select_related(None)
    if rule.sweep_related:
        objects = objects.select_related(*rule.sweep_related)
    objects = objects.order_by("pk")
    last = 0
    while True:
        with transaction.atomic():
            batch = list(objects.filter(pk__gt=last)[: settings.REMINDER_BATCH])
            if not batch:
                break
            last = batch[-1].pk
            report.batches += 1
            planned = _plan_batch(rule, batch, now)
            if planned:  # what earlier sweeps already sent is not inserted again (the unique row still decides)
                done = set(Reminder.objects.filter(rule=rule.name, object_id__in=[o.pk for o in batch])
                           .values_list("object_id", "user_id", "step"))
                planned = [row for row in planned if row[:3] not in done]
            if dry_run:
                report.rows.extend((rule.name, *row[:3]) for row in planned)
                continue
            ids = _claim(rule, planned, now=now)
            report.created += len(ids)
            _enqueue(ids)
    return report


def reminders_sweep(*, now=None, dry_run=False) -> SweepReport:
    """Every rule, then the rows whose message was lost (re-sent) or whose worker died mid-send (failed)."""
    report = SweepReport()
    for rule in _RULES.values():
        try:
            sweep_rule(rule, now=now, dry_run=dry_run, report=report)
        except Exception:  # one broken rule must not stop the others' reminders
            log.exception("reminder rule %s failed", rule.name)
            if settings.DEBUG and not dry_run:
                raise
    if not dry_run:
        _recover(report)
    return report


def _recover(report: SweepReport) -> None:
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.REMINDER_PENDING_SECONDS)
    report.failed_stale = Reminder.objects.filter(status=ReminderStatus.SENDING, status_since__lt=cutoff).update(
        status=ReminderStatus.FAILED, status_since=timezone.now(),
        last_error="Gửi bị gián đoạn (tiến trình gửi dừng giữa chừng); không gửi lại để tránh trùng.",
    )
    lost = list(Reminder.objects.filter(status=ReminderStatus.PENDING, status_since__lt=cutoff).values_list("pk", flat=True)[:1000])
    if lost:
        Reminder.objects.filter(pk__in=lost, status=ReminderStatus.PENDING).update(status_since=timezone.now())
        for pk in lost:
            send(pk)
    report.requeued = len(lost)


def preference_set(*, user, optional_off: bool) -> ReminderPreference:
    preference, _created = ReminderPreference.objects.update_or_create(user=user, defaults={"optional_off": bool(optional_off)})
    return preference


# --- "Nhắc ngay" and the history ---------------------------------------------------------------


@transaction.atomic
def remind_now(*, rule: ReminderRule, obj, actor) -> int:
    """One reminder now to each person who has not acted; once per person per day (the step is the day)."""
    step = f"{NOW_PREFIX}{timezone.localdate():%Y%m%d}"
    people = pairs_of(rule, rule.model._default_manager.filter(pk=obj.pk)).get(obj.pk, set())
    deadline = rule.deadline_of(obj)
    ids = _claim(rule, [(obj.pk, user_id, step, deadline) for user_id in sorted(people)], now=timezone.now(), requested_by=actor)
    _enqueue(ids)
    return len(ids)


def history(*, rule: ReminderRule, obj) -> QuerySet:
    return Reminder.objects.filter(rule=rule.name, object_id=obj.pk).select_related("user", "requested_by").order_by("-created_at", "-id")


# --- sending one mail --------------------------------------------------------------------------


def settings_token(user_id: int) -> str:
    return signing.dumps({"u": user_id}, salt="core.reminders.settings")


def user_from_token(token: str):
    """The user a settings link was made for, or None (bad or forged token)."""
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(token, salt="core.reminders.settings", max_age=datetime.timedelta(days=365))
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return get_user_model().objects.filter(pk=data["u"], is_active=True).first()


def reminder_deliver(*, reminder_id: int) -> str:
    """Send one reminder's mail: "sent", "skipped", "busy" (another worker has it or it is done),
    "retry" (failed, attempts left) or "failed". Raises nothing."""
    from core.mail import reminder_message

    claimed = Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.PENDING).update(
        status=ReminderStatus.SENDING, attempts=F("attempts") + 1, status_since=timezone.now()
    )
    if not claimed:
        return "busy"
    reminder = Reminder.objects.select_related("user").get(pk=reminder_id)
    try:
        rule = get_rule(reminder.rule)
        obj = rule.due(reminder.created_at).filter(pk=reminder.object_id).first()
        still = obj is not None and (
            is_escalation(reminder.step)
            or reminder.user_id in pairs_of(rule, rule.model._default_manager.filter(pk=obj.pk)).get(obj.pk, ())
        )
        if not still or not reminder.user.email:
            _finish(reminder, ReminderStatus.SKIPPED, "" if still else "Không còn việc cần làm.")
            return "skipped"
        reminder_message(rule=rule, obj=obj, reminder=reminder).send()
    except Exception as exc:  # SMTP down, template error…: recorded on the row, retried
        last = reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS
        _finish(reminder, ReminderStatus.FAILED if last else ReminderStatus.PENDING, f"{type(exc).__name__}: {exc}"[:2000])
        log.warning("reminder %s not sent (attempt %s): %s", reminder_id, reminder.attempts, exc)
        return "failed" if last else "retry"
    _finish(reminder, ReminderStatus.SENT, "", sent=True)
    return "sent"


def _finish(reminder: Reminder, status: str, error: str, *, sent=False) -> None:
    now = timezone.now()
    fields = {"status": status, "status_since": now, "last_error": error}
    if sent:
        fields["sent_at"] = now
    Reminder.objects.filter(pk=reminder.pk).update(**fields)
