"""Dates of the triage meetings: the weekly meeting on a day, the one a submission goes
to, the next open one, the coming dates, and the coming extra (ad-hoc) triages.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ketenregie.accounts.models import House
from ketenregie.core.timeutil import today
from ketenregie.intake import schedule
from ketenregie.intake.models import (
    TriageMeeting,
)


def meeting_on(house: House, day: dt.date) -> TriageMeeting:
    start, end = schedule.triage_window(house, day)
    meeting, _created = TriageMeeting.objects.get_or_create(
        house=house, date=day, ad_hoc=False, defaults={"starts_at": start, "ends_at": end}
    )
    return meeting


def _cancelled_dates(house: House) -> set[dt.date]:
    return set(
        TriageMeeting.objects.filter(
            house=house, ad_hoc=False, cancelled=True, date__gte=today()
        ).values_list("date", flat=True)
    )


def submission_date(house: House, submitted_at: dt.datetime) -> dt.date:
    """The triage date a referral submitted now would get (reads only; for the form)."""
    return schedule.next_triage_date(house, submitted_at, _cancelled_dates(house))


def meeting_for_submission(house: House, submitted_at: dt.datetime) -> TriageMeeting:
    day = schedule.next_triage_date(house, submitted_at, _cancelled_dates(house))
    return meeting_on(house, day)


def next_open_meeting(meeting: TriageMeeting) -> TriageMeeting:
    """The weekly triage after this one; after an extra triage, the first weekly one that
    has not started."""
    if meeting.ad_hoc:
        return next_meeting_after_now(meeting.house)
    day = meeting.date + dt.timedelta(days=7)
    cancelled = _cancelled_dates(meeting.house)
    while day in cancelled:
        day += dt.timedelta(days=7)
    return meeting_on(meeting.house, day)


def next_meeting_after_now(house: House) -> TriageMeeting:
    """The first triage of the house that has not started and is not cancelled."""
    now = timezone.now()
    day = today() + dt.timedelta(days=(house.triage_weekday - today().weekday()) % 7)
    cancelled = _cancelled_dates(house)
    while day in cancelled or schedule.triage_window(house, day)[0] <= now:
        day += dt.timedelta(days=7)
    return meeting_on(house, day)


def upcoming_meetings(house: House, weeks: int = 6) -> list[TriageMeeting]:
    """The coming triage dates of a house from its configuration (reads only).

    A date that has no stored meeting yet comes back unsaved (pk None): the services that
    need a meeting (submission, agenda, cancelling) create it, a page view never does.
    """
    # From today's meeting on (it stays listed while outcomes are recorded).
    first = today() + dt.timedelta(days=(house.triage_weekday - today().weekday()) % 7)
    days = [first + dt.timedelta(days=7 * i) for i in range(weeks)]
    stored = {
        m.date: m for m in TriageMeeting.objects.filter(house=house, ad_hoc=False, date__in=days)
    }
    out = []
    for day in days:
        meeting = stored.get(day)
        if meeting is None:
            start, end = schedule.triage_window(house, day)
            meeting = TriageMeeting(house=house, date=day, starts_at=start, ends_at=end)
        out.append(meeting)
    return out


def coming_ad_hoc_meetings(house: House) -> list[TriageMeeting]:
    """The house's extra triages from today on (cancelled ones too: the list says so)."""
    return list(
        TriageMeeting.objects.filter(house=house, ad_hoc=True, date__gte=today()).order_by(
            "starts_at"
        )
    )
