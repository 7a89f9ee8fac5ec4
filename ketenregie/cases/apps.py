from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ketenregie.cases"
    label = "cases"
