"""The PGA-scan's statements as the product ships them: the data migration and the demo
loader both create them with `ensure_scan_statements` (a test database that is flushed
between browser tests loses what a migration wrote; the demo puts them back)."""

from __future__ import annotations

from typing import Any

# The 33 statements of the PGA-scan, verbatim from the Startbaan publication (lectoraat
# Kennisanalyse Sociale Veiligheid, Hogeschool Utrecht): kunnen 11, willen 10, mogen 12.
# From here on they are configuration data, edited by the functioneel beheerder.
STATEMENTS = {
    "kunnen": [
        "Ik weet waar ik informatie kan halen als ik die nodig heb (bijv. expertise van "
        "andere partners).",
        "Ik beschik over voldoende generalistische kennis over de doelgroep om bij te dragen "
        "aan een plan van aanpak.",
        "Mijn samenwerkingspartners beschikken over voldoende generalistische kennis over de "
        "doelgroep om bij te dragen aan een plan van aanpak.",
        "Ik weet welke verschillende interventies ingezet kunnen worden (zowel vanuit zorg, "
        "begeleiding als straf).",
        "Mijn samenwerkingspartners weten welke verschillende interventies ingezet kunnen "
        "worden (zowel vanuit zorg, begeleiding als straf).",
        "Ik heb kennis over mogelijke risico- en beschermende factoren bij de doelgroep.",
        "Mijn samenwerkingspartners hebben kennis over mogelijke risico- en beschermende "
        "factoren bij de doelgroep.",
        "Alle benodigde partners zijn betrokken bij het casusoverleg*.",
        "Ik weet wat mijn rol is en wat er van mij verwacht wordt.",
        "Ik denk dat het voor mijn samenwerkingspartners (ook nieuwe medewerkers) duidelijk is "
        "wat hun rol is en wat er van hen verwacht wordt.",
        "Medewerkers binnen mijn organisatie die niet betrokken zijn bij deze integrale "
        "samenwerking weten dat en hoe ze casussen kunnen aanmelden voor advies of triage.",
    ],
    "willen": [
        "Ik wil graag met deze doelgroep werken.",
        "Ik heb het gevoel dat samenwerkingspartners graag met deze doelgroep willen werken.",
        "Ik heb er vertrouwen in dat ik iets kan betekenen voor de doelgroep.",
        "Ik heb er vertrouwen in dat samenwerkingspartners iets kunnen betekenen voor de "
        "doelgroep.",
        "Ik wil graag met professionals uit verschillende domeinen samenwerken ten behoeve van "
        "de doelgroep.",
        "Ik vind het noodzakelijk om samen te werken met professionals uit andere domeinen ten "
        "behoeve van de doelgroep.",
        "Ik denk dat samenwerkingspartners een gezamenlijk doel voor ogen hebben met betrekking "
        "tot de doelgroep.",
        "Ik heb het gevoel dat samenwerkingspartners van meerwaarde zijn in de aanpak van een "
        "casus.",
        "Ik ben bereid om betrokken te blijven in een casus tot het doel is bereikt.",
        "Het lukt mij om door te zetten in een casus als er tegenslagen zijn in het behalen van "
        "het doel.",
    ],
    "mogen": [
        "Ik word door mijn organisatie in staat gesteld om integraal samen te werken met partners.",
        "Samenwerkingspartners worden door hun organisatie in staat gesteld om integraal samen "
        "te werken.",
        "Integraal samenwerken behoort formeel tot mijn takenpakket.",
        "Tijd is voor mij geen belemmering om integraal te kunnen samenwerken.",
        "Tijd is voor mijn samenwerkingspartners geen belemmering om integraal te kunnen "
        "samenwerken.",
        "Financiën zijn voor mij of mijn organisatie geen belemmering om integraal samen te "
        "werken.",
        "Financiën zijn voor mijn samenwerkingspartners geen belemmering om integraal samen te "
        "werken.",
        "Het budget om passende integrale maatwerkoplossingen te kunnen bieden is toereikend.",
        "Ik word niet belemmerd door wetten en regels in de integrale samenwerking.",
        "Samenwerkingspartners worden niet belemmerd door wetten en regels in de integrale "
        "samenwerking.",
        "Ik heb voldoende ruimte om beslissingen te nemen in een casus.",
        "Ik ervaar binnen mijn organisatie voldoende ruimte om mijn deskundigheid te bevorderen.",
    ],
}


def ensure_scan_statements(model: Any = None) -> int:
    """Create the shipped statements when there are none at all (never over a
    beheerder's edits); how many were made."""
    if model is None:
        from ketenregie.reports.models import ScanStatement

        model = ScanStatement
    if model.objects.exists():
        return 0
    made = model.objects.bulk_create(
        model(part=part, position=i, text=text)
        for part, texts in STATEMENTS.items()
        for i, text in enumerate(texts, start=1)
    )
    return len(made)
