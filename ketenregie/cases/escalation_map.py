"""The escalation map of a house (seed 002 section 5): its default rows, reading a level,
and telling whom the map names when a case changes level.

The map is configuration per house, edited on the beheer pages (ADR 28). A house
without rows has no map: nothing is required and nobody is told beyond the existing
escalation history, so a house adopts the map by having it (the data migration gives
every existing house the defaults; the demo loader its demo houses).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.accounts.access import users_with_role_at
from ketenregie.accounts.roles import Role
from ketenregie.audit import services as audit
from ketenregie.cases.access import case_team
from ketenregie.cases.escalation_models import EscalationMapLevel, EscalationNotice
from ketenregie.cases.models import DIRECTOR_ROLES
from ketenregie.core.mail import send_link_mail

if TYPE_CHECKING:
    from ketenregie.accounts.models import House, User
    from ketenregie.cases.models import Case, EscalationChange

_TO_MANAGER = (
    "De procesregisseur stelt de manager van de betrokken professional op de hoogte; die "
    "zoekt zo nodig de managers van de andere deelnemers op of schaalt op naar de directeur."
)

# The seed's map, condensed (seed 002 sections 5.2 to 5.6). Keys are the model's fields.
DEFAULT_MAP: dict[int, dict[str, object]] = {
    1: {
        "casusregie": "Naar behoefte door de klant, het netwerk of een casusregisseur uit de "
        "basiszorg met competentieprofiel A.",
        "procesregie": "Niet van toepassing: op niveau 1 is er geen procesregisseur.",
        "operational": "De manager van de betrokken professional.",
        "administrative": "",
        "escalates_to": "Stagneert de samenwerking door visieverschil: de eigen manager van "
        "de professional.",
        "required_profile": "A",
        "next_step": "De regie ligt bij de klant en het netwerk. Een professional die "
        "signalen opvangt, pakt ze direct op of legt ze neer bij het lokale team.",
        "notify_directors": True,
        "notify_managers": False,
        "notify_pga_experts": False,
    },
    2: {
        "casusregie": "Lokaal team of zorgketen met competentieprofiel A.",
        "procesregie": "Lokaal team met competentieprofiel A. De procesregisseur faciliteert "
        "de samenwerking en bewaakt kwaliteit, efficiëntie en financiën.",
        "operational": "De manager van de betrokken professional.",
        "administrative": "",
        "escalates_to": _TO_MANAGER,
        "required_profile": "A",
        "next_step": "Zet 1Gezin1Plan1Regisseur in met minimaal het ondersteuningsplan; de "
        "procesregisseur faciliteert de samenwerking.",
        "notify_directors": True,
        "notify_managers": False,
        "notify_pga_experts": False,
    },
    3: {
        "casusregie": "Lokaal team, zorgketen, Veilig Thuis en/of SAVE/GI met "
        "competentieprofiel B.",
        "procesregie": "Lokaal team met competentieprofiel B.",
        "operational": "De manager van de betrokken professional.",
        "administrative": "",
        "escalates_to": _TO_MANAGER,
        "required_profile": "B",
        "next_step": "Werk met het ondersteuningsplan én het veiligheidsplan, betrek de zorg- "
        "en veiligheidsketen en ga na of casus- en procesregisseur profiel B hebben.",
        "notify_directors": True,
        "notify_managers": True,
        "notify_pga_experts": False,
    },
    4: {
        "casusregie": "Lokaal team, zorg- en veiligheidsketen, Veilig Thuis, SAVE/GI en/of "
        "reclassering met competentieprofiel B+.",
        "procesregie": "Bij een ernstig veiligheidsprobleem de PGA-expert; anders (ook bij "
        "matige veiligheidsproblematiek) het lokale team met competentieprofiel B+.",
        "operational": "De PGA-expert of de procesregisseur van het lokale team voor proces "
        "en samenwerking; de manager van de betrokken professional voor uitvoering en "
        "resultaat.",
        "administrative": "Burgemeester en wethouders (B&W) samen.",
        "escalates_to": "De manager van de betrokken professional, de managers van de andere "
        "deelnemers en de directeur. Bij politieke gevoeligheid informeert de PGA-expert of "
        "de manager van het lokale team de wethouder en/of de burgemeester.",
        "required_profile": "B+",
        "next_step": "Zorg voor een procesregisseur met profiel B+ of draag de procesregie "
        "over aan de PGA-expert; overweeg met de veiligheidspartners bestuurlijke, civiele "
        "of strafrechtelijke maatregelen.",
        "notify_directors": True,
        "notify_managers": True,
        "notify_pga_experts": True,
    },
    5: {
        "casusregie": "Lokaal team, zorg- en veiligheidsketen, Veilig Thuis, SAVE/GI en/of "
        "reclassering met competentieprofiel B+.",
        "procesregie": "PGA-expert, Zorg- en Veiligheidshuis, adviseur zorg en veiligheid of "
        "OOV-ambtenaar met competentieprofiel B+.",
        "operational": "De gemandateerde ambtenaar OOV of ambtenaar crisisbeheersing; de "
        "burgemeester als coördinator van de driehoek.",
        "administrative": "De burgemeester.",
        "escalates_to": "De procesregisseur en diens manager informeren de burgemeester; de "
        "ambtenaar OOV is de schakel naar de driehoek.",
        "required_profile": "B+",
        "next_step": "Informeer via de ambtenaar OOV de burgemeester, volg de vaste "
        "protocollen (GRIP, scenario maatschappelijke onrust) en stem af met de driehoek.",
        "notify_directors": True,
        "notify_managers": True,
        "notify_pga_experts": True,
    },
}


def ensure_escalation_map(house: House, model: type[EscalationMapLevel] | None = None) -> None:
    """Give a house the default levels it lacks (data migration and demo loader)."""
    rows = model or EscalationMapLevel
    have = set(rows.objects.filter(house_id=house.pk).values_list("level", flat=True))
    for level, values in DEFAULT_MAP.items():
        if level not in have:
            rows.objects.create(house_id=house.pk, level=level, **values)


def map_of(house_id: int) -> list[EscalationMapLevel]:
    """The house's map, level 1 to 5 (empty when the house has none)."""
    return list(EscalationMapLevel.objects.filter(house_id=house_id).order_by("level"))


def level_of(house_id: int, level: int) -> EscalationMapLevel | None:
    return EscalationMapLevel.objects.filter(house_id=house_id, level=level).first()


@dataclass(frozen=True)
class Recipient:
    user: User
    responsibility: EscalationNotice.Responsibility


def recipients(case: Case, row: EscalationMapLevel, actor: User | None) -> list[Recipient]:
    """Whom the map's row names for this case: its named casus- and procesregisseur, the
    house's managers (the map's "manager" and "directeur"; ADR 28) and its PGA experts.
    One notice per person (the closest responsibility first); never the actor."""
    found: dict[int, Recipient] = {}
    kinds = EscalationNotice.Responsibility
    groups: list[tuple[bool, EscalationNotice.Responsibility, list[User]]] = [
        (
            row.notify_directors,
            kinds.DIRECTOR,
            [
                m.user
                for m in case_team(case.pk)
                .filter(role__in=DIRECTOR_ROLES, user__is_active=True)
                .select_related("user")
                if m.user is not None
            ],
        ),
        (row.notify_managers, kinds.MANAGER, list(users_with_role_at(Role.MANAGER, case.house_id))),
        (
            row.notify_pga_experts,
            kinds.PGA_EXPERT,
            list(users_with_role_at(Role.PGA_EXPERT, case.house_id)),
        ),
    ]
    for wanted, kind, users in groups:
        if not wanted:
            continue
        for user in users:
            if actor is not None and user.pk == actor.pk:
                continue
            found.setdefault(user.pk, Recipient(user, kind))
    return list(found.values())


@transaction.atomic
def notify_level_change(case: Case, change: EscalationChange, actor: User | None) -> int:
    """Tell whom the house's map names for the new level: a notice on their dashboard
    and a link mail (queued for after commit), audited. The number told."""
    row = level_of(case.house_id, change.to_level)
    if row is None:
        return 0
    told = recipients(case, row, actor)
    now = timezone.now()
    EscalationNotice.objects.bulk_create(
        EscalationNotice(
            case_id=case.pk,
            change=change,
            user=r.user,
            responsibility=r.responsibility,
            created_at=now,
        )
        for r in told
    )
    audit.record(
        "case.escalation_notified",
        actor=actor,
        case_id=case.pk,
        obj=change,
        data={
            "naar_niveau": change.to_level,
            "ontvangers": sorted(r.user.pk for r in told),
            "verantwoordelijkheden": sorted({r.responsibility.value for r in told}),
        },
    )
    subject = _("escalatieniveau casus %(code)s") % {"code": case.code}
    text = _(
        "Casus %(code)s is van niveau %(van)d naar niveau %(naar)d gegaan. Volgens de "
        "escalatiekaart van het huis wordt u daarover geïnformeerd. Bekijk de volgende stap "
        "in Ketenregie."
    ) % {"code": case.code, "van": change.from_level, "naar": change.to_level}
    directors = [
        r.user.email for r in told if r.responsibility == EscalationNotice.Responsibility.DIRECTOR
    ]
    others = [
        r.user.email for r in told if r.responsibility != EscalationNotice.Responsibility.DIRECTOR
    ]
    # Directors open the map on the case; the others have their notice on the dashboard
    # (they need not be on the team, and the gate decides what they may open).
    send_link_mail(
        directors, subject=subject, text=text, path=reverse("case_escalation_map", args=[case.pk])
    )
    send_link_mail(others, subject=subject, text=text, path=reverse("dashboard"))
    return len(told)


def open_notices_for(user: User) -> QuerySet[EscalationNotice]:
    """The user's notices not yet marked as seen, newest first."""
    return (
        EscalationNotice.objects.filter(user_id=user.pk, seen_at__isnull=True)
        .select_related("case", "change")
        .order_by("-created_at", "pk")
    )


def next_steps_for(notices: list[EscalationNotice]) -> dict[tuple[int, int], str]:
    """The map's next step per (house, level) of these notices, in one query."""
    houses = {n.case.house_id for n in notices}
    rows = EscalationMapLevel.objects.filter(house_id__in=houses).values_list(
        "house_id", "level", "next_step"
    )
    return {(house, level): step for house, level, step in rows}


@transaction.atomic
def mark_notice_seen(notice: EscalationNotice, *, actor: User) -> EscalationNotice:
    """The recipient marks a notice as seen (only their own; the view checks)."""
    locked = EscalationNotice.objects.select_for_update().get(pk=notice.pk)
    if locked.seen_at is None:
        locked.seen_at = timezone.now()
        locked.save(update_fields=["seen_at"])
        audit.record("case.escalation_notice_seen", actor=actor, case_id=locked.case_id, obj=locked)
    return locked
