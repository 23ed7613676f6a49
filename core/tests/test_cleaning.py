"""The one input-cleaning rule (core.cleaning) and how every portal form applies it (core.forms)."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core.cleaning import clean_query, clean_query_int, clean_search, clean_text, text_max_length
from core.forms import CleanForm, PortalForm

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


class NoteForm(PortalForm):
    name = forms.CharField(label="Họ tên", max_length=120)
    note = forms.CharField(label="Ghi chú", widget=forms.Textarea)
    remark = forms.CharField(label="Nhận xét", required=False, widget=forms.Textarea)


class RowForm(CleanForm):
    text = forms.CharField(label="Nội dung", required=False)


def errors(data, form_class=NoteForm):
    form = form_class(data)
    assert not form.is_valid()
    return form.errors


# --- the rule --------------------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u202e", "\u2066"])
@pytest.mark.parametrize("multiline", [False, True])
def test_control_characters_are_refused_with_their_code(char, multiline):
    with pytest.raises(ValidationError) as caught:
        clean_text(f"Nguyễn{char}Văn A", multiline=multiline)
    message = caught.value.messages[0]
    assert f"U+{ord(char):04X}" in message
    assert "ký tự điều khiển" in message


def test_line_breaks_only_in_multi_line_text():
    assert clean_text("dòng 1\r\n\tdòng 2", multiline=True) == "dòng 1\r\n\tdòng 2"
    for char in ("\n", "\t", "\u2028"):
        with pytest.raises(ValidationError, match="một dòng"):
            clean_text(f"Nguyễn{char}Văn A")


def test_a_tab_or_line_break_pasted_at_either_end_of_one_line_is_dropped():
    assert clean_text("\tNguyễn Văn A\r\n") == "Nguyễn Văn A"


def test_unicode_is_normalised_to_nfc():
    decomposed = "Nguye\u0302\u0303n"  # "Nguyễn" as a Mac keyboard may send it
    assert clean_text(decomposed) == "Nguyễn"
    assert len(clean_text(decomposed)) == 6


def test_invisible_characters_at_the_ends_are_stripped_and_alone_count_as_blank():
    assert clean_text(f"{ZERO_WIDTH} Góp ý {ZERO_WIDTH}") == "Góp ý"
    assert clean_text(f" {ZERO_WIDTH} \u00a0{ZERO_WIDTH}", multiline=True) == ""
    assert clean_text("a\u200db") == "a\u200db"  # inside a word it stays


def test_long_text_is_capped_by_the_setting(settings):
    settings.TEXT_MAX_LENGTH = 50
    assert text_max_length() == 50
    assert clean_text("x" * 50, multiline=True) == "x" * 50
    with pytest.raises(ValidationError, match="tối đa 50 ký tự"):
        clean_text("x" * 51, multiline=True)


def test_the_cap_defaults_to_twenty_thousand_characters(settings):
    del settings.TEXT_MAX_LENGTH
    assert text_max_length() == 20_000


# --- forms -----------------------------------------------------------------------------------------


def test_every_text_field_of_a_portal_form_follows_the_rule():
    form = NoteForm({"name": "  Nguye\u0302\u0303n Văn A ", "note": "dòng 1\ndòng 2", "remark": ZERO_WIDTH})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"name": "Nguyễn Văn A", "note": "dòng 1\ndòng 2", "remark": ""}


def test_control_characters_in_a_form_are_a_field_error():
    found = errors({"name": "Nguyễn\x08Văn A", "note": "a\x00b"})
    assert "U+0008" in found["name"][0]
    assert "U+0000" in found["note"][0]


def test_zero_width_characters_alone_are_refused_as_required():
    found = errors({"name": ZERO_WIDTH, "note": f"\n{ZERO_WIDTH}\n"})
    assert found["name"] == [forms.Field.default_error_messages["required"]]
    assert found["note"] == [forms.Field.default_error_messages["required"]]


def test_a_megabyte_of_text_is_refused_with_a_message_naming_the_cap():
    found = errors({"name": "A", "note": "x" * 1_000_000})
    message = found["note"][0].replace(".", "").replace(",", "")
    assert "tối đa 20000 ký tự" in message and "1000000" in message


def test_the_model_length_is_kept_for_one_line_fields():
    found = errors({"name": "A" * 121, "note": "b"})
    assert "120" in found["name"][0]


def test_fields_added_after_init_and_plain_clean_forms_follow_the_rule_too():
    form = NoteForm({"name": "A", "note": "b", "extra": "x\x00y"})
    form.fields["extra"] = forms.CharField(max_length=10)
    assert not form.is_valid()
    assert "U+0000" in form.errors["extra"][0]
    form = RowForm({"text": "x\x1fy"})
    assert not form.is_valid() and "U+001F" in form.errors["text"][0]


def test_the_rule_does_not_leak_into_the_form_class():
    NoteForm({"name": "A", "note": "b"}).is_valid()
    assert "to_python" not in NoteForm.base_fields["name"].__dict__


# --- query parameters --------------------------------------------------------------------------------


def test_query_parameters_are_cleaned_never_refused():
    assert clean_search("a\x00b", max_length=100) == "a b"
    assert clean_search(f"  Sở{ZERO_WIDTH}  Y\ttế \r\n", max_length=100) == "Sở Y tế"
    assert clean_search("Nguye\u0302\u0303n", max_length=100) == "Nguyễn"
    assert clean_search("x" * 10_000, max_length=100) == "x" * 100
    assert clean_search("\x00\x00", max_length=100) == ""


def test_clean_query_reads_the_request():
    request = RequestFactory().get("/agencies/?q=S%E1%BB%9F%00Y%20t%E1%BA%BF&year=2024%00")
    assert clean_query(request, "q") == "Sở Y tế"
    assert clean_query(request, "missing") == ""
    assert clean_query_int(request, "year", minimum=2000, maximum=2100) == 2024


@pytest.mark.parametrize("raw", ["", "abc", "20%0024x", "99999999999999999999999", "-5", "1999", "2101"])
def test_numbers_out_of_shape_or_range_are_absent(raw):
    request = RequestFactory().get(f"/pledges/?year={raw}")
    assert clean_query_int(request, "year", minimum=2000, maximum=2100) is None
