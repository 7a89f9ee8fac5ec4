from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "ketenregie.privacy"
    label = "privacy"

    def ready(self) -> None:
        # The demo starts each house's processing register through the service; demo and
        # privacy are peers, so privacy hands the demo its step.
        from ketenregie.core.demo_steps import register_demo_step
        from ketenregie.privacy.processing_services import start_missing_registers

        register_demo_step("verwerkingsregisters", start_missing_registers)
