"""Reliability under faults (issue 11, ADR 0015): no half-saved writes after a crash.

The real server (gunicorn, a subprocess) runs against the test database while three
clients, logged in with password and TOTP, keep making multi-step writes: a submitted
referral with a household member and an attachment, a plan's scores on every life domain,
and a meeting with its participants. The server pauses inside each transaction after every
audit event it writes (KETENREGIE_FAULT_TEST_PAUSE_SECONDS, test-only), so faults land
mid-transaction. Then:

- `test_sigkill_of_the_server_leaves_no_half_writes`: the server's process group is killed
  with SIGKILL several times and restarted;
- `test_postgres_restart_leaves_no_half_writes`: PostgreSQL itself is restarted with
  `pg_ctl restart -m immediate` (a crash: no shutdown checkpoint) several times. It needs
  KETENREGIE_PG_CTL, the pg_ctl command of the cluster the tests use, which
  scripts/test.sh exports; a restart drops every connection to the cluster, so test.sh runs
  this test (marker `pg_restart`) on its own after the parallel run, never beside others.

Both check afterwards that every object is whole (`_assert_whole`) and has its audit event,
that what the clients saw committed is there, and that `verify_audit` passes. The SIGKILL
test runs on both databases: on SQLite, whose test database lives in this process's
memory, the server works on a file copy of it (SQLite's online backup) that is copied back
before the checks. The restart test is PostgreSQL's alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import re
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyotp
import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.management import call_command
from django.db import connection, connections

from ketenregie.accounts.models import Domain, HousePartner, User
from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.defaults import ensure_life_domains
from ketenregie.cases.models import CaseMembership, CaseRole, HouseholdMember, LifeDomain
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.intake.criteria import ensure_default_criteria
from ketenregie.intake.models import Attachment, Referral
from ketenregie.plans import services as plan_services
from ketenregie.plans.models import DomainScore, Meeting, Participant, Plan
from ketenregie.tests_support import files
from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the factories' secret
PASSWORD = "Test-wachtwoord-123!"  # the factories' password
PAUSE = "0.05"  # seconds the server waits after each audit event inside a transaction
PLANS = 2


@dataclass
class World:
    house: Any
    referrer: Any
    regisseur: Any
    casus: Any
    cases: list[Any]
    plan_versions: dict[int, int]
    domains: list[int]
    criterion: int


def _world() -> World:
    ensure_life_domains()
    house = HouseFactory()
    police = OrganisationFactory(name="Politie storingstest", domain=Domain.VEILIGHEID)
    HousePartner.objects.create(house=house, organisation=police, is_fixed_triage_partner=True)
    criterion = ensure_default_criteria(house).criteria.first()
    assert criterion is not None
    referrer = UserFactory(
        organisation=police, roles=[(Role.AANMELDER, None), (Role.PROFESSIONAL, None)]
    )
    regisseur = UserFactory(roles=[(Role.PROCESREGISSEUR, house)])
    casus = UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=police)
    cases = []
    start = today() - dt.timedelta(days=30)
    for _ in range(PLANS):
        case = CaseFactory(house=house, status=Status.IN_UITVOERING)
        MembershipFactory(
            case=case, user=regisseur, role=CaseRole.PROCESREGISSEUR, valid_from=start
        )
        MembershipFactory(case=case, user=casus, role=CaseRole.CASUSREGISSEUR, valid_from=start)
        plan_services.plan_for(case, regisseur)
        cases.append(case)
    # The tests hash with MD5 (conftest); the server knows only the production hashers.
    argon2 = Argon2PasswordHasher()
    User.objects.filter(pk__in=[referrer.pk, regisseur.pk]).update(
        password=argon2.encode(PASSWORD, argon2.salt())
    )
    versions = dict(Plan.objects.filter(case__in=cases).values_list("pk", "version"))
    domains = list(LifeDomain.objects.filter(is_active=True).values_list("pk", flat=True))
    return World(house, referrer, regisseur, casus, cases, versions, domains, criterion.number)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn on the test database, in its own process group so SIGKILL takes it all."""

    def __init__(self, log: Path, sqlite: Path | None) -> None:
        db = connection.settings_dict
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("PYTEST") and k not in {"DATABASE_URL", "SQLITE_PATH"}
        }
        if sqlite is not None:
            env["SQLITE_PATH"] = str(sqlite)
        else:
            env["DATABASE_URL"] = (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
                f":{db['PORT'] or 5432}/{db['NAME']}"
            )
        env.update(
            DJANGO_SECRET_KEY=settings.SECRET_KEY,
            KETENREGIE_AUDIT_KEY=settings.KETENREGIE_AUDIT_KEY,
            KETENREGIE_ATTACHMENT_ROOT=str(settings.KETENREGIE_ATTACHMENT_ROOT),
            KETENREGIE_FAULT_TEST_PAUSE_SECONDS=PAUSE,
            DJANGO_DEBUG="0",
            DJANGO_SECURE_COOKIES="0",  # plain http on 127.0.0.1
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        )
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--threads", "4"]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/accounts/login/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            time.sleep(0.1)
        raise AssertionError("server did not start:\n" + self.log.read_text()[-3000:])

    def kill(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


def _csrf(session: requests.Session) -> str:
    return str(session.cookies.get("csrftoken", ""))


def _log_in(server: Server, username: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{server.base}/accounts/login/", timeout=10)
    session.post(
        f"{server.base}/accounts/login/",
        {"login": username, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(session)},
        timeout=10,
    )
    while time.time() % 30 > 27:  # a code that still counts when it lands
        time.sleep(0.5)
    resp = session.post(
        f"{server.base}/accounts/2fa/authenticate/",
        {"code": pyotp.TOTP(TOTP_SECRET).now(), "csrfmiddlewaretoken": _csrf(session)},
        timeout=10,
        allow_redirects=False,
    )
    assert resp.status_code == 302, resp.text[:2000]
    return session


@dataclass
class Writer:
    """One client repeating one kind of write until told to stop; counts what it saw."""

    name: str
    session: requests.Session
    write: Callable[[requests.Session, int], requests.Response]
    seen: Counter[str] = field(default_factory=Counter)
    committed: int = 0
    last_commit: float = 0.0
    crashed: list[BaseException] = field(default_factory=list)

    def run(self, stop: threading.Event) -> None:
        try:
            self._loop(stop)
        except BaseException as error:  # reported by the test, not lost in the thread
            self.crashed.append(error)

    def _loop(self, stop: threading.Event) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            try:
                resp = self.write(self.session, n)
            except requests.RequestException as error:
                # Refused: no server listening. Cut off: the request was under way.
                refused = "refused" in str(error).lower()
                self.seen["geweigerd" if refused else "afgebroken"] += 1
                time.sleep(0.05)
                continue
            self.seen[str(resp.status_code)] += 1
            if resp.status_code == 302:
                self.committed += 1
                self.last_commit = time.monotonic()
            else:
                time.sleep(0.05)


def _writers(server: Server, world: World) -> list[Writer]:
    base = server.base
    domain = world.domains[0]
    png = files.png()

    def referral(session: requests.Session, n: int) -> requests.Response:
        data = {
            "csrfmiddlewaretoken": _csrf(session),
            "p-voornamen": "Storing",
            "p-achternaam": f"Aanmelding {n}",
            "p-geboortedatum": "1990-01-02",
            "p-bsn": "",
            "hh-TOTAL_FORMS": "1",
            "hh-INITIAL_FORMS": "0",
            "hh-MIN_NUM_FORMS": "0",
            "hh-MAX_NUM_FORMS": "8",
            "hh-0-voornamen": "Kind",
            "hh-0-tussenvoegsel": "",
            "hh-0-achternaam": f"Aanmelding {n}",
            "hh-0-geboortedatum": "2012-06-01",
            "hh-0-relation": "kind",
            "reason": "Aanleiding",
            "urgency": "normaal",
            "informed": "ja",
            "informed_how": "Mondeling",
            f"problem_{domain}": "Probleem",
            f"crit_{world.criterion}": "on",
            f"crit_{world.criterion}_uitleg": "uitleg",
            "submit": "1",
            "confirm": "on",
        }
        files = {"attachments": ("scan.png", png, "image/png")}
        return session.post(
            f"{base}/aanmelden/{world.house.pk}/",
            data,
            files=files,
            timeout=20,
            allow_redirects=False,
        )

    def plan(session: requests.Session, n: int) -> requests.Response:
        case = world.cases[n % len(world.cases)]
        page = session.get(f"{base}/casussen/{case.pk}/plan/", timeout=20)
        if page.status_code != 200:
            return page  # cut off by a fault: counted, and tried again
        version = re.search(r'name="version" value="(\d+)"', page.text)
        assert version is not None, page.text[:2000]
        # Every domain gets the same score and text from one save: a half save would mix.
        data: dict[str, str] = {"csrfmiddlewaretoken": _csrf(session), "version": version[1]}
        for d in world.domains:
            data[f"score-{d}"] = str(n % 5 + 1)
            data[f"problem-{d}"] = f"ronde {n}"
        return session.post(
            f"{base}/casussen/{case.pk}/plan/scores/", data, timeout=20, allow_redirects=False
        )

    def meeting(session: requests.Session, n: int) -> requests.Response:
        case = world.cases[n % len(world.cases)]
        data = {
            "csrfmiddlewaretoken": _csrf(session),
            "kind": "incidenteel",
            "day": (today() + dt.timedelta(days=7)).isoformat(),
            "start": "10:00",
            "end": "11:00",
            "location": f"Kamer {n}",
            "participants": [str(world.regisseur.pk), str(world.casus.pk)],
            "person_invited": "on",
        }
        return session.post(
            f"{base}/casussen/{case.pk}/overleg/nieuw/", data, timeout=20, allow_redirects=False
        )

    regisseur = _log_in(server, world.regisseur.username)
    return [
        Writer("aanmelding", _log_in(server, world.referrer.username), referral),
        Writer("plan", regisseur, plan),
        Writer("overleg", regisseur, meeting),
    ]


@contextmanager
def _writing(writers: list[Writer]) -> Iterator[None]:
    stop = threading.Event()
    threads = [threading.Thread(target=w.run, args=(stop,)) for w in writers]
    for t in threads:
        t.start()
    try:
        yield
    finally:
        stop.set()
        for t in threads:
            t.join(30)


def _audited(action: str, model: Any, pks: Any) -> set[str]:
    ids = {str(pk) for pk in pks}
    have = set(
        AuditEvent.objects.filter(
            action=action, object_type=model._meta.label_lower, object_id__in=ids
        ).values_list("object_id", flat=True)
    )
    return ids - have


def _assert_whole(world: World, writers: list[Writer]) -> None:
    """Every object is all there or not there at all, with its audit events."""
    by_name = {w.name: w for w in writers}
    # Referral: its case is submitted (AANGEMELD, not a CONCEPT left behind), with the
    # person, the referrer's membership, a household of two, the problem, the criterion
    # and one attachment whose file is on disk with the recorded bytes.
    referrals = list(
        Referral.objects.filter(referrer=world.referrer).select_related("case", "case__person")
    )
    cases = [r.case for r in referrals]
    assert len(referrals) >= by_name["aanmelding"].committed > 0
    assert {c.status for c in cases} == {Status.AANGEMELD}
    assert all(c.person_id is not None and c.household_id is not None for c in cases)
    members = Counter(
        HouseholdMember.objects.filter(
            household_id__in=[c.household_id for c in cases]
        ).values_list("household_id", flat=True)
    )
    assert all(members[c.household_id or 0] == 2 for c in cases), members
    aanmelders = set(
        CaseMembership.objects.filter(
            case__in=cases, role=CaseRole.AANMELDER, user=world.referrer
        ).values_list("case_id", flat=True)
    )
    assert aanmelders == {c.pk for c in cases}
    for referral in referrals:
        assert referral.problems.count() == 1 and referral.criteria.count() == 1
        assert referral.triage_meeting_id is not None and referral.submitted_at is not None
    attachments = list(Attachment.objects.filter(referral__in=referrals))
    assert sorted(a.referral_id for a in attachments) == sorted(r.pk for r in referrals)
    for att in attachments:
        with att.file.open("rb") as fh:
            content = fh.read()
        assert len(content) == att.size and hashlib.sha256(content).hexdigest() == att.sha256
    assert not _audited("referral.created", Referral, [r.pk for r in referrals])
    assert not _audited("referral.attachment_added", Attachment, [a.pk for a in attachments])
    # Plan: every save bumped the version once and wrote one event; one save's values on
    # every domain (no mix of two saves, no save half done).
    saves = 0
    for plan in Plan.objects.filter(case__in=world.cases):
        events = AuditEvent.objects.filter(
            action="plan.scores_saved", object_type="plans.plan", object_id=str(plan.pk)
        ).count()
        assert plan.version - world.plan_versions[plan.pk] == events
        saves += events
        rows = set(DomainScore.objects.filter(plan=plan).values_list("score", "problem"))
        assert len(rows) == 1 or events == 0, rows
    assert saves >= by_name["plan"].committed > 0
    # Meeting: both participants, and its event.
    meetings = list(Meeting.objects.filter(case__in=world.cases))
    assert len(meetings) >= by_name["overleg"].committed > 0
    invited = Counter(
        Participant.objects.filter(meeting__in=meetings).values_list("meeting_id", flat=True)
    )
    assert all(invited[m.pk] == 2 for m in meetings), invited
    assert not _audited("meeting.scheduled", Meeting, [m.pk for m in meetings])
    # The trail: every pending event sealed, the chain whole.
    call_command("verify_audit")


def _copy_sqlite(source: Any, target: Any) -> None:
    """SQLite's online backup: the whole database from one connection into another."""
    source.backup(target)


def _run(tmp_path: Path, fault: Callable[[Server], None], rounds: int) -> list[Writer]:
    world = _world()
    sqlite = None
    if connection.vendor == "sqlite":
        # pytest-django's SQLite test database lives in this process's memory: the server
        # works on a file copy of it, copied back before the checks.
        sqlite = tmp_path / "ketenregie.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(sqlite)) as copy:
            _copy_sqlite(connection.connection, copy)
    server = Server(tmp_path / "server.log", sqlite)
    server.start()
    try:
        writers = _writers(server, world)
        with _writing(writers):
            for _ in range(rounds):
                time.sleep(random.uniform(0.6, 1.4))
                fault(server)
            last_fault = time.monotonic()
            # The product recovers by itself: every kind of write succeeds again.
            while time.monotonic() < last_fault + 20:
                if all(w.last_commit > last_fault for w in writers):
                    break
                time.sleep(0.2)
        assert [w.crashed for w in writers] == [[], [], []]
        assert all(w.last_commit > last_fault for w in writers), [w.seen for w in writers]
        # Faults cut requests off under way (not only refused them), and writes still
        # succeeded between the faults.
        assert sum(w.seen["afgebroken"] + w.seen["500"] for w in writers) > 0
        for w in writers:
            assert w.committed > 0, (w.name, w.seen, server.log.read_text()[-3000:])
    finally:
        server.stop()
    if sqlite is not None:
        with closing(sqlite3.connect(sqlite)) as copy:
            _copy_sqlite(copy, connection.connection)
    else:
        connections.close_all()  # a restarted cluster dropped this process's connection too
    _assert_whole(world, writers)
    for w in writers:  # shown with -s: how much the faults cut off
        print(f"{w.name}: {w.committed} vastgelegd, antwoorden {dict(w.seen)}")
    return writers


def test_sigkill_of_the_server_leaves_no_half_writes(tmp_path: Path) -> None:
    def kill_and_restart(server: Server) -> None:
        server.kill()
        server.start()

    _run(tmp_path, kill_and_restart, rounds=4)


if connection.vendor == "postgresql":

    @pytest.mark.pg_restart
    def test_postgres_restart_leaves_no_half_writes(tmp_path: Path) -> None:
        pg_ctl = os.environ.get("KETENREGIE_PG_CTL")
        assert pg_ctl, (
            "KETENREGIE_PG_CTL ontbreekt: het pg_ctl-commando van het cluster van de tests "
            "(scripts/test.sh zet het). Draai deze test niet op een gedeeld cluster."
        )

        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            durable = cursor.fetchone()[0] != "off"
        # Without it a crash loses commits already confirmed to the client: this test
        # would (rightly) fail on them. scripts/test.sh restarts the cluster without it.
        assert durable, "Dit cluster draait met synchronous_commit=off; herstart zonder."

        def crash_postgres(server: Server) -> None:
            command = [*shlex.split(pg_ctl), "-m", "immediate", "-w", "restart"]
            subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603

        _run(tmp_path, crash_postgres, rounds=3)
