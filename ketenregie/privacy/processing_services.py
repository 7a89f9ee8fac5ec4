"""Writing a house's processing register: start it from the model, change its general
part, add, change or remove a processing. Every save is a new numbered version, checked
against the version the form was based on and audited in the same transaction.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ketenregie.accounts.models import Domain, House, HousePartner, Organisation, User
from ketenregie.accounts.roles import Role
from ketenregie.audit import services as audit
from ketenregie.audit.writes import lock
from ketenregie.privacy import processing
from ketenregie.privacy.models import ProcessingRegister, RegisterVersion
from ketenregie.privacy.processing_model import NOTE, Partner, model_content

PURPOSE = "verantwoording gegevensbescherming (AVG art. 30)"
NOTE_MAX = 500


def partner_organisations(house: House) -> QuerySet[Organisation]:
    """The organisations that may be joint controllers of the house's processings."""
    return Organisation.objects.filter(
        pk__in=HousePartner.objects.filter(house=house).values("organisation_id")
    ).order_by("name")


def current(register: ProcessingRegister) -> RegisterVersion:
    return register.versions.get(number=register.version)


@transaction.atomic
def start_from_model(house: House, *, actor: User) -> RegisterVersion:
    """Version 1 of the house's register, from the model (only for a house without one)."""
    # The house row serialises two starts at once: the second sees the first's register.
    lock(house)
    if ProcessingRegister.objects.filter(house=house).exists():
        raise ValidationError(_("Dit huis heeft al een verwerkingsregister."))
    fixed = HousePartner.objects.filter(house=house, is_fixed_triage_partner=True)
    partners = [
        Partner(
            link.organisation_id, link.organisation.name, link.organisation.domain == Domain.SOCIAAL
        )
        for link in fixed.select_related("organisation").order_by("organisation__name")
    ]
    register = ProcessingRegister.objects.create(house=house, version=1)
    version = RegisterVersion.objects.create(
        register=register,
        number=1,
        saved_by=actor,
        note=NOTE,
        content=model_content(house.name, partners),
    )
    audit.record(
        "processing_register.started",
        actor=actor,
        obj=register,
        purpose=PURPOSE,
        data={"huis": house.pk, "versie": 1, "verwerkingen": len(version.content["processings"])},
    )
    return version


def _note_errors(note: str) -> dict[str, list[str]]:
    if not note.strip():
        return {"note": [_("Schrijf kort op wat u wijzigt en waarom; dat staat bij de versie.")]}
    if len(note.strip()) > NOTE_MAX:
        return {"note": [_("De toelichting is te lang: hoogstens 500 tekens.")]}
    return {}


def _save(
    register: ProcessingRegister,
    *,
    actor: User,
    expected_version: int,
    note: str,
    change: Any,
) -> RegisterVersion:
    """The next version: `change(content)` edits a copy of the current content in place
    (raising ValidationError for what cannot be saved)."""
    locked = lock(register, expected_version=expected_version)
    before = current(locked).content
    content = copy.deepcopy(before)
    # Every refusal at once: the note's and the register's rules together.
    errors = _note_errors(note)
    try:
        change(content)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    processing.raise_errors(errors)
    note = note.strip()
    changes = processing.diff(before, content)
    if not changes:
        raise ValidationError(
            _("U heeft niets gewijzigd; er is geen nieuwe versie gemaakt."), code="unchanged"
        )
    locked.version += 1
    locked.save(update_fields=["version"])
    version = RegisterVersion.objects.create(
        register=locked, number=locked.version, saved_by=actor, note=note, content=content
    )
    # The register holds no one's case data, but its texts stay out of the trail like all
    # free text: which parts changed, not what they say.
    audit.record(
        "processing_register.saved",
        actor=actor,
        obj=locked,
        purpose=PURPOSE,
        data={
            "huis": locked.house_id,
            "versie": version.number,
            "onderdelen": sorted({f"{c.section}: {c.field}".rstrip(": ") for c in changes}),
        },
    )
    return version


def save_general(
    register: ProcessingRegister,
    *,
    actor: User,
    expected_version: int,
    values: Mapping[str, str],
    note: str,
) -> RegisterVersion:
    def change(content: dict[str, Any]) -> None:
        new = {f: str(values.get(f, "")).strip() for f in processing.GENERAL_FIELDS}
        processing.raise_errors(processing.general_errors(new))
        content.update(new)

    with transaction.atomic():
        return _save(
            register, actor=actor, expected_version=expected_version, note=note, change=change
        )


def _joint(organisations: list[Organisation]) -> list[dict[str, Any]]:
    # The name as it is today, frozen in the version.
    return [{"id": o.pk, "name": o.name} for o in organisations]


def save_processing(
    register: ProcessingRegister,
    *,
    actor: User,
    expected_version: int,
    key: str | None,
    values: Mapping[str, Any],
    note: str,
) -> RegisterVersion:
    """Add a processing (`key` None) or change the one with `key`. `values` holds the text
    fields, `legal_bases` (codes) and `joint_controllers` (organisations)."""
    partner_ids = set(partner_organisations(register.house).values_list("pk", flat=True))

    def change(content: dict[str, Any]) -> None:
        item = processing.empty_processing() if key is None else processing.find(content, key)
        if item is None:
            raise ValidationError(
                _("Deze verwerking staat niet (meer) in het register. Ververs de pagina.")
            )
        new: dict[str, Any] = {f: str(values.get(f, "")).strip() for f in processing.TEXT_FIELDS}
        new["legal_bases"] = list(values.get("legal_bases") or [])
        new["joint_controllers"] = _joint(list(values.get("joint_controllers") or []))
        others = [p for p in content["processings"] if key is None or p["key"] != key]
        processing.raise_errors(
            processing.processing_errors(new, others=others, partner_ids=partner_ids)
        )
        if key is None:
            item = {**new, "key": processing.new_key()}
            content["processings"].append(item)
        else:
            item.update(new)

    with transaction.atomic():
        return _save(
            register, actor=actor, expected_version=expected_version, note=note, change=change
        )


def remove_processing(
    register: ProcessingRegister, *, actor: User, expected_version: int, key: str, note: str
) -> RegisterVersion:
    def change(content: dict[str, Any]) -> None:
        if processing.find(content, key) is None:
            raise ValidationError(
                _("Deze verwerking staat niet (meer) in het register. Ververs de pagina.")
            )
        content["processings"] = [p for p in content["processings"] if p["key"] != key]

    with transaction.atomic():
        return _save(
            register, actor=actor, expected_version=expected_version, note=note, change=change
        )


def start_missing_registers() -> int:
    """Version 1 from the model for every house without a register, saved by the privacy
    officer of all houses (the demo's step; nothing happens without such an officer).
    How many registers were started."""
    officer = (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.PRIVACY_OFFICER,
            role_assignments__house__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if officer is None:
        return 0
    houses = House.objects.filter(processing_register__isnull=True).order_by("pk")
    started = [start_from_model(house, actor=officer) for house in houses]
    return len(started)
