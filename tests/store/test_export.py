"""Exports of stored events: ACLED-ordered CSV, GeoJSON points, Parquet; filters; the CLI commands."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import click
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from store_factories import HAMA, HOMS, KHALDIYE, REBELS, event, result

from khaldun.cli.store import control_command, explain_command, export_command, ingest_command
from khaldun.schema import ACLED_COLUMNS, KHALDUN_COLUMNS
from khaldun.store.ingest import store_result

DAY = dt.date(2014, 3, 10)


@pytest.fixture
def cli():
    group = click.Group("khaldun")
    for command in (ingest_command, explain_command, control_command, export_command):
        group.add_command(command)
    return lambda *args: CliRunner().invoke(group, list(args))


@pytest.fixture
def filled(store):
    store_result(store, result("a", DAY, [event("a", DAY, KHALDIYE, fatalities=3, outlet="A"),
                                          event("a", DAY, None, sub="Air/drone strike", number=2,
                                                event_type="Explosions/Remote violence", outlet="A")],
                               outlet="A", places=(KHALDIYE,)))
    store_result(store, result("b", DAY, [event("b", DAY, HOMS, actor2=REBELS, fatalities=5, outlet="B")],
                               outlet="B", places=(HOMS,)))
    store_result(store, result("c", DAY + dt.timedelta(days=30), [event("c", DAY + dt.timedelta(days=30), HAMA)],
                               outlet="C", places=(HAMA,)))
    return store


def test_csv_has_acled_columns_then_khaldun_columns(filled, db_url, cli):
    out = cli("export", "--format", "csv", "--db", db_url)
    assert out.exit_code == 0, out.output
    rows = list(csv.reader(io.StringIO(out.output)))
    assert tuple(rows[0]) == ACLED_COLUMNS + KHALDUN_COLUMNS
    assert len(rows) == 1 + 3


def test_geojson_is_a_valid_feature_collection(filled, db_url, cli, tmp_path):
    target = tmp_path / "events.geojson"
    assert cli("export", "--format", "geojson", "-o", str(target), "--db", db_url).exit_code == 0
    data = json.loads(target.read_text())
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 3
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        geometry = feature["geometry"]
        if feature["properties"]["latitude"] is None:
            assert geometry is None
        else:
            lon, lat = geometry["coordinates"]
            assert geometry["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
        assert list(feature["properties"])[:len(ACLED_COLUMNS)] == list(ACLED_COLUMNS)
        assert {"fatalities_low", "sources", "review_status"} <= set(feature["properties"])


def test_parquet_is_readable_and_typed(filled, db_url, cli, tmp_path):
    target = tmp_path / "events.parquet"
    out = cli("export", "--format", "parquet", "-o", str(target), "--db", db_url, "--since", "2014-03-01",
              "--until", "2014-03-31", "--country", "Syria", "--type", "Battles")
    assert out.exit_code == 0, out.output
    table = pq.read_table(target)
    assert table.num_rows == 1
    assert table.column_names[:len(ACLED_COLUMNS)] == list(ACLED_COLUMNS)
    row = table.to_pylist()[0]
    assert row["event_date"] == DAY and row["fatalities"] == 3 and row["fatalities_high"] == 5
    assert {s["document_id"] for s in row["sources"]} == {"a", "b"}


def test_explain_and_control_commands(filled, db_url, cli):
    out = cli("export", "--format", "csv", "--db", db_url, "--type", "Battles", "--until", "2014-03-10")
    event_id = list(csv.DictReader(io.StringIO(out.output)))[0]["event_id_cnty"]
    explained = cli("explain", event_id, "--db", db_url)
    assert explained.exit_code == 0 and "2 report(s) merged" in explained.output and "part of Homs" in explained.output
    missing = cli("explain", "XX-nope", "--db", db_url)
    assert missing.exit_code != 0 and "E706" in missing.output
    assert cli("control", "--at", "not-a-date", "--db", db_url).exit_code != 0
