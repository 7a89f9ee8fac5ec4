"""iCalendar invitations (.ics) for meetings; the summary names a case code, never a person."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event


def meeting_ics(
    *, uid: str, start: dt.datetime, end: dt.datetime, summary: str, location: str, url: str
) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Ketenregie//NL")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", dt.datetime.now(tz=dt.UTC))
    # UTC instants: a TZID without its VTIMEZONE block is read wrongly by some clients.
    event.add("dtstart", start.astimezone(dt.UTC))
    event.add("dtend", end.astimezone(dt.UTC))
    event.add("summary", summary)
    event.add("location", location)
    event.add("url", url)
    event.add("description", f"Details in Ketenregie: {url}")
    cal.add_component(event)
    return bytes(cal.to_ical())
