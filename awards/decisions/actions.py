"""``Workflow.actions`` for a list of rows in one query: a page listing several nominations shows
each one's buttons from the workflow's own rules and guards, without a query per row."""

from core.access import as_expression, roles_for, rule_q
from core.workflow import Actions, Workflow


def actions_for(flow: Workflow, objs, user, *, rules=()) -> dict:
    """``{pk: Actions}`` for ``objs`` (rows of the flow's model); each ``Actions`` also carries
    ``rules``: ``{name: bool}`` for the extra rule names asked. One query (none for no rows or
    an anonymous user)."""
    objs = list(objs)
    ruled = [t for t in flow.transitions.values() if t.rule is not None]
    result = {}
    active = user is not None and user.is_authenticated and user.is_active
    columns = {}
    if objs and active:
        roles = roles_for(user)
        for name in sorted({t.rule for t in ruled} | set(rules)):
            columns[f"r_{name.replace('.', '_')}"] = as_expression(rule_q(user, name))
        for t in ruled:
            if t.guard is not None:
                columns[f"g_{t.name}"] = as_expression(t.guard(roles))
        answers = {
            row["pk"]: row
            for row in flow.model._default_manager.filter(pk__in=[o.pk for o in objs]).annotate(**columns).values("pk", *columns)
        }
    else:
        answers = {}
    for obj in objs:
        row = answers.get(obj.pk, {})
        state = getattr(obj, flow.state_field)
        allowed = {}
        for t in ruled:
            allowed[t.name] = bool(
                state in t.source and row.get(f"r_{t.rule.replace('.', '_')}") and (t.guard is None or row.get(f"g_{t.name}"))
            )
        actions = Actions(allowed, dict(flow.transitions))
        actions.rules = {name: bool(row.get(f"r_{name.replace('.', '_')}")) for name in rules}
        result[obj.pk] = actions
    return result
