"""`generate`: the stages of a national-scale data set, each timed, and a summary.

Statuses follow a national picture rather than the demo's even spread: most cases are
closed (or ended at triage), about one in fourteen runs, and the intake in progress is
tens of referrals per house whatever the size (referrals wait days, not years).
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from ketenregie.accounts.models import House, User
from ketenregie.audit.verify import verify_chain
from ketenregie.cases.models import Case
from ketenregie.cases.workflow import RUNNING_STATUSES, Status
from ketenregie.core.bulk import IdPool, RowBuffer, deferred_indexes
from ketenregie.demo.generator import Timing, generate_cases, load_reference_data
from ketenregie.demo.scale.execution import at, write_execution
from ketenregie.demo.scale.household import write_households
from ketenregie.demo.scale.sink import AuditSink
from ketenregie.demo.scale.staff import add_staff
from ketenregie.plans.models import Meeting, MonitoringItem, Participant

# Share of the cases past intake, per status (the intake itself is counted per house).
SETTLED: list[tuple[Status, float]] = [
    (Status.AFGESLOTEN, 0.52),
    (Status.GEEN_PGA, 0.17),
    (Status.DOORVERWEZEN, 0.09),
    (Status.VOORLOPIG_AFGESLOTEN, 0.04),
    (Status.OPGESCHAALD, 0.03),
    (Status.IN_UITVOERING, 0.063),
    (Status.PGA_GESTART, 0.012),
]
# Referrals in intake per house at national size; smaller runs get a share, at least one.
INTAKE_PER_HOUSE = {
    Status.CONCEPT: 6,
    Status.AANGEMELD: 24,
    Status.VERRIJKING: 16,
    Status.GEAGENDEERD: 14,
}
NATIONAL = 20000
# Six years of history; a PGA runs four to fourteen months; running ones began this
# past year and a half.
SCALE_TIMING = Timing(history_days=6 * 365, execution_days=(120, 420), running_days=540)
# Tables loaded in bulk whose plain indexes are built once after the load. Tables the
# load itself reads by index (cases, memberships, status changes) keep theirs.
DEFERRED = (
    "audit_auditevent",
    "cases_personversion",
    "intake_referralproblem",
    "intake_referralcriterion",
    "intake_enrichmentrequest",
    "intake_feedback",
    "plans_action",
    "plans_actionreport",
    "plans_participant",
    "plans_planversion",
    "plans_domainscore",
    "plans_goal",
    "plans_statement",
    "pga_signal",
)
COUNTED = [
    "cases.Person",
    "cases.Case",
    "cases.CaseMembership",
    "cases.StatusChange",
    "cases.Household",
    "intake.Referral",
    "intake.EnrichmentRequest",
    "intake.AgendaItem",
    "intake.TriageMeeting",
    "pga.Informing",
    "pga.StartConversation",
    "pga.Signal",
    "pga.Closing",
    "pga.ClosingConversation",
    "plans.Meeting",
    "plans.Participant",
    "plans.MonitoringItem",
    "plans.CasusregisseurAgreement",
    "plans.Plan",
    "plans.DomainScore",
    "plans.Goal",
    "plans.PlanVersion",
    "plans.Action",
    "plans.ActionReport",
    "plans.ActionReminder",
    "plans.SafetyPlan",
    "plans.SafetyAgreement",
    "plans.SafetyContact",
    "plans.SafetyScore",
    "plans.DirectorEscalation",
    # The household variant (issue 15), in its house.
    "cases.HouseholdMember",
    "cases.HouseholdMemberVersion",
    "cases.NetworkContact",
    "cases.Consent",
    "cases.EscalationChange",
    "cases.EscalationNotice",
    "accounts.CompetenceProfile",
    "safeguarding.MeldcodeTrajectory",
    "safeguarding.MeldcodeStep",
    "safeguarding.DecisionAnswers",
    "safeguarding.VerwijsindexSignal",
    "safeguarding.VerwijsindexMatch",
    "pga.AftercareAgreement",
    "pga.TrajectoryEvaluation",
    "audit.AuditEvent",
]


def status_weights(n: int, houses: int) -> list[tuple[Status, float]]:
    """Expected number of cases per status for `n` cases in `houses` houses."""
    share = min(1.0, n / NATIONAL)
    intake = {s: max(1, round(k * share)) * houses for s, k in INTAKE_PER_HOUSE.items()}
    rest = max(0, n - sum(intake.values()))
    total = sum(w for _s, w in SETTLED)
    return [*intake.items(), *((s, rest * w / total) for s, w in SETTLED)]


@dataclass
class Report:
    """Wall-clock seconds per stage, and CPU seconds of this process and of the audit
    writer process (on a shared machine the CPU figures are the comparable ones)."""

    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    staff: dict[str, int] = field(default_factory=dict)
    chain_events: int = 0
    household: dict[str, int] = field(default_factory=dict)
    writer_cpu: float = 0.0

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start, cpu = time.monotonic(), time.process_time()
        yield
        self.seconds[name] = round(time.monotonic() - start, 1)
        self.cpu[name] = round(time.process_time() - cpu, 1)


def generate(
    n: int,
    *,
    seed: int = 7,
    chunk: int = 2000,
    audit_events: int = 0,
    progress: Callable[[int], None] | None = None,
) -> Report:
    report = Report()
    rng = random.Random(seed)
    with report.stage("referentiedata en medewerkers"):
        if not User.objects.exists():
            load_reference_data()
        report.staff = add_staff(n, rng)
    # Not inside a transaction: then the chain is written by a helper process.
    sink = AuditSink(parallel=True)
    rows = RowBuffer(IdPool())
    with deferred_indexes(*DEFERRED):
        with report.stage("casussen en intake"):
            houses = House.objects.count()
            generate_cases(
                n,
                seed=seed,
                chunk=chunk,
                progress=progress,
                status_weights=status_weights(n, houses),
                record=sink.add_pending,
                timing=SCALE_TIMING,
            )
        with report.stage("uitvoering (overleggen, plannen, acties)"):
            write_execution(rng, sink, rows)
            monitoring_meetings(rng, sink, rows)
        with report.stage("huishoudvariant (cliëntsystemen)"):
            report.household = write_households(rng, sink, rows)
        with report.stage("extra auditevents"):
            page_views(rng, sink, audit_events)
        with report.stage("auditketen afronden"):
            sink.close()
        report.writer_cpu = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime, 1)
        report.seconds["indexen opbouwen"] = 0.0
        start = time.monotonic()
    report.seconds["indexen opbouwen"] = round(time.monotonic() - start, 1)
    with report.stage("statistieken (ANALYZE)"):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    with report.stage("auditketen controleren"):
        checked, problem = verify_chain()
        if problem is not None:
            raise RuntimeError(f"Audittrail niet intact bij seq={problem.seq}: {problem.reason}")
        report.chain_events = checked
    report.counts = {name: apps.get_model(name).objects.count() for name in COUNTED}
    return report


def monitoring_meetings(rng: random.Random, sink: AuditSink, rows: RowBuffer) -> None:
    """Per house a structural monitoring meeting held last month and one planned next week,
    walking the house's running cases (the first forty on the agenda)."""
    from ketenregie.accounts.models import RoleAssignment
    from ketenregie.accounts.roles import Role

    today = timezone.localdate()
    with transaction.atomic():
        for house in House.objects.order_by("code"):
            directors = list(
                RoleAssignment.objects.filter(role=Role.PROCESREGISSEUR, house=house)
                .order_by("user_id")
                .values_list("user_id", flat=True)[:6]
            )
            running = list(
                Case.objects.filter(house=house, status__in=RUNNING_STATUSES)
                .order_by("pk")
                .values_list("pk", flat=True)[:40]
            )
            if not directors:
                continue
            for offset, held in ((-28, True), (7, False)):
                starts = at(today + dt.timedelta(days=offset), 13)
                pk = rows.add(
                    Meeting,
                    house_id=house.pk,
                    case_id=None,
                    kind=Meeting.Kind.MONITORING,
                    state=Meeting.State.HELD if held else Meeting.State.PLANNED,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=3),
                    location=house.name,
                    organiser_id=directors[0],
                    created_at=starts - dt.timedelta(days=21),
                    minutes="Alle lopende casussen besproken." if held else "",
                    minutes_sent_at=starts + dt.timedelta(days=2) if held else None,
                    minutes_sent_by_id=directors[0] if held else None,
                )
                for user in directors:
                    rows.add(Participant, meeting_id=pk, user_id=user, invited_at=starts)
                for position, case_id in enumerate(running, start=1):
                    rows.add(MonitoringItem, meeting_id=pk, case_id=case_id, position=position)
                data = {
                    "soort": Meeting.Kind.MONITORING,
                    "begint": starts.isoformat(),
                    "deelnemers": directors,
                    "betrokkene_uitgenodigd": False,
                    "zwaarwegende_redenen_vastgelegd": False,
                }
                when = starts - dt.timedelta(days=21)
                sink.add("meeting.scheduled", directors[0], None, ("plans.meeting", pk), when, data)
        rows.flush()
        sink.flush()


def page_views(rng: random.Random, sink: AuditSink, n: int) -> None:
    """`n` extra audit events: professionals opening cases over the past year."""
    if n <= 0:
        return
    users = list(User.objects.exclude(organisation=None).values_list("pk", flat=True))
    bounds = Case.objects.order_by("pk").values_list("pk", flat=True)
    low, high = bounds.first() or 0, bounds.last() or 0
    now = timezone.now()
    year = 365 * 24 * 3600
    data = {"weergave": "volledig"}
    for _ in range(n):
        case_id = rng.randint(low, high)
        when = now - dt.timedelta(seconds=rng.randint(60, year))
        sink.add(
            "case.viewed",
            rng.choice(users),
            case_id,
            ("cases.case", case_id),
            when,
            data,
            "casusregie",
        )
    sink.flush()


def summary(report: Report) -> list[str]:
    """The report as lines of text, for the command's output."""
    lines = [f"  {'Seconden per stap':<45} {'klok':>8} {'CPU':>8}"]
    lines += [
        f"  {name:<45} {secs:>8.1f} {report.cpu.get(name, 0.0):>8.1f}"
        for name, secs in report.seconds.items()
    ]
    total = f"{sum(report.seconds.values()):>8.1f} {sum(report.cpu.values()):>8.1f}"
    lines.append(f"  {'totaal':<45} {total}")
    lines.append(
        f"  {'CPU van het schrijfproces van de auditketen':<45} {report.writer_cpu:>17.1f}"
    )
    lines.append(
        "Gegenereerde medewerkers per rol: "
        + ", ".join(f"{k} {v}" for k, v in report.staff.items())
    )
    if report.household:
        lines.append(
            "Huishoudvariant: " + ", ".join(f"{k} {v}" for k, v in report.household.items())
        )
    lines.append("Aantallen per soort record:")
    lines += [
        f"  {name:<35} {count:>12,}".replace(",", ".") for name, count in report.counts.items()
    ]
    lines.append(
        f"Auditketen intact: {report.chain_events:,} events gecontroleerd.".replace(",", ".")
    )
    return lines
