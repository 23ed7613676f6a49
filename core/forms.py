"""Form pieces shared by every app: the crispy base form and widgets."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PortalForm(forms.Form):
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
