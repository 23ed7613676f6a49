"""State machines of the portal's documents, declared once per model.

A workflow lists its transitions: from which states, to which state, the access rule that
allows it, the audit action, and optionally a *guard* (a ``Q`` over the row, built from the
user's roles, e.g. "only the latest version") with the message shown when it fails::

    PLEDGE_FLOW = Workflow(
        "pledges.PledgeVersion",
        Transition("review_open", source=[DRAFT], target=REVIEW, rule="pledges.edit",
                   action="pledge.review_open", label=_("Gửi lấy ý kiến")),
        ...
    )

``PLEDGE_FLOW.run("review_open", obj=version, actor=user, ip=ip, apply=fn)`` is the one way
to change state: it locks the row, checks the state, the rule and the guard, calls ``apply``
(the service's own checks and writes), sets the new state, saves, audits and schedules the
``on_commit`` work. ``PLEDGE_FLOW.actions(obj, user)`` says, in one query, which transitions the
user may take now: views and templates show exactly those buttons.
"""

from collections.abc import Callable, Iterable
from dataclasses import KW_ONLY, dataclass, field

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from core.access import can_many, roles_for, rule_q
from core.audit import audit_record


@dataclass(frozen=True)
class Transition:
    name: str
    _: KW_ONLY
    source: tuple
    target: str | None  # None: the state stays (an action on the row, e.g. a signature)
    rule: str | None  # None: done by the system (e.g. "everyone has signed"), never a button
    action: str
    label: str = ""
    guard: Callable | None = None  # (roles) -> Q over the row
    guard_message: str | Callable = ""  # or (row) -> str, for a message that names something of the row
    state_message: str | Callable = ""  # or (row) -> str, e.g. "already published" vs "not approved yet"

    def __post_init__(self):
        object.__setattr__(self, "source", tuple(self.source))


@dataclass
class Actions:
    """What ``Workflow.actions`` returns: ``actions.review_open`` is True when the button shows."""

    allowed: dict = field(default_factory=dict)
    transitions: dict = field(default_factory=dict)

    def __getattr__(self, name):
        allowed = self.__dict__.get("allowed", {})
        if name in allowed:
            return allowed[name]
        raise AttributeError(name)

    def __getitem__(self, name):
        return self.allowed[name]

    def __contains__(self, name):
        return self.allowed.get(name, False)

    def __bool__(self):
        return any(self.allowed.values())

    def shown(self):
        """The allowed transitions, in declaration order (for generic button rows)."""
        return [self.transitions[name] for name, ok in self.allowed.items() if ok]


class Workflow:
    def __init__(
        self, model: str, *transitions: Transition, state_field: str = "state", related: Iterable[str] = ()
    ):
        self.model_label = model
        self.state_field = state_field
        self.related = tuple(related)
        self.transitions = {t.name: t for t in transitions}
        if len(self.transitions) != len(transitions):
            raise RuntimeError(f"duplicate transition names in the workflow of {model}")

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    def __getitem__(self, name) -> Transition:
        return self.transitions[name]

    # --- reading -------------------------------------------------------------------------

    def actions(self, obj: Model, user) -> Actions:
        """Which transitions ``user`` may take on ``obj`` now: its state (as loaded) is one of the
        transition's sources, and the rule and the guard hold. At most one query: the rules not
        yet answered for this request and the guards, as columns of one row."""
        ruled = [t for t in self.transitions.values() if t.rule is not None]
        allowed = dict.fromkeys((t.name for t in ruled), False)
        state = getattr(obj, self.state_field)
        candidates = [t for t in ruled if state in t.source]
        if not candidates or user is None or not user.is_authenticated or not user.is_active:
            return Actions(allowed, dict(self.transitions))
        roles = roles_for(user)
        guards = {f"guard:{t.name}": t.guard(roles) for t in candidates if t.guard is not None}
        answers = can_many(user, sorted({t.rule for t in candidates}), obj, also=guards)
        for t in candidates:
            allowed[t.name] = answers[t.rule] and (t.guard is None or answers[f"guard:{t.name}"])
        return Actions(allowed, dict(self.transitions))

    # --- changing ------------------------------------------------------------------------

    def lock(self, obj: Model) -> Model:
        """Re-read ``obj`` under a row lock: changes to one row queue up here."""
        queryset = self.model._default_manager.select_for_update(of=("self",))
        if self.related:
            queryset = queryset.select_related(*self.related)
        return queryset.get(pk=obj.pk)

    def check(self, transition: Transition, obj: Model, user) -> None:
        """Raise ValidationError (wrong state, guard) or PermissionDenied (rule) for ``user``."""
        state = getattr(obj, self.state_field)
        if state not in transition.source:
            display = getattr(obj, f"get_{self.state_field}_display", lambda: state)()
            message = transition.state_message(obj) if callable(transition.state_message) else transition.state_message
            raise ValidationError(
                message
                or _("Đang ở trạng thái “%(state)s”, không thực hiện được thao tác này.") % {"state": display}
            )
        # Asked afresh (not the request's cached answers): this decides a write.
        if transition.rule is not None and not self.model._default_manager.filter(rule_q(user, transition.rule), pk=obj.pk).exists():
            raise PermissionDenied
        if transition.guard is not None:
            if not self.model._default_manager.filter(transition.guard(roles_for(user)), pk=obj.pk).exists():
                message = transition.guard_message(obj) if callable(transition.guard_message) else transition.guard_message
                raise ValidationError(message or _("Không thực hiện được thao tác này lúc này."))

    def run(
        self,
        name: str,
        *,
        obj: Model,
        actor,
        ip: str | None = None,
        apply: Callable | None = None,
        data: dict | None = None,
        on_commit: Iterable[Callable] = (),
        audit_obj: Callable | None = None,
    ) -> Model:
        """Take transition ``name`` on ``obj`` for ``actor``; returns the locked, saved row.

        ``apply(row)`` does the service's own checks and writes (raise ValidationError to refuse;
        nothing is saved) and may return extra audit data. ``audit_obj(row)`` picks the
        object the audit entry is about when it is not the row (e.g. a new amendment).
        """
        transition = self.transitions[name]
        with transaction.atomic():
            row = self.lock(obj)
            self.check(transition, row, actor)
            from_state = getattr(row, self.state_field)
            extra = apply(row) if apply is not None else None
            if transition.target is not None:
                setattr(row, self.state_field, transition.target)
            row.save()
            audit_data = {"from": from_state, "to": getattr(row, self.state_field), **(data or {})}
            if isinstance(extra, dict):
                audit_data.update(extra)
            audit_record(actor=actor, ip=ip, action=transition.action, obj=audit_obj(row) if audit_obj else row, data=audit_data)
            for callback in on_commit:
                transaction.on_commit(callback)
        return row
