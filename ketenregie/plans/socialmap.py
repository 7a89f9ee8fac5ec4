"""The social map: the needs of the target group and the interventions that meet them.

The functioneel beheerder keeps both (beheer pages, registered from `PlansConfig.ready`);
plans tag each goal and action with the need it addresses and the intervention used,
and `reports.matrix` sets the two against each other per region (ADR 24). The models
live in plans, below reports, because goals and actions point at them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ketenregie.audit.writes import create_audited, lock, save_audited
from ketenregie.plans.models import Intervention, Need

if TYPE_CHECKING:
    from ketenregie.accounts.models import User
    from ketenregie.cases.models import Case

# The fields of an intervention that map one to one onto its form; `needs` is a set.
INTERVENTION_FIELDS = [
    "name",
    "provider",
    "region",
    "municipality",
    "capacity",
    "waiting_weeks",
    "is_active",
]


def ensure_domain_needs(
    need_model: type[models.Model] | None = None, domain_model: type[models.Model] | None = None
) -> None:
    """Give every life domain its domain-level need (migration, demo loader, tests)."""
    if need_model is None or domain_model is None:
        from ketenregie.cases.models import LifeDomain

        need_model, domain_model = Need, LifeDomain
    have = set(need_model._default_manager.filter(name="").values_list("domain_id", flat=True))
    need_model._default_manager.bulk_create(
        [
            need_model(domain_id=pk, name="")
            for pk in domain_model._default_manager.values_list("pk", flat=True)
            if pk not in have
        ]
    )


def active_needs() -> QuerySet[Need]:
    """The needs a goal or action can be tagged with, in domain order."""
    return Need.objects.filter(is_active=True, domain__is_active=True).select_related("domain")


def interventions_in_region(region_id: int) -> QuerySet[Intervention]:
    """The active interventions a case of a house in this region can use."""
    return Intervention.objects.filter(region_id=region_id, is_active=True).order_by(
        "name", "provider", "pk"
    )


def domain_need(domain_id: int) -> Need | None:
    """The need that is the life domain itself (the default need of that domain)."""
    return Need.objects.filter(domain_id=domain_id, name="").first()


def tag_errors(
    case: Case,
    need: Need | None,
    intervention: Intervention | None,
    *,
    kept_need_id: int | None = None,
    kept_intervention_id: int | None = None,
) -> dict[str, str]:
    """Check a goal's or action's tags: an active need, an active intervention of the
    case's region. A tag that was already there (`kept_*`) may stay although the
    beheerder has since switched it off: the plan records what was done."""
    errors: dict[str, str] = {}
    if need is not None and need.pk != kept_need_id and not need.is_active:
        errors["need"] = _("Deze behoefte staat niet meer op de sociale kaart; kies een andere.")
    if intervention is not None and intervention.pk != kept_intervention_id:
        if not intervention.is_active:
            errors["intervention"] = _(
                "Deze interventie staat niet meer op de sociale kaart; kies een andere."
            )
        elif intervention.region_id != case.house.region_id:
            errors["intervention"] = _(
                "Deze interventie hoort bij een andere regio dan het huis van de casus."
            )
    if intervention is not None and need is None:
        errors["need"] = _("Kies ook de behoefte waarvoor de interventie is ingezet.")
    return errors


@transaction.atomic
def save_intervention(
    *,
    actor: User,
    instance: Intervention | None,
    values: dict[str, Any],
    needs: Iterable[Need],
    expected_version: int | None = None,
) -> Intervention:
    """Create or change an intervention on the social map, audited with its needs."""
    need_ids = sorted({n.pk for n in needs})
    if not need_ids:
        raise ValidationError({"needs": _("Kies ten minste één behoefte waarin dit voorziet.")})
    fields = {name: values[name] for name in INTERVENTION_FIELDS}
    if instance is None:
        created = create_audited(
            Intervention,
            actor=actor,
            action="intervention.created",
            values=fields,
            extra={"behoeften": need_ids},
        )
        created.needs.set(need_ids)
        return created
    locked = lock(instance, expected_version=expected_version)
    before = sorted(locked.needs.values_list("pk", flat=True))
    moved = before != need_ids
    save_audited(
        locked,
        actor=actor,
        action="intervention.updated",
        values=fields,
        extra={"behoeften": {"voor": before, "na": need_ids}} if moved else None,
        # A change of needs alone is a change too: audited, and the version goes up.
        always=moved,
    )
    if moved:
        locked.needs.set(need_ids)
    return locked
