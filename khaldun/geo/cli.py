"""Command line for the gazetteer: ``khaldun gazetteer build|add|download|info|lookup`` and ``khaldun places``.

Thin shells over :mod:`khaldun.geo`: each command parses options, calls the library and
prints the result; errors are one line with a non-zero exit.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from khaldun.errors import KhaldunError
from khaldun.geo import paths
from khaldun.geo.build import build as build_index
from khaldun.geo.download import fetch, verify
from khaldun.geo.gazetteer import Gazetteer
from khaldun.geo.messages import geo_error
from khaldun.geo.store import UserStore


def _fail(exc: KhaldunError) -> click.ClickException:
    return click.ClickException(str(exc))


@click.group(name="gazetteer")
def gazetteer() -> None:
    """Build, extend and inspect the offline gazetteer (GeoNames, CC-BY 4.0)."""


@gazetteer.command()
@click.option("--from", "raw_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder with the raw GeoNames files (cities500.txt.gz, admin1CodesASCII.txt, ...).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Index file to write (.sqlite, or .sqlite.xz compressed). Default: your base index in the data folder.")
@click.option("--no-supplements", is_flag=True, help="Leave out the supplements shipped with khaldun.")
def build(raw_dir: Path, out: Path | None, no_supplements: bool) -> None:
    """Build the index from raw GeoNames files, deterministically.

    Example: khaldun gazetteer build --from ../shared/gazetteer/raw
    """
    target = out or UserStore().user_base_path
    try:
        meta = build_index(raw_dir, target, supplements=not no_supplements)
    except KhaldunError as exc:
        raise _fail(exc) from None
    click.echo(f"{target}: {meta['places']} places, {meta['keys']} name keys, checksum {meta['checksum'][:16]}")


@gazetteer.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def add(files: tuple[Path, ...]) -> None:
    """Check and merge supplement files (TSV or YAML) into your gazetteer.

    A bad row stops the merge with its line number and changes nothing.

    Example: khaldun gazetteer add checkpoints.tsv
    """
    store = UserStore()
    for path in files:
        try:
            meta = store.add_supplement(path)
        except KhaldunError as exc:
            raise _fail(exc) from None
        click.echo(f"{path}: merged ({meta['places']} places in {store.index_path})")


@gazetteer.command()
@click.argument("countries", nargs=-1, required=True)
@click.option("--base-url", default=None, help="Where the dumps are (default: GeoNames' export/dump; file:// works).")
@click.option("--sha256", default=None, help="Expected SHA-256 of the dump (one country only).")
def download(countries: tuple[str, ...], base_url: str | None, sha256: str | None) -> None:
    """Download GeoNames country dumps (all features, neighbourhoods, alternate names), verify and merge them.

    Example: khaldun gazetteer download SY IQ
    """
    if sha256 and len(countries) > 1:
        raise click.UsageError("--sha256 applies to one country at a time")
    store = UserStore()
    for raw in countries:
        country = raw.upper()
        try:
            if len(country) != 2 or not country.isalpha():
                raise geo_error("E620", country=raw)
            data = fetch(country, base_url=base_url)
            rows = verify(data, country=country, name=f"{country}.zip", sha256=sha256)
            meta = store.add_dump(country, data)
        except KhaldunError as exc:
            raise _fail(exc) from None
        click.echo(f"{country}: {rows} rows verified and merged ({meta['places']} places)")


@gazetteer.command()
def info() -> None:
    """Show which index is used, its size, counts and checksum.

    Example: khaldun gazetteer info
    """
    try:
        gaz = Gazetteer.open()
    except KhaldunError as exc:
        raise _fail(exc) from None
    for name, value in sorted(gaz.info().items()):
        click.echo(f"{name}: {value}")
    click.echo(f"data folder: {paths.user_data_dir()}")


@gazetteer.command()
@click.argument("name")
@click.option("--country", default=None, help="ISO 3166 alpha-2 filter.")
@click.option("--fuzzy", "fuzzy_threshold", type=float, default=None, help="Also approximate matches at this score (0-100).")
def lookup(name: str, country: str | None, fuzzy_threshold: float | None) -> None:
    """Look a name up, as JSON lines (exact key matches, then fuzzy ones).

    Example: khaldun gazetteer lookup Qoussair --country SY
    """
    try:
        gaz = Gazetteer.open()
        cc = country.upper() if country else None
        for entry in gaz.lookup(name, country=cc):
            click.echo(json.dumps({"match": "exact", **entry.model_dump()}, ensure_ascii=False))
        if fuzzy_threshold is not None:
            for entry, score in gaz.fuzzy(name, country=cc, threshold=fuzzy_threshold):
                click.echo(json.dumps({"match": "fuzzy", "score": round(score, 1), **entry.model_dump()}, ensure_ascii=False))
    except KhaldunError as exc:
        raise _fail(exc) from None
