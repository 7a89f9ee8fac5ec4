"""The model register: a sensible first version of a house's processing register.

A house starts its register from this model by an explicit, audited action ("Start met het
model"); the privacy officer then checks and adapts it. The texts follow DOMAIN.md section
3 and seed 004 (the checklist gegevensdeling): every processing names its purpose and its
AVG art. 6 ground; health and criminal data only with an art. 9/10 exception; a covenant
or privacy regulation is an arrangement between the partners, never a legal basis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ketenregie.cases.grounds import LegalBasis
from ketenregie.privacy.processing import NONE_TRANSFERRED, empty_processing, new_key

NOTE = "Eerste versie, gestart met het model van Ketenregie."


@dataclass(frozen=True)
class Partner:
    id: int
    name: str
    municipality: bool  # a municipality (sociaal domein): the house works on its behalf


SECURITY = (
    "Toegang alleen voor wie bij de casus betrokken is (need-to-know); adviseurs zien de "
    "casus gepseudonimiseerd; management en beleid zien alleen tellingen. Inloggen met "
    "persoonlijk account en tweestapsverificatie. Elke inzage, download en wijziging wordt "
    "vastgelegd in een audittrail met hashketen (NEN 7513). Verbindingen zijn versleuteld; "
    "e-mails bevatten geen persoonsgegevens, alleen een link. Zie de beveiligings"
    "documentatie van Ketenregie (docs/security: ASVS, BIO2 en NEN 7513)."
)
RETENTION_CASE = (
    "Een aanmelding die niet op de triage-agenda komt, wordt verwijderd; alleen een "
    "anonieme telling blijft. Een afgesloten casus wordt bewaard zolang dat nodig is voor "
    "nazorg en monitoring en daarna verwijderd, volgens de bewaartermijnen die het huis per "
    "soort gegevens heeft ingesteld; een heropende casus begint opnieuw."
)
WGS_BASIS = (
    "Taak van algemeen belang: de samenwerking van gemeenten, zorg- en veiligheidspartners "
    "in het Zorg- en Veiligheidshuis bij complexe problematiek (Wet gegevensverwerking door "
    "samenwerkingsverbanden), naast de eigen wettelijke taken van de partners (onder meer "
    "Gemeentewet, Wmo 2015, Jeugdwet, Wet politiegegevens, Wet justitiële en "
    "strafvorderlijke gegevens). Het convenant of privacyreglement van het huis is geen "
    "grondslag."
)
EXCEPTION = (
    "Gezondheidsgegevens: art. 9 lid 2 sub g AVG (zwaarwegend algemeen belang, bij wet "
    "geregeld). Strafrechtelijke gegevens: art. 10 AVG met art. 32 en 33 UAVG. Een partner "
    "met beroepsgeheim deelt alleen met uitdrukkelijke toestemming, op grond van een "
    "wettelijke plicht of bij een conflict van plichten."
)


def _arrangement(house_name: str) -> str:
    return (
        f"De partners van {house_name} zijn voor deze verwerking gezamenlijk "
        "verwerkingsverantwoordelijk. Het samenwerkingsconvenant van het huis legt vast wie "
        "waarvoor zorgt: elke partner is verantwoordelijk voor wat hij inbrengt, het huis "
        "voor de casusregie en het systeem. De betrokkene kan zijn rechten bij elke partner "
        f"uitoefenen; het centrale aanspreekpunt is de privacycontactpersoon van {house_name}."
    )


def _processing(**values: Any) -> dict[str, Any]:
    item = empty_processing()
    item.update(values, key=new_key())
    return item


def model_content(house_name: str, partners: Sequence[Partner]) -> dict[str, Any]:
    """The model register for the house `house_name` with its partner organisations."""
    joint = [{"id": p.id, "name": p.name} for p in partners]
    towns = [p.name for p in partners if p.municipality]
    on_behalf = (
        f"het college van burgemeester en wethouders ({', '.join(towns)})"
        if towns
        else "het college van burgemeester en wethouders van de centrumgemeente"
    )
    arrangement = _arrangement(house_name)
    persons_case = (
        "Personen die zijn aangemeld bij het huis; hun huisgenoten en gezinsleden; "
        "melders en professionals van de partners."
    )
    processings = [
        _processing(
            name="Aanmelding, screening en triage",
            purposes=(
                "Beoordelen of een aangemelde persoon of gezin in aanmerking komt voor een "
                "persoonsgerichte aanpak: screening, bekendheidscheck bij de partners en het "
                "besluit in de integrale triage."
            ),
            persons=persons_case,
            categories=(
                "Naam, BSN, geboortedatum, adres en contactgegevens; samenstelling van het "
                "huishouden; reden van aanmelding en problemen per leefgebied; de antwoorden "
                "van partners op de bekendheidscheck; het triagebesluit."
            ),
            special="Gegevens over gezondheid (lichamelijk en psychisch) en verslaving.",
            criminal="Politie- en justitiegegevens die voor de beoordeling nodig zijn.",
            recipients=(
                "De triagevoorzitter en de vaste triagepartners van het huis; bij de "
                "bekendheidscheck alleen de partners die worden bevraagd. De melder krijgt "
                "alleen terugkoppeling over het besluit."
            ),
            transfers=NONE_TRANSFERRED,
            retention=RETENTION_CASE,
            legal_bases=[LegalBasis.PUBLIC_TASK.value],
            legal_basis_text=WGS_BASIS,
            exception=EXCEPTION,
            joint_controllers=joint,
            arrangement=arrangement,
            security=SECURITY,
        ),
        _processing(
            name="Persoonsgerichte aanpak",
            purposes=(
                "Het uitvoeren van de persoonsgerichte aanpak: casusregie, casusoverleggen, "
                "het integrale plan van aanpak en veiligheidsplan, acties, monitoring, "
                "signalen, opschaling en afsluiting."
            ),
            persons=persons_case,
            categories=(
                "De gegevens uit de aanmelding; het plan van aanpak met doelen, scores per "
                "leefgebied en acties; verslagen van casusoverleggen; afspraken uit het "
                "veiligheidsplan; signalen en het verloop van de casus."
            ),
            special="Gegevens over gezondheid en verslaving, voor zover nodig voor het plan.",
            criminal=(
                "Politie- en justitiegegevens en gegevens over toezicht en reclassering, "
                "voor zover nodig voor het plan."
            ),
            recipients=(
                "Alleen de partners in het casusteam van de casus; adviseurs zien de casus "
                "gepseudonimiseerd. De betrokkene krijgt op verzoek inzage."
            ),
            transfers=NONE_TRANSFERRED,
            retention=RETENTION_CASE,
            legal_bases=[LegalBasis.PUBLIC_TASK.value],
            legal_basis_text=WGS_BASIS,
            exception=EXCEPTION,
            joint_controllers=joint,
            arrangement=arrangement,
            security=SECURITY,
        ),
        _processing(
            name="Gegevensdeling met ketenpartners",
            purposes=(
                "Het delen van gegevens tussen de partners voor één casus: antwoorden op de "
                "bekendheidscheck, uitnodigingen en verslagen van casusoverleggen, "
                "downloads van plannen en bijlagen en de opschaling van een lokale casus "
                "naar het huis. Elke uitwisseling staat met doel en grondslag in het "
                "register van gegevensdeling."
            ),
            persons=persons_case,
            categories=(
                "Per uitwisseling alleen wat voor het doel nodig is (proportionaliteit en "
                "subsidiariteit): identificerende gegevens en de inhoud die het doel vraagt."
            ),
            special="Gezondheidsgegevens, alleen waar het doel het vraagt.",
            criminal="Politie- en justitiegegevens, alleen waar het doel het vraagt.",
            recipients="De partners in het casusteam of de bevraagde partner, per uitwisseling.",
            transfers=NONE_TRANSFERRED,
            retention=(
                "De vastlegging van de uitwisseling volgt de casus; de inhoud wordt met de "
                "casus verwijderd."
            ),
            legal_bases=[LegalBasis.PUBLIC_TASK.value, LegalBasis.LEGAL_OBLIGATION.value],
            legal_basis_text=(
                WGS_BASIS + " Per uitwisseling legt de delende partij de grondslag vast; "
                "toestemming alleen waar de betrokkene vrij kan kiezen."
            ),
            exception=EXCEPTION,
            joint_controllers=joint,
            arrangement=arrangement,
            security=SECURITY,
        ),
        _processing(
            name="Managementinformatie",
            purposes=(
                "Sturing en verantwoording: aantallen aanmeldingen, besluiten, doorlooptijden "
                "en resultaten per huis, periode en leefgebied."
            ),
            persons="Aangemelde personen, alleen als onderdeel van tellingen.",
            categories=(
                "Geaggregeerde tellingen zonder namen of BSN; managers en beleid zien geen "
                "gegevens van één persoon."
            ),
            recipients="Managers en coördinatoren van het huis; bestuur en beleid.",
            transfers=NONE_TRANSFERRED,
            retention=(
                "Anonieme tellingen blijven bewaard, ook nadat de casussen zijn verwijderd."
            ),
            legal_bases=[LegalBasis.PUBLIC_TASK.value],
            legal_basis_text=(
                "Taak van algemeen belang: de sturing van en verantwoording over het huis. "
                "Alleen tellingen; geen herleidbare gegevens."
            ),
            security=SECURITY,
        ),
        _processing(
            name="Inzage- en andere verzoeken",
            purposes=(
                "Het behandelen van verzoeken van betrokkenen om inzage, correctie, "
                "beperking en bezwaar (AVG art. 15 tot en met 21), binnen een maand."
            ),
            persons="Betrokkenen die een verzoek doen; hun gemachtigden.",
            categories=(
                "Naam, BSN en contactgegevens van de verzoeker; het verzoek, de termijn, "
                "de afhandeling en het antwoord; het inzageoverzicht dat wordt verstrekt."
            ),
            recipients="De functionaris gegevensbescherming, de privacycontactpersoon en de "
            "betrokkene zelf.",
            transfers=NONE_TRANSFERRED,
            retention=(
                "Zolang nodig om over de afhandeling verantwoording af te leggen, volgens de "
                "bewaartermijnen van het huis."
            ),
            legal_bases=[LegalBasis.LEGAL_OBLIGATION.value],
            legal_basis_text="Wettelijke verplichting: AVG art. 12 tot en met 22.",
            security=SECURITY,
        ),
        _processing(
            name="Logging van toegang (audittrail)",
            purposes=(
                "Vastleggen wie welke gegevens wanneer heeft ingezien, ontvangen of "
                "gewijzigd, voor toezicht, beveiliging en inzage door de betrokkene "
                "(NEN 7513)."
            ),
            persons="Gebruikers van Ketenregie; de personen over wie gegevens zijn ingezien.",
            categories=(
                "Gebruiker, organisatie en rol, tijdstip, handeling en casusnummer; "
                "zoektermen alleen als versleutelde vingerafdruk."
            ),
            recipients="De functionaris gegevensbescherming; de betrokkene bij inzage.",
            transfers=NONE_TRANSFERRED,
            retention=(
                "Volgens de bewaartermijn voor de audittrail van het huis; de hashketen "
                "blijft controleerbaar."
            ),
            legal_bases=[LegalBasis.LEGAL_OBLIGATION.value],
            legal_basis_text=(
                "Wettelijke verplichting: passende beveiliging (AVG art. 32) en "
                "verantwoording (AVG art. 5 lid 2)."
            ),
            security=SECURITY,
        ),
    ]
    return {
        "controller": f"{house_name}, namens {on_behalf}.",
        "controller_contact": (
            f"Privacycontactpersoon van {house_name}, via het secretariaat van het huis."
        ),
        "dpo": (
            "De functionaris gegevensbescherming (FG) van de gemeente die namens de partners "
            "verantwoordelijk is."
        ),
        "processings": processings,
    }
