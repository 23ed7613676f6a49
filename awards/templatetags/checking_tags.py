"""Template helpers of the check pages: points as people write them (9,5; 30; −2,5)."""

from django import template

from awards.scoring.points import fmt

register = template.Library()


@register.filter
def points(value):
    """``value`` with the language's decimal mark and no trailing zeros; "—" for None."""
    return fmt(value)


@register.filter
def signed_points(value):
    """A difference: "+1,5", "−2,5" (a true minus sign), "0"."""
    if value is None:
        return "—"
    if value > 0:
        return f"+{fmt(value)}"
    if value < 0:
        return f"\u2212{fmt(-value)}"
    return "0"
