from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ketenregie.plans"
    label = "plans"

    def ready(self) -> None:
        from ketenregie.pga.closing import register_closing_contribution
        from ketenregie.plans.queries import closing_goals

        register_closing_contribution(closing_goals)
