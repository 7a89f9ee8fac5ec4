"""Indexes for the privacy officer's audit search by person (issue 10). Indexes only.

- `audit_object` on (object_type, object_id): the events filed under a person record.
- PostgreSQL only, partial expression indexes on the search-term digests the search
  looks up (`data #> '{filters,q_sha256}'` and `'{filters,person_sha256}'`, the form
  Django writes for `data__filters__<key>=`); only search events carry them, so the
  indexes stay small.

Raw SQL and not `Meta.indexes`: the JSON paths are PostgreSQL expressions, and keeping
the model state untouched lets this stand beside changes to the event's fields.
"""

from django.db import migrations

DIGEST_KEYS = ("q_sha256", "person_sha256")


def _digest_index(key):
    path = f"(data #> '{{filters,{key}}}')"
    return (
        f"CREATE INDEX IF NOT EXISTS audit_filters_{key} ON audit_auditevent ({path}) "
        f"WHERE {path} IS NOT NULL"
    )


def create(apps, schema_editor):
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS audit_object ON audit_auditevent (object_type, object_id)"
    )
    if schema_editor.connection.vendor == "postgresql":
        for key in DIGEST_KEYS:
            schema_editor.execute(_digest_index(key))


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS audit_object")
    if schema_editor.connection.vendor == "postgresql":
        for key in DIGEST_KEYS:
            schema_editor.execute(f"DROP INDEX IF EXISTS audit_filters_{key}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_sealing")]
    operations = [migrations.RunPython(create, drop)]
