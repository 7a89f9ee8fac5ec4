"""Demo data of issue 15's phases slice: aftercare and the trajectory's evaluation on the
household cases the demo closes, and a phase-6a move of procesregie on a running one.

Through the real services, as the rest of the demo (`demo.execution`): `before_closing`
runs inside a case's closing story (under time-machine, so the rows carry the historical
date), before `close_case`, which requires the evaluation of a household case;
`move_procesregie` runs once after the stories. Fictitious texts only.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from django.utils import timezone

from ketenregie.accounts.roles import Role
from ketenregie.cases.models import Case, CaseMembership, CaseRole
from ketenregie.cases.workflow import Status
from ketenregie.core.mail import muted
from ketenregie.pga import aftercare

if TYPE_CHECKING:
    from ketenregie.accounts.models import Organisation, User

AFTERCARE = [
    ("", "Wijkteam: vinger aan de pols bij moeder, ook over de opvoeding.", "maandelijks"),
    ("Oma (netwerk)", "Haalt de jongste twee keer per week uit school.", "twee keer per week"),
    ("Huisarts", "Aanspreekpunt bij nieuwe zorgen over de gezondheid.", "bij vragen"),
    ("", "Schuldhulpverlening begeleidt de afbetalingsregeling.", "tweewekelijks"),
    ("Buurvrouw (netwerk)", "Kijkt mee op de dagen dat vader werkt.", "wekelijks"),
]
WENT_WELL = [
    "Eén plan voor het hele gezin: iedereen wist wie wat deed.",
    "Moeder voelde zich gehoord; de kinderen kwamen zelf aan het woord.",
    "Snel schakelen met Veilig Thuis toen het nodig was.",
]
WENT_LESS_WELL = [
    "De wachttijd voor jeugdhulp was lang.",
    "De school werd pas laat betrokken.",
    "Te veel overleggen in de eerste maand.",
]
LESSONS = [
    "Eerder het netwerk betrekken bij het plan.",
    "De school vanaf het startoverleg uitnodigen.",
    "Afspraken over nazorg al in het voortgangsoverleg bespreken.",
]


def before_closing(
    case: Case, *, actor: User, organisation: Organisation, rng: random.Random
) -> bool:
    """Aftercare agreements and the evaluation for a household case about to close (seed
    002, 6b steps 4 and 7); nothing for a case without a household. True when recorded."""
    if case.household_id is None:
        return False
    day = timezone.localdate()
    for who, what, how_often in rng.sample(AFTERCARE, 2):
        aftercare.save_aftercare(
            case,
            actor=actor,
            values={
                "organisation": None if who else organisation,
                "who": who,
                "what": what,
                "starts_on": day,
                "frequency": how_often,
                "ends_on": day + dt.timedelta(days=rng.choice([90, 180])),
                "follow_up_on": day + dt.timedelta(days=rng.choice([30, 42, 60])),
            },
        )
    aftercare.record_evaluation(
        case,
        actor=actor,
        values={
            "held_on": day,
            "with_client": True,
            "with_professionals": True,
            "went_well": rng.choice(WENT_WELL),
            "went_less_well": rng.choice(WENT_LESS_WELL),
            "goals_reached": rng.choice(["ja", "ja", "deels", "nee"]),
            "client_satisfaction": rng.randint(5, 9),
            "client_view": "Fijn dat er één regisseur was voor het hele gezin.",
            "lessons": rng.choice(LESSONS),
        },
    )
    return True


def move_procesregie(seed: int = 2026) -> dict[str, int]:
    """Phase 6a on one running household case: its procesregisseur leaves and a
    colleague of the house takes procesregie over, on all the household's open cases."""
    rng = random.Random(seed)
    today = timezone.localdate()
    held = (
        CaseMembership.objects.active_on(today)
        .filter(
            role=CaseRole.PROCESREGISSEUR,
            user__isnull=False,
            case__household__isnull=False,
            case__status=Status.IN_UITVOERING,
        )
        .select_related("case", "user")
        .order_by("case_id")
    )
    for membership in held:
        assert membership.user is not None
        successors = (
            type(membership.user)
            .objects.filter(
                is_active=True,
                role_assignments__role=Role.PROCESREGISSEUR,
                role_assignments__house_id=membership.case.house_id,
            )
            .exclude(pk=membership.user.pk)
            .exclude(organisation__isnull=True)
            .order_by("pk")
        )
        successor = successors.first()
        if successor is None:
            continue
        with muted():
            aftercare.record_professional_change(
                Case.objects.get(pk=membership.case_id),
                actor=membership.user,
                membership=membership,
                successor=successor,
                on_date=today,
                handover_note=rng.choice(
                    [
                        "Procesregisseur gaat met verlof; moeder is ingelicht en kent de "
                        "opvolger uit het laatste overleg. Lopende acties staan in het plan.",
                    ]
                ),
            )
        return {"wisseling procesregie (6a)": 1}
    return {"wisseling procesregie (6a)": 0}
