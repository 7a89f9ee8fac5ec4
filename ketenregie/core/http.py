"""Request typing for htmx-aware views."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from ketenregie.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
