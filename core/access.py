"""The one place that answers "may this user see / do this?", for lists and for single objects.

A rule is declared once, as a *filter*: given the user's roles it returns a ``Q`` that keeps
the rows of its model the user may see or act on::

    @rule("meetings.view", model="meetings.Meeting")
    def _view(roles):
        return Q(bloc_year__in=visible_bloc_years(roles))

Lists apply it (``restrict(queryset, user, "meetings.view")``), and the single-object check is
the same filter applied to one row (``can``, ``get_object_for_user``): there is no second
encoding to drift apart. A queryset of another model reaches a rule through a relation
(``restrict(Attachment.objects.all(), user, "pledges.view", via="version")``), as an id
subquery the planner can use.

Build filters from small id sets and id subqueries (``pk__in=…``); an OR across joins keeps
PostgreSQL off its indexes and, through outer joins, matches NULLs it should not.

Convention: a ``*.view`` rule decides whether the object exists for the user at all
(no: 404); any other rule decides whether they may act on it (no: 403).

Roles come from a provider the accounts app registers (``set_roles_provider``): the base
imports no app.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Model, Q, QuerySet, Value, When
from django.http import Http404

EVERYTHING = Q()
NOTHING = Q(pk__in=[])


def any_of(*terms):
    """OR of the non-empty terms (``None`` skipped): a user with one role gets one plain filter."""
    present = [term for term in terms if term is not None and term != NOTHING]
    if not present:
        return NOTHING
    if any(term == EVERYTHING for term in present):
        return EVERYTHING
    where = present[0]
    for term in present[1:]:
        where |= term
    return where


@dataclass(frozen=True)
class Rule:
    name: str
    model_label: str
    where: Callable  # (roles) -> Q over the rule's model
    anywhere: Callable | None  # (roles) -> bool: "somewhere" (no object), e.g. to show a menu entry
    subject: Callable | None  # (obj) -> the instance of the rule's model the object belongs to

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)


_RULES: dict[str, Rule] = {}
_roles_provider: Callable | None = None


def set_roles_provider(provider: Callable) -> None:
    """``provider(user) -> roles`` (cached per request by the provider); set once by the accounts app."""
    global _roles_provider
    _roles_provider = provider


def roles_for(user):
    return _roles_provider(user)


def rule(name: str, *, model: str, anywhere: Callable | None = None, subject: Callable | None = None):
    """Register ``fn(roles) -> Q`` as the rule ``name`` over ``model`` ("app.Model")."""

    def register(fn):
        if name in _RULES:
            raise RuntimeError(f"access rule {name!r} registered twice")
        _RULES[name] = Rule(name=name, model_label=model, where=fn, anywhere=anywhere, subject=subject)
        return fn

    return register


def get_rule(name: str) -> Rule:
    try:
        return _RULES[name]
    except KeyError:
        raise LookupError(f"no access rule called {name!r}") from None


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def rule_q(user, name: str) -> Q:
    """The rule's filter for ``user`` (``NOTHING`` for anonymous or inactive users), built once
    per request (Django copies the subqueries inside when a filter uses them)."""
    found = get_rule(name)
    if not _active(user):
        return NOTHING
    built = user.__dict__.setdefault("_rule_q_cache", {})
    if name not in built:
        built[name] = found.where(roles_for(user))
    return built[name]


def restrict(queryset: QuerySet, user, name: str, *, via: str | None = None) -> QuerySet:
    """Keep the rows of ``queryset`` the rule allows; ``via`` is the relation to the rule's model."""
    found = get_rule(name)
    if via is not None:
        return queryset.filter(**{f"{via}__in": allowed_ids(user, name)})
    if queryset.model._meta.label_lower != found.model._meta.label_lower:
        raise TypeError(f"rule {name!r} filters {found.model_label}; pass via= to reach it from {queryset.model.__name__}")
    return queryset.filter(rule_q(user, name))


def allowed_ids(user, name: str) -> QuerySet:
    """The ids of the rule's model the user may see or act on, as a subquery."""
    found = get_rule(name)
    return found.model._default_manager.filter(rule_q(user, name)).values("pk")


def as_expression(where: Q):
    """A ``Q`` as a boolean column (for one-query "which buttons" annotations)."""
    if not where:
        return Value(True)
    return Case(When(where, then=Value(True)), default=Value(False), output_field=BooleanField())


def _subject_pk(found: Rule, obj):
    if isinstance(obj, int):
        return obj
    if found.subject is not None:
        obj = found.subject(obj)
    if not isinstance(obj, found.model):
        raise TypeError(f"rule {found.name!r} applies to {found.model_label}, not {type(obj).__name__}")
    return obj.pk


def can(user, name: str, obj=None) -> bool:
    """Whether the rule allows ``obj`` (a row of its model, or something ``subject`` maps to one).

    With no object: whether the user could do it somewhere (the rule's ``anywhere``, else False).
    Answers are cached on the user for the request; ``forget_access`` clears them.
    """
    found = get_rule(name)
    if not _active(user):
        return False
    if obj is None:
        return bool(found.anywhere and found.anywhere(roles_for(user)))
    pk = _subject_pk(found, obj)
    cache = user.__dict__.setdefault("_access_cache", {})
    key = (name, pk)
    if key not in cache:
        cache[key] = found.model._default_manager.filter(rule_q(user, name), pk=pk).exists()
    return cache[key]


def can_many(user, names: list[str], obj, *, also: dict[str, Q] | None = None) -> dict[str, bool]:
    """Several rules over the same row in one query (cached like ``can``).

    ``also`` adds other conditions over the row of ``obj``'s model (e.g. a workflow's guards),
    answered in the same query under their own keys (not cached).
    """
    also = also or {}
    if not _active(user):
        return dict.fromkeys([*names, *also], False)
    cache = user.__dict__.setdefault("_access_cache", {})
    pks = {name: _subject_pk(get_rule(name), obj) for name in names}
    columns: dict[type, dict[str, object]] = {}
    for name in names:
        if (name, pks[name]) not in cache:
            found = get_rule(name)
            columns.setdefault(found.model, {})[name] = (pks[name], as_expression(rule_q(user, name)))
    for key, where in also.items():
        columns.setdefault(type(obj), {})[key] = (obj.pk, as_expression(where))
    answers = {}
    for model, wanted in columns.items():
        pk = next(iter(wanted.values()))[0]
        keys = list(wanted)
        row = model._default_manager.filter(pk=pk).values(**{f"_c{i}": wanted[key][1] for i, key in enumerate(keys)}).first()
        for i, key in enumerate(keys):
            answers[key] = bool(row and row[f"_c{i}"])
            if key in pks:
                cache[(key, pks[key])] = answers[key]
    for name in names:
        answers[name] = cache[(name, pks[name])]
    return answers


def forget_access(user) -> None:
    """Call after changing what a user may do within the same request (roles, memberships)."""
    user.__dict__.pop("_access_cache", None)
    user.__dict__.pop("_rule_q_cache", None)


def require(user, name: str, obj=None) -> None:
    if not can(user, name, obj):
        raise PermissionDenied


def get_object_for_user(
    user, queryset: QuerySet, *, view: str, change: str | None = None, also: tuple[str, ...] = (), via: str | None = None, **lookup
):
    """Fetch one object through the ``view`` rule (404 when absent or invisible), then check
    ``change`` on it (403 when visible but not allowed).

    One query for the object and its checks: ``change`` and the rules named in ``also`` (those
    the page will ask with ``can``/``actions``) over the queryset's own model are answered as
    columns of the same row and remembered for the request.
    """
    if not _active(user):
        raise Http404
    restricted = restrict(queryset, user, view, via=via)
    label = queryset.model._meta.label_lower
    same_model = [
        name for name in dict.fromkeys([*([change] if change else []), *also]) if get_rule(name).model._meta.label_lower == label
    ]
    restricted = restricted.annotate(**{f"_rule_{i}": as_expression(rule_q(user, name)) for i, name in enumerate(same_model)})
    try:
        obj = restricted.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    except queryset.model.MultipleObjectsReturned:  # pragma: no cover - lookups are by key
        raise Http404 from None
    cache = user.__dict__.setdefault("_access_cache", {})
    if via is None:
        cache[(view, obj.pk)] = True
    for i, name in enumerate(same_model):
        cache[(name, obj.pk)] = bool(getattr(obj, f"_rule_{i}"))
    if change is not None and not can(user, change, obj):
        raise PermissionDenied
    return obj
