"""Page slots: a lower app's page shows a part an upper app adds, without importing it.

The blocs app's bloc-year page holds ``{% page_slot "blocyear_detail" bloc_year %}``; an app above
it registers what goes there (the awards app: the "Quy chế áp dụng" line)::

    @slot("blocyear_detail", order=10)
    def _rules_line(request, bloc_year):
        return {"template": "awards/_blocyear_rules_line.html", ...}  # or None: nothing shown
"""

_SLOTS: dict[str, list] = {}


def slot(name: str, *, order: int = 100):
    """Register ``fn(request, obj) -> {"template": ..., **context} | None`` in the slot ``name``."""

    def register(fn):
        _SLOTS.setdefault(name, []).append((order, fn))
        _SLOTS[name].sort(key=lambda item: item[0])
        return fn

    return register


def parts_for(name: str, request, obj) -> list[dict]:
    return [part for _order, fn in _SLOTS.get(name, []) if (part := fn(request, obj))]
