"""Search keys on persons (issue 10): normalised surname and first names, their backfill,
an index on the date of birth for duplicate matching, and on PostgreSQL pg_trgm GIN
indexes for `contains` on the keys and on the case number.

The GIN indexes and the extension are PostgreSQL-only and not in the model state (SQLite
has neither), so they are created here when the database is PostgreSQL.
"""

from django.db import migrations, models

import ketenregie.cases.models
from ketenregie.core.names import first_names_search_key, surname_search_key

BATCH = 1000

TRIGRAM_INDEXES = {
    "person_surname_key_trgm": "cases_person USING gin (surname_key gin_trgm_ops)",
    "person_first_names_key_trgm": "cases_person USING gin (first_names_key gin_trgm_ops)",
    # The case search's `code__icontains` is UPPER(code) LIKE UPPER('%term%').
    "case_code_trgm": "cases_case USING gin ((UPPER(code::text)) gin_trgm_ops)",
}


def _update_from_values(schema_editor, column, sources, rows):
    """One UPDATE per batch: set `column` from a VALUES list joined on the source columns.

    Names repeat (thousands of Jansens), so keys are computed once per distinct name and
    written set-based; both PostgreSQL and SQLite (3.33+) name VALUES columns column1...
    """
    quote = schema_editor.quote_name
    match = " AND ".join(f"{quote(c)} = v.column{i + 2}" for i, c in enumerate(sources))
    width = len(sources) + 1
    with schema_editor.connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(batch))
            cursor.execute(
                f"UPDATE cases_person SET {quote(column)} = v.column1 "
                f"FROM (VALUES {values}) AS v WHERE {match}",
                [value for row in batch for value in row],
            )


def backfill(apps, schema_editor):
    person = apps.get_model("cases", "Person")
    surnames = person.objects.values_list("tussenvoegsel", "achternaam").distinct()
    _update_from_values(
        schema_editor,
        "surname_key",
        ["tussenvoegsel", "achternaam"],
        [(surname_search_key(t, a), t, a) for t, a in surnames.iterator()],
    )
    first_names = person.objects.values_list("voornamen", flat=True).distinct()
    _update_from_values(
        schema_editor,
        "first_names_key",
        ["voornamen"],
        [(first_names_search_key(v), v) for v in first_names.iterator()],
    )


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, target in TRIGRAM_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_default_escalation_criteria")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="first_names_key",
            field=ketenregie.cases.models.NameKeyField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="person",
            name="surname_key",
            field=ketenregie.cases.models.NameKeyField(default="", editable=False),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["geboortedatum"], name="person_dob"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
