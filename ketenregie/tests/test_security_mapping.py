"""The security mappings in docs/security/ (ASVS 5.0, BIO2, NEN 7513) stay true.

Every `path::test` (or `path::Class::test`) a mapping names must exist: the file is there
and defines that test (read with `ast`, nothing is imported). A cell that still says
`pending: ...` (a fix being built in parallel whose test name is not known yet) fails
`test_no_requirement_pending` until the integrator fills in the test.

The other tests below prove controls the mappings rely on that no other test covered:
browser security headers, cookie attributes, CSRF, the session on login, logout and
deactivation, the password rules and the password change.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pyotp
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.models import User
from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import Person
from ketenregie.tests_support.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "security"
# A test reference: a repository path to a test module, then one or two `::name` parts.
REFERENCE = re.compile(r"(?P<path>(?:ketenregie|e2e)/[\w/]+\.py)(?P<names>(?:::\w+){1,2})")
PENDING = re.compile(r"pending:\s*(?:finding \d+|backup|faults)\b")
PASSWORD = "Test-wachtwoord-123!"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the factories' TOTP secret


def _mapping_files() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def _references() -> list[tuple[str, str, tuple[str, ...]]]:
    """(document, path, names) for every test reference in the mappings."""
    found = []
    for doc in _mapping_files():
        for match in REFERENCE.finditer(doc.read_text(encoding="utf-8")):
            names = tuple(match.group("names").split("::")[1:])
            found.append((doc.name, match.group("path"), names))
    return found


def _defined_tests(tree: ast.Module) -> set[tuple[str, ...]]:
    """Test functions at module level (also inside `if`/`try` blocks, as the
    PostgreSQL-only tests are) and test methods of classes, as name tuples."""
    found: set[tuple[str, ...]] = set()

    def walk(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found.add((node.name,))
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        found.add((node.name, item.name))
            elif isinstance(node, ast.If | ast.Try | ast.With):
                for part in ("body", "orelse", "finalbody"):
                    walk(getattr(node, part, []))
                for handler in getattr(node, "handlers", []):
                    walk(handler.body)

    walk(tree.body)
    return found


def test_the_mappings_exist_and_name_tests() -> None:
    names = {doc.name for doc in _mapping_files()}
    assert {"asvs.md", "bio2.md", "nen7513.md"} <= names
    per_doc = {doc for doc, _path, _names in _references()}
    assert per_doc >= {"asvs.md", "bio2.md", "nen7513.md"}


def test_every_named_test_exists() -> None:
    trees: dict[str, set[tuple[str, ...]] | None] = {}
    missing = []
    for doc, path, names in _references():
        if path not in trees:
            file = ROOT / path
            trees[path] = _defined_tests(ast.parse(file.read_text())) if file.is_file() else None
        defined = trees[path]
        if defined is None or names not in defined:
            missing.append(f"{doc}: {path}::{'::'.join(names)}")
    assert missing == [], "named in docs/security but not defined:\n" + "\n".join(missing)


def test_no_requirement_pending() -> None:
    """Fails while a mapping still waits for a test that is being written in parallel
    (`pending: finding N`, `pending: backup`, `pending: faults`): intended until the
    integrator has merged those fixes and named their tests."""
    pending = [
        f"{doc.name}:{number}: {line.strip()[:100]}"
        for doc in _mapping_files()
        for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1)
        if PENDING.search(line)
    ]
    assert pending == [], f"{len(pending)} cells still pending:\n" + "\n".join(pending)


STATUSES = ("met", "pending", "open", "n/a")
GROUPED = re.compile(r"\((\d+) reqs\)")
# A requirement row starts with its id: V1.2.3 (ASVS), 5.17.01 (BIO2), N-20 (NEN 7513).
ROW_ID = re.compile(r"V\d|\d|N-\d")


def _status_counts(text: str) -> dict[str, int]:
    """Rows per status in a mapping's tables; a row "V10 (29 reqs)" counts 29."""
    counts = dict.fromkeys(STATUSES, 0)
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| ") or len(cells) < 5 or not ROW_ID.match(cells[0]):
            continue
        status = next((c for c in cells[2:4] if c in STATUSES), None)
        if status is None:
            continue
        grouped = GROUPED.search(cells[0])
        counts[status] += int(grouped.group(1)) if grouped else 1
    return counts


def test_summary_counts_match_the_tables() -> None:
    for doc in _mapping_files():
        text = doc.read_text(encoding="utf-8")
        c = _status_counts(text)
        applies = c["met"] + c["pending"] + c["open"]
        figures = (applies + c["n/a"], applies, c["met"], c["pending"], c["open"], c["n/a"])
        row = "| " + " | ".join(str(f) for f in figures) + " |"
        assert row in text, (doc.name, row)


# --- Controls the mappings rely on that had no test of their own -----------------------


def _log_in(client: Client, user: User) -> None:
    client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    resp = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(SECRET).now()})
    assert resp.status_code == 302


@pytest.mark.django_db
def test_pages_carry_the_browser_security_headers(client: Client) -> None:
    # ASVS V3.4.3, V3.4.4, V3.4.5, V3.4.6: on the login page and behind login alike.
    client.force_login(UserFactory(roles=[(Role.PROFESSIONAL, None)]))
    for url in (reverse("case_list"), reverse("session_status")):
        resp = client.get(url)
        assert resp.status_code == 200
        csp = resp["Content-Security-Policy"]
        for directive in (
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "script-src 'self'",
        ):
            assert directive in csp, (url, directive)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert resp["X-Content-Type-Options"] == "nosniff"
        assert resp["Referrer-Policy"] == "same-origin"
        assert resp["X-Frame-Options"] == "DENY"
        assert resp["Content-Type"] == "text/html; charset=utf-8"
        # No CORS: the browser's same-origin policy stays in force (ASVS V3.4.2).
        assert not any(h.lower().startswith("access-control-") for h in resp.headers)


@pytest.mark.django_db
def test_login_sets_a_new_httponly_samesite_session_cookie(client: Client) -> None:
    # ASVS V3.3.2, V3.3.4, V7.2.4: a new session id on authentication, never readable by script.
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    session = client.session
    session["probe"] = True
    session.save()
    before = session.session_key
    client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    resp = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(SECRET).now()})
    cookie = resp.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value and cookie.value != before
    assert cookie["httponly"] is True and cookie["samesite"] == "Lax"
    assert not Session.objects.filter(session_key=before).exists()
    assert client.get(reverse("case_list")).status_code == 200


@pytest.mark.django_db
def test_a_post_without_csrf_token_is_refused() -> None:
    # ASVS V3.5.1: a cross-site form post carries no token and is refused.
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    resp = client.post(reverse("account_logout"))
    assert resp.status_code == 403
    assert client.get(reverse("case_list")).status_code == 200  # still logged in


@pytest.mark.django_db
def test_logout_ends_the_session_on_the_server(client: Client) -> None:
    # ASVS V7.4.1: after logout the old session id is worthless, also when replayed.
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    _log_in(client, user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    resp = replay.get(reverse("case_list"))
    assert resp.status_code == 302 and reverse("account_login") in resp["Location"]


@pytest.mark.django_db
def test_a_deactivated_account_loses_its_running_sessions(client: Client) -> None:
    # ASVS V7.4.2, BIO2 5.16: deactivating an account (beheer: is_active off) ends its
    # sessions at their next request; the session is not left usable.
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    client.force_login(user)
    assert client.get(reverse("case_list")).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    resp = client.get(reverse("case_list"))
    assert resp.status_code == 302 and reverse("account_login") in resp["Location"]


@pytest.mark.django_db
def test_password_change_needs_the_current_password_and_ends_other_sessions() -> None:
    # ASVS V6.2.2, V6.2.3, V7.4.3: the user changes their own password, only with the
    # current one; every other session of the account ends (Django's session auth hash).
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    here, elsewhere = Client(), Client()
    here.force_login(user)
    elsewhere.force_login(user)
    new = "Een-heel-ander-wachtwoord-2026"
    url = reverse("account_change_password")
    wrong = here.post(url, {"oldpassword": "niet-het-oude", "password1": new, "password2": new})
    assert wrong.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    resp = here.post(url, {"oldpassword": PASSWORD, "password1": new, "password2": new})
    assert resp.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert here.get(reverse("case_list")).status_code == 200
    gone = elsewhere.get(reverse("case_list"))
    assert gone.status_code == 302 and reverse("account_login") in gone["Location"]


def test_password_rules_length_no_composition_common_and_long() -> None:
    # ASVS V6.2.1, V6.2.4, V6.2.5, V6.2.9; BIO2 5.17.03 (rules enforced automatically).
    user = User(username="jansen", first_name="Piet", last_name="Jansen")
    with pytest.raises(ValidationError):
        validate_password("kort-1!", user)  # under 12 characters
    with pytest.raises(ValidationError):
        validate_password("password1234", user)  # on the common-password list
    with pytest.raises(ValidationError):
        validate_password("123456789012345", user)  # numbers only
    # No composition rules: lower case letters and spaces only are fine when long enough.
    validate_password("paarse olifanten dansen traag", user)
    # 64 characters and more are accepted, unchanged (no truncation).
    validate_password("x7" * 32, user)
    validate_password("lange zin " * 12, user)


@pytest.mark.django_db
def test_login_form_masks_the_password_and_allows_paste(client: Client) -> None:
    # ASVS V6.2.6, V6.2.7: type=password, and nothing that blocks paste or password managers.
    html = client.get(reverse("account_login")).content.decode()
    field = re.search(r"<input[^>]*name=\"password\"[^>]*>", html)
    assert field is not None
    assert 'type="password"' in field.group(0)
    assert "onpaste" not in html and 'autocomplete="off"' not in field.group(0)


@pytest.mark.django_db
def test_login_does_not_redirect_to_another_host(client: Client) -> None:
    # ASVS V3.7.2: `next` pointing elsewhere is ignored after login.
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    login = reverse("account_login") + "?next=https://example.org/"
    client.post(
        login, {"login": user.username, "password": PASSWORD, "next": "https://example.org/"}
    )
    resp = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(SECRET).now()})
    assert resp.status_code == 302
    assert not resp["Location"].startswith(("http://", "https://", "//"))


@pytest.mark.django_db
def test_a_totp_code_is_accepted_only_once() -> None:
    # ASVS V6.5.1: the same code cannot be replayed for a second login.
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    code = pyotp.TOTP(SECRET).now()
    first, second = Client(), Client()
    first.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    second.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    replay = second.post(reverse("mfa_authenticate"), {"code": code})
    assert replay.status_code == 200  # the form again, with an error
    assert second.get(reverse("case_list")).status_code == 302


@pytest.mark.django_db
def test_password_reset_does_not_log_in_or_skip_totp(
    client: Client, mailoutbox: list[EmailMessage]
) -> None:
    # ASVS V6.4.3: the reset link sets a password and nothing more; TOTP is still asked.
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)], email="p.jansen@example.org")
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/\s]+(/\S+)", mailoutbox[0].body)
    assert link is not None
    resp = client.get(link.group(1), follow=True)
    form_url = resp.redirect_chain[-1][0] if resp.redirect_chain else link.group(1)
    new = "Een-nieuw-en-lang-wachtwoord-2026"
    done = client.post(form_url, {"password1": new, "password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.get(reverse("case_list")).status_code == 302  # not logged in
    client.post(reverse("account_login"), {"login": user.username, "password": new})
    pending = client.get(reverse("case_list"))
    assert pending.status_code == 302  # the MFA stage still stands between


@pytest.mark.django_db
def test_account_attributes_need_reauthentication_or_the_beheerder(client: Client) -> None:
    # ASVS V7.5.1: MFA settings ask for the password again; an e-mail address cannot be
    # added to an account with MFA (allauth refuses), so only the beheerder changes it.
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)], email="p.jansen@example.org")
    client.force_login(user)  # a session without a recent password entry
    resp = client.get(reverse("mfa_generate_recovery_codes"))
    assert resp.status_code == 302 and reverse("account_reauthenticate") in resp["Location"]
    added = client.post(reverse("account_email"), {"email": "ander@example.org", "action_add": "1"})
    assert added.status_code == 200
    user.refresh_from_db()
    assert not EmailAddress.objects.filter(user=user, email="ander@example.org").exists()
    assert user.email == "p.jansen@example.org"


@pytest.mark.django_db
def test_a_case_read_names_who_for_whom_which_client_when_and_why(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    # NEN 7513 fields of a log line: event, time, client, user, the organisation the user
    # acts for, and the purpose; BIO2 8.15.01.
    case, reader = case_with_team["case"], case_with_team["regisseur"]
    client.force_login(reader)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200
    event = AuditEvent.objects.get(action="case.viewed", actor=reader)
    assert event.case_id == case.pk and event.occurred_at is not None
    assert event.actor_label == reader.username
    assert event.actor_organisation_id == reader.organisation_id is not None
    assert event.purpose == "casusregie"
    assert event.object_type == "cases.case" and event.object_id == str(case.pk)


@pytest.mark.django_db
def test_stored_markup_is_escaped_on_the_case_page(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    # ASVS V1.1.2, V1.2.1, V3.2.2: data is escaped by the template, never rendered as HTML.
    case, reader = case_with_team["case"], case_with_team["regisseur"]
    markup = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    Person.objects.filter(pk=case.person_id).update(achternaam=markup)
    client.force_login(reader)
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert markup not in html and "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_a_forwarded_for_header_from_the_client_is_not_trusted(client: Client) -> None:
    # ASVS V4.1.3: a client cannot choose the address the audit trail and the per-IP rate
    # limit see by sending X-Forwarded-For.
    user = UserFactory()
    client.post(
        reverse("account_login"),
        {"login": user.username, "password": "fout-wachtwoord"},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.data["ip"] == "127.0.0.1"


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_client_address_is_used(
    client: Client, settings: Any
) -> None:
    # One proxy in front (KETENREGIE_TRUSTED_PROXY_COUNT=1): the address it appended is
    # the client's, for the rate limit and the trail alike; what the client itself put
    # in front of it is ignored.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    client.post(
        reverse("account_login"),
        {"login": user.username, "password": "fout-wachtwoord"},
        headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"},
    )
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.data["ip"] == "203.0.113.9"
