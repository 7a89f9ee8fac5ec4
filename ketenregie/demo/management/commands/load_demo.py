"""`manage.py load_demo`: the fictitious demo data set (only into an empty database)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from ketenregie.accounts.models import User
from ketenregie.core.demo_steps import run_demo_steps
from ketenregie.demo import hh_templates
from ketenregie.demo.execution import seed_execution
from ketenregie.demo.generator import (
    Journey,
    generate_cases,
    load_reference_data,
    plant_case_reads,
    plant_possible_duplicates,
    plant_rejection_counts,
)
from ketenregie.demo.hh_consent import seed_consent
from ketenregie.demo.hh_escmap import seed_escmap
from ketenregie.demo.hh_hh import seed_household_variant
from ketenregie.demo.hh_journey import hand_over_a_case, seed_journey_regisseur
from ketenregie.demo.hh_meldcode import seed_meldcode
from ketenregie.demo.hh_phases import move_procesregie
from ketenregie.demo.hh_vi import seed_vi
from ketenregie.demo.scan import seed_scan


class Command(BaseCommand):
    help = "Laadt de fictieve demodata (regio's, huizen, partners, gebruikers, casussen)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=150)
        parser.add_argument(
            "--if-empty", action="store_true", help="Niets doen als er al gebruikers zijn."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Demodata al aanwezig; niets geladen.")
                return
            self.stderr.write("De database is niet leeg; demodata niet geladen.")
            raise SystemExit(1)
        with transaction.atomic():
            load_reference_data()
            # What apps above the demo add for its houses (the processing registers).
            run_demo_steps()
            # PGA cases stop at "PGA gestart"; the rest of their course (start, meetings,
            # plan, actions, closing) is played out through the services: only for this
            # small set, never in generate_scale.
            journeys: dict[int, Journey] = {}
            n = generate_cases(options["cases"], seed=2026, journeys=journeys)
            plant_possible_duplicates()
            plant_rejection_counts()
            execution = seed_execution(journeys, seed=2026)
            execution.update(move_procesregie(seed=2026))  # issue 15: phase 6a
            # The PGA-scan's rounds at ZVH Parkstad (reports), also through the services.
            execution.update(seed_scan(seed=2026))
            # Issue 15, slice hh: the local PGA team in the household variant.
            execution.update(seed_household_variant(seed=2026))
            # Issue 15, slice consent: a household started without consent (the meldcode).
            execution.update(seed_consent())
            # Issue 15, slice templates: the 7.1 / 7.2 parts on the household cases' plans.
            execution.update(hh_templates.seed(seed=2026))
            execution.update(seed_meldcode())  # issue 15, slice meldcode
            # Issue 15, slice vi: Verwijsindex signals and matches in demo households.
            execution.update(seed_vi())
            # Case views of persons with more than one case (journey 9's subject access).
            execution["gelezen (inzage)"] = plant_case_reads(seed=2026)
            execution.update(seed_journey_regisseur())  # issue 15: the journey's B regisseur
            # Issue 15 (escmap): the escalation map per house, regisseurs' profiles.
            execution.update(seed_escmap())
            execution.update(hand_over_a_case())  # issue 15: a case for the B regisseur
        self.stdout.write(f"Demodata geladen: {User.objects.count()} gebruikers, {n} casussen.")
        if options["verbosity"] > 1:
            for key, count in sorted(execution.items()):
                self.stdout.write(f"  {key}: {count}")
