from django import template

from core.access import can as can_do

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, rule, obj=None):
    """``{% can "pledges.sign" pledge as may_sign %}``"""
    return can_do(context["request"].user, rule, obj)


@register.filter
def place_date(day, place=""):
    """"Ninh Thuận, ngày 28 tháng 02 năm 2022" as administrative documents print it."""
    if not day:
        return ""
    text = f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    return f"{place}, {text}" if place else text.capitalize()
