from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "ketenregie.plans"
    label = "plans"

    def ready(self) -> None:
        # Plans contributes to pages of lower apps through their registries (ADR 7).
        from ketenregie.cases.phases import register_phase_facts
        from ketenregie.pga.closing import register_closing_contribution
        from ketenregie.plans import timeline
        from ketenregie.plans.queries import closing_goals, household_phase_facts

        register_closing_contribution(closing_goals)
        register_phase_facts(household_phase_facts)
        timeline.register()
        register_social_map()


def _save_intervention(form: Any, actor: Any, instance: Any) -> Any:
    from ketenregie.plans.socialmap import save_intervention

    return save_intervention(
        actor=actor,
        instance=instance,
        values=form.cleaned_data,
        needs=form.cleaned_data["needs"],
        expected_version=form.cleaned_data.get("version"),
    )


def register_social_map() -> None:
    """The social map on the functioneel beheerder's pages (ADR 24): accounts owns those
    pages and knows nothing of plans, so plans declares its two record kinds."""
    from ketenregie.accounts.beheer import Resource, register_resource, save_simple
    from ketenregie.plans.forms import InterventionForm, NeedForm
    from ketenregie.plans.models import Intervention, Need

    register_resource(
        "behoeften",
        Resource(
            Need,
            NeedForm,
            save_simple,
            _("Behoeften (sociale kaart)"),
            (
                ("domain", _("Leefgebied")),
                ("name", _("Nadere behoefte")),
                ("is_active", _("Actief")),
            ),
            ("domain",),
        ),
    )
    register_resource(
        "sociale-kaart",
        Resource(
            Intervention,
            InterventionForm,
            _save_intervention,
            _("Interventies en voorzieningen (sociale kaart)"),
            (
                ("name", _("Interventie of voorziening")),
                ("provider", _("Aanbieder")),
                ("region", _("Regio")),
                ("municipality", _("Gemeente")),
                ("capacity", _("Capaciteit")),
                ("waiting_weeks", _("Wachttijd (weken)")),
                ("is_active", _("Actief")),
            ),
            ("region",),
        ),
    )
