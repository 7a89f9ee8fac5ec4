from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ketenregie.plans"
    label = "plans"

    def ready(self) -> None:
        from ketenregie.plans import timeline

        timeline.register()
