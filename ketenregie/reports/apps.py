"""Steering (issue 14): management information, the PGA-scan and the needs-vs-interventions
matrix. Reads the domain only through aggregate queries; never shows a name, BSN, case code
or free text."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "ketenregie.reports"
    label = "reports"

    def ready(self) -> None:
        # The PGA-scan's statements are configuration data the functioneel beheerder edits
        # on the beheer pages, which accounts owns without knowing this app.
        from ketenregie.accounts.beheer import Resource, register_resource, save_simple
        from ketenregie.reports.models import ScanStatement
        from ketenregie.reports.scan_forms import ScanStatementForm

        register_resource(
            "scanstellingen",
            Resource(
                ScanStatement,
                ScanStatementForm,
                save_simple,
                _("Stellingen PGA-scan"),
                (
                    ("get_part_display", _("Onderdeel")),
                    ("position", _("Volgorde")),
                    ("text", _("Stelling")),
                    ("is_active", _("Actief")),
                ),
            ),
        )
