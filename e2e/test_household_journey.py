"""Issue 15's browser journey, walked end to end through the real pages of the household
variant (seed 002): a mother and her three children (15, 9 and 4) are referred with
signals of domestic violence, the screener starts coordination without the triage with
a procesregisseur of profile B, who records the household (the father out of the home),
makes one plan with goals per member and a required safety plan, walks the meldcode and
answers its decision questions at two case meetings, gives a Verwijsindex signal for the
15-year-old, and raises the case from level 3 to 4, which asks for a B+ procesregisseur
and hands procesregie over to one. Every page is checked with axe; screenshots
test-artifacts/15-journey-NN-*.png.

The journey's facts are made only through the pages; the database is read to find ids
and to assert what the pages wrote.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import assert_accessible, log_in, shot
from ketenregie.accounts.models import CompetenceProfile, House, User
from ketenregie.cases.models import Case, CaseMembership, CaseRole, HouseholdMember, LifeDomain
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.plans.models import Goal, Meeting, PlanVersion, SafetyContact
from ketenregie.safeguarding.meldcode_models import DecisionAnswers, MeldcodeStep
from ketenregie.safeguarding.vi_models import RiskCategory, VerwijsindexSignal

SURNAME = "Vermeulen-Journey"
REFERRER = "wijkteam.venlo"  # the demo's referrer at the Venlo house
CHAIR = "tv.venlo"  # its screener and triage chair


def _born(years: int, days: int = 40) -> dt.date:
    """A date of birth `years` (and a few weeks) before today, computed at run time."""
    now = today()
    try:
        birthday = now.replace(year=now.year - years)
    except ValueError:  # 29 February
        birthday = now.replace(year=now.year - years, day=28)
    return birthday - dt.timedelta(days=days)


def _logout_login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, base, username)


def _refer(page: Page, base: str, house: House) -> Case:
    """Step 1: the referral of the household, through the real referral form."""
    log_in(page, base, REFERRER)
    page.goto(f"{base}/aanmelden/{house.pk}/")
    expect(page.get_by_role("heading", name="Nieuwe aanmelding")).to_be_visible()
    page.get_by_label("Voornamen (verplicht)").fill("Marieke")
    page.get_by_label("Achternaam (verplicht)").fill(SURNAME)
    page.locator("#id_p-geboortedatum").fill(_born(38).isoformat())
    page.get_by_label("Straat en huisnummer").fill("Kaldenkerkerweg 15")
    page.get_by_label("Woonplaats").fill("Venlo")
    for n, (name, years) in enumerate((("Sven", 15), ("Roos", 9), ("Bram", 4)), start=1):
        member = page.get_by_role("group", name=f"Gezinslid {n}")
        member.get_by_label("Voornamen").fill(name)
        member.get_by_label("Achternaam").fill(SURNAME)
        member.get_by_label("Geboortedatum").fill(_born(years).isoformat())
        member.get_by_label("Relatie tot betrokkene").select_option(label="Kind")
    page.get_by_label("Aanleiding").fill(
        "Moeder vertelt over huiselijk geweld door haar ex-partner, de vader van de kinderen; "
        "de kinderen waren erbij. School ziet dat Sven (15) zich terugtrekt en spijbelt."
    )
    page.get_by_label("Urgentie (verplicht)").select_option("hoog")
    page.get_by_label("Doel van de casusbespreking").fill(
        "Eén plan voor het hele gezin, met een veiligheidsplan."
    )
    domains = {d.name: d.pk for d in LifeDomain.objects.filter(is_active=True)}
    for name, problem in (
        ("Huiselijke relaties", "Geweld door de ex-partner; de kinderen zijn getuige geweest."),
        ("Werk & opleiding", "Sven (15) verzuimt steeds vaker van school."),
    ):
        page.locator(f"#id_problem_{domains[name]}").fill(problem)
    # The household criteria: signals of unsafety and violence, two providers involved.
    for number, why in (
        (4, "Signalen van huiselijk geweld; de kinderen waren getuige."),
        (2, "Wijkteam en GGZ zijn betrokken."),
    ):
        page.locator(f"#id_crit_{number}").check()
        page.locator(f"#id_crit_{number}_uitleg").fill(why)
    page.get_by_label("Ja, de betrokkene is geïnformeerd").check()
    page.get_by_label("Hoe geïnformeerd, of waarom (nog) niet").fill("In een gesprek met mij.")
    page.get_by_label("Ik ben als aanmelder verantwoordelijk").check()
    assert_accessible(page)
    shot(page, "15-journey-01-referral-form")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Aanmelding VNL-"))).to_be_visible()
    assert_accessible(page)
    shot(page, "15-journey-02-referral-submitted")
    case = Case.objects.select_related("house").get(person__achternaam=SURNAME)
    assert case.status == Status.AANGEMELD and case.household_id is not None
    return case


def _start_without_triage(page: Page, base: str, case: Case, regisseur: User) -> None:
    """Step 2: the chair starts coordination without the triage, naming a B regisseur."""
    _logout_login(page, base, CHAIR)
    page.goto(f"{base}/aanmeldingen/{case.pk}/")
    section = page.locator("section", has=page.get_by_role("heading", name="Huishoudvariant"))
    expect(section).to_contain_text("voldoet aan de criteria voor kwetsbare huishoudens")
    section.get_by_label("Procesregisseur").select_option(str(regisseur.pk))
    # Issue 15 (consent): the mother gives consent to coordination, recorded with the start.
    section.get_by_label("Ja, de klant geeft toestemming: nu vastleggen").check()
    section.get_by_label("Gegeven door (gezinslid)").select_option(index=1)
    section.get_by_label("Gegeven op").fill(today().isoformat())
    section.get_by_label("Mondeling").check()
    assert_accessible(page)
    shot(page, "15-journey-03-start-without-triage")
    section.get_by_role("button", name="Coördinatie starten zonder triage").click()
    expect(page.get_by_text("De coördinatie is gestart")).to_be_visible()
    case.refresh_from_db()
    assert case.status == Status.PGA_GESTART
    lead = CaseMembership.objects.active_on(today()).get(case=case, role=CaseRole.PROCESREGISSEUR)
    assert lead.user_id == regisseur.pk


def _household(page: Page, base: str, case: Case) -> None:
    """Step 3a: the father (out of the home), a network contact and consent."""
    page.goto(f"{base}/casussen/{case.pk}/")
    page.get_by_role("link", name="Huishouden, netwerk en toestemming").click()
    expect(page.get_by_role("heading", name=f"Huishouden van casus {case.code}")).to_be_visible()
    members = page.locator("#members")
    for name in ("Sven", "Roos", "Bram"):
        expect(members).to_contain_text(f"{name} {SURNAME}")

    page.get_by_role("link", name="Gezinslid toevoegen").click()
    page.get_by_label("Voornamen").fill("Dennis")
    page.get_by_label("Achternaam").fill("Vermeulen")
    page.get_by_label("Geboortedatum").fill(_born(41).isoformat())
    page.get_by_label("Rol in het gezin").select_option("vader")
    page.get_by_label("Gezag").select_option("ja")
    page.get_by_label("Woont in het huis").uncheck()
    page.get_by_label("Lid van het huishouden vanaf").fill(_born(16).isoformat())
    assert_accessible(page)
    shot(page, "15-journey-04-father-form")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het gezinslid is toegevoegd.")).to_be_visible()
    father = HouseholdMember.objects.get(household_id=case.household_id, person__voornamen="Dennis")
    assert not father.lives_in_home
    assert father.custody == HouseholdMember.Custody.JA
    # The referral did not say who has custody: the mother has it too.
    page.locator("#members tr", has_text=f"Marieke {SURNAME}").get_by_role(
        "link", name="Wijzigen"
    ).click()
    page.get_by_label("Gezag").select_option("ja")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#members tr", has_text=f"Marieke {SURNAME}")).to_contain_text(
        "Ja, heeft gezag"
    )

    page.get_by_role("link", name="Netwerkcontact toevoegen").click()
    page.get_by_label("Naam").fill("Zus Ingrid")
    page.get_by_label("Relatie").select_option("familie")
    page.get_by_label("Veiligheid (bijv. opvang, meekijken)").check()
    page.get_by_label("Welke steun geeft deze persoon?").fill(
        "Opvangadres voor moeder en de kinderen als de vader dreigt."
    )
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#network")).to_contain_text("Zus Ingrid")

    # Consent to coordination came with the start; now consent to share with partners.
    expect(page.locator("#coordination-start")).to_contain_text("met toestemming van")
    page.get_by_role("link", name="Toestemming vastleggen").click()
    page.get_by_label("Toestemming voor").select_option("delen_partners")
    page.get_by_label("Met welke partners of personen").fill("Veilig Thuis, school, huisarts")
    page.get_by_label("Gegeven door (gezinslid)").select_option(index=1)
    page.get_by_label("Schriftelijk").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#consents")).to_contain_text("Veilig Thuis, school, huisarts")
    assert_accessible(page)
    shot(page, "15-journey-05-household")


def _form(page: Page, button: str) -> Locator:
    """The form that holds the submit button with this exact name."""
    return page.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))


def _start_execution(page: Page, base: str, case: Case) -> None:
    """Step 3b: the mother informed, the start conversation held, the PGA running."""
    page.goto(f"{base}/casussen/{case.pk}/")
    page.get_by_role("link", name="Start PGA en informeren").click()
    informing = _form(page, "Informeren vastleggen")
    informing.get_by_label("Geïnformeerd", exact=True).check()
    informing.get_by_label("Door wie").fill("De procesregisseur, in een gesprek met moeder")
    informing.get_by_label("Hoe", exact=True).select_option(index=1)
    informing.get_by_role("button", name="Informeren vastleggen").click()
    expect(page.locator(".kr-messages")).to_contain_text("Vastgelegd.")
    conversation = _form(page, "Startgesprek vastleggen")
    conversation.get_by_label("Startgesprek gevoerd").check()
    for label in (
        "Uitgelegd: waarom de PGA",
        "Uitgelegd: wat de PGA betekent",
        "Uitgelegd: welke gegevens worden gedeeld",
        "Uitgelegd: zijn of haar rechten",
    ):
        conversation.get_by_label(label).check()
    conversation.get_by_label("Eigen kijk van de betrokkene").fill(
        "Moeder wil rust voor de kinderen en dat de vader op afstand blijft."
    )
    conversation.get_by_role("button", name="Startgesprek vastleggen").click()
    expect(page.locator(".kr-messages")).to_contain_text("Startgesprek vastgelegd.")
    assert_accessible(page)
    shot(page, "15-journey-06-start-pga")
    page.get_by_role("button", name="PGA in uitvoering nemen").click()
    expect(page.locator(".kr-messages")).to_contain_text("De PGA is in uitvoering")
    case.refresh_from_db()
    assert case.status == Status.IN_UITVOERING


def _add_goal(page: Page, member: str | None, text: str, enough: str) -> None:
    goals = page.locator("#goal_form")
    goals.locator("summary", has_text="Doel toevoegen").click()
    who = goals.get_by_label("Voor wie")
    if member is None:
        who.select_option(label="Het hele gezin (cliëntsysteem)")
    else:
        label = next(o for o in who.locator("option").all_text_contents() if member in o)
        who.select_option(label=label)
    goals.get_by_label("Doel: wat wilt u bereiken?").fill(text)
    goals.get_by_label("Goed genoeg om af te sluiten als").fill(enough)
    goals.get_by_label("Positief geformuleerd").check()
    goals.get_by_label("Gericht op de toekomst").check()
    goals.get_by_role("button", name="Doel toevoegen").click()
    expect(page.get_by_text("Doel toegevoegd.")).to_be_visible()


def _plan_refused_then_safety_plan(page: Page, base: str, case: Case) -> None:
    """Step 3b: one plan, goals per member and for the whole system; adoption is refused
    until the required safety plan has incidents and an agreement."""
    page.goto(f"{base}/casussen/{case.pk}/plan/")
    start = page.get_by_role("button", name="Plan van aanpak starten")
    if start.count():
        start.click()
        expect(page.get_by_text("Plan van aanpak gestart.")).to_be_visible()
    texts = page.locator("#text_form")
    texts.get_by_label("Gezamenlijk doel").fill(
        "Moeder en de kinderen wonen veilig thuis en de kinderen gaan elke dag naar school."
    )
    texts.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#text_form").get_by_label("Gezamenlijk doel")).to_contain_text(
        "wonen veilig thuis"
    )
    _add_goal(page, None, "Thuis is het rustig en veilig.", "Drie maanden geen incident.")
    _add_goal(page, "Marieke", "Ik weet wie ik bel als het misgaat.", "Het plan ligt klaar.")
    _add_goal(page, "Sven", "Ik ga elke dag naar school.", "Zes weken geen verzuim.")
    _add_goal(page, "Roos", "Ik slaap weer rustig.", "Vier weken doorslapen.")
    _add_goal(page, "Bram", "Ik ga met plezier naar de opvang.", "Vaste dagen opvang.")
    plan_goals = Goal.objects.filter(plan__case=case)
    assert plan_goals.filter(member__isnull=True).count() == 1
    assert plan_goals.exclude(member__isnull=True).count() == 4
    expect(page.locator("#safety-required")).to_contain_text("Veiligheidsplan verplicht.")
    shot(page, "15-journey-07-plan-goals")

    page.get_by_role("button", name="Plan vaststellen").click()
    expect(page.get_by_text("Leg eerst een veiligheidsplan met ten minste").first).to_be_visible()
    assert not PlanVersion.objects.filter(plan__case=case).exists()
    assert_accessible(page)
    shot(page, "15-journey-08-adopt-refused")

    page.goto(f"{base}/casussen/{case.pk}/veiligheidsplan/")
    start = page.get_by_role("button", name="Veiligheidsplan starten")
    if start.count():
        start.click()
    form = page.locator("#safety_form")
    form.get_by_label("Zorgen over onveiligheid").fill(
        "Vader dreigt bij de overdracht van de kinderen; moeder is geslagen."
    )
    form.get_by_label("Eerste incident: datum").fill((today() - dt.timedelta(days=200)).isoformat())
    form.get_by_label("Eerste incident: wat is er gebeurd").fill(
        "Vader schreeuwde en gooide met spullen; Sven belde oma."
    )
    form.get_by_label("Ergste incident: datum").fill((today() - dt.timedelta(days=60)).isoformat())
    form.get_by_label("Ergste incident: wat is er gebeurd").fill(
        "Vader sloeg moeder in de keuken; Roos en Bram zagen het."
    )
    form.get_by_label("Laatste incident: datum").fill((today() - dt.timedelta(days=9)).isoformat())
    form.get_by_label("Laatste incident: wat is er gebeurd").fill(
        "Vader dreigde bij de overdracht van de kinderen bij school."
    )
    # The contacts are rows (seed 002 7.2): the aunt in the first empty row.
    row = SafetyContact.objects.filter(safety_plan__case=case).count() + 1
    form.get_by_label(f"Contactpersoon {row}: naam").fill("Zus Ingrid")
    form.get_by_label(f"Contactpersoon {row}: rol of relatie").fill("zus van moeder, veilig adres")
    form.get_by_label(f"Contactpersoon {row}: telefoonnummer").fill("06-12340009")
    form.get_by_label(f"Contactpersoon {row}: wanneer te bellen").fill(
        "Als vader dreigt bij de overdracht."
    )
    form.get_by_role("button", name="Veiligheidsplan opslaan").click()
    expect(page.get_by_text("Veiligheidsplan bijgewerkt.").first).to_be_visible()
    expect(page.get_by_label(f"Contactpersoon {row}: naam")).to_have_value("Zus Ingrid")
    agreements = page.locator("#agreement_form")
    agreements.locator("summary", has_text="Afspraak toevoegen").click()
    agreements.get_by_label("Wat moet er concreet en direct gebeuren").fill(
        "De kinderen worden overgedragen bij oma, nooit thuis."
    )
    agreements.get_by_label("Wie", exact=True).fill("Moeder en vader")
    agreements.get_by_label("Waar en wanneer").fill("Bij oma, elke vrijdag")
    agreements.get_by_label("Wie ziet erop toe").fill("Zus Ingrid")
    agreements.get_by_label("Wat gebeurt er als de afspraak niet wordt nagekomen").fill(
        "Ingrid belt de procesregisseur; bij dreiging belt moeder 112."
    )
    agreements.get_by_role("button", name="Afspraak toevoegen").click()
    expect(page.get_by_role("table", name="Veiligheidsafspraken")).to_contain_text("nooit thuis")
    assert_accessible(page)
    shot(page, "15-journey-09-safety-plan")

    page.goto(f"{base}/casussen/{case.pk}/plan/")
    page.get_by_role("button", name="Plan vaststellen").click()
    expect(page.get_by_text("Leg eerst een veiligheidsplan met ten minste")).to_have_count(0)
    assert PlanVersion.objects.filter(plan__case=case).count() == 1
    assert_accessible(page)
    shot(page, "15-journey-10-plan-adopted")


def _earlier_today(hours_back: int) -> tuple[str, str]:
    """A start and end time earlier today (local), so the meeting has begun and falls on
    the day the meldcode trajectory started (where the questions are asked)."""
    now = timezone.localtime()
    start = now - dt.timedelta(hours=hours_back)
    if start.date() != now.date():  # just after midnight: the first minutes of today
        start = now.replace(hour=0, minute=(2 - hours_back) * 5, second=0, microsecond=0)
    end = start + dt.timedelta(minutes=5)
    return f"{start:%H:%M}", f"{end:%H:%M}"


def _plan_meeting(page: Page, base: str, case: Case, hours_back: int) -> Meeting:
    """A case meeting recorded afterwards (it took place earlier today), through the
    case's meeting page."""
    page.goto(f"{base}/casussen/{case.pk}/overleg/nieuw/")
    start, end = _earlier_today(hours_back)
    page.get_by_label("Datum").fill(today().isoformat())
    page.get_by_label("Begintijd").fill(start)
    page.get_by_label("Eindtijd").fill(end)
    page.get_by_label("Locatie").fill("Stadskantoor Venlo")
    page.locator("input[name='participants']").first.check()
    page.get_by_label("Achteraf vastleggen: dit overleg heeft al plaatsgevonden").check()
    before = set(Meeting.objects.filter(case=case).values_list("pk", flat=True))
    page.get_by_role("button", name="Plannen en uitnodigen").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return Meeting.objects.filter(case=case).exclude(pk__in=before).get()


def _answer_at_meeting(
    page: Page, base: str, meeting: Meeting, answers: dict[int, str], note: str
) -> None:
    page.goto(f"{base}/overleggen/{meeting.pk}/")
    panel = page.locator("#meldcode")
    expect(panel.get_by_role("heading", name="Meldcode: afwegingsvragen")).to_be_visible()
    for n, value in answers.items():
        panel.locator(f"input[name='q{n}'][value='{value}']").check()
    panel.get_by_label("Toelichting bij afweging 5").fill(note)
    panel.get_by_role("button", name="Afwegingsvragen vastleggen").click()
    expect(page.get_by_text("Afwegingsvragen van dit overleg vastgelegd.")).to_be_visible()


def _meldcode(page: Page, base: str, case: Case) -> None:
    """Step 4: the five steps, and the decision questions at two case meetings."""
    page.goto(f"{base}/casussen/{case.pk}/")
    page.get_by_role("link", name="Meldcode huiselijk geweld en kindermishandeling").click()
    expect(page.get_by_role("heading", name="Meldcode huiselijk geweld", level=1)).to_be_visible()
    page.get_by_role("button", name="Meldcodetraject starten").click()
    notes = {
        1: "Signalen in kaart: moeder geslagen, kinderen getuige, Sven spijbelt.",
        2: "Collegiale consultatie en advies bij Veilig Thuis gevraagd.",
        3: "Gesprek met moeder; zij bevestigt het geweld door de vader.",
        4: "Weging met de LIRIK: risico op herhaling, geen acuut gevaar.",
    }
    for number, note in notes.items():
        _record_step(page, number, note)
    assert_accessible(page)
    shot(page, "15-journey-11-meldcode-steps")

    # The decision questions at two case meetings, planned (afterwards) on the case.
    first = _plan_meeting(page, base, case, hours_back=2)
    assert_accessible(page)
    shot(page, "15-journey-12-meeting-1")
    _answer_at_meeting(
        page,
        base,
        first,
        {1: "ja", 2: "nee", 3: "ja", 4: "ja", 5: "ja"},
        "Het veiligheidsplan is net afgesproken; in het volgende overleg opnieuw wegen.",
    )
    assert_accessible(page)
    shot(page, "15-journey-13-meeting-1-questions")
    second = _plan_meeting(page, base, case, hours_back=1)
    _answer_at_meeting(
        page,
        base,
        second,
        {1: "ja", 2: "nee", 3: "ja", 4: "ja", 5: "ja"},
        "De overdracht bij oma loopt; vader houdt zich aan de afspraken.",
    )
    assert_accessible(page)
    shot(page, "15-journey-14-meeting-2-questions")
    answered = DecisionAnswers.objects.filter(trajectory__case=case)
    assert set(answered.values_list("meeting_id", flat=True)) == {first.pk, second.pk}

    # Step 5 rests on the last answers: decided on help, with the plan and safety plan.
    page.goto(f"{base}/casussen/{case.pk}/meldcode/")
    _record_step(page, 5, "Besloten: hulp via het plan van aanpak en het veiligheidsplan.")
    assert MeldcodeStep.objects.filter(trajectory__case=case).count() == 5
    assert_accessible(page)
    shot(page, "15-journey-15-meldcode-page")


def _record_step(page: Page, number: int, note: str) -> None:
    page.locator("summary", has_text="Stap vastleggen").click()
    page.locator("#step_number").select_option(str(number))
    page.get_by_label("Wat heeft u gedaan en vastgesteld").fill(note)
    if number == 2:
        page.get_by_label("Stap 2: Veilig Thuis om advies gevraagd").check()
    if number == 4:
        page.get_by_label("Stap 4: hoe is de weging ondersteund").select_option("lirik")
    page.get_by_role("button", name="Stap vastleggen").click()
    expect(page.get_by_text("Stap vastgelegd.")).to_be_visible()


def _verwijsindex(page: Page, base: str, case: Case) -> None:
    """Step 5: a Verwijsindex signal for the 15-year-old."""
    page.goto(f"{base}/casussen/{case.pk}/verwijsindex/")
    page.get_by_role("link", name="Signaal afgeven").click()
    expect(page.get_by_role("heading", name="Signaal afgeven in de Verwijsindex")).to_be_visible()
    page.get_by_label(f"Sven {SURNAME}", exact=False).check()
    page.get_by_label(str(RiskCategory.GEWELD.label)).check()
    page.get_by_label("Jongere of ouders geïnformeerd op").fill(today().isoformat())
    assert_accessible(page)
    shot(page, "15-journey-16-vi-form")
    page.get_by_role("button", name="Signaal afgeven").click()
    expect(page.get_by_text("Signaal afgegeven.")).to_be_visible()
    signal = VerwijsindexSignal.objects.get(case=case)
    assert signal.person.voornamen == "Sven"
    assert_accessible(page)
    shot(page, "15-journey-17-vi-signal")


def _escalate(page: Page, base: str, case: Case, holder: User, colleague: User) -> None:
    """Step 6: from level 3 to 4 asks for a B+ procesregisseur; handed over, resolved."""
    short = "Op niveau 4 is een procesregisseur met profiel B+ nodig; huidige: B"
    page.goto(f"{base}/casussen/{case.pk}/")
    page.get_by_role("link", name=re.compile("^Escalatiekaart")).click()
    expect(page.get_by_role("heading", name="Escalatiekaart", level=1)).to_be_visible()
    page.get_by_role("link", name="Escalatieniveau wijzigen").click()
    page.get_by_label("Nieuw escalatieniveau").select_option("4")
    page.get_by_label(re.compile("Opschalen:")).first.check()
    page.get_by_label("Toelichting").fill("Vader blijft dreigen; ketenoverstijgende aanpak nodig.")
    assert_accessible(page)
    shot(page, "15-journey-18-raise-form")
    page.get_by_role("button", name="Niveau wijzigen").click()
    expect(page.get_by_role("heading", name="Volgende stap op niveau 4")).to_be_visible()
    expect(page.locator("#escmap-shortfall")).to_contain_text(short)
    assert_accessible(page)
    shot(page, "15-journey-19-level-4-next-step")
    case.refresh_from_db()
    assert case.escalation_level == 4

    page.get_by_role("link", name="Terug naar de casus").click()
    expect(page.locator("#escmap-case-shortfall")).to_contain_text(short)
    page.get_by_role("link", name=re.compile(r"^Overdragen \(Procesregisseur")).click()
    page.get_by_label("Opvolger").select_option(str(colleague.pk))
    page.get_by_label("Overdrachtsnotitie").fill(
        "Niveau 4 vraagt profiel B+; gezin is op de hoogte."
    )
    assert_accessible(page)
    shot(page, "15-journey-20-handover")
    page.get_by_role("button", name="Overdragen").click()
    expect(page.get_by_text("De rol is overgedragen.")).to_be_visible()

    _logout_login(page, base, colleague.username)
    page.goto(f"{base}/casussen/{case.pk}/")
    expect(page.get_by_role("heading", name=f"Casus {case.code}")).to_be_visible()
    expect(page.get_by_text(short)).to_have_count(0)
    lead = CaseMembership.objects.active_on(today()).get(case=case, role=CaseRole.PROCESREGISSEUR)
    assert lead.user_id == colleague.pk and lead.user_id != holder.pk
    assert_accessible(page)
    shot(page, "15-journey-21-resolved")


def test_household_journey_from_referral_to_level_4(page: Page, demo: Any) -> None:
    base = demo.url
    house = House.objects.get(household_variant=True)
    regisseur = User.objects.get(username="pr2.venlo")
    colleague = User.objects.get(username="pr.venlo")
    # The demo's profiles: B for the named regisseur (enough at level 3), B+ for the other.
    assert CompetenceProfile.objects.get(user=regisseur).profile == "B"
    assert CompetenceProfile.objects.get(user=colleague).profile == "B+"

    case = _refer(page, base, house)
    _start_without_triage(page, base, case, regisseur)
    _logout_login(page, base, regisseur.username)
    _household(page, base, case)
    _start_execution(page, base, case)
    _plan_refused_then_safety_plan(page, base, case)
    _meldcode(page, base, case)
    _verwijsindex(page, base, case)
    _escalate(page, base, case, regisseur, colleague)
