"""What the execution phase adds to the case timeline (registered in PlansConfig.ready)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ketenregie.cases.models import Case
from ketenregie.cases.timeline import (
    TimelineEntry,
    choice_labels,
    counted,
    register_entries,
    register_field,
    register_step,
)
from ketenregie.plans.models import Action, DirectorEscalation, Goal, SignedHow


def director_escalations(case: Case, full_access: bool) -> Iterator[TimelineEntry]:
    """Escalations within the regie, with their reason: only for full access (one query)."""
    if not full_access:
        return
    for esc in DirectorEscalation.objects.filter(case=case).select_related("by"):
        yield TimelineEntry(
            when=esc.at,
            title=_("Opgeschaald naar %(naar)s") % {"naar": esc.get_to_display().lower()},
            actor=str(esc.by),
            detail=esc.reason
            + (
                _(" · Afgehandeld: %(notitie)s") % {"notitie": esc.handled_note}
                if esc.handled_at
                else ""
            ),
            kind="important",
        )


def invitations_title(entries: list[TimelineEntry]) -> str:
    return ngettext(
        "Casusoverleg: %(n)s deelnemer uitgenodigd",
        "Casusoverleg: %(n)s deelnemers uitgenodigd",
        len(entries),
    ) % {"n": len(entries)}


def replies_title(entries: list[TimelineEntry]) -> str:
    return ngettext(
        "Casusoverleg: %(n)s antwoord op de uitnodiging",
        "Casusoverleg: %(n)s antwoorden op de uitnodiging",
        len(entries),
    ) % {"n": len(entries)}


def register() -> None:
    # The escalation entry carries the reason, so its audit event would only repeat it.
    register_entries(
        "plans.director_escalations", director_escalations, replaces=["case.director_escalated"]
    )
    register_field("stand", gettext_lazy("stand"), choice_labels(Action.State.choices))
    register_field("bereikt", gettext_lazy("bereikt"), choice_labels(Goal.Reached.choices))
    register_field("signed_on", gettext_lazy("ondertekend op"))
    # Tags of goals and actions are ids of social-map records (ADR 24).
    register_field("behoefte", gettext_lazy("behoefte"))
    register_field("interventie", gettext_lazy("interventie"))
    register_field("evaluation_date", gettext_lazy("evaluatiedatum"))
    # Slice templates (issue 15): the readable parts of the 7.1 / 7.2 templates.
    signed_how = choice_labels(SignedHow.choices)
    register_field("client_signed_on", gettext_lazy("ondertekend door klant op"))
    register_field("client_signed_how", gettext_lazy("wijze van ondertekenen klant"), signed_how)
    register_field("professional_signed_on", gettext_lazy("ondertekend door professional op"))
    register_field(
        "professional_signed_how", gettext_lazy("wijze van ondertekenen professional"), signed_how
    )
    register_field("first_incident_on", gettext_lazy("datum eerste incident"))
    register_field("worst_incident_on", gettext_lazy("datum ergste incident"))
    register_field("last_incident_on", gettext_lazy("datum laatste incident"))
    register_field("residence_checked", gettext_lazy("woonplaatsbeginsel gecontroleerd"))
    register_field("identity_checked", gettext_lazy("legitimatie gecontroleerd"))
    register_field("safety_concerns", gettext_lazy("zorgen over basiszorg of veiligheid"))
    # A day's work on the plan, a day's reports on actions, and a meeting's invitations
    # and replies are one step each; the plan's adoption stays an entry of its own.
    register_step(
        "meeting.invitations", ["meeting.participant_invited"], invitations_title, per="object"
    )
    register_step("meeting.replies", ["meeting.replied"], replies_title, per="object")
    register_step(
        "plan.work",
        [
            "plan.text_saved",
            "plan.scores_saved",
            "plan.statement_added",
            "plan.goal_added",
            "plan.goal_updated",
            "plan.goal_tagged",
            "action.added",
            "action.tagged",
        ],
        lambda es: _("Plan van aanpak: %(wat)s") % {"wat": counted(es)},
    )
    register_step(
        "action.reports",
        ["action.reported"],
        lambda es: _("Acties: %(wat)s") % {"wat": counted(es)},
    )
    register_step(
        "safety.work",
        [
            "safety.saved",
            "safety.agreement_added",
            "safety.score_added",
            "safety.contact_added",
            "safety.contact_changed",
            "safety.contact_removed",
        ],
        lambda es: _("Veiligheidsplan: %(wat)s") % {"wat": counted(es)},
    )
