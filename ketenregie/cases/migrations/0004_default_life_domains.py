"""Seed the default life domains: the 13 domains of the Zelfredzaamheid-Matrix (ZRM 2017)."""

from django.db import migrations

from ketenregie.cases.defaults import ensure_life_domains


def seed(apps, schema_editor):
    ensure_life_domains(apps.get_model("cases", "LifeDomain"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_life_domain")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
