"""``{% page_slot "name" obj %}``: renders the parts other apps registered for the slot (``core.slots``)."""

from django import template
from django.utils.safestring import mark_safe

from core.slots import parts_for

register = template.Library()


@register.simple_tag(takes_context=True)
def page_slot(context, name, obj):
    request = context.get("request")
    if request is None:
        return ""
    html = []
    for part in parts_for(name, request, obj):
        part = dict(part)
        found = context.template.engine.get_template(part.pop("template"))
        with context.push(**part):  # the page's own context (no second run of the context processors)
            html.append(found.render(context))
    return mark_safe("".join(html))  # noqa: S308 (each part is a template, escaped by the engine)
