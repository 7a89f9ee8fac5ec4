"""Escalation between directors: raising a case to the next step and handling it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.accounts.access import users_with_role_at
from ketenregie.accounts.roles import Role
from ketenregie.audit import services as audit
from ketenregie.audit.writes import lock, save_audited
from ketenregie.cases.access import director_emails, personal_director_roles
from ketenregie.cases.models import Case, CaseRole
from ketenregie.core.mail import send_link_mail
from ketenregie.plans.access import escalation_steps
from ketenregie.plans.models import (
    DirectorEscalation,
)
from ketenregie.plans.services.common import _running

if TYPE_CHECKING:
    from ketenregie.accounts.models import User


def house_managers(house_id: int) -> Any:
    return users_with_role_at(Role.MANAGER, house_id)


@transaction.atomic
def escalate(case: Case, *, actor: User, to: str, reason: str) -> DirectorEscalation:
    """Casusregisseur -> procesregisseur, procesregisseur -> manager, with a reason."""
    locked = _running(case)
    steps = escalation_steps(personal_director_roles(actor, locked.pk))
    errors: dict[str, str] = {}
    if to == DirectorEscalation.To.PROCESREGISSEUR:
        if to not in steps:
            errors["to"] = _("Alleen de casusregisseur schaalt op naar de procesregisseur.")
    elif to == DirectorEscalation.To.MANAGER:
        if to not in steps:
            errors["to"] = _("Alleen de procesregisseur schaalt op naar de manager.")
        elif not house_managers(locked.house_id).exists():
            errors["to"] = _(
                "Dit huis heeft geen manager in Ketenregie. Vraag de functioneel beheerder "
                "een manager toe te wijzen, of schaal buiten Ketenregie op."
            )
    else:
        errors["to"] = _("Kies naar wie u opschaalt.")
    if not reason.strip():
        errors["reason"] = _("Geef de reden van de opschaling.")
    if errors:
        raise ValidationError(errors)
    record = DirectorEscalation.objects.create(
        case=locked, to=to, reason=reason.strip(), by=actor, at=timezone.now()
    )
    audit.record(
        "case.director_escalated", actor=actor, case_id=locked.pk, obj=record, data={"naar": to}
    )
    if to == DirectorEscalation.To.MANAGER:
        recipients = [u.email for u in house_managers(locked.house_id)]
        path = reverse("dashboard")
    else:
        recipients = director_emails(locked.pk, (CaseRole.PROCESREGISSEUR,))
        path = reverse("case_detail", args=[locked.pk])
    send_link_mail(
        recipients,
        subject=_("opschaling casus %(code)s") % {"code": locked.code},
        text=_("Casus %(code)s is naar u opgeschaald. Bekijk de reden in Ketenregie.")
        % {"code": locked.code},
        path=path,
    )
    return record


@transaction.atomic
def handle_escalation(record: DirectorEscalation, *, actor: User, note: str) -> DirectorEscalation:
    locked = lock(record)
    if locked.handled_at is not None:
        raise ValidationError(_("Deze opschaling is al afgehandeld."))
    if not note.strip():
        raise ValidationError({"note": _("Beschrijf hoe de opschaling is afgehandeld.")})
    save_audited(
        locked,
        actor=actor,
        action="case.director_escalation_handled",
        values={"handled_note": note.strip(), "handled_by": actor, "handled_at": timezone.now()},
        case_id=locked.case_id,
        mode="none",
    )
    return locked
