"""Browser journeys 1 to 3 (../shared/JOURNEYS.md): refer, screen and enrich, run the triage."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import assert_accessible, fill_necessity, log_in, shot, totp_code
from ketenregie.accounts.models import House, HousePartner, User
from ketenregie.cases.defaults import ensure_life_domains
from ketenregie.cases.models import Case, CaseMembership, CaseRole, LifeDomain, Person
from ketenregie.cases.workflow import Status
from ketenregie.core.tests.samples import pdf_bytes
from ketenregie.core.timeutil import today
from ketenregie.intake import schedule, services
from ketenregie.intake.criteria import ensure_default_criteria
from ketenregie.intake.matching import possible_duplicates
from ketenregie.intake.models import (
    AgendaItem,
    EnrichmentRequest,
    Feedback,
    Invitee,
    Referral,
    RejectionCount,
    TriageMeeting,
)
from ketenregie.intake.queries import monday_of

PDF = pdf_bytes()  # a real PDF: attachments are parsed whole (core.uploads)


# ------------------------------------------------------------------ helpers


@pytest.fixture(autouse=True)
def _life_domains(transactional_db: None) -> None:
    # A flush after an earlier transactional test removes migration-seeded rows.
    ensure_life_domains()


def _parkstad() -> House:
    return House.objects.get(code="PKS")


def _dutch_day(day: dt.date) -> str:
    with translation.override("nl"):
        return date_format(day, "l j F Y")


def _nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=name).click()


def _log_in_once_per_code(page: Page, base: str, username: str, used: set[str]) -> None:
    """Log in, waiting for a fresh TOTP code if this user already used the current one:
    allauth refuses a code a second time (replay protection)."""
    while totp_code(username) in used:
        time.sleep(0.5)
    used.add(totp_code(username))
    log_in(page, base, username)
    used.add(totp_code(username))  # the code log_in used is one of these two


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_label("Gebruikersnaam")).to_be_visible()


def _submitted_referral(
    username: str,
    house: House,
    *,
    voornamen: str,
    achternaam: str,
    geboortedatum: dt.date | None,
    tussenvoegsel: str = "",
    woonplaats: str = "Heerlen",
) -> Case:
    """A referral submitted through the service, as the referral form would."""
    cset = ensure_default_criteria(house)
    criteria = list(cset.criteria.order_by("number"))[:3]
    domains = list(LifeDomain.objects.filter(is_active=True).order_by("pk"))[:2]
    data = services.ReferralInput(
        person={
            "voornamen": voornamen,
            "tussenvoegsel": tussenvoegsel,
            "achternaam": achternaam,
            "geboortedatum": geboortedatum,
            "woonplaats": woonplaats,
        },
        values={
            "reason": "Overlast en zorgen over de veiligheid van de kinderen.",
            "urgency": "normaal",
            "informed": "ja",
            "informed_how": "Mondeling bij het huisbezoek.",
        },
        problems={d.pk: "Schulden en dreigende huisuitzetting." for d in domains},
        criteria={c.pk: "Zie aanleiding." for c in criteria},
    )
    referral = services.save_referral(
        actor=User.objects.get(username=username),
        house=house,
        data=data,
        submit=True,
        confirmed=True,
    )
    return referral.case


def _referral_with_duplicate(house: House) -> Case:
    """The first new referral at the house whose person looks like someone with an
    earlier case (the demo plants these); made from the first earlier case if not."""
    for case in Case.objects.filter(house=house, status=Status.AANGEMELD).order_by("pk"):
        if any(m.cases for m in possible_duplicates(case.person)):
            return case
    earlier = Case.objects.filter(house=house, status=Status.AFGESLOTEN).order_by("pk")[0]
    old = earlier.person
    return _submitted_referral(
        "wijkagent.heerlen",
        house,
        voornamen=old.voornamen,
        achternaam=f"{old.tussenvoegsel}{old.achternaam}".replace(" ", "").capitalize(),
        geboortedatum=old.geboortedatum,
    )


def _agenda_item_section(page: Page, item: AgendaItem) -> Locator:
    return page.locator(f'section[aria-labelledby="item-{item.pk}"]')


def _open_items(meeting: TriageMeeting) -> list[AgendaItem]:
    return list(
        AgendaItem.objects.filter(meeting=meeting, outcome="", referrer_present=None)
        .select_related("referral__case", "referral__referrer")
        .order_by("position")
    )


def _coming_meeting_with_items(house: House, needed: int) -> TriageMeeting:
    """The coming triage of the house with at least `needed` undecided agenda items.

    The demo fills the agenda; what it lacks is topped up the way the chair would (demo
    referrals in enrichment first, then fresh referrals), always on this meeting.
    """
    chair = User.objects.get(username="tv.parkstad")
    meeting = services.upcoming_meetings(house)[0]
    enriching = Case.objects.filter(house=house, status=Status.VERRIJKING).order_by("pk")
    fresh = iter(range(1, needed + 1))
    while len(_open_items(meeting)) < needed:
        case = enriching.first()
        if case is None:
            n = next(fresh)
            case = _submitted_referral(
                "wijkagent.heerlen",
                house,
                voornamen="Ruben",
                achternaam=f"Agendapunt{n}",
                geboortedatum=dt.date(1980, 1, n),
            )
            services.approve_for_enrichment(
                case, actor=chair, expected_version=case.referral.version
            )
        referral = Referral.objects.get(case=case)
        referral.triage_meeting = meeting
        referral.save(update_fields=["triage_meeting"])
        services.put_on_agenda(
            case,
            actor=chair,
            expected_version=referral.version,
            proposed_level=3,
            reasoning="Meerdere partners bekend.",
        )
    return meeting


# ------------------------------------------------------------------ journey 1


def test_journey_1_wijkagent_refers_a_case(page: Page, demo: Any) -> None:
    base = demo.url
    house = _parkstad()
    criteria = list(ensure_default_criteria(house).criteria.order_by("number"))
    domains = list(LifeDomain.objects.filter(is_active=True).order_by("pk"))

    log_in(page, base, "wijkagent.heerlen")
    _nav(page, "Mijn aanmeldingen")
    expect(page.get_by_role("heading", name="Mijn aanmeldingen")).to_be_visible()
    page.get_by_role("link", name="Casus aanmelden").click()
    expect(page.get_by_role("heading", name="Casus aanmelden")).to_be_visible()
    assert_accessible(page)
    shot(page, "j1-01-choose-house")
    page.get_by_role("link", name=f"Aanmelden bij {house.name}").click()

    expect(page.get_by_role("heading", name="Nieuwe aanmelding")).to_be_visible()
    expected = schedule.next_triage_date(house, timezone.now(), set())
    expect(page.locator("main p strong").first).to_have_text(_dutch_day(expected))
    assert_accessible(page)

    # 1. Person, 2. household, 3. reason, 4. life domains, 5. criteria, 6. informed.
    page.get_by_label("Voornamen (verplicht)").fill("Kevin")
    page.get_by_label("Achternaam (verplicht)").fill("Brouwers-Meertens")
    page.locator("#id_p-geboortedatum").fill("1986-04-12")
    page.get_by_label("Straat en huisnummer").fill("Akerstraat 12")
    page.get_by_label("Postcode").fill("6411 HB")
    page.get_by_label("Woonplaats").fill("Heerlen")
    household = page.get_by_role("group", name="Gezinslid 1")
    household.get_by_label("Voornamen").fill("Sandra")
    household.get_by_label("Achternaam").fill("Meertens")
    household.get_by_label("Relatie tot betrokkene").select_option(label="Partner")
    page.get_by_label("Aanleiding").fill(
        "Herhaaldelijk huiselijk geweld gemeld; buren melden ernstige overlast."
    )
    page.get_by_label("Urgentie (verplicht)").select_option("hoog")
    page.get_by_label("Doel van de casusbespreking").fill("Eén gezamenlijk plan.")
    page.get_by_label("Andere overleggen waar deze casus al besproken wordt").fill(
        "Wijkoverleg Heerlen-Noord"
    )
    page.locator(f"#id_problem_{domains[0].pk}").fill("Schulden bij meerdere schuldeisers.")
    page.locator(f"#id_problem_{domains[3].pk}").fill("Dreigende huisuitzetting.")
    status = page.locator("#criteria-status")
    expect(status).to_contain_text("voldoen (nog) niet")
    for criterion in criteria[:3]:
        page.locator(f"#id_crit_{criterion.number}").check()
        page.locator(f"#id_crit_{criterion.number}_uitleg").fill("Zie aanleiding en leefgebieden.")
    # htmx re-checks the house's rule on every change.
    expect(status).to_contain_text("voldoen aan de regel van dit huis")
    page.get_by_label("Ja, de betrokkene is geïnformeerd").check()
    page.get_by_label("Hoe geïnformeerd, of waarom (nog) niet").fill("Mondeling door mij.")

    page.get_by_label("Bijlagen").set_input_files(
        files=[{"name": "proces-verbaal.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    # Without confirming accountability: a Dutch error, and the input stays.
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("De aanmelding is niet opgeslagen")
    # Issue 12: the summary names and links the field; the attachment is kept.
    summary = page.locator(".kr-error-summary")
    expect(summary.get_by_role("link", name=re.compile("^Ik ben als aanmelder"))).to_have_attribute(
        "href", "#id_confirm"
    )
    expect(page.get_by_role("checkbox", name=re.compile("^proces-verbaal.pdf"))).to_be_checked()
    expect(page.locator("#id_confirm_error")).to_contain_text(
        "Bevestig dat u verantwoordelijk bent voor de kwaliteit"
    )
    expect(page.get_by_label("Achternaam (verplicht)")).to_have_value("Brouwers-Meertens")
    expect(page.get_by_label("Aanleiding")).to_contain_text("Herhaaldelijk huiselijk geweld")
    expect(page.get_by_role("group", name="Gezinslid 1").get_by_label("Voornamen")).to_have_value(
        "Sandra"
    )
    expect(page.locator(f"#id_crit_{criteria[0].number}")).to_be_checked()
    assert not Person.objects.filter(achternaam="Brouwers-Meertens").exists()
    assert_accessible(page)
    shot(page, "j1-02-form-error-confirm")

    page.get_by_label("Ik ben als aanmelder verantwoordelijk").check()
    before = schedule.next_triage_date(house, timezone.now(), set())
    page.get_by_role("button", name="Aanmelden").click()
    after = schedule.next_triage_date(house, timezone.now(), set())

    expect(page.get_by_role("heading", name=re.compile(r"^Aanmelding PKS-"))).to_be_visible()
    case = Case.objects.get(person__achternaam="Brouwers-Meertens")
    referral = case.referral
    assert case.status == Status.AANGEMELD
    assert referral.triage_meeting is not None
    assert referral.triage_meeting.date in {before, after}
    day = _dutch_day(referral.triage_meeting.date)
    expect(
        page.get_by_text(f"Aanmelding ingediend. Zij wordt besproken in de triage van {day}")
    ).to_be_visible()
    expect(page.locator("#triage-date")).to_have_text(f"{day} om 13:00 uur")
    expect(page.get_by_role("link", name="proces-verbaal.pdf")).to_be_visible()
    expect(page.get_by_text("Sandra Meertens (partner)")).to_be_visible()
    assert referral.meets_criteria
    assert referral.other_meetings == "Wijkoverleg Heerlen-Noord"
    assert_accessible(page)
    shot(page, "j1-03-referral-submitted")

    # The deadline rule: one minute after the cut-off is a week later than one before.
    cutoff = schedule.cutoff_after(house, timezone.now())
    just_before = schedule.first_triage_date(house, cutoff - dt.timedelta(minutes=1))
    just_after = schedule.first_triage_date(house, cutoff + dt.timedelta(minutes=1))
    assert just_before == referral.triage_meeting.date
    assert just_after == just_before + dt.timedelta(days=7)

    _nav(page, "Mijn aanmeldingen")
    row = page.get_by_role("row", name=re.compile(case.code))
    expect(row).to_contain_text("Aangemeld, in screening")
    expect(row).to_contain_text(_dutch_day(referral.triage_meeting.date))
    expect(page.get_by_text("Uw aanmelding is ontvangen.").first).to_be_visible()
    assert_accessible(page)
    shot(page, "j1-04-my-referrals")


def test_journey_1_acute_referral_reaches_the_chair_first(page: Page, demo: Any) -> None:
    """Issue 12: an acute referral tells the referrer what to do now, alerts the chairs at
    once (link only), heads the screening list, and can go to an extra triage."""
    from django.core import mail

    base = demo.url
    house = _parkstad()
    criteria = list(ensure_default_criteria(house).criteria.order_by("number"))
    domains = list(LifeDomain.objects.filter(is_active=True).order_by("pk"))
    chairs = sorted(
        User.objects.filter(
            role_assignments__role="triagevoorzitter", role_assignments__house=house
        ).values_list("email", flat=True)
    )
    mail.outbox.clear()

    log_in(page, base, "wijkagent.heerlen")
    page.goto(f"{base}/aanmelden/{house.pk}/")
    expect(page.get_by_role("heading", name="Nieuwe aanmelding")).to_be_visible()
    advice = page.locator("#acute-instructions")
    expect(advice).to_contain_text("Is het acuut? Wacht niet op de triage.")
    expect(advice).to_contain_text("bel 112")
    expect(advice).to_contain_text("Veilig Thuis")
    page.get_by_label("Voornamen (verplicht)").fill("Dewi")
    page.get_by_label("Achternaam (verplicht)").fill("Acuutstra")
    page.locator("#id_p-geboortedatum").fill("1990-02-03")
    page.get_by_label("Aanleiding").fill("Dreiging met geweld tegen de ex-partner, vandaag.")
    page.get_by_label("Urgentie (verplicht)").select_option("acuut")
    page.locator(f"#id_problem_{domains[0].pk}").fill("Acute dreiging in het gezin.")
    for criterion in criteria[:3]:
        page.locator(f"#id_crit_{criterion.number}").check()
        page.locator(f"#id_crit_{criterion.number}_uitleg").fill("Zie aanleiding.")
    page.get_by_label("Ja, de betrokkene is geïnformeerd").check()
    page.get_by_label("Hoe geïnformeerd, of waarom (nog) niet").fill("Mondeling door mij.")
    page.get_by_label("Ik ben als aanmelder verantwoordelijk").check()
    advice.scroll_into_view_if_needed()
    assert_accessible(page)
    shot(page, "j1-05-acute-form-advice")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Aanmelding PKS-"))).to_be_visible()
    expect(page.locator("#acute-instructions")).to_contain_text(
        "de triagevoorzitters zijn direct gewaarschuwd"
    )
    case = Case.objects.get(person__achternaam="Acuutstra")
    assert case.referral.urgency == Referral.Urgency.ACUUT
    shot(page, "j1-06-acute-submitted")

    # The chairs were told at once, by a link and nothing else.
    alerts = [m for m in mail.outbox if m.subject == "Ketenregie: acute aanmelding"]
    assert len(alerts) == 1 and sorted(alerts[0].to) == chairs
    assert f"/aanmeldingen/{case.pk}/" in alerts[0].body and "Acuutstra" not in alerts[0].body
    _log_out(page)

    # The chair's screening list: the acute referral first, marked in its own column.
    log_in(page, base, "tv.parkstad")
    _nav(page, "Screening")
    table = page.get_by_role("table", name="Aanmeldingen in screening en verrijking")
    expect(table.get_by_role("columnheader", name="Urgentie")).to_be_visible()
    first = table.locator("tbody tr").first
    expect(first).to_contain_text(case.code)
    expect(first.locator("td").first).to_have_text("Acuut")
    assert_accessible(page)
    shot(page, "j1-07-screening-acute-first")

    # Approved, and put on an extra triage in two hours instead of the weekly one.
    first.get_by_role("link", name=case.code).click()
    page.get_by_label("Goedkeuren voor verrijking").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Goedgekeurd; de bekendheidscheck is uitgezet.")).to_be_visible()
    moment = timezone.localtime(timezone.now() + dt.timedelta(hours=2)).replace(
        second=0, microsecond=0
    )
    page.get_by_label("Voorgesteld escalatieniveau (de-escalatiemodel)").select_option("4")
    page.get_by_label("Weging van de antwoorden").fill("Acuut: direct bespreken.")
    expect(page.get_by_label("Een extra triage (acuut) op het moment dat u kiest")).to_be_checked()
    page.get_by_label("Datum extra triage").fill(moment.date().isoformat())
    page.get_by_label("Begintijd extra triage").fill(f"{moment:%H:%M}")
    assert_accessible(page)
    shot(page, "j1-08-extra-triage-form")
    page.get_by_role("button", name="Agenderen").click()
    expect(
        page.get_by_text("Op een extra triage gezet; de aanmelder is uitgenodigd.")
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name=f"Extra integrale triage {_dutch_day(moment.date())}")
    ).to_be_visible()
    item = AgendaItem.objects.get(referral__case=case)
    assert item.meeting.ad_hoc and item.meeting.starts_at == moment
    shot(page, "j1-09-extra-triage")
    _nav(page, "Triage")
    expect(page.get_by_role("link", name=re.compile(f"{moment:%H:%M} uur"))).to_be_visible()
    expect(page.get_by_text("extra triage (acuut)").first).to_be_visible()
    assert_accessible(page)
    shot(page, "j1-10-triage-list-extra")


def test_journey_1_submitted_after_cutoff_is_discussed_a_week_later(page: Page, demo: Any) -> None:
    """The clock (process-wide, so also the live server's) just before and after the
    last cut-off: the form and the submitted referral show the dates of the rule."""
    base = demo.url
    house = _parkstad()
    log_in(page, base, "wijkagent.heerlen")
    last_cutoff = schedule.cutoff_after(house, timezone.now() - dt.timedelta(days=7))
    before_day = schedule.first_triage_date(house, last_cutoff - dt.timedelta(minutes=2))
    after_day = schedule.first_triage_date(house, last_cutoff + dt.timedelta(minutes=1))
    assert after_day == before_day + dt.timedelta(days=7)

    with time_machine.travel(last_cutoff - dt.timedelta(minutes=2), tick=True):
        page.goto(f"{base}/aanmelden/{house.pk}/")
        expect(page.locator("main p strong").first).to_have_text(_dutch_day(before_day))
    with time_machine.travel(last_cutoff + dt.timedelta(minutes=1), tick=True):
        page.reload()
        expect(page.locator("main p strong").first).to_have_text(_dutch_day(after_day))
        page.get_by_label("Voornamen (verplicht)").fill("Lieke")
        page.get_by_label("Achternaam (verplicht)").fill("Na-de-deadline")
        page.get_by_label("Aanleiding").fill("Zorgwekkende situatie.")
        domain = LifeDomain.objects.order_by("pk")[0]
        page.locator(f"#id_problem_{domain.pk}").fill("Schulden.")
        page.get_by_label("Nee, (nog) niet geïnformeerd").check()
        page.get_by_label("Hoe geïnformeerd, of waarom (nog) niet").fill("Eerst afstemmen.")
        page.get_by_label("Ik ben als aanmelder verantwoordelijk").check()
        page.get_by_role("button", name="Aanmelden").click()
        expect(page.locator("#triage-date")).to_have_text(f"{_dutch_day(after_day)} om 13:00 uur")
        shot(page, "j1-05-after-cutoff")
    referral = Referral.objects.get(case__person__achternaam="Na-de-deadline")
    assert referral.triage_meeting is not None
    assert referral.triage_meeting.date == after_day


# ------------------------------------------------------------------ journey 2


def test_journey_2_chair_screens_and_partners_enrich(page: Page, demo: Any) -> None:
    base = demo.url
    house = _parkstad()
    keep = _referral_with_duplicate(house)
    known = keep.person
    earlier = [c for m in possible_duplicates(known) for c in m.cases]
    other = _submitted_referral(
        "agent.venlo",
        house,
        voornamen="Lieke",
        achternaam="Peeters-Venrooij",
        geboortedatum=dt.date(1979, 5, 17),
        woonplaats="Venlo",
    )
    other_code, other_person_id = other.code, other.person_id

    chair_codes: set[str] = set()
    _log_in_once_per_code(page, base, "tv.parkstad", chair_codes)
    _nav(page, "Screening")
    expect(page.get_by_role("heading", name="Screening en verrijking")).to_be_visible()
    row = page.get_by_role("row", name=re.compile(other_code))
    expect(row).to_contain_text("Aangemeld, in screening")
    expect(page.get_by_role("row", name=re.compile(keep.code))).to_contain_text("mogelijk bekend")
    assert_accessible(page)
    shot(page, "j2-01-screening-list")

    # Reject the Venlo referral as belonging to another region.
    row.get_by_role("link", name=other_code).click()
    expect(page.get_by_role("heading", name=f"Aanmelding {other_code}")).to_be_visible()
    expect(page.get_by_text("Geen mogelijke dubbelen gevonden.")).to_be_visible()
    expect(page.get_by_role("heading", name="Screening: besluit")).to_be_visible()
    # The demo holds earlier weeks' counts; this decision adds one to this week's.
    this_week = RejectionCount.objects.filter(
        house=house, category=Referral.RejectCategory.OTHER_REGION, week=monday_of(today())
    )
    before = sum(this_week.values_list("count", flat=True))
    page.get_by_label("Niet agenderen: aanmelder informeren en aanmelding verwijderen").check()
    page.get_by_label("Reden (bij niet agenderen)").select_option(label="Hoort in een andere regio")
    page.get_by_label("Toelichting reden").fill("Betrokkene woont in Venlo.")
    page.get_by_label("Advies aan de aanmelder").fill("Meld aan bij de Lokale PGA Venlo.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Niet geagendeerd: de aanmelder is geïnformeerd")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(other_code))).to_have_count(0)
    assert not Case.objects.filter(code=other_code).exists()
    assert not Person.objects.filter(pk=other_person_id).exists()
    assert sum(this_week.values_list("count", flat=True)) == before + 1
    feedback = Feedback.objects.get(
        case_code=other_code, message__startswith="Uw aanmelding is niet geagendeerd."
    )
    assert feedback.recipient.username == "agent.venlo" and feedback.case_id is None
    assert "Meld aan bij de Lokale PGA Venlo." in feedback.message
    shot(page, "j2-03-rejected")

    # The other is a person known from an earlier case: approve it for enrichment.
    page.get_by_role("link", name=keep.code).click()
    expect(page.get_by_role("heading", name=f"Aanmelding {keep.code}")).to_be_visible()
    dupes = page.locator("section", has=page.get_by_role("heading", name="Mogelijke dubbelen"))
    expect(dupes).to_contain_text("Deze persoon lijkt al bekend")
    expect(dupes).to_contain_text("naam en geboortedatum komen overeen")
    for case in earlier:
        expect(dupes).to_contain_text(case.code)
    assert_accessible(page)
    shot(page, "j2-02-referral-duplicates")
    page.get_by_label("Goedkeuren voor verrijking").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Goedgekeurd; de bekendheidscheck is uitgezet.")).to_be_visible()
    keep.refresh_from_db()
    assert keep.status == Status.VERRIJKING
    fixed = HousePartner.objects.filter(house=house, is_fixed_triage_partner=True).count()
    assert EnrichmentRequest.objects.filter(referral__case=keep).count() == fixed
    expect(page.get_by_role("heading", name="Bekendheidscheck")).to_be_visible()
    _log_out(page)

    # A fixed partner answers: "Bekend" with a summary but no legal basis first.
    log_in(page, base, "ggz.behandelaar")
    _nav(page, "Bekendheidscheck")
    expect(page.get_by_role("heading", name="Verzoeken om een bekendheidscheck")).to_be_visible()
    assert_accessible(page)
    shot(page, "j2-04-enrichment-list")
    page.get_by_role("link", name=keep.code).click()
    expect(page.get_by_role("heading", name=f"Bekendheidscheck {keep.code}")).to_be_visible()
    expect(page.get_by_text(known.full_name)).to_be_visible()
    summary = "In behandeling sinds 2024; afspraken worden vaak afgezegd."
    page.get_by_label("Bekend", exact=True).check()
    page.get_by_label("Samenvatting van wat relevant is").fill(summary)
    page.get_by_role("button", name="Antwoord opslaan").click()
    expect(page.get_by_text("Informatie delen mag alleen met een grondslag")).to_be_visible()
    expect(page.get_by_label("Samenvatting van wat relevant is")).to_have_value(summary)
    expect(page.get_by_label("Bekend", exact=True)).to_be_checked()
    assert_accessible(page)
    shot(page, "j2-05-enrichment-error")
    page.get_by_label("Grondslag voor het delen (AVG art. 6)").select_option("publieke_taak")
    page.get_by_label("Bijzondere of strafrechtelijke gegevens: uitzondering").select_option("zorg")
    page.get_by_label("Beroepsgeheim: grond om het te doorbreken").select_option(
        "conflict_van_plichten"
    )
    fill_necessity(page)
    page.get_by_role("button", name="Antwoord opslaan").click()
    expect(page.get_by_text("Uw antwoord is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(keep.code))).to_contain_text("Bekend")
    answer = EnrichmentRequest.objects.get(
        referral__case=keep, organisation__name__startswith="GGZ"
    )
    assert (answer.answer, answer.legal_basis) == ("bekend", "publieke_taak")
    shot(page, "j2-06-enrichment-answered")
    _log_out(page)

    # The chair sees the bundled answers and puts the case on the agenda.
    _log_in_once_per_code(page, base, "tv.parkstad", chair_codes)
    page.goto(f"{base}/aanmeldingen/{keep.pk}/")
    answers = page.get_by_role("table", name="Antwoorden van de vaste partners")
    ggz_row = answers.get_by_role("row", name=re.compile("GGZ"))
    expect(ggz_row).to_contain_text("Bekend")
    expect(ggz_row).to_contain_text(summary)
    expect(ggz_row).to_contain_text("Taak van algemeen belang")
    expect(answers.get_by_text("nog geen antwoord")).to_have_count(fixed - 1)
    expect(page.get_by_role("heading", name="Weging en agenderen")).to_be_visible()
    assert_accessible(page)
    shot(page, "j2-07-bundled-answers")
    page.get_by_label("Voorgesteld escalatieniveau (de-escalatiemodel)").select_option("4")
    page.get_by_label("Weging van de antwoorden").fill(
        "GGZ bekend, zorg mijdend; ketenbreed nodig."
    )
    page.get_by_role("button", name="Agenderen").click()
    expect(page).to_have_url(re.compile(r"/triage/\d+/$"))
    expect(page.get_by_text("Geagendeerd; de aanmelder is uitgenodigd.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(keep.code))).to_be_visible()
    keep.refresh_from_db()
    assert keep.status == Status.GEAGENDEERD
    item = AgendaItem.objects.get(referral__case=keep)
    assert item.referral.proposed_level == 4
    assert page.url.endswith(f"/triage/{item.meeting_id}/")
    shot(page, "j2-08-on-agenda")

    # The case's timeline tells the bekendheidscheck as one step: how many of the partners
    # asked have answered, each answer under it in Dutch.
    page.goto(f"{base}/casussen/{keep.pk}/")
    timeline = page.locator("#timeline")
    step = timeline.locator(".kr-timeline__item--group", has_text="Bekendheidscheck:")
    expect(step.get_by_text(f"Bekendheidscheck: 1 van {fixed} partners geantwoord")).to_be_visible()
    step.get_by_text(re.compile(r"^Toon de \d+ gebeurtenissen$")).click()
    expect(step).to_contain_text("Aanmelding doorgezet naar bekendheidscheck")
    expect(step).to_contain_text("antwoord: (leeg) → bekend")
    expect(timeline).not_to_contain_text("enrichment.answered")
    page.get_by_label("Fase").select_option(label="Start PGA")
    expect(timeline).to_contain_text("Geen gebeurtenissen in deze fase.")
    page.get_by_label("Fase").select_option(label="Aanmelding en triage")
    expect(timeline).to_contain_text("Aanmelding geagendeerd voor integrale triage")
    assert_accessible(page)
    shot(page, "j2-09-timeline-bekendheidscheck")


def test_journey_2_screening_list_flags_duplicates_among_new_referrals(
    page: Page, demo: Any
) -> None:
    house = _parkstad()
    first = _submitted_referral(
        "wijkagent.heerlen",
        house,
        voornamen="Quirijn",
        tussenvoegsel="van der",
        achternaam="Zwaluw",
        geboortedatum=dt.date(1991, 3, 14),
    )
    again = _submitted_referral(
        "agent.venlo",
        house,
        voornamen="Quirijn",
        achternaam="Vanderzwaluw",
        geboortedatum=dt.date(1991, 3, 14),
    )
    assert possible_duplicates(again.person), "the name variant is recognised on its own"
    # The referrer adds what they learnt after submitting (until the screening decides).
    log_in(page, demo.url, "agent.venlo")
    page.goto(f"{demo.url}/aanmeldingen/{again.pk}/")
    page.get_by_role("link", name="Informatie of bijlagen toevoegen").click()
    expect(page.get_by_role("heading", name=f"Aanmelding {again.code} aanvullen")).to_be_visible()
    page.get_by_label("Aanvulling").fill("Sinds gisteren verblijft hij bij zijn broer.")
    assert_accessible(page)
    page.get_by_role("button", name="Aanvulling toevoegen").click()
    expect(page.get_by_text("Uw aanvulling is toegevoegd aan de aanmelding.")).to_be_visible()
    shot(page, "j2-09-referrer-added-information")
    _log_out(page)

    log_in(page, demo.url, "tv.parkstad")
    _nav(page, "Screening")
    for case in (first, again):
        expect(page.get_by_role("row", name=re.compile(case.code))).to_contain_text(
            "mogelijk bekend", timeout=2000
        )
    # The chair sees the aanvulling and links the new referral to the earlier one; the
    # earlier case's team is told by a link-only e-mail.
    page.goto(f"{demo.url}/aanmeldingen/{again.pk}/")
    expect(page.get_by_text("Sinds gisteren verblijft hij bij zijn broer.")).to_be_visible()
    link_form = page.locator("#link-form")
    link_form.get_by_label(re.compile(first.code)).check()
    assert_accessible(page)
    link_form.get_by_role("button", name="Koppelen aan eerdere casus").click()
    expect(
        page.get_by_text("Gekoppeld aan de eerdere casus; het casusteam daarvan is geïnformeerd.")
    ).to_be_visible()
    expect(page.locator("#linked-case")).to_contain_text(first.code)
    shot(page, "j2-10-linked-to-earlier-case")
    assert Referral.objects.get(case=again).linked_case_id == first.pk


# ------------------------------------------------------------------ journey 3


def test_journey_3_chair_runs_the_weekly_triage(
    page: Page, demo: Any, request: pytest.FixtureRequest
) -> None:
    base = demo.url
    house = _parkstad()
    meeting = _coming_meeting_with_items(house, 3)
    absent, start, no_pga = _open_items(meeting)[:3]
    procesregisseur = User.objects.get(username="pr.parkstad")
    # Attendance and outcomes are recorded during the triage: the clock moves to its start.
    if timezone.now() < meeting.starts_at:
        clock = time_machine.travel(meeting.starts_at + dt.timedelta(minutes=1), tick=True)
        clock.start()
        request.addfinalizer(clock.stop)

    log_in(page, base, "tv.parkstad")
    _nav(page, "Triage")
    expect(page.get_by_role("heading", name="Integrale triage", exact=True)).to_be_visible()
    assert_accessible(page)
    shot(page, "j3-01-triage-list")
    page.get_by_role("link", name=_dutch_day(meeting.date)).click()
    expect(
        page.get_by_role("heading", name=f"Integrale triage {_dutch_day(meeting.date)}")
    ).to_be_visible()

    # 20-minute slots from the start of the triage, in agenda order.
    start_local = timezone.localtime(meeting.starts_at)
    for item in (absent, start, no_pga):
        slot = start_local + dt.timedelta(minutes=20 * (item.position - 1))
        end = slot + dt.timedelta(minutes=20)
        expect(_agenda_item_section(page, item).get_by_role("heading")).to_contain_text(
            f"{slot:%H:%M}–{end:%H:%M} · {item.referral.case.code}"
        )
    assert_accessible(page)
    shot(page, "j3-02-agenda")

    # The referrer is absent: the case moves to the next triage.
    section = _agenda_item_section(page, absent)
    section.get_by_label("Afwezig: naar de volgende triage").check()
    section.get_by_role("button", name=re.compile("^Aanwezigheid vastleggen")).click()
    expect(page.get_by_text("Aanmelder afwezig: de casus is verplaatst")).to_be_visible()
    expect(_agenda_item_section(page, absent)).to_contain_text("Verplaatst naar volgende triage")
    absent.refresh_from_db()
    assert absent.outcome == AgendaItem.Outcome.MOVED and absent.referrer_present is False
    moved = AgendaItem.objects.get(referral=absent.referral, outcome="")
    assert moved.meeting.date == meeting.date + dt.timedelta(days=7)
    shot(page, "j3-03-absent-moved")

    # Present, and the triage starts a PGA.
    section = _agenda_item_section(page, start)
    section.get_by_label("Aanwezig", exact=True).check()
    section.get_by_role("button", name=re.compile("^Aanwezigheid vastleggen")).click()
    expect(page.get_by_text("Aanwezigheid vastgelegd.")).to_be_visible()
    _agenda_item_section(page, start).get_by_role(
        "link", name=re.compile("^Uitkomst vastleggen")
    ).click()
    expect(
        page.get_by_role("heading", name=f"Uitkomst triage {start.referral.case.code}")
    ).to_be_visible()
    assert_accessible(page)
    shot(page, "j3-04-outcome-form")
    page.get_by_label("Start PGA", exact=True).check()
    page.get_by_label("Procesregisseur (bij start PGA)").select_option(
        label=procesregisseur.get_full_name()
    )
    fixed = list(
        HousePartner.objects.filter(house=house, is_fixed_triage_partner=True).values_list(
            "organisation__name", flat=True
        )
    )
    for name in fixed:  # need to know: no partner is proposed by default
        expect(page.get_by_label(name, exact=True)).not_to_be_checked()
    chosen = sorted(fixed)[:3]  # the chair ticks whom the case needs
    for name in chosen:
        page.get_by_label(name, exact=True).check()
    incidental = page.get_by_role("group", name="Incidentele deelnemer 1")
    incidental.get_by_label("Organisatie").select_option(label="Woningcorporatie Zuid (demo)")
    incidental.get_by_label("Rechtvaardiging").select_option("expertise")
    incidental.get_by_label("Toelichting").fill("Huurachterstand en dreigende ontruiming.")
    page.get_by_role("button", name="Uitkomst vastleggen").click()
    expect(page.get_by_text("Uitkomst vastgelegd; de aanmelder is geïnformeerd.")).to_be_visible()
    expect(_agenda_item_section(page, start)).to_contain_text("Start PGA")
    case = Case.objects.get(pk=start.referral.case_id)
    assert case.status == Status.PGA_GESTART
    assert CaseMembership.objects.filter(
        case=case, role=CaseRole.PROCESREGISSEUR, user=procesregisseur
    ).exists()
    assert (
        sorted(
            Invitee.objects.filter(case=case, incidental=False).values_list(
                "organisation__name", flat=True
            )
        )
        == chosen
    )
    inv = Invitee.objects.get(case=case, incidental=True)
    assert inv.organisation.name == "Woningcorporatie Zuid (demo)"
    assert inv.justification == Invitee.Justification.EXPERTISE

    # Present, no PGA: advice is required and reaches the referrer.
    section = _agenda_item_section(page, no_pga)
    section.get_by_label("Aanwezig", exact=True).check()
    section.get_by_role("button", name=re.compile("^Aanwezigheid vastleggen")).click()
    _agenda_item_section(page, no_pga).get_by_role(
        "link", name=re.compile("^Uitkomst vastleggen")
    ).click()
    page.get_by_label("Geen PGA (advies aan aanmelder)").check()
    page.get_by_role("button", name="Uitkomst vastleggen").click()
    expect(page.get_by_text("Geef de aanmelder een advies over andere steun.")).to_be_visible()
    shot(page, "j3-05-outcome-error")
    advice = "Aanmelden bij het sociaal wijkteam voor schuldhulpverlening."
    page.get_by_label("Advies aan de aanmelder (bij geen PGA)").fill(advice)
    page.get_by_role("button", name="Uitkomst vastleggen").click()
    expect(page.get_by_text("Uitkomst vastgelegd; de aanmelder is geïnformeerd.")).to_be_visible()
    expect(_agenda_item_section(page, no_pga)).to_contain_text(advice)
    assert Case.objects.get(pk=no_pga.referral.case_id).status == Status.GEEN_PGA
    shot(page, "j3-06-agenda-decided")
    _log_out(page)

    # The referrer receives the outcome with the advice.
    referrer = no_pga.referral.referrer
    log_in(page, base, referrer.username)
    _nav(page, "Mijn aanmeldingen")
    expect(page.get_by_text(f"De triage start geen PGA. Advies: {advice}")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(no_pga.referral.case.code))).to_contain_text(
        "Geen PGA"
    )
    shot(page, "j3-07-referrer-feedback")
