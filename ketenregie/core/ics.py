"""iCalendar invitations (.ics) for meetings; the summary names a case code, never a person.

An invitation (METHOD:REQUEST) has an ORGANIZER, or calendar clients show it as an
appointment of one's own. The organiser is the product's sending address under the name
of the house: replies are given in Ketenregie, not by mail. Each recipient gets an .ics
naming only themselves as attendee (one mail per recipient, core.mail).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText


def meeting_ics(
    *,
    uid: str,
    start: dt.datetime,
    end: dt.datetime,
    summary: str,
    location: str,
    url: str,
    organizer_name: str,
    attendee: str | None = None,
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
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(organizer_name)
    event.add("organizer", organizer)
    if attendee:
        guest = vCalAddress(f"mailto:{attendee}")
        guest.params["role"] = vText("REQ-PARTICIPANT")
        guest.params["partstat"] = vText("NEEDS-ACTION")
        # Attendance is given in Ketenregie (with the capacity), not by a calendar reply.
        guest.params["rsvp"] = vText("FALSE")
        event.add("attendee", guest, encode=False)
    cal.add_component(event)
    return bytes(cal.to_ical())
