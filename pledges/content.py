"""The text of a pledge version as one canonical value, and its SHA-256 (the hash every signature records)."""

import datetime
from decimal import Decimal

from core.hashing import canonical_hash


def version_content(version, criteria=None, attachments=None):
    """Everything the signers agree to, as plain JSON-able data."""
    bloc_year = version.pledge.bloc_year
    criteria = version.criteria.all() if criteria is None else criteria
    attachments = version.attachments.all() if attachments is None else attachments
    return {
        "bloc_year": bloc_year.pk,
        "bloc": bloc_year.bloc.name,
        "year": bloc_year.year,
        "version": version.number,
        "title": version.title,
        "doc_number": version.doc_number,
        "place": version.place,
        "date": version.date.isoformat() if version.date else "",
        "preamble": version.preamble,
        "criteria": [
            {"group": c.group, "text": c.text, "max_points": f"{Decimal(c.max_points):.2f}", "target": c.target}
            for c in sorted(criteria, key=lambda c: (c.position, c.pk or 0))
        ],
        "attachments": [{"kind": a.kind, "title": a.title, "sha256": a.sha256} for a in attachments],
    }


def content_hash(content):
    return canonical_hash(content)


def for_display(content):
    """The stored content with real dates and numbers, for templates."""
    shown = dict(content)
    shown["date"] = datetime.date.fromisoformat(content["date"]) if content.get("date") else None
    shown["criteria"] = [{**c, "max_points": Decimal(c["max_points"])} for c in content["criteria"]]
    shown["total_points"] = sum((c["max_points"] for c in shown["criteria"]), Decimal(0))
    return shown
