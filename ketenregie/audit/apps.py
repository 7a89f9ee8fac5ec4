from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ketenregie.audit"
    label = "audit"
