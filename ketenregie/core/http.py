"""Request typing for htmx-aware views behind login.

The kernel does not know which model is the user: `_User` is django-stubs' name for
whatever `settings.AUTH_USER_MODEL` points at, resolved by the mypy plugin, so views
still see the project's own user type without core importing the accounts app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    # Exists only in the type stubs; never imported at run time.
    from django.contrib.auth.models import _User


class AuthedRequest(HttpRequest):
    user: _User
    htmx: HtmxDetails
