"""The pages the benchmark visits, the personas that visit them, and the targets.

One list for the load test (locustfile), the single-user growth table (ntable) and the
report, so they all measure and judge the same pages. A path's `{placeholders}` are
filled from values picked per user by bench/prepare.py (only cases that user can see).
"""

from __future__ import annotations

from dataclasses import dataclass, field

FLOOR = "floor"


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    path: str
    kind: str  # "floor", "daily", "privacy" or "management"
    weight: int = 1
    headers: dict[str, str] = field(default_factory=dict)


PAGES: tuple[Page, ...] = (
    # The floor: "Mijn sessie" (core.views.session_status) passes the session, login and MFA
    # middleware and renders the base template with its navigation, and does nothing else.
    Page(FLOOR, "Mijn sessie (vloer)", "/sessie/", "floor", 2),
    Page("dashboard", "Dashboard", "/", "daily", 3),
    Page("case_list", "Casusoverzicht", "/casussen/", "daily", 2),
    Page("search_surname", "Zoeken op achternaam", "/casussen/?q={surname}", "daily", 2),
    Page("search_bsn", "Zoeken op BSN", "/casussen/?q={bsn}", "daily"),
    Page("case_detail", "Casus", "/casussen/{case}/", "daily", 4),
    # The timeline with the reads ("inzage"), as the page's htmx toggle loads it.
    Page(
        "timeline",
        "Tijdlijn (met inzage)",
        "/casussen/{case}/?inzage=1",
        "daily",
        2,
        {"HX-Request": "true"},
    ),
    Page("plan", "Plan van aanpak", "/casussen/{plan_case}/plan/", "daily"),
    Page("safety_plan", "Veiligheidsplan", "/casussen/{safety_case}/veiligheidsplan/", "daily"),
    # The household variant (issue 15): the pages of a client system's case, for the
    # regisseurs of the house that works in it (bench/prepare.py picks cases that have
    # what the page shows: a meldcode trajectory, signals, a level change, aftercare).
    Page("household", "Huishouden", "/casussen/{hh_case}/huishouden/", "daily"),
    Page("hh_plan", "Plan van het cliëntsysteem", "/casussen/{hh_plan_case}/plan/", "daily"),
    Page("meldcode", "Meldcode", "/casussen/{meldcode_case}/meldcode/", "daily"),
    Page("verwijsindex", "Verwijsindex", "/casussen/{vi_case}/verwijsindex/", "daily"),
    Page("escalation_map", "Escalatiekaart", "/casussen/{escmap_case}/escalatiekaart/", "daily"),
    Page("aftercare", "Nazorg en evaluatie", "/casussen/{aftercare_case}/nazorg/", "daily"),
    Page("my_actions", "Mijn acties", "/acties/", "daily", 2),
    Page("meetings", "Overleggen", "/overleggen/", "daily"),
    Page("screening", "Screening", "/screening/", "daily", 2),
    Page("triage_list", "Triageagenda", "/triage/", "daily", 2),
    Page("enrichment_list", "Bekendheidscheck", "/bekendheidscheck/", "daily"),
    Page("my_referrals", "Mijn aanmeldingen", "/aanmeldingen/", "daily"),
    Page(
        "audit_surname", "Audittrail op achternaam", "/audittrail/?person={surname}", "privacy", 3
    ),
    Page("audit_bsn", "Audittrail op BSN", "/audittrail/?person={bsn}", "privacy", 2),
    Page("audit_case", "Audittrail op casusnummer", "/audittrail/?case={case_number}", "privacy"),
    Page("manage_index", "Beheer: overzicht", "/beheer/", "management"),
    # Management information (issue 14): aggregates over the manager's house or the
    # policy adviser's region, each page <= SEARCH_MAX_MS like the other management pages.
    Page("mi_referrals", "Sturing: aanmeldingen", "/sturing/instroom/", "management"),
    Page("mi_phases", "Sturing: fasen en escalatie", "/sturing/fasen/", "management"),
    Page("mi_durations", "Sturing: doorlooptijden", "/sturing/doorlooptijden/", "management"),
    Page("mi_minutes", "Sturing: verslagen", "/sturing/verslagen/", "management"),
    Page("mi_overdue", "Sturing: acties over de datum", "/sturing/acties/", "management"),
    Page("mi_caseload", "Sturing: caseload", "/sturing/caseload/", "management"),
    Page("mi_closing", "Sturing: afsluiting", "/sturing/afsluiting/", "management"),
    Page("mi_domains", "Sturing: leefgebieden", "/sturing/leefgebieden/", "management"),
)
PAGE_BY_NAME = {page.name: page for page in PAGES}
# The pages of a client system's case (issue 15), and why they are not in the mix of an
# account whose house does not work in the household variant (as designed, like a 403).
VARIANT_PAGES = {"household", "hh_plan", "meldcode", "verwijsindex", "escalation_map", "aftercare"}
NOT_IN_VARIANT = "niet in de huishoudvariant"

# What the issue asks for that the product does not have yet: reported, never faked.
NOT_YET: tuple[str, ...] = ()

# Targets (issue 10): daily pages p95 <= 2x the floor and <= 100 ms; management pages and
# the privacy officer's searches <= 500 ms.
DAILY_MAX_MS = 100.0
DAILY_MAX_FLOOR_RATIO = 2.0
SEARCH_MAX_MS = 500.0


@dataclass(frozen=True)
class Persona:
    username: str
    group: str
    users: int  # how many of the 20 load-test users log in as this account


# 20 users: partners, procesregisseurs, triage chairs, the privacy officer, a manager and
# the functional administrator. Several users of one account each get a session of their own.
PERSONAS: tuple[Persona, ...] = (
    Persona("wijkagent.heerlen", "partner", 2),
    Persona("ggz.behandelaar", "partner", 2),
    Persona("om.officier", "partner", 1),
    Persona("vt.medewerker", "partner", 1),
    Persona("woon.consulent", "partner", 1),
    Persona("gemeente.heerlen", "partner", 1),
    Persona("pr.parkstad", "procesregisseur", 2),
    Persona("pr2.parkstad", "procesregisseur", 1),
    Persona("pr.maastricht", "procesregisseur", 1),
    Persona("pr.venlo", "procesregisseur", 1),
    Persona("tv.parkstad", "triagevoorzitter", 1),
    Persona("tv.maastricht", "triagevoorzitter", 1),
    Persona("tv.venlo", "triagevoorzitter", 1),
    Persona("fg", "privacy officer", 2),
    Persona("manager.parkstad", "manager", 1),
    Persona("beheer", "beheerder", 1),
)
