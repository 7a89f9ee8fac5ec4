from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ketenregie.cases"
    label = "cases"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from ketenregie.audit import subjects
        from ketenregie.cases import queries, timeline
        from ketenregie.cases.models import CaseRole

        # The audit app cannot import cases: it finds persons and cases through this.
        subjects.register(
            subjects.SubjectLookup(
                person_events=queries.audit_events_about_person,
                case_ids=queries.case_ids_by_code,
            )
        )
        # Fields of the case team and case that audit "wijzigingen" name.
        timeline.register_field("valid_from", _("vanaf"))
        timeline.register_field("valid_to", _("t/m"))
        timeline.register_field("note", _("toelichting"))
        timeline.register_field("role", _("rol"), timeline.choice_labels(CaseRole.choices))
        timeline.register_field("escalation_level", _("niveau"))
