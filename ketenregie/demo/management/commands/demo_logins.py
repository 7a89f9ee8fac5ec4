"""`manage.py demo_logins`: print each demo login with password and TOTP (otpauth URI)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.core.management.base import BaseCommand

from ketenregie.accounts.models import User
from ketenregie.accounts.roles import Role
from ketenregie.demo.reference import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Toont de demo-inloggegevens (alleen demo-accounts)."

    def handle(self, *args: Any, **options: Any) -> None:
        users = (
            User.objects.filter(is_demo=True)
            .select_related("organisation")
            .prefetch_related("role_assignments__house")
            .order_by("username")
        )
        secrets = {
            a.user_id: decrypt(a.data["secret"])
            for a in Authenticator.objects.filter(user__is_demo=True, type="totp")
        }
        self.stdout.write(f"Demo-logins (wachtwoord voor alle accounts: {DEMO_PASSWORD})")
        self.stdout.write(
            "Inloggen vraagt daarna een TOTP-code: scan de otpauth-URI in een authenticator-app, "
            "of vraag de huidige code op met:\n"
            "  python3 -m uv run python manage.py totp GEBRUIKERSNAAM"
        )
        for user in users:
            roles = ", ".join(
                f"{Role(r.role).label}{f' ({r.house.code})' if r.house else ''}"
                for r in user.role_assignments.all()
            )
            secret = secrets.get(user.pk, "")
            uri = (
                f"otpauth://totp/Ketenregie:{quote(user.username)}?secret={secret}"
                "&issuer=Ketenregie&digits=6&period=30"
            )
            self.stdout.write(f"  {user.username:<22} {roles}")
            self.stdout.write(f"  {'':<22} {uri}")
