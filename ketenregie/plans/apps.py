from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ketenregie.plans"
    label = "plans"
