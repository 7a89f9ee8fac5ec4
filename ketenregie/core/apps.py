from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ketenregie.core"
    label = "core"
