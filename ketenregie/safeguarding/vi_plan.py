"""The Verwijsindex line of the support plan's "overige gegevens" (seed 002 7.1 "Er is een
signaal in de Verwijsindex Risicojongeren afgegeven: Naam ... Ja / Nee", and the phase-2
checklist "Overige gegevens: toestemming, signaal Verwijsindex Risicojongeren").

Registered with `plans.plan_details` from the app's `ready`. Per member of the client
system: whether a signal on this case is active, with the date it was given, the
organisation that gave it and when it expires: what the case's Verwijsindex page shows
anyone who sees the case in full, minus the signaller's name and never the risk category
(the legal ground stays on the Verwijsindex page). An adviser's view names no one. One
query, whatever the number of members."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from ketenregie.cases.models import HouseholdMember
from ketenregie.core.templatetags.dates import long_date
from ketenregie.core.timeutil import age_band, today
from ketenregie.plans.plan_details import DetailLine, PlanDetail, PlanHead
from ketenregie.safeguarding.vi_models import VerwijsindexSignal

if TYPE_CHECKING:
    from ketenregie.accounts.models import User
    from ketenregie.cases.models import Person


def _who(person: Person, relation: str, head: PlanHead) -> str:
    if head.full:
        return f"{person.full_name} ({relation.lower()})"
    # Pseudonymised as the case page does: role in the family and age band.
    return f"{relation}, {age_band(person.geboortedatum)}"


def plan_signal_detail(user: User, head: PlanHead) -> PlanDetail:
    """Whether each member of the client system has an active signal on this case."""
    del user  # the gate decided already: the head comes from a case the viewer sees
    case = head.case
    day = today()
    active: dict[int, list[VerwijsindexSignal]] = {}
    for signal in (
        VerwijsindexSignal.objects.filter(case=case, expires_on__gt=day)
        .select_related("organisation", "person")
        .order_by("signalled_on", "pk")
    ):
        active.setdefault(signal.person_id, []).append(signal)
    # The client system: the case's person first, then the current members of the
    # household (none without a household).
    people: list[tuple[Person, str]] = [
        (row.member.person, row.member.get_relation_display()) for row in head.household
    ]
    listed = {person.pk for person, _rel in people}
    if case.person_id not in listed:
        people.insert(0, (case.person, str(HouseholdMember.Relation.BETROKKENE.label)))
        listed.add(case.person_id)
    for person_id, signals in active.items():
        if person_id not in listed:
            # A signal stays active after its young person left the household.
            people.append((signals[0].person, str(_("Geen gezinslid meer"))))
    lines = []
    for person, relation in people:
        signals = active.get(person.pk, [])
        lines.append(
            DetailLine(
                who=_who(person, relation, head),
                answer=str(_("ja") if signals else _("nee")),
                details=[
                    _("afgegeven %(on)s door %(org)s, vervalt %(until)s")
                    % {
                        "on": long_date(s.signalled_on),
                        "org": s.organisation.name,
                        "until": long_date(s.expires_on),
                    }
                    for s in signals
                ],
            )
        )
    return PlanDetail(
        key="verwijsindex",
        label=str(_("Er is een signaal in de Verwijsindex Risicojongeren afgegeven")),
        lines=lines,
        url=reverse("vi_list", args=[case.pk]) if head.full else "",
        url_text=str(_("Naar de Verwijsindex van deze casus")),
    )
