from django.apps import AppConfig
from django.core.signals import setting_changed


class AuditConfig(AppConfig):
    name = "ketenregie.audit"
    label = "audit"

    def ready(self) -> None:
        from ketenregie.audit.chain import forget_key_when_changed

        setting_changed.connect(forget_key_when_changed)
