# Defence in depth on PostgreSQL (ADR 0015), beside 0002's trigger on the events: the chain
# head, the other audit table, cannot be deleted or moved back, even by the database's own
# user. Sealing moves it forward (a higher seq), or saves it unchanged.

from django.db import migrations

FORWARD_ONLY = """
CREATE OR REPLACE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id
       AND (NEW.seq > OLD.seq OR (NEW.seq = OLD.seq AND NEW.hash = OLD.hash))
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit chain head is append-only: it only moves forward (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE OR DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward_only();
"""
DROP_FORWARD_ONLY = """
DROP TRIGGER IF EXISTS audit_chain_head_forward_only ON audit_auditchainhead;
DROP FUNCTION IF EXISTS audit_chain_head_forward_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_search_indexes"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(FORWARD_ONLY), _on_postgresql(DROP_FORWARD_ONLY)),
    ]
