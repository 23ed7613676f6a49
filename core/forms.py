"""Form pieces shared by every app: the crispy base form and widgets."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from core.cleaning import clean_text


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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
