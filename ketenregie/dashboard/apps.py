from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "ketenregie.dashboard"
    label = "dashboard"
