"""Seed the escalation map's up- and down-scaling criteria (configuration data)."""

from django.db import migrations

from ketenregie.cases.defaults import ensure_escalation_criteria


def seed(apps, schema_editor):
    ensure_escalation_criteria(apps.get_model("cases", "EscalationCriterion"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_escalation_criteria")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
