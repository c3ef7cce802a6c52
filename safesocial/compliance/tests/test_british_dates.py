"""Dates typed into SafeSocial's forms read day/month/year whatever language the browser speaks: a US-English
browser's native date picker would show and take 04/03/2026 as the 3rd of April."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms

from safesocial.channels.forms import GrantForm
from safesocial.compliance.forms import TrainingForm
from safesocial.consent.forms import ConsentForm
from safesocial.escalation.forms import CorrectForm, LetterForm, StepForm
from safesocial.registers.forms import AiToolForm, DecideApprovalForm

DATE_FIELDS = [
    (TrainingForm, "completed_on"),
    (ConsentForm, "given_on"),
    (ConsentForm, "expires_on"),
    (GrantForm, "expires_on"),
    (AiToolForm, "review_on"),
    (DecideApprovalForm, "review_on"),
    (StepForm, "taken_on"),
    (CorrectForm, "taken_on"),
    (LetterForm, "incident_date"),
    (LetterForm, "remove_by"),
]
IDS = [f"{form.__name__}.{name}" for form, name in DATE_FIELDS]


@pytest.mark.parametrize(("form", "name"), DATE_FIELDS, ids=IDS)
def test_a_date_shows_as_day_month_year_in_a_plain_text_box(form: type[forms.Form], name: str):
    field = form.base_fields[name]
    html = field.widget.render(name, dt.date(2026, 3, 4))
    assert 'type="text"' in html
    assert 'value="04/03/2026"' in html
    assert "27/03/2026" in str(field.help_text)


@pytest.mark.parametrize(("form", "name"), DATE_FIELDS, ids=IDS)
def test_a_date_typed_day_first_is_read_day_first(form: type[forms.Form], name: str):
    field = form.base_fields[name]
    assert field.clean("04/03/2026") == dt.date(2026, 3, 4)
    assert field.clean("4/3/26") == dt.date(2026, 3, 4)
    assert field.clean("4 March 2026") == dt.date(2026, 3, 4)
    with pytest.raises(forms.ValidationError):
        field.clean("03/31/2026")  # a US month-first date is refused, not guessed
