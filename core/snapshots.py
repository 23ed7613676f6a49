"""Snapshot parts: a lower app's frozen snapshot (e.g. the approved minutes) gets keys an upper app
adds, without importing it. The meetings app calls ``snapshot_parts("minutes", meeting)`` when it
freezes the minutes; the awards app registers the year-end ranking::

    @snapshot_part("minutes")
    def _ranking(meeting):
        return {"ranking": {...}}  # or {} / None: nothing added
"""

_PARTS: dict[str, list] = {}


def snapshot_part(name: str):
    """Register ``fn(obj) -> dict | None`` whose keys are added to the snapshot ``name``."""

    def register(fn):
        _PARTS.setdefault(name, []).append(fn)
        return fn

    return register


def snapshot_parts(name: str, obj) -> dict:
    parts = {}
    for fn in _PARTS.get(name, []):
        parts.update(fn(obj) or {})
    return parts
