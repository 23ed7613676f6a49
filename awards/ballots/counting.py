"""The rules a ballot counts by, copied from the bloc-year's rule set when the ballot opens (with
their sources), so a later edit of the rule set never changes a result."""

from awards.selectors import rules_for

RULE_KEYS = ("ballot_quorum", "ballot_threshold", "ballot_threshold_rule", "ballot_threshold_base", "ballot_max_rounds", "tie_break")


def rules_snapshot(bloc_year) -> dict:
    """``{"values": {key: stored text}, "sources": {key: source}, "rule_set": name}`` of the
    counting keys of the bloc-year's rule set (a missing key is simply absent)."""
    rules = rules_for(bloc_year)
    values = {key: rules.values[key].text for key in RULE_KEYS if key in rules.values}
    return {
        "rule_set": rules.name,
        "values": values,
        "sources": {key: rules.source(key) for key in values},
    }
