from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ketenregie.cases"
    label = "cases"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from ketenregie.cases import timeline
        from ketenregie.cases.models import CaseRole

        # Fields of the case team and case that audit "wijzigingen" name.
        timeline.register_field("valid_from", _("vanaf"))
        timeline.register_field("valid_to", _("t/m"))
        timeline.register_field("handed_over", _("overgedragen"))
        timeline.register_field("note", _("toelichting"))
        timeline.register_field("role", _("rol"), timeline.choice_labels(CaseRole.choices))
        timeline.register_field("escalation_level", _("niveau"))
