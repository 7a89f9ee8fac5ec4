"""Seed the default life domains: the 13 domains of the Zelfredzaamheid-Matrix (ZRM 2017)."""

from django.db import migrations

ZRM_DOMAINS = [
    "Financiën",
    "Werk & opleiding",
    "Tijdsbesteding",
    "Huisvesting",
    "Huiselijke relaties",
    "Geestelijke gezondheid",
    "Lichamelijke gezondheid",
    "Middelengebruik",
    "Basale ADL",
    "Instrumentele ADL",
    "Sociaal netwerk",
    "Maatschappelijke participatie",
    "Justitie",
]


def seed(apps, schema_editor):
    LifeDomain = apps.get_model("cases", "LifeDomain")
    for order, name in enumerate(ZRM_DOMAINS, start=1):
        LifeDomain.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_life_domain")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
