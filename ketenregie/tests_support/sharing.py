"""The necessity checks of a lawful exchange, answered, for tests that share data through
the real services (`NECESSARY`) or post the forms that ask them (`NECESSITY_POST`)."""

from __future__ import annotations

from ketenregie.cases.grounds import Necessity

NECESSARY = Necessity(
    proportional=True,
    proportionality_note="Alleen wat de triage nodig heeft.",
    subsidiary=True,
    subsidiarity_note="Zonder deze gegevens is de aanpak niet te beoordelen.",
    person_informed=True,
)

NECESSITY_POST = {
    "proportional": "on",
    "proportionality_note": NECESSARY.proportionality_note,
    "subsidiary": "on",
    "subsidiarity_note": NECESSARY.subsidiarity_note,
    "person_informed": "ja",
}
