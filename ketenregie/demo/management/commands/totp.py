"""`manage.py totp USERNAME`: the current TOTP code of a demo account (demo data only)."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenregie.accounts.models import User


def current_code(user: User) -> str:
    auth = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    period = getattr(settings, "MFA_TOTP_PERIOD", 30)
    counter = int(time.time()) // period
    return str(format_hotp_value(hotp_value(decrypt(auth.data["secret"]), counter)))


class Command(BaseCommand):
    help = "Toont de huidige TOTP-code van een demo-account. Geweigerd voor echte accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None or not user.is_demo:
            raise CommandError("Geweigerd: dit is geen demo-account.")
        try:
            self.stdout.write(current_code(user))
        except Authenticator.DoesNotExist as exc:
            raise CommandError("Dit demo-account heeft geen TOTP ingesteld.") from exc
