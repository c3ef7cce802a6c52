"""The statutory and other referrals a DSL makes, recorded as steps of a concern's chronology, and the clock of the
LADO referral. Kept free of Django, like triage.py.

Keeping Children Safe in Education, Part 4: an allegation about a member of staff goes to the LADO within one working
day. Working days skip Saturdays and Sundays; bank holidays are not known here, so the clock is never later than the
law's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safesocial.dates import add_working_days


@dataclass(frozen=True)
class ReferralKind:
    key: str
    label: str
    reference_label: str
    reference_required: bool  # issue 17: a police referral without its crime reference is a form error


KINDS = [
    ReferralKind("mash", "Children's social care (MASH)", "MASH or social care reference", False),
    ReferralKind("lado", "LADO: allegation about a member of staff", "LADO reference", False),
    ReferralKind("police", "Police", "Crime reference number", True),
    ReferralKind("prevent", "Prevent", "Prevent reference", False),
    ReferralKind("early_help", "Early help", "Early help reference", False),
    ReferralKind("platform", "Report to the platform", "The platform's report reference", True),
    ReferralKind("la_advice", "Advice from the local authority's education safeguarding service", "Reference", False),
]
BY_KEY = {k.key: k for k in KINDS}
CHOICES = [(k.key, k.label) for k in KINDS]
REQUIRED = [k.key for k in KINDS if k.reference_required]


def lado_due(reported_on: dt.date) -> dt.date:
    """The last day for the LADO referral: the end of the next working day after the allegation was reported."""
    return add_working_days(reported_on, 1)
