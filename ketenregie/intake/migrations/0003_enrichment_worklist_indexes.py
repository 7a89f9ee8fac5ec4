"""Indexes for the partner's enrichment list (its order) and the dashboard's count of
open requests.

The list's order (open first, then the nearest deadline) needs `answered_at NULLS FIRST`
in the index, which SQLite cannot index: that index is created on PostgreSQL only and
is not part of the model state. The open-request index is a plain partial index.
"""

from typing import Any

from django.db import migrations, models

WORKLIST = "enrichment_org_worklist"


def create_worklist_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {WORKLIST} ON intake_enrichmentrequest "
        "(organisation_id, answered_at ASC NULLS FIRST, deadline, id)"
    )


def drop_worklist_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {WORKLIST}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("intake", "0002_referral_claimed_bsn"),
    ]

    operations = [
        migrations.RunPython(create_worklist_index, drop_worklist_index),
        migrations.AddIndex(
            model_name="enrichmentrequest",
            index=models.Index(
                condition=models.Q(("answer", "")),
                fields=["organisation", "referral"],
                name="enrichment_org_open",
            ),
        ),
    ]
