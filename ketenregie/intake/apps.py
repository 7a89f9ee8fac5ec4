from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "ketenregie.intake"
    label = "intake"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from ketenregie.cases.timeline import choice_labels, register_field
        from ketenregie.core.uploads import register_expirer
        from ketenregie.intake import timeline
        from ketenregie.intake.models import EnrichmentRequest
        from ketenregie.intake.services.referral import remove_expired_draft_uploads

        # A referral form's kept attachments expire; `manage.py check_files` removes them.
        register_expirer(remove_expired_draft_uploads)

        # enrichment.answered records {"antwoord": {"voor": code, "na": code}}.
        register_field("antwoord", _("antwoord"), choice_labels(EnrichmentRequest.Answer.choices))
        timeline.register()
