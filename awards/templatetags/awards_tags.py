"""Template helpers of the rule-set pages: one formset input with its errors, a dict lookup."""

from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def field_input(bound, label):
    """The input of ``bound`` (Bootstrap classes, ``is-invalid`` and its messages, a label for
    screen readers, since the column heading labels it for the eye)."""
    widget = bound.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select form-select-sm"
    else:
        css = "form-control form-control-sm"
    if bound.errors:
        css += " is-invalid"
    attrs = {"class": css, "aria-label": str(label)}
    if bound.errors:
        attrs["aria-invalid"] = "true"
    html = bound.as_widget(attrs=attrs)
    errors = format_html_join("", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in bound.errors))
    return format_html("{}{}", html, errors)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
