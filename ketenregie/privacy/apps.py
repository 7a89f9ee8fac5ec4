from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "ketenregie.privacy"
    label = "privacy"
