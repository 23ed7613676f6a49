from django import template

from core.access import can as can_do
from core.documents import date_in_words

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, rule, obj=None):
    """``{% can "pledges.sign" pledge as may_sign %}``"""
    return can_do(context["request"].user, rule, obj)


@register.filter
def place_date(day, place=""):
    """"Ninh Thuận, ngày 28 tháng 02 năm 2022" as administrative documents print it (Decree 30:
    see ``core.documents.date_in_words``)."""
    if not day:
        return ""
    text = date_in_words(day)
    return f"{place}, {text}" if place else text[:1].upper() + text[1:]


@register.filter
def date_words(day):
    """"ngày 05 tháng 02 năm 2022": a date in words anywhere a template writes one."""
    return date_in_words(day) if day else ""


@register.filter
def minutes_sections(source):
    """The text sections of minutes with their headings, in print order: the meeting page and the
    minutes PDF both list them from ``meetings.documents.minutes_sections``."""
    from meetings.documents import minutes_sections as sections

    return sections(source)
