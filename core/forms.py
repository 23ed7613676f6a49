"""Form pieces shared by every app: the crispy base form and widgets."""

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.cleaning import clean_text

# A box of type="date" shows and reads dates in the browser's locale (mm/dd/yyyy in an English
# browser) while every date the portal prints is dd/mm/yyyy: dates are typed as text, one format.
DATE_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2}-\d{1,2}-\d{4}|\d{1,2}\.\d{1,2}\.\d{4}|\d{8}|\d{4}-\d{1,2}-\d{1,2}"
TIME_PATTERN = r"\d{1,2}:\d{2}|\d{4}"
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H%M"]


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy, whatever the browser's language; yyyy-mm-dd is read too.

    ``inputmode="numeric"`` brings up a digit keypad, which on some phones has no "/": eight
    digits (``05022022``) are read as dd/mm/yyyy as well.
    """

    input_type = "text"

    def __init__(self, attrs=None):
        attrs = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "pattern": DATE_PATTERN,
            "autocomplete": "off",
            "title": _("Ngày theo dạng dd/mm/yyyy, ví dụ 05/02/2022"),
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format="%d/%m/%Y")


class TimeInput(forms.TimeInput):
    """A time typed as hh:mm on 24 hours (a box of type="time" shows AM/PM in an English browser)."""

    input_type = "text"

    def __init__(self, attrs=None):
        attrs = {
            "placeholder": "hh:mm",
            "inputmode": "numeric",
            "pattern": TIME_PATTERN,
            "autocomplete": "off",
            "title": _("Giờ theo dạng hh:mm (24 giờ), ví dụ 14:30"),
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format="%H:%M")


def follow_date_rule(field: forms.Field) -> None:
    """Make a date or time field typed in :class:`DateInput`/:class:`TimeInput` read the portal's formats.

    Django reads dates in the active language's formats (English takes 05/02/2022 for May 2nd);
    these fields read dd/mm/yyyy (``settings.DATE_INPUT_FORMATS``) in every language, and say so
    when the value is not a date.
    """
    if isinstance(field, forms.DateField) and isinstance(field.widget, DateInput):
        field.input_formats = settings.DATE_INPUT_FORMATS
        field.error_messages["invalid"] = _("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 05/02/2022.")
    elif isinstance(field, forms.TimeField) and isinstance(field.widget, TimeInput):
        field.input_formats = TIME_INPUT_FORMATS
        field.error_messages["invalid"] = _("Giờ không hợp lệ: nhập theo dạng hh:mm (24 giờ), ví dụ 14:30.")


def follow_cleaning_rule(field: forms.Field) -> None:
    """Make a text field apply :func:`core.cleaning.clean_text` before its own checks.

    The rule runs first, so a value of only invisible characters reaches the field's "required"
    check as blank. A field with no ``max_length`` (long text) is capped by ``TEXT_MAX_LENGTH``.
    Fields are per form instance (Django deep-copies them), so the field class is never changed.
    """
    if not isinstance(field, forms.CharField) or getattr(field, "cleaning_rule_of", None) is field:
        return
    multiline = isinstance(field.widget, forms.Textarea)
    original = field.to_python

    def to_python(value):
        if isinstance(value, str):
            value = clean_text(value, multiline=multiline, max_length=field.max_length, strip=field.strip)
        return original(value)

    field.to_python = to_python
    field.cleaning_rule_of = field  # a copy of the field (deepcopy) is wrapped again, harmlessly


class CleanForm(forms.Form):
    """A form whose text fields, however and whenever added, follow the portal's cleaning rule."""

    def full_clean(self):
        for field in self.fields.values():
            follow_cleaning_rule(field)
            follow_date_rule(field)
        super().full_clean()


class PortalForm(CleanForm):
    """Base for the portal's forms: crispy helper with a Vietnamese submit button."""

    submit_label = _("Lưu")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.build_helper()

    def build_helper(self):
        """(Re)build the crispy helper; call again after adding fields in ``__init__``, or they are not rendered."""
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        layout = self.get_layout()
        if layout is not None:
            self.helper.layout = layout

    def get_layout(self):
        return None

    def apply_errors(self, error):
        """Show a service's ValidationError on this form, field by field where it can."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)
