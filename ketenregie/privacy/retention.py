"""Retention (issue 13): how long closed data is kept, what is due, and its deletion.

One rule for the day a case goes: `retention_date_for_case` (the closing day plus the
house's period for the case's category; None while the case runs or is held). The page
"Bewaartermijnen" and the subject access export show that date; the daily job
`manage.py apply_retention` deletes each case whose date has come, one transaction per
case, and leaves an anonymous count (`cases.DeletedCaseCount`) and the audit events.

Deletion crosses every app (intake, pga, plans, cases): privacy sits above all of them,
so the order of deletion is decided here, once; each app's own helper deletes its rows.
A reopened case starts again: its period runs from the last closing
(`Case.status_changed_at`, which only a status change moves).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.accounts.models import House, User
from ketenregie.audit import services as audit
from ketenregie.audit.writes import check_version, save_audited
from ketenregie.cases.models import Case, DeletedCaseCount, StatusChange
from ketenregie.cases.sharing import delete_register_rows_before, forget_case_texts
from ketenregie.cases.workflow import Phase, Status
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.core.timeutil import today
from ketenregie.intake.services import delete_referral_data
from ketenregie.intake.services.feedback import (
    delete_feedback_of_case,
    delete_rejection_feedback_before,
)
from ketenregie.plans.services import forget_casusregisseur_agreements
from ketenregie.privacy.models import Category, LegalHold, RetentionPeriod
from ketenregie.safeguarding.vi_services import delete_expired_signals

log = logging.getLogger(__name__)

# The defaults while a house has set nothing (months, source). Where they come from and
# why: docs/adr/0020-retention.md.
DEFAULTS: dict[str, tuple[int, str]] = {
    Category.PGA_CLOSED: (
        60,
        "Standaardtermijn: 5 jaar na afsluiten, zoals gebruikelijk in de privacyconvenanten "
        "van Zorg- en Veiligheidshuizen (AVG art. 5 lid 1e); stel vast voor uw huis.",
    ),
    Category.TRANSFERRED: (
        12,
        "Standaardtermijn: 1 jaar na overdracht; het dossier loopt door bij het Zorg- en "
        "Veiligheidshuis (AVG art. 5 lid 1e); stel vast voor uw huis.",
    ),
    Category.NO_PGA: (
        12,
        "Standaardtermijn: 1 jaar na het triagebesluit, voor een nieuwe aanmelding van "
        "dezelfde persoon (AVG art. 5 lid 1e); stel vast voor uw huis.",
    ),
    Category.REJECTED_FEEDBACK: (
        3,
        "Standaardtermijn: 3 maanden, zodat de aanmelder de terugmelding kan lezen "
        "(AVG art. 5 lid 1e); stel vast voor uw huis.",
    ),
    Category.SHARING_REGISTER: (
        60,
        "Standaardtermijn: 5 jaar, verantwoording over verstrekkingen (AVG art. 5 lid 2); "
        "stel vast voor uw huis.",
    ),
    Category.AUDIT_TRAIL: (
        60,
        "Standaardtermijn: 5 jaar (NEN 7513); de audittrail bevat geen inhoud en wordt "
        "nog niet automatisch ingekort.",
    ),
}

# The closed statuses and the category whose period applies to them. A provisionally
# closed case is not here: it may still be reopened without a new referral.
CASE_CATEGORY: dict[str, str] = {
    Status.AFGESLOTEN: Category.PGA_CLOSED,
    Status.OPGESCHAALD: Category.TRANSFERRED,
    Status.GEEN_PGA: Category.NO_PGA,
    Status.DOORVERWEZEN: Category.NO_PGA,
}
CASE_CATEGORIES = (Category.PGA_CLOSED, Category.TRANSFERRED, Category.NO_PGA)
# The audit trail's period is recorded, not applied: the job deletes no audit events.
APPLIED_CATEGORIES = frozenset(Category) - {Category.AUDIT_TRAIL}
MAX_MONTHS = 1200  # a hundred years: a typo guard, not a legal rule
DUE_WINDOW_DAYS = 30
# The page lists at most this many due cases per house and category.
DUE_LIMIT = 500


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- Settings -----------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One house's period for one category, stored or the default."""

    house: House
    category: str
    months: int
    legal_reference: str
    version: int  # 0: the default, nothing stored yet
    applied: bool

    @property
    def label(self) -> str:
        return str(Category(self.category).label)

    @property
    def is_default(self) -> bool:
        return self.version == 0

    @property
    def shown(self) -> str:
        """The period as people say it: "5 jaar", "18 maanden"."""
        if self.months % 12 == 0:
            years = self.months // 12
            return _("%(n)s jaar") % {"n": years}
        return (_("%(n)s maand") if self.months == 1 else _("%(n)s maanden")) % {"n": self.months}


def settings_for(house: House) -> list[Setting]:
    stored = {p.category: p for p in RetentionPeriod.objects.filter(house=house)}
    out = []
    for category in Category:
        row = stored.get(category)
        months, reference = (row.months, row.legal_reference) if row else DEFAULTS[category]
        out.append(
            Setting(
                house=house,
                category=category,
                months=months,
                legal_reference=reference,
                version=row.version if row else 0,
                applied=category in APPLIED_CATEGORIES,
            )
        )
    return out


def _months(house_ids: Iterable[int]) -> dict[tuple[int, str], int]:
    """Every (house, category) period of these houses, defaults filled in."""
    ids = list(house_ids)
    out: dict[tuple[int, str], int] = {(h, c): DEFAULTS[c][0] for h in ids for c in Category}
    for row in RetentionPeriod.objects.filter(house_id__in=ids):
        out[(row.house_id, row.category)] = row.months
    return out


def period_months(house_id: int, category: str) -> int:
    return _months([house_id])[(house_id, category)]


# --- The one rule ---------------------------------------------------------------------


def closed_on(case: Case) -> dt.date | None:
    """The day the case closed for good (the last closing, after a reopening)."""
    if case.status not in CASE_CATEGORY:
        return None
    return timezone.localdate(case.status_changed_at)


def due_date(case: Case, months: int | None = None) -> dt.date | None:
    """The day the case's period ends, hold or not; None while it runs."""
    closed = closed_on(case)
    if closed is None:
        return None
    if months is None:
        months = period_months(case.house_id, CASE_CATEGORY[case.status])
    return add_months(closed, months)


def active_hold(case_id: int) -> LegalHold | None:
    return LegalHold.objects.filter(case_id=case_id, lifted_at__isnull=True).first()


def retention_date_for_case(case: Case) -> dt.date | None:
    """The day this case is deleted: its closing day plus its house's period for its
    category. None while the case runs (or is provisionally closed) and while a legal
    hold keeps it."""
    if active_hold(case.pk) is not None:
        return None
    return due_date(case)


# --- What is due ----------------------------------------------------------------------


@dataclass(frozen=True)
class DueCase:
    case: Case
    closed_on: dt.date
    due_on: dt.date
    hold: LegalHold | None


def due_cases(
    *, house_ids: Iterable[int], until: dt.date, limit: int | None = DUE_LIMIT
) -> list[DueCase]:
    """The closed cases of these houses whose period ends on or before `until`, held
    ones included (with their hold), soonest first; at most `limit` per house and
    category (the page), all of them for the job (`limit=None`)."""
    ids = list(house_ids)
    months = _months(ids)
    found: list[DueCase] = []
    for house_id in ids:
        for category in CASE_CATEGORIES:
            period = months[(house_id, category)]
            statuses = [s for s, c in CASE_CATEGORY.items() if c == category]
            # closed + period <= until  <=>  closed <= until - period (a day of slack for
            # month ends; the exact date is checked below by the one rule).
            latest = add_months(until, -period) + dt.timedelta(days=2)
            candidates = Case.objects.filter(
                house_id=house_id, status__in=statuses, status_changed_at__lt=_start_of(latest)
            ).select_related("house")[:limit]
            for case in candidates:
                due = due_date(case, period)
                if due is not None and due <= until:
                    found.append(DueCase(case, closed_on(case) or due, due, None))
    holds = {
        h.case_id: h
        for h in LegalHold.objects.filter(
            case_id__in=[d.case.pk for d in found], lifted_at__isnull=True
        )
    }
    found = [DueCase(d.case, d.closed_on, d.due_on, holds.get(d.case.pk)) for d in found]
    return sorted(found, key=lambda d: (d.due_on, d.case.code))


def held_cases(house_ids: Iterable[int]) -> list[LegalHold]:
    """The active holds of these houses (also on cases not yet due)."""
    return list(
        LegalHold.objects.filter(case__house_id__in=list(house_ids), lifted_at__isnull=True)
        .select_related("case", "case__house", "placed_by")
        .order_by("case__code")
    )


# --- Settings and holds (audited services) ----------------------------------------------


@transaction.atomic
def set_period(
    *,
    actor: User,
    house: House,
    category: str,
    months: int,
    legal_reference: str,
    expected_version: int,
) -> RetentionPeriod:
    """Set one category's period for a house. `expected_version` 0: the form showed the
    default (someone else may have stored a period meanwhile)."""
    errors = {}
    if category not in Category.values:
        errors["category"] = _("Onbekende categorie.")
    if not 1 <= months <= MAX_MONTHS:
        errors["amount"] = _("Geef een termijn van 1 maand tot 100 jaar.")
    if not legal_reference.strip():
        errors["legal_reference"] = _("Noem de wettelijke grondslag of bron van deze termijn.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    row = RetentionPeriod.objects.select_for_update().filter(house=house, category=category)
    locked = row.first()
    if locked is None:
        if expected_version != 0:
            raise ConcurrentEditError()
        created = RetentionPeriod.objects.create(
            house=house,
            category=category,
            months=months,
            legal_reference=legal_reference.strip(),
            changed_by=actor,
            changed_at=now,
        )
        audit.record(
            "retention.period_set",
            actor=actor,
            obj=created,
            data={
                "huis": house.pk,
                "categorie": category,
                "wijzigingen": {"maanden": {"voor": DEFAULTS[category][0], "na": months}},
                "velden": ["months", "legal_reference"],
            },
        )
        return created
    check_version(locked, expected_version)
    save_audited(
        locked,
        actor=actor,
        action="retention.period_set",
        values={"months": months, "legal_reference": legal_reference.strip()},
        mode="values",
        labels={"months": "maanden", "legal_reference": "grondslag"},
        extra={"huis": house.pk, "categorie": category},
        touch={"changed_by": actor, "changed_at": now},
    )
    return locked


@transaction.atomic
def place_hold(*, actor: User, case: Case, reason: str) -> LegalHold:
    """Keep a case from deletion. The case row is locked, so a hold and the job's
    deletion of the same case never cross."""
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van de blokkade.")})
    locked = Case.objects.select_for_update().filter(pk=case.pk).first()
    if locked is None:
        raise ValidationError({"reason": _("Deze casus bestaat niet meer.")})
    if active_hold(locked.pk) is not None:
        raise ValidationError({"reason": _("Deze casus is al geblokkeerd voor verwijdering.")})
    hold = LegalHold.objects.create(
        case=locked, reason=reason.strip(), placed_by=actor, placed_at=timezone.now()
    )
    # The reason is free text (it may name a court case or a person): its name only.
    audit.record(
        "retention.hold_placed",
        actor=actor,
        case_id=locked.pk,
        obj=hold,
        data={"velden": ["reason"]},
    )
    return hold


@transaction.atomic
def lift_hold(*, actor: User, hold: LegalHold, reason: str) -> LegalHold:
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van het opheffen.")})
    locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if locked.lifted_at is not None:
        raise ValidationError({"reason": _("Deze blokkade is al opgeheven.")})
    locked.lifted_at = timezone.now()
    locked.lifted_by = actor
    locked.lift_reason = reason.strip()
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    audit.record(
        "retention.hold_lifted",
        actor=actor,
        case_id=locked.case_id,
        obj=locked,
        data={"velden": ["lift_reason"]},
    )
    return locked


# --- The daily job -------------------------------------------------------------------


@dataclass
class RetentionRun:
    """What one run deleted (or, dry, would delete)."""

    dry_run: bool
    deleted: list[DueCase] = field(default_factory=list)
    held: list[DueCase] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    rows: dict[tuple[str, str], int] = field(default_factory=dict)  # (house, category)
    # Verwijsindex signals past their end (two years, age 23, withdrawn), with matches.
    vi_signals: int = 0


def phase_reached(case: Case) -> str:
    """The furthest phase the case reached, from its status history: execution when it
    ran (a case may close straight from the start of the PGA), the start when the PGA
    was started, else the referral and triage."""
    seen = set(StatusChange.objects.filter(case=case).values_list("to_status", flat=True))
    seen.add(case.status)
    if seen & {Status.IN_UITVOERING, Status.VOORLOPIG_AFGESLOTEN, Status.OPGESCHAALD}:
        return Phase.CASUISTIEK
    if seen & {Status.PGA_GESTART, Status.AFGESLOTEN}:
        return Phase.VOORTRAJECT
    return Phase.AANMELDING


def erase_case(case_id: int, *, on: dt.date) -> bool:
    """Delete one expired case in its own transaction; False when it is no longer due
    (deleted already, reopened, held meanwhile). A failure rolls the whole case back."""
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(pk=case_id).first()
        if case is None:
            return False
        due = retention_date_for_case(case)
        if due is None or due > on:
            return False
        closed = closed_on(case)
        assert closed is not None  # due is not None
        count, _created = DeletedCaseCount.objects.get_or_create(
            house_id=case.house_id,
            year=closed.year,
            phase_reached=phase_reached(case),
            outcome=case.status,
        )
        DeletedCaseCount.objects.filter(pk=count.pk).update(count=F("count") + 1)
        # The events stay (the chain stays verifiable); this one names the case by its
        # code, which is a number, not personal data.
        audit.record(
            "retention.case_deleted",
            actor=None,
            case_id=case.pk,
            data={
                "casusnummer": case.code,
                "huis": case.house_id,
                "categorie": CASE_CATEGORY[case.status],
                "afgesloten_op": closed.isoformat(),
                "termijn_verstreken_op": due.isoformat(),
            },
        )
        delete_feedback_of_case(case.pk)
        forget_case_texts(case.pk)
        forget_casusregisseur_agreements(case.pk)
        # The case with everything hanging from it, its persons unless another case or
        # household still holds them, and its attachment files after commit: the same
        # deletion as a rejected referral's.
        delete_referral_data(case)
    return True


def _delete_rows(run: RetentionRun, houses: list[House], on: dt.date) -> None:
    """The rows with their own period: rejected referrals' feedback, register rows."""
    months = _months(h.pk for h in houses)
    for house in houses:
        for category in (Category.REJECTED_FEEDBACK, Category.SHARING_REGISTER):
            before = _start_of(add_months(on, -months[(house.pk, category)]))
            with transaction.atomic():
                if category == Category.REJECTED_FEEDBACK:
                    n = delete_rejection_feedback_before(house.code, before, count_only=run.dry_run)
                else:
                    n = delete_register_rows_before(house.pk, before, count_only=run.dry_run)
                if n and not run.dry_run:
                    audit.record(
                        "retention.rows_deleted",
                        actor=None,
                        data={"huis": house.pk, "categorie": category, "aantal": n},
                    )
            if n:
                run.rows[(house.name, str(Category(category).label))] = n


def apply_retention(*, dry_run: bool = False, on: dt.date | None = None) -> RetentionRun:
    """Delete what has expired on `on` (today). Idempotent: what went is gone, a second
    run finds nothing. Dry: nothing is written, the run says what would go."""
    on = on or today()
    run = RetentionRun(dry_run=dry_run)
    houses = list(House.objects.order_by("name"))
    for due in due_cases(house_ids=[h.pk for h in houses], until=on, limit=None):
        if due.hold is not None:
            run.held.append(due)
            continue
        if dry_run:
            run.deleted.append(due)
            continue
        try:
            if erase_case(due.case.pk, on=on):
                run.deleted.append(due)
        except Exception as error:  # one bad case must not stop the others
            log.exception("retention: case %s not deleted", due.case.code)
            run.failed.append((due.case.code, f"{type(error).__name__}: {error}"))
    _delete_rows(run, houses, on)
    # Verwijsindex signals have their own end, set when they were recorded (ADR 30).
    run.vi_signals = delete_expired_signals(on, dry_run=dry_run)
    return run
