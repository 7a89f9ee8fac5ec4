"""The data-sharing register: `record_exchange` is the one entry point every exchange of
personal data calls, inside the transaction (or the request) that shares it.

It sits in the cases layer because the apps that share (intake: bekendheidscheck answers
and attachments; pga: the escalation to a ZVH; plans: meetings, minutes, PDFs) may not
import privacy, which only reads the register (its FG page and CSV export).

Three kinds of basis (issue 13, ADR 17): where a person chooses (a bekendheidscheck
answer, the escalation), the caller passes the grounds and the necessity checks its form
asked for, and they are checked again here by the one rule (`cases.grounds`); where the
law fixes it (the subject access export: AVG art. 15), `STATUTORY_GROUNDS`; otherwise the
kind of exchange is fixed by the house, which sets its `ExchangeBasis` once
(`set_exchange_basis`, the privacy officer's page), or `default_grounds` apply while it
has set none (recorded as such, so the FG sees what is still unset).

The row is written in the caller's transaction, next to the caller's own audit event for
the same moment; it is not audited a second time (the register is the record).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.accounts.models import House, Organisation, User
from ketenregie.audit.writes import check_version, save_audited
from ketenregie.cases.grounds import (
    LegalBasis,
    Necessity,
    SecrecyGround,
    SpecialCategoryException,
    sharing_errors,
)
from ketenregie.cases.models import (
    Case,
    ExchangeBasis,
    ExchangeKind,
    SharingGrounds,
    SharingRecord,
)
from ketenregie.core.errors import ConcurrentEditError

# Kinds where the person sharing chooses the basis on the form; the rest are fixed.
CHOSEN_KINDS = frozenset({ExchangeKind.ENRICHMENT_ANSWER, ExchangeKind.ESCALATION})
# Kinds recorded when someone takes data out of the house's file by a download (a GET):
# like the audit trail's read events, the row is the record of the receipt, so these are
# the only register rows a GET may write (ketenregie/tests/test_get_is_safe.py).
RECEIPT_KINDS = frozenset(
    {ExchangeKind.PLAN_PDF, ExchangeKind.SAFETY_PLAN_PDF, ExchangeKind.ATTACHMENT}
)


@dataclass(frozen=True)
class Grounds:
    """Purpose, legal basis and necessity checks of one exchange (AVG art. 6; art. 9/10;
    beroepsgeheim; the checklist's proportionality, subsidiarity and transparency)."""

    purpose: str
    legal_basis: str
    special_category: str = ""
    secrecy_ground: str = ""
    legal_reference: str = ""
    necessity: Necessity = Necessity()

    def values(self) -> dict[str, Any]:
        """As `SharingGrounds` field values."""
        return {
            "purpose": self.purpose.strip(),
            "legal_basis": self.legal_basis,
            "special_category": self.special_category,
            "secrecy_ground": self.secrecy_ground,
            "legal_reference": self.legal_reference.strip(),
            **self.necessity.values(),
        }

    @classmethod
    def of(cls, record: SharingGrounds) -> Grounds:
        """The grounds stored on a `SharingGrounds` row (the house's `ExchangeBasis`)."""
        return cls(
            purpose=record.purpose,
            legal_basis=record.legal_basis,
            special_category=record.special_category,
            secrecy_ground=record.secrecy_ground,
            legal_reference=record.legal_reference,
            necessity=Necessity.of(record),
        )


# Kinds whose basis the law itself fixes: neither the house nor the person chooses. The
# subject access export answers the person's own request (AVG art. 15): a legal
# obligation of the controller (art. 6 lid 1c) that no house configuration may change.
STATUTORY_GROUNDS: dict[str, Grounds] = {
    ExchangeKind.SUBJECT_ACCESS: Grounds(
        purpose="inzageverzoek betrokkene (AVG art. 15)",
        legal_basis=LegalBasis.LEGAL_OBLIGATION,
        legal_reference="AVG art. 15 (recht van inzage) en art. 12 lid 3 (binnen een maand)",
        necessity=Necessity(
            proportional=True,
            proportionality_note="Alleen de eigen gegevens van de betrokkene; gegevens van "
            "anderen weggelaten.",
            subsidiary=True,
            subsidiarity_note="Het verzoek van de betrokkene zelf.",
            person_informed=True,
        ),
    ),
    # Slice meldcode (issue 15): a report to Veilig Thuis rests on the meldrecht, which
    # lifts professional secrecy without the person's consent; the Wet verplichte
    # meldcode's afwegingskader says when reporting is necessary. No house may change it.
    ExchangeKind.VEILIG_THUIS_REPORT: Grounds(
        purpose="melding huiselijk geweld of kindermishandeling bij Veilig Thuis (meldcode)",
        legal_basis=LegalBasis.LEGAL_OBLIGATION,
        special_category=SpecialCategoryException.SUBSTANTIAL_PUBLIC_INTEREST,
        secrecy_ground=SecrecyGround.LEGAL_DUTY,
        legal_reference="Wmo 2015 art. 5.2.6 en Jeugdwet art. 7.3.8 (meldrecht); Wet "
        "verplichte meldcode huiselijk geweld en kindermishandeling (afwegingskader)",
        necessity=Necessity(
            proportional=True,
            proportionality_note="Alleen de signalen en feiten die Veilig Thuis nodig heeft "
            "om de veiligheid te beoordelen.",
            subsidiary=True,
            subsidiarity_note="Het afwegingskader van de meldcode wijst melden aan als "
            "noodzakelijk.",
            person_informed=True,
        ),
    ),
}

# The kinds the house fixes once (its configuration page lists exactly these).
FIXED_KINDS = tuple(k for k in ExchangeKind if k not in CHOSEN_KINDS and k not in STATUTORY_GROUNDS)

# A house that has fixed nothing yet: its task of general interest under the WGS (Wet
# gegevensverwerking door samenwerkingsverbanden) with the art. 9 lid 2g exception, the
# basis of the house's case work (DOMAIN.md section 3; a covenant is no basis).
DEFAULT_PURPOSES: dict[str, str] = {
    ExchangeKind.MEETING_INVITATION: "casusoverleg",
    ExchangeKind.MEETING_HELD: "casusoverleg",
    ExchangeKind.MINUTES_SENT: "verslag casusoverleg aan het casusteam",
    ExchangeKind.PLAN_PDF: "uitvoering plan van aanpak",
    ExchangeKind.SAFETY_PLAN_PDF: "uitvoering veiligheidsplan",
    ExchangeKind.ATTACHMENT: "beoordeling aanmelding",
    ExchangeKind.LETTER_PDF: "informeren betrokkene over de persoonsgerichte aanpak",
}


def default_grounds(kind: str) -> Grounds:
    """The basis recorded for a fixed `kind` while its house has set none."""
    return Grounds(
        purpose=DEFAULT_PURPOSES[kind],
        legal_basis=LegalBasis.PUBLIC_TASK,
        special_category=SpecialCategoryException.SUBSTANTIAL_PUBLIC_INTEREST,
    )


def fixed_grounds(house: House, kind: str) -> tuple[Grounds, SharingRecord.Source]:
    """The basis the house fixed for `kind`, or the default, with where it came from."""
    basis = ExchangeBasis.objects.filter(house=house, kind=kind).first()
    if basis is not None:
        return Grounds.of(basis), SharingRecord.Source.HOUSE
    return default_grounds(kind), SharingRecord.Source.DEFAULT


def house_basis_errors(grounds: Grounds) -> dict[str, str]:
    """Every reason the house may not fix `grounds` for a kind, per form field: a purpose,
    the one sharing rule with the house as a public body (no legitimate interest), and the
    necessity checks stated once for every exchange of the kind."""
    errors: dict[str, str] = {}
    if not grounds.purpose.strip():
        errors["purpose"] = _("Geef het doel van deze uitwisseling (doelbinding).")
    errors.update(
        sharing_errors(
            domain="",
            shares=True,
            public_body=True,
            legal_basis=grounds.legal_basis,
            special_category=grounds.special_category,
            secrecy_ground=grounds.secrecy_ground,
        )
    )
    errors.update(grounds.necessity.errors())
    return errors


# The structured fields of a basis: their values enter the audit trail; the free texts
# (purpose, reference, notes) by name only.
_STRUCTURED = ("legal_basis", "special_category", "secrecy_ground", "proportional", "subsidiary")


@transaction.atomic
def set_exchange_basis(
    house: House, kind: str, *, actor: User, expected_version: int, grounds: Grounds
) -> ExchangeBasis:
    """Fix the basis of a fixed `kind` for `house` (its privacy officer or contact: the
    view checks who), audited; every later exchange of the kind records it.

    `expected_version` is the version the form was opened with, 0 while the house had
    none: a basis saved by someone else in between is a concurrent edit, never silently
    overwritten.
    """
    if kind not in FIXED_KINDS:
        raise ValueError(f"{kind} has no basis the house fixes")
    errors = house_basis_errors(grounds)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    basis = ExchangeBasis.objects.select_for_update().filter(house=house, kind=kind).first()
    if basis is None:
        if expected_version != 0:
            raise ConcurrentEditError()
        try:
            with transaction.atomic():
                basis = ExchangeBasis.objects.create(
                    house=house, kind=kind, changed_at=now, changed_by=actor
                )
        except IntegrityError:
            # Someone else fixed it a moment ago (the unique house and kind).
            raise ConcurrentEditError() from None
    else:
        check_version(basis, expected_version)
    save_audited(
        basis,
        actor=actor,
        action="register.basis_set",
        values=grounds.values(),
        mode="names",
        shown=_STRUCTURED,
        touch={"changed_at": now, "changed_by": actor},
        always=True,
        extra={"huis": house.pk, "soort": kind},
        purpose="toezicht gegevensbescherming",
    )
    return basis


def house_bases(
    houses: Iterable[House],
) -> list[tuple[House, list[tuple[str, ExchangeBasis | None]]]]:
    """Per house, every fixed kind with the basis it set (None: the default applies)."""
    houses = list(houses)
    saved = {
        (b.house_id, b.kind): b
        for b in ExchangeBasis.objects.filter(house__in=houses).select_related("changed_by")
    }
    return [(h, [(k, saved.get((h.pk, k))) for k in FIXED_KINDS]) for h in houses]


COMMAND_LINE = "opdrachtregel"


@transaction.atomic
def record_exchange(
    kind: str,
    *,
    actor: User | None,
    case: Case,
    to_label: str,
    to_organisations: Iterable[Organisation | None] = (),
    recipients: int = 1,
    from_house: bool = False,
    grounds: Grounds | None = None,
    person_informed: bool | None = None,
    not_informed_reason: str = "",
) -> SharingRecord:
    """Append one row to the register for an exchange about `case`.

    `from_house`: the data leaves the house's file (a download) rather than the actor's
    organisation. `grounds` is required for the kinds where a person chooses and refused
    for the fixed and statutory kinds (their basis is the house's or the law's, not the
    caller's). `person_informed` (with its reason) is what this one exchange knows about
    informing the person (a meeting's "betrokkene uitgenodigd"): it overrides what the
    house stated for the kind. `actor` None: a command run by the house's own scripts
    (the subject access export from the command line).
    """
    organisation = actor.organisation if actor is not None else None
    if kind in CHOSEN_KINDS:
        if grounds is None:
            raise ValidationError({"legal_basis": _("Kies de grondslag (AVG art. 6).")})
        errors = {
            **sharing_errors(
                domain=organisation.domain if organisation else "",
                shares=True,
                legal_basis=grounds.legal_basis,
                special_category=grounds.special_category,
                secrecy_ground=grounds.secrecy_ground,
            ),
            **grounds.necessity.errors(),
        }
        if errors:
            raise ValidationError(errors)
        source = SharingRecord.Source.CHOSEN
    elif grounds is not None:
        raise ValueError(f"{kind} has a fixed basis: the house or the law sets it, not the caller")
    elif kind in STATUTORY_GROUNDS:
        grounds, source = STATUTORY_GROUNDS[kind], SharingRecord.Source.LAW
    else:
        grounds, source = fixed_grounds(case.house, kind)
    values = grounds.values()
    if person_informed is not None:
        values["person_informed"] = person_informed
        values["not_informed_reason"] = "" if person_informed else not_informed_reason.strip()
    special = grounds.special_category
    row = SharingRecord(
        occurred_at=timezone.now(),
        kind=kind,
        case=case,
        case_code=case.code,
        house=case.house,
        actor=actor,
        actor_label=actor.get_username() if actor is not None else COMMAND_LINE,
        from_label=case.house.name if from_house or organisation is None else organisation.name,
        from_organisation=None if from_house else organisation,
        to_label=to_label[:300],
        recipients=recipients,
        identifying=True,
        special_categories=bool(special) and special != SpecialCategoryException.CRIMINAL_DATA_LAW,
        criminal_data=special == SpecialCategoryException.CRIMINAL_DATA_LAW,
        secrecy_bound=grounds.secrecy_ground != SecrecyGround.NOT_APPLICABLE,
        basis_source=source,
        **values,
    )
    row.save()
    orgs = {o.pk for o in to_organisations if o is not None}
    if orgs:
        row.to_organisations.set(orgs)
    return row


# Reading the register (the privacy officer's page and CSV export).

# The data categories a row can carry, as filter values -> the row's flag.
CATEGORY_FIELDS = {
    "identificerend": "identifying",
    "bijzonder": "special_categories",
    "strafrechtelijk": "criminal_data",
    "beroepsgeheim": "secrecy_bound",
}
CATEGORY_CHOICES = [
    ("identificerend", gettext_lazy("Identificerende gegevens")),
    ("bijzonder", gettext_lazy("Bijzondere gegevens (art. 9)")),
    ("strafrechtelijk", gettext_lazy("Strafrechtelijke gegevens (art. 10)")),
    ("beroepsgeheim", gettext_lazy("Onder beroepsgeheim")),
]


def register_rows(
    *,
    house_ids: QuerySet[Any, int] | None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    house: House | None = None,
    organisation: Organisation | None = None,
    kind: str = "",
    legal_basis: str = "",
    category: str = "",
) -> QuerySet[SharingRecord]:
    """The register's rows matching every filter, newest first, within `house_ids` (None:
    every house)."""
    qs = SharingRecord.objects.all()
    if house_ids is not None:
        qs = qs.filter(house_id__in=house_ids)
    if house is not None:
        qs = qs.filter(house=house)
    if organisation is not None:
        sent_to = SharingRecord.to_organisations.through.objects.filter(
            sharingrecord_id=OuterRef("pk"), organisation_id=organisation.pk
        )
        qs = qs.filter(Q(from_organisation=organisation) | Exists(sent_to))
    if kind:
        qs = qs.filter(kind=kind)
    if legal_basis:
        qs = qs.filter(legal_basis=legal_basis)
    if category in CATEGORY_FIELDS:
        qs = qs.filter(**{CATEGORY_FIELDS[category]: True})
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(occurred_at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        qs = qs.filter(occurred_at__lt=end)
    return qs.select_related("house", "from_organisation").order_by("-occurred_at", "-pk")


def totals_per_basis(rows: QuerySet[SharingRecord]) -> list[tuple[str, int]]:
    """How many exchanges rest on each legal basis, largest first (label, count)."""
    counts = rows.order_by().values("legal_basis").annotate(n=Count("pk")).order_by("-n")
    labels = dict(LegalBasis.choices)
    return [(str(labels.get(c["legal_basis"], c["legal_basis"])), c["n"]) for c in counts]


# What stays of a free text in the register once its case is deleted by retention.
FORGOTTEN = "(verwijderd na bewaartermijn)"


def forget_case_texts(case_id: int) -> int:
    """Blank the free texts of a case's register rows, when retention deletes the case.

    The register is append-only, with this one exception: purpose, necessity and the
    reason the person was not informed are typed by people and may name the person, so
    they go with the case; who shared what with whom, when and on which basis stays for
    the register's own retention period (ADR 20). Bypasses the append-only guard on
    purpose (`QuerySet.update` of the base class)."""
    rows = SharingRecord.objects.filter(case_id=case_id)
    return QuerySet.update(
        rows,
        purpose=FORGOTTEN,
        proportionality_note="",
        subsidiarity_note="",
        not_informed_reason="",
    )


def delete_register_rows_before(
    house_id: int, before: dt.datetime, *, count_only: bool = False
) -> int:
    """Delete the house's register rows older than `before` (the register's retention)."""
    rows = SharingRecord.objects.filter(house_id=house_id, occurred_at__lt=before)
    if count_only:
        return rows.count()
    _total, per_model = rows.delete()
    # Counted per model: the rows themselves, not their organisation links.
    return int(per_model.get(SharingRecord._meta.label, 0))


def exchanges_for_cases(case_ids: Iterable[int]) -> QuerySet[SharingRecord]:
    """The register's rows about the given cases, oldest first, with the receiving
    organisations: the recipients of a person's data (the subject access export)."""
    return (
        SharingRecord.objects.filter(case_id__in=list(case_ids))
        .prefetch_related("to_organisations")
        .order_by("occurred_at", "pk")
    )
