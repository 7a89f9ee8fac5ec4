from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "ketenregie.intake"
    label = "intake"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from ketenregie.cases.timeline import choice_labels, register_field
        from ketenregie.intake import timeline
        from ketenregie.intake.models import EnrichmentRequest

        # enrichment.answered records {"antwoord": {"voor": code, "na": code}}.
        register_field("antwoord", _("antwoord"), choice_labels(EnrichmentRequest.Answer.choices))
        timeline.register()
