"""Issue 15, slice planvi (ADR 32): the safety plan's contacts become rows; the free text
written before is kept verbatim under a new name and shown read-only."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0006_household_templates"),
    ]

    operations = [
        migrations.RenameField(
            model_name="safetyplan",
            old_name="contacts",
            new_name="earlier_contacts",
        ),
        migrations.AlterField(
            model_name="safetyplan",
            name="earlier_contacts",
            field=models.TextField(
                blank=True, verbose_name="contactgegevens, eerder vastgelegd als vrije tekst"
            ),
        ),
        migrations.CreateModel(
            name="SafetyContact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(default=0, verbose_name="volgorde"),
                ),
                ("name", models.CharField(max_length=200, verbose_name="naam")),
                (
                    "role",
                    models.CharField(blank=True, max_length=200, verbose_name="rol of relatie"),
                ),
                (
                    "phone",
                    models.CharField(
                        blank=True,
                        max_length=30,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^\\+?[0-9][0-9 ()\\-]{1,28}[0-9]$",
                                "Vul een telefoonnummer in met cijfers (eventueel met +, "
                                "spaties of streepjes).",
                            )
                        ],
                        verbose_name="telefoonnummer",
                    ),
                ),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                (
                    "when_to_call",
                    models.CharField(blank=True, max_length=300, verbose_name="wanneer te bellen"),
                ),
                (
                    "safety_plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contacts",
                        to="plans.safetyplan",
                    ),
                ),
            ],
            options={
                "verbose_name": "contactpersoon veiligheidsplan",
                "ordering": ["position", "pk"],
            },
        ),
    ]
