"""The user's gazetteer: packaged default + downloaded dumps + supplements, merged.

The merged index is derived data: it is rebuilt from the packaged default by replaying
the kept dumps and supplement files, into a temporary file that replaces the old index
only when everything merged. So a bad file changes nothing, and a new khaldun version
(new packaged default) is picked up by replaying the user's additions on it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from khaldun.errors import KhaldunError
from khaldun.geo import download, paths, supplements
from khaldun.geo.index import finish
from khaldun.geo.messages import geo_error

SUPPLEMENT_SUFFIXES = (".tsv", ".yaml", ".yml")


def packaged_base() -> Path:
    """The packaged default index, unpacked to the cache folder on first use."""
    from khaldun.geo.gazetteer import unpack

    return unpack(paths.packaged_index())


class UserStore:
    """The user's data folder; ``root`` and ``base`` are settable for tests."""

    def __init__(self, root: Path | None = None, *, base: Path | None = None) -> None:
        self.root = Path(root) if root else paths.user_data_dir()
        self._base = Path(base) if base else None
        self.index_path = self.root / "gazetteer.sqlite"
        self.user_base_path = self.root / "base.sqlite"
        self.downloads = self.root / "downloads"
        self.supplements = self.root / "supplements"

    @property
    def base(self) -> Path:
        """The index additions are merged on: set in tests, else one the user built, else the packaged default."""
        if self._base:
            return self._base
        if self.user_base_path.exists():
            return self.user_base_path
        return packaged_base()

    def dump_files(self) -> list[Path]:
        return sorted(self.downloads.glob("*.zip")) if self.downloads.exists() else []

    def supplement_files(self) -> list[Path]:
        if not self.supplements.exists():
            return []
        return sorted(p for p in self.supplements.iterdir() if p.suffix in SUPPLEMENT_SUFFIXES)

    def has_additions(self) -> bool:
        return bool(self.dump_files() or self.supplement_files())

    def _base_checksum(self) -> str:
        conn = sqlite3.connect(f"file:{self.base}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT value FROM meta WHERE name = 'checksum'").fetchone()[0]
        finally:
            conn.close()

    def _index_base(self) -> str | None:
        if not self.index_path.exists():
            return None
        conn = sqlite3.connect(f"file:{self.index_path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE name = 'base'").fetchone()
            return row[0] if row else None
        except sqlite3.Error:
            return None
        finally:
            conn.close()

    def current_index(self) -> Path:
        """The index to read: the merged one when the user added anything, else the base."""
        if not self.has_additions():
            return self.base
        if self._index_base() != self._base_checksum():
            self.rebuild()
        return self.index_path

    def rebuild(self, *, extra_dumps: tuple[Path, ...] = (), extra_supplements: tuple[Path, ...] = ()) -> dict[str, str]:
        """Replay all additions (plus candidates not yet kept) into a new merged index."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".gazetteer.{os.getpid()}.tmp"
        base_checksum = self._base_checksum()
        shutil.copyfile(self.base, tmp)
        try:
            conn = sqlite3.connect(tmp)
            try:
                conn.execute("PRAGMA journal_mode=OFF")
                dumps = {p.name: p for p in self.dump_files()}
                dumps.update({p.name: p for p in extra_dumps})
                for name in sorted(dumps):
                    download.merge_dump(conn, dumps[name])
                sups = {p.name: p for p in self.supplement_files()}
                sups.update({p.name: p for p in extra_supplements})
                for name in sorted(sups):
                    supplements.merge(conn, supplements.read(sups[name]))
                meta = finish(conn, base=base_checksum, dumps=",".join(sorted(dumps)), supplements=",".join(sorted(sups)))
            finally:
                conn.close()
            tmp.replace(self.index_path)
        except (KhaldunError, sqlite3.Error, OSError) as exc:
            tmp.unlink(missing_ok=True)
            if isinstance(exc, KhaldunError):
                raise
            raise geo_error("E630", path=self.index_path, reason=str(exc)) from None
        return meta

    def add_supplement(self, path: Path) -> dict[str, str]:
        """Check and merge a supplement file, then keep a copy of it; atomic."""
        path = Path(path)
        supplements.read(path)
        self.supplements.mkdir(parents=True, exist_ok=True)
        staging = self.supplements / f".staging-{os.getpid()}"
        staging.mkdir(exist_ok=True)
        candidate = staging / path.name
        try:
            shutil.copyfile(path, candidate)
            meta = self.rebuild(extra_supplements=(candidate,))
            candidate.replace(self.supplements / path.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return meta

    def add_dump(self, country: str, data: bytes) -> dict[str, str]:
        """Keep a verified dump and merge it; atomic."""
        self.downloads.mkdir(parents=True, exist_ok=True)
        staging = self.downloads / f".staging-{os.getpid()}"
        staging.mkdir(exist_ok=True)
        candidate = staging / f"{country}.zip"
        try:
            candidate.write_bytes(data)
            meta = self.rebuild(extra_dumps=(candidate,))
            candidate.replace(self.downloads / f"{country}.zip")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return meta
