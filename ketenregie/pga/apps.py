from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PgaConfig(AppConfig):
    name = "ketenregie.pga"
    label = "pga"

    def ready(self) -> None:
        # The letter template is edited on the functioneel beheerder's pages; accounts
        # owns those pages and knows nothing of pga, so pga declares its record kind.
        from ketenregie.accounts.beheer import Resource, register_resource, save_simple
        from ketenregie.pga.forms import LetterTemplateForm
        from ketenregie.pga.models import LetterTemplate

        register_resource(
            "brieven",
            Resource(
                LetterTemplate,
                LetterTemplateForm,
                save_simple,
                _("Informatiebrieven"),
                (
                    ("house", _("Huis")),
                    ("letterhead", _("Briefhoofd")),
                    ("signatory_name", _("Ondertekenaar")),
                ),
                ("house",),
            ),
        )
