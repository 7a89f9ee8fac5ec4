"""Reads about cases that pages need: list filtering, team history, the timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from ketenregie.audit.models import AuditEvent
from ketenregie.cases.access import active_memberships, visible_cases
from ketenregie.cases.models import Case, CaseMembership, PersonVersion, StatusChange
from ketenregie.cases.workflow import PHASE_OF, Phase, Status
from ketenregie.plans.versions import show_value

if TYPE_CHECKING:
    from ketenregie.accounts.models import User

# What an adviseur (pseudonymised view) may see of the trail: team and status only.
PSEUDONYMISED_ACTIONS = (
    "case.created",
    "team.member_added",
    "team.member_ended",
    "team.handed_over",
)
TIMELINE_LIMIT = 200

ACTION_LABELS = {
    "case.created": "Casus aangemaakt",
    "case.viewed": "Casus ingezien",
    "case.escalation_changed": "Escalatieniveau gewijzigd",
    "case.status_changed": "Status gewijzigd",
    "person.updated": "Persoonsgegevens gewijzigd",
    "team.member_added": "Teamlid toegevoegd",
    "team.member_ended": "Teamlidmaatschap beëindigd",
    "team.handed_over": "Rol overgedragen",
    "pga.informing_recorded": "Informeren betrokkene vastgelegd",
    "pga.start_conversation_recorded": "Startgesprek vastgelegd",
    "pga.letter_downloaded": "Informatiebrief gedownload",
    "pga.signal_raised": "Signaal afgegeven",
    "pga.signal_resolved": "Signaal afgehandeld",
    "pga.closed": "Casus afgesloten",
    "pga.closing_conversation_recorded": "Eindgesprek vastgelegd",
    "pga.escalated_to_zvh": "Opgeschaald naar Zorg- en Veiligheidshuis",
    "meeting.scheduled": "Casusoverleg gepland",
    "meeting.participant_invited": "Deelnemer uitgenodigd voor casusoverleg",
    "meeting.replied": "Antwoord op uitnodiging casusoverleg",
    "meeting.attendance_recorded": "Aanwezigheid casusoverleg vastgelegd",
    "meeting.cancelled": "Casusoverleg vervallen",
    "meeting.minutes_saved": "Verslag casusoverleg opgeslagen",
    "meeting.minutes_sent": "Verslag en actielijst verstuurd",
    "plan.casusregisseur_agreed": "Casusregisseur afgesproken",
    "plan.created": "Plan van aanpak aangemaakt",
    "safety.created": "Veiligheidsplan aangemaakt",
    "plan.text_saved": "Plan van aanpak bijgewerkt",
    "plan.scores_saved": "Scores leefgebieden bijgewerkt",
    "plan.statement_added": "Kracht of zorg toegevoegd",
    "plan.goal_added": "Doel toegevoegd",
    "plan.goal_updated": "Doel bijgewerkt",
    "plan.adopted": "Plan van aanpak vastgesteld",
    "plan.pdf_downloaded": "Plan van aanpak als PDF gedownload",
    "action.added": "Actie toegevoegd",
    "action.reported": "Terugmelding op actie",
    "action.reminder_sent": "Herinnering actie verstuurd",
    "safety.saved": "Veiligheidsplan bijgewerkt",
    "safety.agreement_added": "Veiligheidsafspraak toegevoegd",
    "safety.score_added": "Schaalvraag veiligheid vastgelegd",
    "safety.pdf_downloaded": "Veiligheidsplan als PDF gedownload",
    "case.director_escalated": "Opgeschaald binnen de regie",
    "case.director_escalation_handled": "Opschaling afgehandeld",
}
# Page views of the execution phase count as reads, like opening the case.
READ_ACTIONS = (
    "case.viewed",
    "plan.viewed",
    "plan.version_viewed",
    "safety.viewed",
    "meeting.viewed",
    "pga.informing_viewed",
    "pga.closing_viewed",
)


def filter_cases(
    user: User,
    *,
    q: str = "",
    house: Any = None,
    phase: str = "",
    level: int | None = None,
    my_role: str = "",
) -> QuerySet[Case]:
    qs = visible_cases(user).select_related("person", "house")
    if q:
        # Names match only where the viewer may see names: searching must not reveal
        # who is behind a pseudonymised case.
        name = (
            Q(person__achternaam__icontains=q)
            | Q(person__voornamen__icontains=q)
            | Q(person__bsn=q.replace(" ", ""))
        )
        qs = qs.filter(Q(code__icontains=q) | (Q(full_access=True) & name))
    if house:
        qs = qs.filter(house=house)
    if phase:
        qs = qs.filter(status__in=[s for s, p in PHASE_OF.items() if p == Phase(phase)])
    if level:
        qs = qs.filter(escalation_level=level)
    if my_role:
        qs = qs.filter(
            Exists(active_memberships(user).filter(case_id=OuterRef("pk"), role=my_role))
        )
    return qs.order_by("-status_changed_at", "-pk")


def team_history(case: Case) -> list[CaseMembership]:
    return list(
        CaseMembership.objects.filter(case=case)
        .select_related("user", "organisation")
        .order_by("valid_from", "pk")
    )


@dataclass
class TimelineEntry:
    when: dt.datetime
    title: str
    actor: str = ""
    organisation: str = ""
    detail: str = ""
    kind: str = "change"
    changes: dict[str, Any] = field(default_factory=dict)


def _changes(ev: AuditEvent, versions: dict[int, dict[str, Any]]) -> dict[str, Any]:
    if ev.action.startswith("person.") and "versie" in ev.data:
        now = versions.get(ev.data["versie"], {})
        before = versions.get(ev.data["versie"] - 1, {})
        return {f: {"voor": before.get(f), "na": now.get(f)} for f in ev.data.get("velden", [])}
    changes: dict[str, Any] = ev.data.get("wijzigingen", {})
    return {
        FIELD_LABELS.get(name, name): {
            "voor": show_value(change.get("voor")),
            "na": show_value(change.get("na")),
        }
        if isinstance(change, dict)
        else change
        for name, change in changes.items()
    }


# Field names in audit data, as the timeline shows them.
FIELD_LABELS = {
    "valid_from": "vanaf",
    "valid_to": "t/m",
    "note": "toelichting",
    "role": "rol",
    "stand": "stand",
    "bereikt": "bereikt",
    "escalation_level": "niveau",
    "signed_on": "ondertekend op",
    "evaluation_date": "evaluatiedatum",
}


def _team_detail(action: str, object_id: str, team: dict[str, CaseMembership]) -> str:
    m = team.get(object_id)
    if m is None or not action.startswith("team."):
        return ""
    who = m.user.get_full_name() if m.user else f"{m.organisation.name} (hele organisatie)"
    if action == "team.member_ended" and m.valid_to:
        return f"{m.get_role_display()}: {who}, t/m {m.valid_to:%d-%m-%Y}"
    return f"{m.get_role_display()}: {who}, vanaf {m.valid_from:%d-%m-%Y}"


def timeline(
    case: Case,
    *,
    full_access: bool,
    include_reads: bool,
    team: list[CaseMembership] | None = None,
) -> list[TimelineEntry]:
    """Status history and the audit events the viewer may see, newest first.

    `team` (already loaded for the page) names who joined or left, without extra queries.
    """
    members = {str(m.pk): m for m in team or []}
    versions: dict[int, dict[str, Any]] = {}
    if full_access:
        versions = {
            v.version: v.values for v in PersonVersion.objects.filter(person_id=case.person_id)
        }
    entries: list[TimelineEntry] = []
    for sc in StatusChange.objects.filter(case=case).select_related("changed_by"):
        title = (
            f"Status: {Status(sc.to_status).label}"
            if not sc.from_status
            else f"Status: {Status(sc.from_status).label} → {Status(sc.to_status).label}"
        )
        entries.append(
            TimelineEntry(
                when=sc.changed_at,
                title=title,
                actor=str(sc.changed_by or "systeem"),
                detail=sc.reason if full_access else "",
                kind="status",
            )
        )
    if full_access:
        from ketenregie.plans.models import DirectorEscalation

        for esc in DirectorEscalation.objects.filter(case=case).select_related("by"):
            entries.append(
                TimelineEntry(
                    when=esc.at,
                    title=f"Opgeschaald naar {esc.get_to_display().lower()}",
                    actor=str(esc.by),
                    detail=esc.reason
                    + (f" · Afgehandeld: {esc.handled_note}" if esc.handled_at else ""),
                    kind="important",
                )
            )
    events = AuditEvent.objects.filter(case_id=case.pk).exclude(
        action__in=["case.status_changed", "case.director_escalated"]
    )
    if not full_access:
        events = events.filter(action__in=PSEUDONYMISED_ACTIONS)
    elif not include_reads:
        events = events.exclude(action__in=READ_ACTIONS)
    for ev in events.select_related("actor", "actor_organisation").order_by("-seq")[
        :TIMELINE_LIMIT
    ]:
        entries.append(
            TimelineEntry(
                when=ev.occurred_at,
                title=ACTION_LABELS.get(ev.action, ev.action),
                actor=str(ev.actor or ev.actor_label or "systeem"),
                organisation=str(ev.actor_organisation or ""),
                detail=_team_detail(ev.action, ev.object_id, members),
                kind="read" if ev.action in READ_ACTIONS else "change",
                changes=_changes(ev, versions) if full_access else {},
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
