"""Fictitious Dutch texts for the execution-phase demo data (no real people or events)."""

from __future__ import annotations

from ketenregie.accounts.models import Domain

JOINT_GOALS = [
    "Betrokkene woont veilig en stabiel, veroorzaakt geen overlast meer en accepteert vaste "
    "hulpverlening.",
    "Het gezin is veilig: geen huiselijk geweld meer, de kinderen gaan naar school en de "
    "schulden zijn in beeld.",
    "Betrokkene pleegt geen nieuwe delicten, heeft dagbesteding en een stabiel inkomen.",
    "De huisuitzetting is voorkomen en betrokkene is in behandeling bij de GGZ.",
    "De buurt ervaart weer rust en betrokkene heeft een vast aanspreekpunt voor zorg en financiën.",
]
EARLIER_HELP = [
    "Eerder twee keer aangemeld bij het wijkteam; contact liep na enkele weken dood. Een "
    "traject schuldhulp is vorig jaar afgebroken.",
    "Ambulante GGZ-behandeling gestart en na drie maanden gestopt. Reclassering had toezicht "
    "tot een jaar geleden; daarna geen hulp meer.",
    "Veilig Thuis heeft twee keer een melding onderzocht; vrijwillige hulp werd geweigerd. "
    "De woningcorporatie heeft een gedragsaanwijzing gegeven.",
    "Jeugdhulp is ingezet voor de kinderen; voor de ouders zelf liep geen hulp. "
    "Leerplicht heeft het verzuim gemeld.",
]
ANALYSIS = [
    "Schulden, middelengebruik en de dreigende ontruiming versterken elkaar. Zonder stabiel "
    "inkomen lukt behandeling niet, en zonder behandeling blijft de overlast. Eén regisseur "
    "en één plan zijn nodig zodat partners elkaar niet tegenwerken.",
    "De onveiligheid thuis hangt samen met spanningen over geld en alcoholgebruik. Hulp is "
    "versnipperd: iedere partner ziet een deel. Afspraken over veiligheid gaan voor.",
    "Betrokkene is verward en houdt zorg af; de politie komt vaak, maar zorg komt niet "
    "binnen. Een gezamenlijke aanpak met een vaste contactpersoon vergroot de kans op "
    "acceptatie van hulp.",
    "Recidiverisico is hoog door gebrek aan dagbesteding en een netwerk dat zelf in de "
    "criminaliteit zit. Straf en zorg moeten op elkaar aansluiten.",
]
DESIRED_RESULTS = [
    "Binnen een half jaar: geen nieuwe meldingen van overlast, een betalingsregeling die "
    "loopt en een vaste behandelaar.",
    "Veiligheid thuis is voldoende (schaalvraag 7 of hoger bij iedereen), de kinderen gaan "
    "elke dag naar school.",
    "Betrokkene heeft werk of dagbesteding, een eigen woonplek en houdt zich aan de "
    "bijzondere voorwaarden.",
]
DOMAIN_PROBLEMS = {
    "Financiën": "Schulden van ongeveer € 18.000; beslag op de uitkering.",
    "Werk & opleiding": "Geen werk sinds twee jaar; opleiding niet afgemaakt.",
    "Tijdsbesteding": "Geen dagritme; hangt overdag op straat.",
    "Huisvesting": "Huurachterstand van vier maanden; ontruimingsvonnis dreigt.",
    "Huiselijke relaties": "Veel ruzie met partner; politie meerdere keren ter plaatse.",
    "Geestelijke gezondheid": "Wisselend verward; geen vaste behandelaar.",
    "Lichamelijke gezondheid": "Onbehandelde wond aan het been; mijdt de huisarts.",
    "Middelengebruik": "Dagelijks alcohol en cannabis.",
    "Basale ADL": "Zelfzorg schiet tekort als het psychisch slechter gaat.",
    "Instrumentele ADL": "Post blijft ongeopend liggen; administratie loopt vast.",
    "Sociaal netwerk": "Weinig steunend netwerk; contact met familie verbroken.",
    "Maatschappelijke participatie": "Trekt zich terug; vertrouwt instanties niet.",
    "Justitie": "Twee lopende zaken bij het OM; eerder voorwaardelijk veroordeeld.",
}
STRENGTHS = [
    ("Ik wil gewoon rust in huis en mijn kinderen weer vaker zien.", "Betrokkene"),
    ("Hij komt zijn afspraken bij de schuldhulp steeds beter na.", "Casusregisseur"),
    ("Zijn zus is betrokken en wil helpen met de administratie.", "Wijkteammedewerker"),
    ("Ze is eerlijk over haar gebruik en wil hulp als die dichtbij is.", "SPV GGZ"),
    ("Als hij een vaste dag heeft, houdt hij zich aan afspraken.", "Reclasseringswerker"),
    ("De buren willen meedenken als er een aanspreekpunt is.", "Wijkagent"),
]
CONCERNS = [
    ("Als hij drinkt, wordt hij agressief naar zijn partner.", "Medewerker Veilig Thuis"),
    ("De buren durven 's avonds niet meer buiten te komen.", "Wijkagent"),
    ("Ik ben bang dat we ons huis kwijtraken.", "Partner van betrokkene"),
    ("De kinderen missen veel school en zorgen voor hun moeder.", "Leerplichtambtenaar"),
    ("Hij neemt zijn medicatie niet en zegt dat hij niets mankeert.", "SPV GGZ"),
    ("Er komen steeds onbekenden aan de deur, ook 's nachts.", "Woonconsulent"),
]
GOALS = [
    (
        "Betrokkene heeft een stabiel inkomen en een lopende betalingsregeling.",
        "De betalingsregeling loopt drie maanden zonder achterstand.",
    ),
    (
        "Er is geen overlast meer voor de buurt.",
        "Drie maanden geen meldingen van overlast bij politie of woningcorporatie.",
    ),
    (
        "Betrokkene is in behandeling bij de GGZ en komt afspraken na.",
        "Een vaste behandelaar en ten minste acht van de tien afspraken nagekomen.",
    ),
    (
        "Het is thuis veilig voor partner en kinderen.",
        "Iedereen scoort de veiligheid met 7 of hoger, twee metingen achter elkaar.",
    ),
    (
        "Betrokkene heeft dagbesteding of werk.",
        "Twee dagdelen per week dagbesteding, twee maanden volgehouden.",
    ),
]
ACTIONS: dict[str, list[str]] = {
    Domain.ZORG: [
        "Intakegesprek bij de GGZ plannen en betrokkene begeleiden naar de eerste afspraak.",
        "Medicatie-inname twee keer per week controleren en terugmelden.",
        "Huisbezoek samen met de wijkagent; zorgen over de kinderen bespreken.",
        "Veiligheidsafspraken met het gezin doorlopen en de schaalvraag afnemen.",
    ],
    Domain.VEILIGHEID: [
        "Huisbezoek afleggen en de buren informeren over de aanpak.",
        "Meldingen van overlast wekelijks bijhouden en terugmelden in het overleg.",
        "Een gebiedsverbod rond de woning van de ex-partner voorbereiden.",
        "Vervolgoverleg plannen met alle betrokken partners.",
        "Terugkoppeling aan de burgemeester voorbereiden.",
    ],
    Domain.JUSTITIE: [
        "Bijzondere voorwaarden afstemmen met het OM en terugmelden.",
        "Reclasseringsadvies opstellen voor de zitting.",
        "Strafzaken combineren en zittingsdatum afstemmen met de aanpak.",
    ],
    Domain.SOCIAAL: [
        "Aanvraag schuldhulpverlening in gang zetten.",
        "Bewindvoering aanvragen bij de kantonrechter.",
        "Dagbesteding zoeken en een eerste kennismaking regelen.",
    ],
    Domain.WONEN: [
        "Gesprek met betrokkene over de gedragsaanwijzing voeren.",
        "Betalingsregeling voor de huurachterstand vastleggen.",
        "Ontruimingsprocedure aanhouden zolang de regeling loopt.",
    ],
    Domain.ONDERWIJS: [
        "Verzuimgesprek met ouders en school organiseren.",
        "Passende onderwijsplek voor de oudste zoon zoeken.",
    ],
    Domain.WERK_INKOMEN: [
        "Uitkeringsaanvraag versnellen en de uitbetaling terugmelden.",
    ],
}
IMPOSSIBLE_REASONS = [
    "Betrokkene weigert elk contact met onze instelling.",
    "Wachtlijst van zes maanden; eerder plaatsen kan niet.",
    "Geen toestemming van betrokkene om informatie op te vragen.",
    "Betrokkene is verhuisd naar een andere gemeente; wij zijn niet meer bevoegd.",
]
PROGRESS_REPORTS = [
    "Eerste afspraak gemaakt; betrokkene was er, vervolg over twee weken.",
    "Nog geen contact gekregen; drie keer gebeld en een brief gestuurd.",
    "Loopt; aanvraag ligt bij de afdeling, reactie verwacht binnen twee weken.",
]
MINUTES = [
    "Alle partners delen hun beeld. Betrokkene was aanwezig en vertelde over de schulden en de "
    "spanningen thuis. Afgesproken is één plan met één casusregisseur; de acties staan in "
    "de actielijst.",
    "Stand van zaken per leefgebied besproken. Er is voortgang op financiën en wonen; "
    "middelengebruik blijft een zorg. Het plan is bijgesteld en opnieuw vastgesteld.",
    "Bespreking van de voortgang. Twee acties zijn afgerond, één kan niet worden uitgevoerd "
    "en is vervangen. De veiligheid thuis is besproken met de schaalvraag.",
]
DECISIONS = [
    "Casusregisseur afgesproken; plan van aanpak vastgesteld; volgend overleg over zes weken.",
    "Plan bijgesteld en vastgesteld; afschalen wordt over drie maanden opnieuw bekeken.",
    "Geen nieuwe besluiten; acties lopen door.",
]
NOT_INVITED_REASONS = [
    "Betrokkene heeft bij het vorige overleg een hulpverlener bedreigd; de veiligheid van "
    "de deelnemers gaat voor. De casusregisseur bespreekt de uitkomst na afloop met hem.",
    "Het overleg gaat over een melding van de partner die zij in vertrouwen heeft gedaan; "
    "uitnodigen zou haar in gevaar brengen.",
]
SAFETY = {
    "strengths": "Partner zoekt hulp als het misgaat; de buurvrouw is een veilig adres.",
    "concerns": "Bedreigingen en vernielingen bij ruzie, vooral na alcoholgebruik.",
    "worst_case": "Lichamelijk geweld tegen partner of kinderen.",
    "complicating_factors": "Alcohol, geldzorgen, weinig netwerk, wantrouwen naar instanties.",
}
# The safety plan's contacts (seed 002 7.2 "Contactgegevens"), one row each.
SAFETY_CONTACTS = [
    {
        "name": "Veilig Thuis",
        "role": "advies- en meldpunt",
        "phone": "0800-2000",
        "when_to_call": "Bij twijfel of zorgen over huiselijk geweld, dag en nacht.",
    },
    {
        "name": "Wijkagent",
        "role": "politie",
        "phone": "0900-8844",
        "when_to_call": "Bij dreiging of als een afspraak niet wordt nagekomen; bij acuut "
        "gevaar 112.",
    },
]
SAFETY_SIGNED_BY = "Betrokkene en partner"
SAFETY_CONCERNS_NOTE = "Bedreigingen en vernielingen bij ruzie thuis."
SAFETY_AGREEMENTS = [
    (
        "Bij oplopende spanning gaat betrokkene de deur uit en belt zijn broer.",
        "Casusregisseur, wekelijks",
        "De casusregisseur belegt binnen twee dagen een gesprek; bij herhaling volgt een "
        "tijdelijk huisverbod.",
    ),
    (
        "De kinderen slapen bij oma als er gedronken is.",
        "Medewerker Veilig Thuis",
        "Veilig Thuis start een onderzoek en de procesregisseur roept het team bijeen.",
    ),
    (
        "Geen alcohol in huis.",
        "Wijkagent bij huisbezoek",
        "Melding in het overleg; de afspraak wordt opnieuw met het gezin besproken.",
    ),
]
SAFETY_SECOND = ["Partner", "Moeder van betrokkene", "Oudste dochter"]
INFORMING_NOTES = [
    "Brief van de burgemeester persoonlijk overhandigd; betrokkene las de brief ter plekke.",
    "Brief overhandigd tijdens huisbezoek; betrokkene was boos maar nam de brief aan.",
]
POSTPONE_REASONS = [
    "Informeren nu zou de veiligheid van de partner in gevaar brengen; eerst een "
    "veiligheidsplan met Veilig Thuis.",
    "Lopend politieonderzoek: informeren wordt afgestemd met het OM.",
    "Betrokkene is opgenomen in een kliniek; informeren na overleg met de behandelaar.",
]
OWN_VIEWS = [
    "Betrokkene vindt dat de problemen begonnen bij het ontslag; wil vooral hulp bij de "
    "schulden en rust in huis.",
    "Betrokkene ziet het gebruik niet als probleem, wel de buren; wil een andere woning.",
    "Betrokkene wil de kinderen houden en is bereid afspraken te maken over veiligheid.",
]
CLOSING_DECIDED_WITH = [
    "Casusregisseur (GGZ), wijkagent en woonconsulent in het overleg van die dag",
    "Casusregisseur (Veilig Thuis), wijkteam en reclassering",
    "Casusregisseur en alle betrokken partners; betrokkene was aanwezig",
]
HANDOVER_NOTES = [
    "Het wijkteam neemt de begeleiding over: schuldhulp loopt, vaste contactpersoon is "
    "bekend bij betrokkene. Bij nieuwe zorgen meldt het wijkteam opnieuw aan.",
    "De GGZ houdt de behandeling aan; de huisarts is geïnformeerd. Overdracht in een "
    "gezamenlijk gesprek met betrokkene.",
    "Reguliere zorg via de gemeente; de woningcorporatie blijft alert op overlast.",
]
CLOSING_FEEDBACK = [
    "Betrokkene vond het prettig één aanspreekpunt te hebben; de eerste brief vond hij schrikken.",
    "Betrokkene had liever eerder gehoord wie er allemaal meepraatten.",
    "Positief over de hulp bij de schulden; minder over het aantal gesprekken.",
]
SIGNALS = {
    "acute_open": "Partner meldt dat betrokkene gisteravond met een mes heeft gedreigd. Politie "
    "is ter plaatse geweest; Veilig Thuis is ingeschakeld.",
    "acute_resolved": "Betrokkene dreigde zichzelf iets aan te doen na het ontslag uit de kliniek.",
    "acute_resolution": "Crisisdienst heeft betrokkene gezien; vrijwillige opname voor twee "
    "weken. Veiligheidsplan bijgewerkt.",
    "change": "Betrokkene is tijdelijk bij zijn moeder ingetrokken na een brand in de woning.",
    "impossible_resolution": "Besproken in het team; de actie is vervangen door een "
    "nieuwe afspraak.",
}
ESCALATIONS = {
    "to_pr": "De afspraken over schuldhulp worden niet nagekomen en de woningcorporatie zet "
    "de ontruiming door. Ik kom er als casusregisseur niet verder mee.",
    "to_pr_handled": "Gesprek gevoerd met de woningcorporatie; ontruiming aangehouden voor "
    "drie maanden.",
    "to_manager": "Een partner weigert structureel deel te nemen aan het overleg en deelt "
    "geen informatie; bestuurlijke afspraak nodig.",
    "to_manager_venlo": "Wachtlijst voor beschermd wonen blokkeert het plan; de lokale aanpak "
    "loopt vast zonder bestuurlijke doorbraak.",
}
TRANSFER_PURPOSE = (
    "Doorzetten van de aanpak bij het Zorg- en Veiligheidshuis: de lokale aanpak loopt vast "
    "en politie en justitie blijven zwaar betrokken."
)
TRANSFER_PROPORTIONALITY = (
    "Alleen de samenvatting, de problemen per leefgebied en de criteria; geen verslagen of "
    "bijlagen."
)
TRANSFER_SUBSIDIARITY = (
    "Een lokaal overleg met dezelfde partners is geprobeerd en volstaat niet meer."
)
