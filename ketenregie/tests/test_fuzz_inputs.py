"""Malformed input never becomes a server error: a hypothesis fuzz over the permission matrix.

Every URL of the permission matrix, and every form found on its pages, is sent malformed
values (huge and negative ids, non-numbers, NUL bytes, 10,000-character strings, bad
dates, unicode oddities) in the path, in query parameters and in POST fields, by a user
who may use it. A 4xx, or a 200/302 with errors on the form, is a fine answer; a 500 is
not. The test client re-raises a view's exception, so a failure names its cause.

The worlds, their users and the list of URLs are the permission matrix's own
(`test_permission_matrix`); the forms' fields are read from the rendered pages, so a new
page or field is fuzzed without touching this file. Each example runs in a savepoint that
is rolled back, so the world is built once per (role, relation) and every example starts
from it. Together the tests send at least `TOTAL_INPUTS` malformed values.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketenregie.accounts.roles import Role
from ketenregie.core.forms import LONG_TEXT_MAX
from ketenregie.tests import test_permission_matrix as matrix

# The matrix's worlds and logged-in client, used here by name (pytest finds fixtures in
# the module's namespace).
client = matrix.client
shared_world = matrix.shared_world
world = matrix.world
logged_in = matrix.logged_in

TOTAL_INPUTS = 10_000

# ------------------------------------------------------------------ malformed values

HUGE_IDS = [
    str(2**63),
    str(2**63 - 1),
    str(2**64),
    "99999999999999999999999",
    "9" * 400,
    "1" * 5000,  # beyond Python's int() digit limit
    "-1",
    "-" + str(2**63 + 1),
    "0",
    "00000000000000000000001",
]
NON_NUMBERS = [
    "x",
    "1.5",
    "1e5",
    " 1",
    "1 ",
    "0x10",
    "NaN",
    "inf",
    "-",
    "+1",
    "١٢",  # Arabic-Indic digits
    "１２",  # fullwidth digits
    "[]",
    "{}",
    "null",
    "true",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
]
NUL = ["\x00", "a\x00b", "1\x00", "\x00" * 50]
LONG = ["A" * 10_000, "é" * 10_000, "1" * 10_000, "<b>" * 3_400]
BAD_DATES = [
    "2026-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "31-12-2026",
    "2026-13-01",
    "2026-1-1",
    "-1-01-01",
    "2026-01-01T25:00",
    "25:61",
    "24:00",
    "99:99",
]
UNICODE = [
    "\u202eevil",
    "e\u0301",
    "\u200b",
    "\ufeff",
    "👩‍👩‍👧",
    "\u0000\u0001\u001f",
    "\U0010ffff",
    "ǅ",
    "Ⅻ",
    "\r\n\r\n",
    "\t",
    "",
    " ",
]
FIXED = HUGE_IDS + NON_NUMBERS + NUL + LONG + BAD_DATES + UNICODE

# Generated besides the fixed lists: any integer (far beyond 64 bits), any text.
_text = st.text(
    st.characters(exclude_categories=("Cs",)),  # lone surrogates cannot be encoded at all
    max_size=40,
)
bad_value = st.one_of(
    st.sampled_from(FIXED),
    st.integers().map(str),
    st.integers(min_value=2**62, max_value=2**80).map(str),
    _text,
)

# ------------------------------------------------------------------ forms on the pages


@dataclass
class FormSpec:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    # Free-text fields without a maximum length (or with one above LONG_TEXT_MAX).
    unbounded: list[str] = field(default_factory=list)


_TEXT_INPUTS = {"text", "search", "email", "tel", "url"}


class _FormParser(HTMLParser):
    """The POST forms of a page: their action and each field's name with a valid value."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[FormSpec] = []
        self._form: FormSpec | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = FormSpec(action=a.get("action") or self.page_url)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name", "")
        if not name or name == "csrfmiddlewaretoken":
            return
        values = form.fields.setdefault(name, [])
        text_like = tag == "textarea" or (
            tag == "input" and a.get("type", "text").lower() in _TEXT_INPUTS
        )
        limit = a.get("maxlength", "")
        if text_like and not (limit.isdigit() and int(limit) <= LONG_TEXT_MAX):
            form.unbounded.append(name)
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                del form.fields[name]
            elif kind in ("checkbox", "radio"):
                if not values:
                    values.append(a.get("value", "on"))
            elif not values:
                values.append(a.get("value", ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and not values and a.get("value"):
            values.append(a["value"])
        elif tag == "textarea":
            self._textarea = name
        elif tag == "button" and not values:
            values.append(a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea and data.strip():
            values = self._form.fields[self._textarea]
            if not values:
                values.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _query_names() -> list[str]:
    """Query parameters the views read directly (`request.GET.get("...")`) and those of
    the GET filter forms, found in the source so a new one is fuzzed too."""
    root = Path(__file__).resolve().parents[1]
    names: set[str] = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        names.update(re.findall(r"request\.GET\.get\(\s*\"(\w+)\"", path.read_text()))
    from ketenregie.cases.forms import CaseFilterForm
    from ketenregie.privacy.forms import AuditSearchForm

    for form in (CaseFilterForm, AuditSearchForm):
        names.update(form.base_fields)
    return sorted(names)


QUERY_NAMES = _query_names()

# ------------------------------------------------------------------ what to send where


@dataclass
class Target:
    name: str
    method: str  # get, htmx or post
    url: str
    data: dict[str, list[str]]


def _has_access(endpoint: matrix.Endpoint, role: Role, relation: str) -> bool:
    return endpoint.expected(role, relation) in (200, 302)


def _cover() -> tuple[list[tuple[Role, str]], set[int]]:
    """Few worlds whose users together may use every endpoint of the matrix; and the
    endpoints no world's user may use (a referrer's own draft), fuzzed in the first."""
    left = set(range(len(matrix.ENDPOINTS)))
    chosen: list[tuple[Role, str]] = []
    while left:
        best = max(
            matrix.WORLDS,
            key=lambda w: sum(1 for i in left if _has_access(matrix.ENDPOINTS[i], *w)),
        )
        covered = {i for i in left if _has_access(matrix.ENDPOINTS[i], *best)}
        if not covered:
            break
        chosen.append(best)
        left -= covered
    return chosen, left


FUZZ_WORLDS, NOBODYS = _cover()
EXAMPLES = 300


def _as_lists(data: dict[str, Any]) -> dict[str, list[str]]:
    return {
        k: [str(x) for x in v] if isinstance(v, list | tuple) else [str(v)] for k, v in data.items()
    }


def _targets(
    client: Client, objects: dict[str, Any], role: Role, relation: str
) -> tuple[list[Target], dict[str, FormSpec]]:
    """The world's endpoints its user may use, plus every POST form on its pages (also
    returned by action, as found on the pages)."""
    targets: list[Target] = []
    forms: dict[str, FormSpec] = {}
    first = (role, relation) == FUZZ_WORLDS[0]
    for i, endpoint in enumerate(matrix.ENDPOINTS):
        if not (_has_access(endpoint, role, relation) or (first and i in NOBODYS)):
            continue
        url = endpoint.url(objects)
        data = _as_lists(endpoint.data(objects)) if endpoint.data else {}
        targets.append(Target(endpoint.name, endpoint.method, url, data))
        if endpoint.method != "post":
            resp = client.get(url)
            if not resp["Content-Type"].startswith("text/html"):
                continue
            parser = _FormParser(url)
            parser.feed(resp.content.decode())
            for form in parser.forms:
                spec = forms.setdefault(form.action, FormSpec(form.action))
                spec.fields.update(form.fields)
                spec.unbounded.extend(f"{n} (op {url})" for n in form.unbounded)
    by_url = {t.url: t for t in targets if t.method == "post"}
    for action, form in forms.items():
        path = urlsplit(action).path
        if path.startswith("/accounts/"):
            continue  # signing out and allauth's own forms are not the matrix's
        try:
            name = resolve(path).url_name or path
        except Resolver404:
            continue
        known = by_url.get(action)
        if known is not None:
            # The matrix's valid values win; the page adds the fields it does not name.
            known.data = {**form.fields, **known.data}
        else:
            targets.append(Target(name, "post", action, dict(form.fields)))
    return targets, forms


def _mutated_path(url: str, value: str) -> str | None:
    """The URL with one of its path arguments (ids, the date) replaced by `value`."""
    path, _, query = url.partition("?")
    kwargs = resolve(path).kwargs
    if not kwargs:
        return None
    segments = path.split("/")
    spots = [i for i, s in enumerate(segments) if s and s in {str(v) for v in kwargs.values()}]
    if not spots:
        return None
    segments[spots[len(value) % len(spots)]] = quote(value, safe="")
    return "/".join(segments) + (f"?{query}" if query else "")


@st.composite
def request_for(draw: st.DrawFn, targets: list[Target]) -> tuple[Target, str, str, Any, int]:
    """A request with malformed values: (target, method, url, POST data, inputs sent)."""
    target = draw(st.sampled_from(targets))
    where = draw(st.sampled_from(["path", "query", "form"] if target.data else ["path", "query"]))
    method = "post" if target.method == "post" else target.method
    url, data, sent = target.url, {k: list(v) for k, v in target.data.items()}, 0
    if where == "path":
        mutated = _mutated_path(url, draw(bad_value))
        if mutated is not None:
            url, sent = mutated, 1
        else:
            where = "query"
    if where == "query":
        params: list[tuple[str, str]] = []
        for name in QUERY_NAMES:
            if draw(st.booleans()):
                params.append((name, draw(bad_value)))
        if not params:
            params.append((draw(st.sampled_from(QUERY_NAMES)), draw(bad_value)))
        sep = "&" if "?" in url else "?"
        url, sent = url + sep + urlencode(params), len(params)
    elif where == "form":
        for name in sorted(data):
            choice = draw(st.sampled_from(["keep", "bad", "bad", "many", "drop"]))
            if choice == "bad":
                data[name], sent = [draw(bad_value)], sent + 1
            elif choice == "many":
                data[name], sent = [draw(bad_value), draw(bad_value)], sent + 2
            elif choice == "drop":
                del data[name]
        # A field name with a made-up id (score-<id>, note-<id>, crit_<n>): views that
        # read such keys from the POST must not trust the id part.
        numbered = [n for n in target.data if re.search(r"\d", n)]
        if numbered and draw(st.booleans()):
            odd = re.sub(
                r"\d+", draw(bad_value).replace("\x00", ""), draw(st.sampled_from(numbered))
            )
            data[odd], sent = [draw(bad_value)], sent + 2
        if sent == 0:
            name = draw(st.sampled_from(sorted(target.data)))
            data[name], sent = [draw(bad_value)], 1
    return target, method, url, data, sent


SENT: Counter[str] = Counter()


@pytest.mark.django_db
class TestFuzz:
    @pytest.mark.parametrize(
        "world_key", FUZZ_WORLDS, ids=[f"{r.value}-{rel}" for r, rel in FUZZ_WORLDS], scope="class"
    )
    def test_no_server_error(
        self,
        logged_in: Client,
        world: dict[str, Any],
        world_key: tuple[Role, str],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        # Thousands of expected 4xx warnings would only bury a real error.
        caplog.set_level(logging.ERROR, logger="django.request")
        role, relation = world_key
        session_key = logged_in.cookies[django_settings.SESSION_COOKIE_NAME].value
        targets, _forms = _targets(logged_in, world, role, relation)
        key = f"{role.value}-{relation}"
        statuses: Counter[int] = Counter()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(request_for(targets))
        def fuzz(drawn: tuple[Target, str, str, Any, int]) -> None:
            target, method, url, data, sent = drawn
            # Each example in a savepoint that is rolled back: a POST that succeeds, or a
            # logout, leaves nothing for the next example.
            block = transaction.atomic()
            block._from_testcase = True  # type: ignore[attr-defined]
            block.__enter__()
            try:
                logged_in.cookies[django_settings.SESSION_COOKIE_NAME] = session_key
                headers = {"HX-Request": "true"} if method == "htmx" else {}
                if method == "post":
                    resp = logged_in.post(url, data, headers=headers)
                else:
                    resp = logged_in.get(url, headers=headers)
            finally:
                transaction.set_rollback(True)
                block.__exit__(None, None, None)
            SENT[key] += sent
            statuses[resp.status_code] += 1
            assert resp.status_code < 500, (target.name, method, url, data)

        fuzz()
        print(f"\n{key}: {SENT[key]} malformed inputs, answers {dict(sorted(statuses.items()))}")
        # This world's share of the total; the shares of all worlds add up to TOTAL_INPUTS.
        assert SENT[key] >= TOTAL_INPUTS / len(FUZZ_WORLDS), SENT[key]

    @pytest.mark.parametrize(
        "world_key", FUZZ_WORLDS, ids=[f"{r.value}-{rel}" for r, rel in FUZZ_WORLDS], scope="class"
    )
    def test_every_free_text_has_a_maximum_length(
        self, logged_in: Client, world: dict[str, Any], world_key: tuple[Role, str]
    ) -> None:
        """Every text field of every form on the matrix's pages says how long it may be
        (the browser stops there; the form refuses more with a Dutch message)."""
        role, relation = world_key
        _targets_, forms = _targets(logged_in, world, role, relation)
        assert forms
        unbounded = sorted(n for spec in forms.values() for n in spec.unbounded)
        assert not unbounded, unbounded
