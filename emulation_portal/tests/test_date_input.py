"""One date format everywhere: date boxes show and read dd/mm/yyyy, whatever the language (ISO is read too)."""

import datetime

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from blocs.models import AgencyStatus
from core.forms import DateInput, PortalForm, TimeInput


class WhenForm(PortalForm):
    day = forms.DateField(widget=DateInput(), required=False)
    at = forms.TimeField(widget=TimeInput(), required=False)


def test_the_widgets_are_text_boxes_in_dd_mm_yyyy_and_24_hours():
    html = str(WhenForm(initial={"day": datetime.date(2022, 2, 5), "at": datetime.time(8, 5)})["day"])
    assert 'type="text"' in html and 'value="05/02/2022"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert 'inputmode="numeric"' in html and 'pattern="' in html and 'type="date"' not in html
    html = str(WhenForm(initial={"at": datetime.time(14, 5)})["at"])
    assert 'type="text"' in html and 'value="14:05"' in html and 'placeholder="hh:mm"' in html


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("05/02/2022", datetime.date(2022, 2, 5)),
        ("5/2/2022", datetime.date(2022, 2, 5)),
        ("12/01/2022", datetime.date(2022, 1, 12)),  # English would read December 1st
        ("05-02-2022", datetime.date(2022, 2, 5)),
        ("05.02.2022", datetime.date(2022, 2, 5)),
        ("05022022", datetime.date(2022, 2, 5)),  # a phone's digit keypad has no "/"
        ("2022-02-05", datetime.date(2022, 2, 5)),  # ISO, as the tests and older pages post
        (" 05/02/2022 ", datetime.date(2022, 2, 5)),
    ],
)
def test_dates_are_read_as_day_month_year_in_every_language(language, typed, day):
    with translation.override(language):
        form = WhenForm(data={"day": typed, "at": "08:00"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == day and form.cleaned_data["at"] == datetime.time(8, 0)


@pytest.mark.parametrize("typed", ["31/02/2022", "13/25/2022", "02/13/2022x", "hôm qua", "2022/02/05", "1e309"])
def test_a_wrong_date_says_how_to_type_it_and_keeps_what_was_typed(typed):
    form = WhenForm(data={"day": typed, "at": "8h"})
    assert not form.is_valid()
    assert form.errors["day"] == ["Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 05/02/2022."]
    assert form.errors["at"] == ["Giờ không hợp lệ: nhập theo dạng hh:mm (24 giờ), ví dụ 14:30."]
    assert f'value="{typed}"' in str(form["day"])


def test_the_agency_form_saves_a_dd_mm_yyyy_date_and_shows_it_back(world, client_for):
    agency = world.agencies[3]
    url = reverse("blocs:agency_edit", args=[agency.pk])
    data = {"name": agency.name, "kind": agency.kind, "status": AgencyStatus.DISSOLVED, "status_date": "01/07/2025"}
    english = client_for(world.board)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # English reads 01/07 as January 7th
    response = english.post(url, data)
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.status_date == datetime.date(2025, 7, 1)
    assert 'value="01/07/2025"' in client_for(world.board).get(url).content.decode()

    response = client_for(world.board).post(url, {**data, "status_date": "31/06/2025", "name": "Tên mới đã gõ"})
    body = response.content.decode()
    assert response.status_code == 200 and "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy" in body
    assert 'value="31/06/2025"' in body and "Tên mới đã gõ" in body
