"""`manage.py subject_access --bsn N --out DIR [--review ID]`: the subject access export
for the privacy officer's scripts; writes the JSON and the PDF (from the same dict) and
records the export in the trail. With `--review`, the withholdings and other persons of
that review (made on the page) are applied, as when it is released there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenregie.privacy import review as services
from ketenregie.privacy import subject_access, subject_access_output
from ketenregie.privacy.models import SubjectAccessReview


class Command(BaseCommand):
    help = "Inzage-export (AVG art. 15) voor één betrokkene: schrijft JSON en PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bsn", required=True)
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--review", type=int, help="nummer van de beoordeling")

    def handle(self, *args: Any, **options: Any) -> None:
        persons = subject_access.find_persons(bsn=options["bsn"])
        if not persons:
            raise CommandError("Geen betrokkene met dit BSN gevonden.")
        person = persons[0]
        review = None
        decisions = subject_access.Review()
        if options["review"] is not None:
            review = SubjectAccessReview.objects.filter(pk=options["review"], person=person).first()
            if review is None:
                raise CommandError("Geen beoordeling met dit nummer voor deze betrokkene.")
            decisions = subject_access.Review(
                withheld=services.withheld_of(review), other_names=review.other_names()
            )
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        # The command runs for the FG of the whole installation: every house.
        export = subject_access.build_export(person, review=decisions)
        # A command has no signed-in user: the trail records the system as actor.
        services.record_export(None, person, export, "json+pdf", review)
        stem = f"inzage-{person.pk}"
        (out / f"{stem}.json").write_bytes(subject_access_output.export_json(export))
        (out / f"{stem}.pdf").write_bytes(subject_access_output.export_pdf(export))
        self.stdout.write(f"{out / stem}.json en .pdf geschreven")
