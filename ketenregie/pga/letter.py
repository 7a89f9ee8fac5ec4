"""The information letter as PDF (WeasyPrint), filled with the case's data."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from ketenregie.cases.models import Case
from ketenregie.pga.services import letter_template_for


class _Safe(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def letter_pdf(case: Case) -> bytes:
    import weasyprint

    template = letter_template_for(case.house)
    person = case.person
    values = _Safe(
        naam=person.full_name,
        casusnummer=case.code,
        huis=case.house.name,
        datum=date_format(timezone.localdate(), "j F Y"),
    )
    body = template.body.format_map(values)
    html = render_to_string(
        "pga/letter.html",
        {
            "template": template,
            "paragraphs": [p.strip() for p in body.split("\n\n") if p.strip()],
            "person": person,
            "case": case,
            "today": timezone.localdate(),
        },
    )
    return bytes(weasyprint.HTML(string=html).write_pdf())
