from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ketenregie.cases"
    label = "cases"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from ketenregie.audit.vocabulary import READ_CODES
        from ketenregie.cases import timeline
        from ketenregie.cases.models import CaseRole

        # Fields of the case team and case that audit "wijzigingen" name.
        timeline.register_field("valid_from", _("vanaf"))
        timeline.register_field("valid_to", _("t/m"))
        timeline.register_field("handed_over", _("overgedragen"))
        timeline.register_field("note", _("toelichting"))
        timeline.register_field("role", _("rol"), timeline.choice_labels(CaseRole.choices))
        timeline.register_field("escalation_level", _("niveau"))

        # Reads of one day fold into one entry; so do the team changes of one day (the
        # triage outcome adds the whole team at once).
        timeline.register_step(
            "reads", READ_CODES, lambda es: _("Inzage: %(wat)s") % {"wat": timeline.counted(es)}
        )
        timeline.register_step(
            "team",
            ("team.member_added", "team.member_ended", "team.handed_over"),
            lambda es: _("Casusteam: %(wat)s") % {"wat": timeline.counted(es)},
        )
        register_escalation_map()


def register_escalation_map() -> None:
    """The escalation map per house on the functioneel beheerder's pages (issue 15):
    accounts owns those pages, cases declares the record kind."""
    from django.utils.translation import gettext_lazy as _

    from ketenregie.accounts.beheer import Resource, register_resource, save_simple
    from ketenregie.cases.escalation_models import EscalationMapLevel
    from ketenregie.cases.forms import EscalationMapLevelForm

    register_resource(
        "escalatiekaart",
        Resource(
            EscalationMapLevel,
            EscalationMapLevelForm,
            save_simple,
            _("Escalatiekaart per huis"),
            (
                ("house", _("Huis")),
                ("level", _("Niveau")),
                ("required_profile", _("Vereist profiel")),
                ("next_step", _("Volgende stap")),
            ),
            ("house",),
        ),
    )
