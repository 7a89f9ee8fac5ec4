from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ketenregie.plans"
    label = "plans"

    def ready(self) -> None:
        # Plans contributes to pages of lower apps through their registries (ADR 7).
        from ketenregie.pga.closing import register_closing_contribution
        from ketenregie.plans import timeline
        from ketenregie.plans.queries import closing_goals

        register_closing_contribution(closing_goals)
        timeline.register()
