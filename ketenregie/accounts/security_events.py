"""Security events around login: failures, lockouts, attempts while blocked, refused forms.

allauth limits failed logins (`ACCOUNT_RATE_LIMITS["login_failed"]`: per address and per
typed username; the TOTP step per account) but tells nobody: a refused attempt raises a
form error and sends no signal. This module records every one (ADR 13):

- `auth.login_failed` / `auth.mfa_failed`: a wrong password or code (from the signals);
- `auth.locked_out`: the attempt that used up a limit, so the next ones are refused;
- `auth.login_blocked`: each attempt refused while a limit holds;
- `auth.rate_limited`: a request allauth answers with 429 before any check (more than
  30 login posts a minute from one address; reauthentication) (`rate_limited`, the
  URLconf's handler429), with a Dutch page;
- `auth.csrf_failed`: a form refused by the CSRF check (`csrf_failure`, the
  CSRF_FAILURE_VIEW), with a Dutch page.

They go through `audit.flood`: counted per account and minute (per address when the
typed username belongs to no account), so an attack cannot flood the trail. A typed
username that matches no account is never stored, only its keyed digest: people type
their password into the username field.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core import context
from allauth.core.internal.ratelimit import apply_rate, get_cache_key, get_rates
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from ketenregie.audit.flood import record_flood_prone
from ketenregie.audit.services import term_digest
from ketenregie.core.forms import StyledFormMixin

if TYPE_CHECKING:
    from ketenregie.accounts.models import User

# The allauth limit both the password step and the TOTP step count against.
LIMIT_ACTION = "login_failed"
TOO_MANY = "too_many_login_attempts"
# What a limit is per, as recorded: allauth's "key" is the typed username (password step)
# or the account (TOTP step); "ip" the client's address.
_PER_LABEL = {"ip": "adres", "key": "account"}


def client_ip(request: HttpRequest | None) -> str:
    """The client's address as allauth's rate limits see it: REMOTE_ADDR, or with
    KETENREGIE_TRUSTED_PROXY_COUNT proxies in front the address they put in
    X-Forwarded-For. One rule for the limits and the audit trail."""
    if request is None:
        return ""
    try:
        return str(get_account_adapter().get_client_ip(request))
    except (PermissionDenied, ImproperlyConfigured):
        # No usable address (a header shorter than the proxy count): log what we have.
        return str(request.META.get("REMOTE_ADDR", ""))


def known_user(username: str) -> User | None:
    """The account a typed username names (case-insensitive, as allauth logs in), if any."""
    if not username:
        return None
    user: User | None = get_user_model().objects.filter(username__iexact=username).first()
    return user


def who(request: HttpRequest | None, user: User | None, typed: str = "") -> dict[str, Any]:
    """Actor, subject and data of a security event: a known account by itself; an unknown
    one by its address, with only the keyed digest of what was typed."""
    ip = client_ip(request)
    if user is not None:
        return {"actor": user, "subject": f"user:{user.pk}", "data": {"ip": ip}}
    data: dict[str, Any] = {"ip": ip}
    if typed:
        data["gebruikersnaam_sha256"] = term_digest(typed)
    return {"actor": None, "subject": f"ip:{ip}", "data": data}


def exhausted_limits(request: HttpRequest, key: str) -> set[str]:
    """Which of the `login_failed` limits (by what they are per) are used up right now,
    without consuming anything (allauth's own rule, applied as a dry run)."""
    used_up = set()
    now = time.time()
    for rate in get_rates(app="allauth.account", action=LIMIT_ACTION):
        cache_key = get_cache_key(
            request, app="allauth.account", action=LIMIT_ACTION, rate=rate, key=key
        )
        allowed, _ = apply_rate(list(cache.get(cache_key, [])), now, rate, dry_run=True)
        if not allowed:
            used_up.add(_PER_LABEL.get(rate.per, rate.per))
    return used_up


def record_limit_events(
    request: HttpRequest,
    *,
    before: set[str],
    refused: bool,
    step: str,
    user: User | None,
    typed: str = "",
    key: str,
) -> None:
    """After an attempt: a lockout for each limit it used up, and the refusal if it was
    refused. `before` is `exhausted_limits` from before the attempt."""
    base = who(request, user, typed)
    after = exhausted_limits(request, key)
    # The step and the limits are part of what is counted together, so a minute's
    # summary never lumps a username lockout in with an address lockout.
    for limit in sorted(after - before):
        record_flood_prone(
            "auth.locked_out",
            actor=base["actor"],
            subject=f"{base['subject']}|{step}|{limit}",
            data={**base["data"], "stap": step, "blokkade": limit},
        )
    if refused:
        limits = sorted(before | after)
        record_flood_prone(
            "auth.login_blocked",
            actor=base["actor"],
            subject=f"{base['subject']}|{step}|{'+'.join(limits)}",
            data={**base["data"], "stap": step, "blokkade": limits},
        )


def record_login_failed(request: HttpRequest | None, typed: str) -> None:
    user = known_user(typed)
    base = who(request, user, typed)
    record_flood_prone("auth.login_failed", **base)


def record_mfa_failed(request: HttpRequest | None, user: User) -> None:
    record_flood_prone("auth.mfa_failed", **who(request, user))


class _LimitAuditMixin:
    """The TOTP step (MFA_FORMS): records the lockout and every refused code."""

    user: User

    def clean_code(self) -> str:
        request = context.request
        key = f"mfa-auth-user-{self.user.pk}"  # allauth.mfa.base.internal.flows
        before = exhausted_limits(request, key)
        refused = False
        try:
            code: str = super().clean_code()  # type: ignore[misc]
        except ValidationError as exc:
            refused = exc.code == TOO_MANY
            raise
        finally:
            record_limit_events(
                request,
                before=before,
                refused=refused,
                step="verificatiecode",
                user=self.user,
                key=key,
            )
        return code


# StyledFormMixin: the code field looks like every other field of the product.
class MfaAuthenticateForm(_LimitAuditMixin, StyledFormMixin, AuthenticateForm):  # type: ignore[misc]
    pass


class MfaReauthenticateForm(_LimitAuditMixin, StyledFormMixin, ReauthenticateForm):  # type: ignore[misc]
    pass


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: record the refusal and explain it in Dutch (403)."""
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    base = who(request, actor)
    record_flood_prone(
        "auth.csrf_failed",
        actor=base["actor"],
        subject=base["subject"],
        data={**base["data"], "pad": request.path[:200], "reden": str(reason)[:200]},
    )
    return TemplateResponse(request, "403_csrf.html", status=403)


def rate_limited(request: HttpRequest) -> HttpResponse:
    """handler429 (allauth's refusals before any check): record it, answer in Dutch."""
    user = getattr(request, "user", None)
    base = who(request, user if user is not None and user.is_authenticated else None)
    record_flood_prone(
        "auth.rate_limited",
        actor=base["actor"],
        subject=f"{base['subject']}|{request.path[:60]}",
        data={**base["data"], "pad": request.path[:200]},
    )
    return TemplateResponse(request, "429.html", status=429)
