"""Checking the audit hash chain end to end."""

from __future__ import annotations

from dataclasses import dataclass

from ketenregie.audit.chain import GENESIS_HASH, event_hash
from ketenregie.audit.models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    event_id: int | None
    reason: str


def verify_chain(chunk_size: int = 5000) -> tuple[int, ChainProblem | None]:
    """Walk every event in sequence order; return (events checked, first problem)."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    rows = AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size)
    for ev in rows:
        if ev.seq != expected_seq:
            return checked, ChainProblem(
                ev.seq, ev.pk, f"volgnummer {ev.seq} verwacht {expected_seq} (ontbrekend event)"
            )
        if ev.prev_hash != prev_hash:
            return checked, ChainProblem(
                ev.seq, ev.pk, "verwijzing naar vorige hash klopt niet (verwijderd of verplaatst)"
            )
        recomputed = event_hash(
            prev_hash=ev.prev_hash,
            seq=ev.seq,
            occurred_at=ev.occurred_at,
            actor_id=ev.actor_id,
            actor_label=ev.actor_label,
            actor_organisation_id=ev.actor_organisation_id,
            action=ev.action,
            case_id=ev.case_id,
            object_type=ev.object_type,
            object_id=ev.object_id,
            purpose=ev.purpose,
            data=ev.data,
        )
        if recomputed != ev.hash:
            return checked, ChainProblem(ev.seq, ev.pk, "inhoud gewijzigd (hash klopt niet)")
        prev_hash = ev.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None and checked:
        return checked, ChainProblem(None, None, "kop van de keten ontbreekt (verwijderd)")
    if head is not None and (head.seq != checked or head.hash != prev_hash):
        return checked, ChainProblem(
            head.seq,
            None,
            f"keten eindigt bij {checked}, kop verwacht {head.seq} (einde verwijderd)",
        )
    return checked, None
