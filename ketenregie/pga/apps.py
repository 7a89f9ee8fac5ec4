from django.apps import AppConfig


class PgaConfig(AppConfig):
    name = "ketenregie.pga"
    label = "pga"

    def ready(self) -> None:
        # The letter template is edited on the functioneel beheerder's pages.
        from ketenregie.accounts.views import RESOURCES, Resource, save_simple
        from ketenregie.pga.forms import LetterTemplateForm
        from ketenregie.pga.models import LetterTemplate

        RESOURCES["brieven"] = Resource(
            LetterTemplate,
            LetterTemplateForm,
            save_simple,
            "Informatiebrieven",
            (("house", "Huis"), ("letterhead", "Briefhoofd"), ("signatory_name", "Ondertekenaar")),
            ("house",),
        )
