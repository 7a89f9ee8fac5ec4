"""manage.py check_files: do the stored files and their rows agree?

For every file field stored on the local file system it reports files that no row refers
to (orphans, say after a kill -9 in the middle of an upload), rows whose file is missing,
temporary upload files (core.uploads.stage), expired temporary uploads (a referral form's
kept attachments, `core.uploads.register_expirer`) and files or directories that others
than the app's own user may read. With --remove it deletes orphans, stale temporary files
and expired temporary uploads, and finishes the move of a temporary file whose row was
committed (the crash came between the commit and the move). Files younger than --min-age
minutes are left alone: they may belong to an upload in progress. Exit status 1 while
something is still wrong, so cron or monitoring notices. ADR 0012.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.files.storage import FileSystemStorage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models

from ketenregie.core.uploads import PART_SUFFIX, expire_temporary_uploads


def _stored_names() -> dict[Path, dict[str, str]]:
    """Per storage root: every file name a row refers to, with the row it belongs to."""
    roots: dict[Path, dict[str, str]] = defaultdict(dict)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.FileField):
                continue
            storage = field.storage
            if not isinstance(storage, FileSystemStorage):
                continue
            names = roots[Path(storage.location)]
            rows = model._default_manager.exclude(**{field.name: ""}).values_list("pk", field.name)
            for pk, name in rows.iterator():
                names[str(name)] = f"{model._meta.label} {pk}"
    return roots


class Command(BaseCommand):
    help = (
        "Controleert of opgeslagen bestanden en hun rijen overeenkomen: bestanden zonder "
        "rij, rijen zonder bestand, tijdelijke bestanden en te ruime rechten. Met --remove "
        "worden bestanden zonder rij en oude tijdelijke bestanden verwijderd."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--remove",
            action="store_true",
            help="Verwijder bestanden zonder rij en oude tijdelijke bestanden; rond "
            "tijdelijke bestanden van bestaande rijen af.",
        )
        parser.add_argument(
            "--fix-modes",
            action="store_true",
            help="Zet bestanden op 0600 en mappen op 0700.",
        )
        parser.add_argument(
            "--min-age",
            type=int,
            default=60,
            help="Laat bestanden jonger dan dit aantal minuten met rust (standaard 60).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        remove: bool = options["remove"]
        fix_modes: bool = options["fix_modes"]
        cutoff = time.time() - options["min_age"] * 60
        problems = 0
        # Expired temporary uploads first: removing them leaves their files orphaned
        # only until the walk below (or gone already, after the commit).
        expired = expire_temporary_uploads(remove=remove)
        if expired:
            if remove:
                self.stdout.write(f"Verlopen tijdelijke bijlagen verwijderd: {expired}")
            else:
                self.stdout.write(f"Verlopen tijdelijke bijlagen: {expired}")
                problems += expired
        for root, names in _stored_names().items():
            on_disk: set[str] = set()
            if root.is_dir():
                problems += self._check_mode(root, 0o700, fix_modes)
                for directory, subdirs, files in os.walk(root):
                    for sub in subdirs:
                        problems += self._check_mode(Path(directory) / sub, 0o700, fix_modes)
                    for file in files:
                        path = Path(directory) / file
                        on_disk.add(path.relative_to(root).as_posix())
                        problems += self._check_mode(path, 0o600, fix_modes)
            for rel in sorted(on_disk):
                problems += self._check_file(root, rel, names, on_disk, cutoff, remove)
            for name, row in sorted(names.items()):
                if name not in on_disk and name + PART_SUFFIX not in on_disk:
                    self.stdout.write(f"Rij zonder bestand: {row} ({name})")
                    problems += 1
        if problems:
            raise CommandError(f"{problems} probleem/problemen gevonden.")
        self.stdout.write("Bestanden en rijen komen overeen.")

    def _check_file(
        self,
        root: Path,
        rel: str,
        names: dict[str, str],
        on_disk: set[str],
        cutoff: float,
        remove: bool,
    ) -> int:
        path = root / rel
        young = path.stat().st_mtime > cutoff
        if rel.endswith(PART_SUFFIX):
            final = rel.removesuffix(PART_SUFFIX)
            if young:
                # Perhaps a commit whose move is still to come.
                self.stdout.write(f"Tijdelijk bestand (recent, overgeslagen): {rel}")
                return 0
            if final in names and final not in on_disk:
                self.stdout.write(f"Onvoltooid bestand van {names[final]}: {rel}")
                if remove:
                    os.replace(path, root / final)
                    on_disk.add(final)
                    self.stdout.write("  afgerond")
                    return 0
                return 1
            self.stdout.write(f"Oud tijdelijk bestand: {rel}")
        elif rel in names:
            return 0
        elif young:
            self.stdout.write(f"Bestand zonder rij (recent, overgeslagen): {rel}")
            return 0
        else:
            self.stdout.write(f"Bestand zonder rij: {rel}")
        if remove:
            path.unlink(missing_ok=True)
            self.stdout.write("  verwijderd")
            return 0
        return 1

    def _check_mode(self, path: Path, wanted: int, fix: bool) -> int:
        mode = path.stat().st_mode & 0o777
        if not mode & 0o077:
            return 0
        self.stdout.write(f"Te ruime rechten {mode:o} (hoort {wanted:o}): {path}")
        if fix:
            path.chmod(wanted)
            return 0
        return 1
