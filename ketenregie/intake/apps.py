from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "ketenregie.intake"
    label = "intake"
