from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ketenregie.demo"
    label = "demo"
