"""The information letter becomes a real letter: municipality, privacy contact and
complaint route per house template. Existing templates get empty values, which the letter
refuses to print until the beheerder fills them in."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("pga", "0003_transfer_art9_and_secrecy_ground")]

    operations = [
        migrations.AddField(
            model_name="lettertemplate",
            name="municipality",
            field=models.CharField(
                blank=True,
                default="",
                help_text="De gemeente namens wie de brief gaat, bijvoorbeeld: Gemeente Heerlen.",
                max_length=150,
                verbose_name="gemeente",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="lettertemplate",
            name="privacy_contact",
            field=models.TextField(
                blank=True,
                default="",
                help_text=(
                    "Waar de betrokkene terechtkan met vragen over zijn of haar gegevens, "
                    "zoals de functionaris gegevensbescherming met e-mailadres of "
                    "telefoonnummer."
                ),
                verbose_name="privacycontact",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="lettertemplate",
            name="complaint_route",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Hoe en waar de betrokkene een klacht indient, en bij wie daarna.",
                verbose_name="klachtroute",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="lettertemplate",
            name="signatory_name",
            field=models.CharField(
                blank=True,
                help_text="De naam van wie ondertekent, bijvoorbeeld: mr. A.B. Jansen.",
                max_length=150,
                verbose_name="ondertekenaar",
            ),
        ),
        migrations.AlterField(
            model_name="lettertemplate",
            name="signatory_title",
            field=models.CharField(
                blank=True,
                help_text="Bijvoorbeeld: burgemeester van Heerlen.",
                max_length=150,
                verbose_name="functie ondertekenaar",
            ),
        ),
    ]
