"""The information letter as PDF (WeasyPrint), filled with the case's data.

The house's template gives the municipality, the signatory and their function, the
privacy contact and the complaint route; the procesregisseur adds what differs per letter
(the contact person, date, time and place of the start conversation, pga.forms.LetterForm).
A template still missing one of its fields is not printed: a letter signed by nobody in
particular, from no municipality, informs nobody.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.cases.models import Case
from ketenregie.core.templatetags.dates import long_date
from ketenregie.pga.services import letter_template_for


@dataclass(frozen=True)
class LetterDetails:
    contact_name: str
    contact_details: str
    conversation_date: dt.date
    conversation_time: dt.time
    conversation_place: str


class _Safe(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def letter_pdf(case: Case, details: LetterDetails) -> bytes:
    import weasyprint

    template = letter_template_for(case.house)
    if template.missing:
        raise ValidationError(
            _(
                "De informatiebrief van %(huis)s is nog niet compleet. Vraag de functioneel "
                "beheerder om in te vullen: %(velden)s."
            )
            % {"huis": case.house.name, "velden": ", ".join(template.missing)}
        )
    person = case.person
    today = timezone.localdate()
    values = _Safe(
        naam=person.full_name,
        casusnummer=case.code,
        huis=case.house.name,
        gemeente=template.municipality,
        datum=long_date(today),
    )
    body = template.body.format_map(values)
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    # Older templates ended on the closing line, which the signature block now carries.
    if paragraphs and paragraphs[-1].rstrip(",").lower() == "met vriendelijke groet":
        paragraphs.pop()
    html = render_to_string(
        "pga/letter.html",
        {
            "template": template,
            "paragraphs": paragraphs,
            "person": person,
            "case": case,
            "today": today,
            "details": details,
        },
    )
    return bytes(weasyprint.HTML(string=html).write_pdf())
