"""The fictitious reference data of the demo: regions, houses, partners and demo users.

Names of people are invented; organisations are generic descriptions of the partner
kinds in DOMAIN.md, not statements about real organisations.
"""

from __future__ import annotations

import datetime as dt

from ketenregie.accounts.models import Domain, House
from ketenregie.accounts.roles import Role

DEMO_PASSWORD = "Demo-Ketenregie-2026!"  # noqa: S105 - printed to the demo user on purpose

REGIONS = ["Zuid-Limburg", "Noord-Limburg"]

# code, name, kind, region, municipalities for addresses
HOUSES = [
    (
        "PKS",
        "Zorg- en Veiligheidshuis Parkstad",
        House.Kind.ZVH,
        "Zuid-Limburg",
        ["Heerlen", "Kerkrade", "Landgraaf", "Brunssum"],
    ),
    (
        "MHL",
        "Zorg- en Veiligheidshuis Maastricht-Heuvelland",
        House.Kind.ZVH,
        "Zuid-Limburg",
        ["Maastricht", "Eijsden-Margraten", "Valkenburg aan de Geul"],
    ),
    ("VNL", "Lokale PGA Venlo", House.Kind.LOCAL_PGA, "Noord-Limburg", ["Venlo"]),
]

# Demo users who work for one part of the province: they refer, and join teams, only at
# these houses (a Heerlen wijkagent is not on a Venlo case). Everyone else works
# province-wide (Veilig Thuis, GGZ, the OM, reclassering ...).
LOCAL_USERS: dict[str, list[str]] = {
    "wijkagent.heerlen": ["PKS"],
    "gemeente.heerlen": ["PKS"],
    "gemeente.maastricht": ["MHL"],
    "woon.consulent": ["PKS", "MHL"],
    "leerplicht": ["PKS", "MHL"],
    "agent.venlo": ["VNL"],
    "wijkteam.venlo": ["VNL"],
}

# The information letter per house: the municipality it comes from and its fictitious
# signatory, privacy contact and complaint route (pga.models.LetterTemplate).
LETTERS: dict[str, dict[str, str]] = {
    code: {
        "municipality": f"Gemeente {town}",
        "letterhead": name,
        "signatory_name": signatory,
        "signatory_title": f"Burgemeester van {town}",
        "privacy_contact": (
            f"De functionaris gegevensbescherming van de gemeente {town}, "
            f"privacy@{town.lower()}.example.invalid, telefoon {phone}. Noem het kenmerk "
            "bovenaan deze brief."
        ),
        "complaint_route": (
            f"U kunt een klacht schriftelijk indienen bij het college van burgemeester en "
            f"wethouders van {town}, Postbus {box}, onder vermelding van het kenmerk. Bent u "
            "daarna niet tevreden, dan kunt u zich wenden tot de Nationale ombudsman. Over "
            "het gebruik van uw gegevens kunt u ook een klacht indienen bij de Autoriteit "
            "Persoonsgegevens."
        ),
    }
    for code, name, town, signatory, phone, box in (
        (
            "PKS",
            "Zorg- en Veiligheidshuis Parkstad",
            "Heerlen",
            "drs. H.A.M. Vroemen",
            "045 000 12 34",
            "1, 6400 AA Heerlen",
        ),
        (
            "MHL",
            "Zorg- en Veiligheidshuis Maastricht-Heuvelland",
            "Maastricht",
            "mr. C.L. Mertens-Bloemen",
            "043 000 56 78",
            "2, 6200 AA Maastricht",
        ),
        (
            "VNL",
            "Lokale PGA Venlo",
            "Venlo",
            "ir. P.W.J. Hermans",
            "077 000 90 12",
            "3, 5900 AA Venlo",
        ),
    )
}

# key, name, domain, region (None: national), fixed triage partner at houses
ORGANISATIONS = [
    ("zvh_pks", "Zorg- en Veiligheidshuis Parkstad", Domain.VEILIGHEID, "Zuid-Limburg", ["PKS"]),
    (
        "zvh_mhl",
        "Zorg- en Veiligheidshuis Maastricht-Heuvelland",
        Domain.VEILIGHEID,
        "Zuid-Limburg",
        ["MHL"],
    ),
    ("gem_heerlen", "Gemeente Heerlen", Domain.SOCIAAL, "Zuid-Limburg", ["PKS"]),
    ("gem_maastricht", "Gemeente Maastricht", Domain.SOCIAAL, "Zuid-Limburg", ["MHL"]),
    ("gem_venlo", "Gemeente Venlo", Domain.SOCIAAL, "Noord-Limburg", ["VNL"]),
    (
        "om",
        "Openbaar Ministerie, arrondissementsparket Limburg",
        Domain.JUSTITIE,
        None,
        ["PKS", "MHL", "VNL"],
    ),
    ("politie", "Politie, eenheid Limburg", Domain.VEILIGHEID, None, ["PKS", "MHL", "VNL"]),
    ("vt", "Veilig Thuis Limburg", Domain.ZORG, None, ["PKS", "MHL", "VNL"]),
    ("ggz", "GGZ-instelling Limburg (demo)", Domain.ZORG, None, ["PKS", "MHL", "VNL"]),
    ("rn", "Reclassering, unit Limburg", Domain.JUSTITIE, None, ["PKS", "MHL", "VNL"]),
    ("woon", "Woningcorporatie Zuid (demo)", Domain.WONEN, "Zuid-Limburg", []),
    ("wijkteam_venlo", "Wijkteam Venlo-Oost (demo)", Domain.SOCIAAL, "Noord-Limburg", []),
    ("jeugd", "Jeugdbescherming Limburg (demo)", Domain.ZORG, None, []),
    ("onderwijs", "Leerplicht en RMC Zuid (demo)", Domain.ONDERWIJS, "Zuid-Limburg", []),
    ("uwv", "UWV, regio Limburg", Domain.WERK_INKOMEN, None, []),
    ("cjib", "CJIB", Domain.JUSTITIE, None, []),
]

# username, first, last, organisation key, job title, roles [(role, house code or None)]
USERS: list[tuple[str, str, str, str, str, list[tuple[Role, str | None]]]] = [
    (
        "pr.parkstad",
        "Femke",
        "Hendrixen",
        "zvh_pks",
        "Procesregisseur",
        [(Role.PROCESREGISSEUR, "PKS")],
    ),
    (
        "pr2.parkstad",
        "Joris",
        "Lemmens",
        "zvh_pks",
        "Procesregisseur",
        [(Role.PROCESREGISSEUR, "PKS")],
    ),
    (
        "pr.maastricht",
        "Ilse",
        "Wolfs",
        "zvh_mhl",
        "Procesregisseur",
        [(Role.PROCESREGISSEUR, "MHL")],
    ),
    (
        "pr.venlo",
        "Ruud",
        "Peeters",
        "gem_venlo",
        "PGA-expert gemeente",
        [(Role.PROCESREGISSEUR, "VNL")],
    ),
    (
        "tv.parkstad",
        "Marloes",
        "Kurvers",
        "zvh_pks",
        "Triagevoorzitter",
        [(Role.TRIAGEVOORZITTER, "PKS")],
    ),
    (
        "tv.maastricht",
        "Bram",
        "Stassen",
        "zvh_mhl",
        "Triagevoorzitter",
        [(Role.TRIAGEVOORZITTER, "MHL")],
    ),
    (
        "tv.venlo",
        "Sanne",
        "Geurts",
        "gem_venlo",
        "Coördinator veiligheid",
        [(Role.TRIAGEVOORZITTER, "VNL")],
    ),
    (
        "wijkagent.heerlen",
        "Tom",
        "Vrancken",
        "politie",
        "Wijkagent",
        [(Role.AANMELDER, None), (Role.PROFESSIONAL, None)],
    ),
    (
        "agent.venlo",
        "Lotte",
        "Janssen-Hermans",
        "politie",
        "Wijkagent",
        [(Role.AANMELDER, None), (Role.PROFESSIONAL, None)],
    ),
    (
        "om.officier",
        "Pieter",
        "Op de Laak",
        "om",
        "Officier van justitie",
        [(Role.PROFESSIONAL, None)],
    ),
    (
        "gemeente.heerlen",
        "Nadia",
        "El Idrissi",
        "gem_heerlen",
        "Beleidsmedewerker OOV",
        [(Role.AANMELDER, None), (Role.PROFESSIONAL, None)],
    ),
    (
        "gemeente.maastricht",
        "Koen",
        "Ramaekers",
        "gem_maastricht",
        "Casemanager",
        [(Role.AANMELDER, None), (Role.PROFESSIONAL, None)],
    ),
    (
        "vt.medewerker",
        "Esther",
        "van der Linden",
        "vt",
        "Medewerker Veilig Thuis",
        [(Role.AANMELDER, None), (Role.PROFESSIONAL, None)],
    ),
    (
        "ggz.behandelaar",
        "Mehmet",
        "Yilmaz",
        "ggz",
        "Sociaal psychiatrisch verpleegkundige",
        [(Role.PROFESSIONAL, None)],
    ),
    (
        "ggz.psychiater",
        "Anouk",
        "de Bruijn",
        "ggz",
        "Psychiater (adviseur)",
        [(Role.PROFESSIONAL, None)],
    ),
    ("reclassering", "Gert", "Smeets", "rn", "Reclasseringswerker", [(Role.PROFESSIONAL, None)]),
    (
        "woon.consulent",
        "Iris",
        "Bemelmans",
        "woon",
        "Woonconsulent",
        [(Role.AANMELDER, None), (Role.PROFESSIONAL, None)],
    ),
    (
        "wijkteam.venlo",
        "Daan",
        "Verheijen",
        "wijkteam_venlo",
        "Wijkteammedewerker",
        [(Role.AANMELDER, None), (Role.PROFESSIONAL, None)],
    ),
    ("jeugd.regisseur", "Yara", "Coenen", "jeugd", "Jeugdbeschermer", [(Role.PROFESSIONAL, None)]),
    (
        "leerplicht",
        "Stijn",
        "Houben",
        "onderwijs",
        "Leerplichtambtenaar",
        [(Role.PROFESSIONAL, None)],
    ),
    ("manager.parkstad", "Carla", "Dassen", "zvh_pks", "Manager ZVH", [(Role.MANAGER, "PKS")]),
    (
        "manager.venlo",
        "Hans",
        "Crijns",
        "gem_venlo",
        "Teamleider veiligheid",
        [(Role.MANAGER, "VNL")],
    ),
    ("beheer", "Wendy", "Schreurs", "zvh_pks", "Functioneel beheerder", [(Role.BEHEERDER, None)]),
    (
        "fg",
        "Rob",
        "Muijrers",
        "gem_heerlen",
        "Functionaris gegevensbescherming",
        [(Role.PRIVACY_OFFICER, None)],
    ),
    # The privacy contact of ZVH Parkstad (issue 13): register and requests for that house.
    (
        "privacy.parkstad",
        "Lotte",
        "Vaessen",
        "zvh_pks",
        "Privacycontactpersoon",
        [(Role.PRIVACY_CONTACT, "PKS")],
    ),
    # The PGA expert of ZVH Parkstad (issue 14): leads the PGA-scan.
    (
        "pga.expert",
        "Ruud",
        "Hermans",
        "zvh_pks",
        "PGA-expert",
        [(Role.PGA_EXPERT, "PKS")],
    ),
    (
        "beleid.heerlen",
        "Monique",
        "Kleijnen",
        "gem_heerlen",
        "Beleidsadviseur veiligheid",
        [(Role.BELEID, None)],
    ),
    # A second beheerder: roles that open cases take two (four eyes, ADR 11).
    (
        "beheer2",
        "Koen",
        "Lemmens",
        "zvh_mhl",
        "Functioneel beheerder",
        [(Role.BEHEERDER, None)],
    ),
]

TRIAGE_TIME = (dt.time(13, 0), dt.time(14, 30))

FIRST_NAMES = [
    "Sem",
    "Lucas",
    "Noah",
    "Milan",
    "Jesse",
    "Daan",
    "Luuk",
    "Thijs",
    "Bas",
    "Niels",
    "Kevin",
    "Dennis",
    "Ricardo",
    "Jordy",
    "Mohamed",
    "Youssef",
    "Bilal",
    "Dylan",
    "Rik",
    "Emma",
    "Julia",
    "Sophie",
    "Lisa",
    "Naomi",
    "Chantal",
    "Kim",
    "Samira",
    "Fatima",
    "Romy",
    "Demi",
    "Priscilla",
    "Shirley",
    "Nicole",
    "Sandra",
    "Marieke",
    "Anna",
]
PREFIXES = ["", "", "", "", "", "van", "de", "van der", "van den", "in 't", "van de"]
LAST_NAMES = [
    "Vossen",
    "Kessels",
    "Willems",
    "Claessens",
    "Lenders",
    "Brouwers",
    "Pluijmen",
    "Frijns",
    "Sijben",
    "Rutten",
    "Mertens",
    "Schoenmakers",
    "Bosch",
    "Berg",
    "Ven",
    "Heuvel",
    "Meijer",
    "Dijk",
    "Hoeven",
    "Kamp",
    "Laar",
    "Akker",
    "Boomen",
    "Put",
    "Driessen",
    "Bakkali",
    "Öztürk",
    "Pinas",
    "Gerards",
    "Paulissen",
]
STREETS = [
    "Lindelaan",
    "Kastanjestraat",
    "Molenweg",
    "Kerkplein",
    "Beukenhof",
    "Spoorsingel",
    "Mijnstraat",
    "Akkerweg",
    "Bongerd",
    "Veldstraat",
    "Rozenhof",
    "Stationsstraat",
]
