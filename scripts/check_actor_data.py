#!/usr/bin/env python3
"""Check khaldun's actor dictionaries and country table.

Usage: python scripts/check_actor_data.py [--strict]

Loads khaldun/data/countries.yaml, khaldun/data/actors/generic.yaml and every
other khaldun/data/actors/*.yaml, and checks:
  * required keys are present and well typed;
  * inter codes are in 1..8;
  * placeholders are known ones;
  * every `country:` value (and every file-level `countries:` entry) is a
    country name from countries.yaml;
  * no alias is used within one file by two actors with different ACLED names
    (comparison ignores case, accents, apostrophe style and a leading article;
    two context_only aliases whose country scopes do not overlap are allowed);
  * actor keys are unique across files; `resolves_to` points to an existing key;
  * `adj_alt` forms in countries.yaml and `state_nouns` in generic.yaml are well formed.
Duplicates ACROSS files are reported as warnings (errors with --strict),
except when one side is context_only (scoped to its country).
Exit status 1 when an error is found.
"""
from __future__ import annotations

import datetime
import re
import sys
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "khaldun" / "data"
ACTORS = DATA / "actors"

REGIONS = {
    "Western Africa", "Middle Africa", "Eastern Africa", "Southern Africa", "Northern Africa", "Middle East",
    "South Asia", "Southeast Asia", "East Asia", "Caucasus and Central Asia", "Europe", "North America",
    "Central America", "South America", "Caribbean", "Oceania",
}
ALIAS_PLACEHOLDERS = {"country", "the_country", "country_fr", "de_country_fr", "adj", "adj_ms", "adj_fs", "adj_mp", "adj_fp"}
NAME_PLACEHOLDERS_GENERIC = {"country", "the_country"}
NAME_PLACEHOLDERS_NAMED = {"regime"}
LANGS = {"en", "fr", "ar"}
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
LEADING_ARTICLE_RE = re.compile(r"^(?:l'|le |la |les |the )", re.I)

errors: list[str] = []
warnings: list[str] = []


def err(msg: str) -> None:
    errors.append(msg)


def warn(msg: str) -> None:
    warnings.append(msg)


def norm(alias: str) -> str:
    s = alias.replace("\u2019", "'").replace("\u02bc", "'").strip()
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = re.sub(r"\s+", " ", s)
    return LEADING_ARTICLE_RE.sub("", s)


def load(path: Path):
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        err(f"{path.name}: YAML error: {exc}")
        return None


def check_countries() -> tuple[set[str], dict]:
    path = DATA / "countries.yaml"
    data = load(path)
    names: set[str] = set()
    by_name: dict = {}
    if not isinstance(data, list):
        err("countries.yaml: top level must be a list")
        return names, by_name
    seen = {"iso2": set(), "iso3": set(), "name": set()}
    for i, c in enumerate(data):
        where = f"countries.yaml[{i}] {c.get('iso2', '?') if isinstance(c, dict) else '?'}"
        if not isinstance(c, dict):
            err(f"{where}: entry must be a mapping")
            continue
        for k in ("iso2", "iso3", "iso_numeric", "name", "region", "en", "fr"):
            if k not in c:
                err(f"{where}: missing key {k!r}")
        for k in ("iso2", "iso3", "name"):
            v = c.get(k)
            if v in seen[k]:
                err(f"{where}: duplicate {k} {v!r}")
            seen[k].add(v)
        if not isinstance(c.get("iso_numeric"), int):
            err(f"{where}: iso_numeric must be an integer")
        if c.get("region") is not None and c.get("region") not in REGIONS:
            err(f"{where}: unknown region {c.get('region')!r}")
        en, fr = c.get("en") or {}, c.get("fr") or {}
        if "adj" not in en:
            err(f"{where}: en.adj missing (use null if none)")
        for k in ("name", "de", "adj_ms", "adj_fs", "adj_mp", "adj_fp"):
            if k not in fr:
                err(f"{where}: fr.{k} missing (use null if none)")
        if not fr.get("name"):
            err(f"{where}: fr.name must not be empty")
        alt = en.get("adj_alt", [])
        if not isinstance(alt, list) or not all(isinstance(a, str) and a.strip() for a in alt):
            err(f"{where}: en.adj_alt must be a list of adjectives")
        for forms in fr.get("adj_alt", []) or []:
            if not isinstance(forms, dict) or set(forms) != {"ms", "fs", "mp", "fp"}:
                err(f"{where}: fr.adj_alt entries need ms, fs, mp, fp")
        adjs = [fr.get(k) for k in ("adj_ms", "adj_fs", "adj_mp", "adj_fp")]
        if any(a is None for a in adjs) and any(a is not None for a in adjs):
            err(f"{where}: French adjectives must be all set or all null")
        prev_end = None
        for r in c.get("regimes") or []:
            if not isinstance(r, dict) or not {"label", "start", "end"} <= set(r):
                err(f"{where}: regime entries need label, start, end")
                continue
            if not isinstance(r["start"], datetime.date):
                err(f"{where}: regime {r['label']}: start must be a date")
            if r["end"] is not None and not isinstance(r["end"], datetime.date):
                err(f"{where}: regime {r['label']}: end must be a date or null")
            if isinstance(r["start"], datetime.date) and isinstance(r["end"], datetime.date) and r["end"] <= r["start"]:
                err(f"{where}: regime {r['label']}: end before start")
            if prev_end is not None and isinstance(r["start"], datetime.date) and r["start"] < prev_end:
                err(f"{where}: regime {r['label']} overlaps the previous one")
            prev_end = r["end"] if isinstance(r["end"], datetime.date) else None
        names.add(c.get("name"))
        by_name[c.get("name")] = c
    for c in data:
        if isinstance(c, dict) and c.get("state") is not None and c["state"] not in names:
            err(f"countries.yaml {c.get('iso2')}: state {c['state']!r} is not a country name")
    return names, by_name


def check_placeholders(where: str, text: str, allowed: set[str]) -> None:
    for ph in PLACEHOLDER_RE.findall(text):
        if ph not in allowed:
            err(f"{where}: unknown placeholder {{{ph}}} in {text!r}")
    if text.count("{") != text.count("}"):
        err(f"{where}: unbalanced braces in {text!r}")


def check_inter(where: str, actor: dict, key: str = "inter", required: bool = True) -> None:
    if key not in actor:
        if required:
            err(f"{where}: missing {key!r}")
        return
    v = actor[key]
    if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 8:
        err(f"{where}: {key} must be an integer in 1..8, got {v!r}")


def iter_aliases(actor: dict, where: str):
    """Yield (lang, alias) pairs; lang '*' for context_only."""
    aliases = actor.get("aliases")
    if not isinstance(aliases, dict) or not aliases:
        err(f"{where}: 'aliases' must be a non-empty mapping of language -> list")
        return
    for lang, lst in aliases.items():
        if lang not in LANGS:
            err(f"{where}: unknown alias language {lang!r} (expected one of {sorted(LANGS)})")
        if not isinstance(lst, list):
            err(f"{where}: aliases.{lang} must be a list")
            continue
        for a in lst:
            if not isinstance(a, str) or not a.strip():
                err(f"{where}: empty or non-string alias in aliases.{lang}: {a!r}")
                continue
            yield lang, a
    ctx = actor.get("context_only", [])
    if not isinstance(ctx, list):
        err(f"{where}: context_only must be a list")
        return
    for a in ctx:
        if not isinstance(a, str) or not a.strip():
            err(f"{where}: empty or non-string context_only alias: {a!r}")
            continue
        yield "*", a


SCOPES: dict[str, frozenset] = {}


def scope_of(actor: dict) -> frozenset:
    """Countries in which an actor's context_only aliases apply."""
    val = actor.get("context_countries", actor.get("country"))
    if val is None:
        return frozenset()
    return frozenset(val if isinstance(val, list) else [val])


def register(index: dict, fname: str, lang: str, alias: str, target: str, key: str, context: bool) -> None:
    """index[(norm alias)] -> list of (lang, target name, key, context, original alias)."""
    index.setdefault(norm(alias), []).append((lang, target, key, context, alias))


def langs_clash(l1: str, l2: str) -> bool:
    return l1 == l2 or l1 == "*" or l2 == "*"


def check_file_duplicates(fname: str, index: dict) -> None:
    for n, entries in index.items():
        for i in range(len(entries)):
            for j in range(i + 1, len(entries)):
                l1, t1, k1, c1, a1 = entries[i]
                l2, t2, k2, c2, a2 = entries[j]
                if c1 and c2 and not (SCOPES.get(k1, frozenset()) & SCOPES.get(k2, frozenset())):
                    continue  # both context_only, in disjoint country scopes
                if t1 != t2 and langs_clash(l1, l2):
                    err(f"{fname}: alias {a1!r} ({l1}, {k1} -> {t1}) also used as {a2!r} ({l2}, {k2} -> {t2})")


def check_generic(country_names: set[str]) -> None:
    path = ACTORS / "generic.yaml"
    data = load(path)
    if not isinstance(data, dict) or not isinstance(data.get("templates"), list):
        err("generic.yaml: expected a mapping with a 'templates' list")
        return
    index: dict = {}
    keys = set()
    for i, t in enumerate(data["templates"]):
        where = f"generic.yaml templates[{i}] {t.get('key', '?')}"
        for k in ("key", "name", "inter", "aliases"):
            if k not in t:
                err(f"{where}: missing key {k!r}")
        if t.get("key") in keys:
            err(f"{where}: duplicate key")
        keys.add(t.get("key"))
        check_inter(where, t)
        check_inter(where, t, "inter_abroad", required=False)
        check_placeholders(where, str(t.get("name", "")), NAME_PLACEHOLDERS_GENERIC)
        for lang, a in iter_aliases(t, where):
            check_placeholders(where, a, ALIAS_PLACEHOLDERS)
            register(index, "generic.yaml", lang, a, t.get("name"), t.get("key"), False)
    check_file_duplicates("generic.yaml", index)
    nouns = data.get("state_nouns", {})
    if not isinstance(nouns, dict) or not set(nouns) <= LANGS or not all(
            isinstance(v, list) and all(isinstance(w, str) and w.strip() and " " not in w for w in v) for v in nouns.values()):
        err("generic.yaml: state_nouns must map a language to a list of single words")


def check_country_value(where: str, value, country_names: set[str], allow_null: bool = True) -> None:
    if value is None:
        if not allow_null:
            err(f"{where}: country must not be null")
        return
    vals = value if isinstance(value, list) else [value]
    for v in vals:
        if v not in country_names:
            err(f"{where}: country {v!r} not in countries.yaml")


def check_named_files(country_names: set[str]) -> dict:
    all_keys: dict[str, tuple[str, dict]] = {}
    per_file: dict[str, dict] = {}
    counts: dict[str, int] = {}
    resolves: list[tuple[str, str]] = []
    for path in sorted(ACTORS.glob("*.yaml")):
        if path.name == "generic.yaml":
            continue
        data = load(path)
        fname = path.name
        if not isinstance(data, dict):
            err(f"{fname}: top level must be a mapping")
            continue
        for k in ("conflict", "countries", "actors"):
            if k not in data:
                err(f"{fname}: missing top-level key {k!r}")
        if not isinstance(data.get("countries", []), list):
            err(f"{fname}: countries must be a list")
        else:
            for c in data.get("countries", []):
                check_country_value(f"{fname} countries", c, country_names, allow_null=False)
        actors = data.get("actors") or []
        counts[fname] = len(actors)
        index: dict = {}
        for i, a in enumerate(actors):
            where = f"{fname} actors[{i}] {a.get('key', '?')}"
            for k in ("key", "name", "inter", "country", "aliases"):
                if k not in a:
                    err(f"{where}: missing key {k!r}")
            key = a.get("key")
            if key in all_keys:
                err(f"{where}: key {key!r} already defined in {all_keys[key][0]}")
            all_keys[key] = (fname, a)
            SCOPES[key] = scope_of(a)
            check_inter(where, a)
            check_inter(where, a, "inter_abroad", required=False)
            check_placeholders(where, str(a.get("name", "")), NAME_PLACEHOLDERS_NAMED)
            if "{regime}" in str(a.get("name", "")) and a.get("regime_suffix"):
                err(f"{where}: use either {{regime}} in the name or regime_suffix, not both")
            check_country_value(where, a.get("country"), country_names)
            if "context_countries" in a:
                if not a.get("context_only"):
                    err(f"{where}: context_countries given without context_only aliases")
                check_country_value(where + " context_countries", a["context_countries"], country_names, allow_null=False)
            for dn in a.get("dated_names") or []:
                if not isinstance(dn, dict) or "name" not in dn or not {"start", "end"} <= set(dn):
                    err(f"{where}: dated_names entries need name, start, end")
                    continue
                for k in ("start", "end"):
                    if dn[k] is not None and not isinstance(dn[k], datetime.date):
                        err(f"{where}: dated_names {k} must be a date or null")
                if "inter" in dn:
                    check_inter(where + " dated_names", dn)
            if a.get("resolves_to"):
                resolves.append((where, a["resolves_to"]))
            for lang, al in iter_aliases(a, where):
                if PLACEHOLDER_RE.search(al):
                    err(f"{where}: placeholders are only allowed in generic.yaml: {al!r}")
                register(index, fname, lang, al, None, key, lang == "*")
        per_file[fname] = index
    # resolve target names (resolves_to -> parent's name) and check duplicates
    for where, target in resolves:
        if target not in all_keys:
            err(f"{where}: resolves_to {target!r} is not a known key")

    def target_name(key: str) -> str:
        seen = set()
        while key in all_keys and all_keys[key][1].get("resolves_to") and key not in seen:
            seen.add(key)
            key = all_keys[key][1]["resolves_to"]
        return all_keys[key][1].get("name") if key in all_keys else key

    global_index: dict = {}
    for fname, index in per_file.items():
        fixed = {}
        for n, entries in index.items():
            fixed[n] = [(l, target_name(k), k, c, al) for (l, _, k, c, al) in entries]
            for e in fixed[n]:
                global_index.setdefault(n, []).append((fname,) + e)
        check_file_duplicates(fname, fixed)
    for n, entries in global_index.items():
        files = {e[0] for e in entries}
        if len(files) < 2:
            continue
        for i in range(len(entries)):
            for j in range(i + 1, len(entries)):
                f1, l1, t1, k1, c1, a1 = entries[i]
                f2, l2, t2, k2, c2, a2 = entries[j]
                if f1 != f2 and t1 != t2 and langs_clash(l1, l2) and not (c1 or c2):
                    warn(f"alias {a1!r} -> {t1} ({f1}:{k1}) and -> {t2} ({f2}:{k2})")
    return counts


def main() -> int:
    strict = "--strict" in sys.argv
    country_names, _ = check_countries()
    check_generic(country_names)
    counts = check_named_files(country_names)
    for w in warnings:
        print("WARNING:", w)
    for e in errors:
        print("ERROR:", e)
    print(f"countries: {len(country_names)}; named actor files: "
          + ", ".join(f"{k} ({v})" for k, v in counts.items()))
    failed = bool(errors) or (strict and bool(warnings))
    print("FAILED" if failed else "OK", f"({len(errors)} errors, {len(warnings)} warnings)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
