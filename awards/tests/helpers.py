"""Test helpers: the seeded legal bases and templates (a transactional test elsewhere may have
flushed them: migration 0002's seed is run again, it is idempotent)."""

from awards.demo import seed_templates
from awards.models import RuleSet


def ensure_templates():
    seed_templates()
    return {rs.legal_basis.name: rs for rs in RuleSet.objects.filter(province__isnull=True).select_related("legal_basis")}


def value_rows(rule_set, **changes):
    """Rows for ``rule_values_save``: the regulation values as stored, with ``changes`` applied
    (``key=(value, source)``)."""
    rows = [{"key": v.key, "value": v.value, "source": v.source} for v in rule_set.values.filter(set_by="regulation")]
    for row in rows:
        if row["key"] in changes:
            row["value"], row["source"] = changes[row["key"]]
    return rows
