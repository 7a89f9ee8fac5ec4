from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ketenregie.reports"
    label = "reports"
