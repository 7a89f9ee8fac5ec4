from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ketenregie.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from ketenregie.accounts import signals  # noqa: F401
        from ketenregie.accounts.beheer import register_accounts_resources

        register_accounts_resources()
