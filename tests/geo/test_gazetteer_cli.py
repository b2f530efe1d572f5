from pathlib import Path

from click.testing import CliRunner

from khaldun.geo.cli import gazetteer



def run(*args: str):
    return CliRunner().invoke(gazetteer, list(args), catch_exceptions=False)


def test_build_then_use_as_base(raw_dir: Path, tmp_path: Path) -> None:
    result = run("build", "--from", str(raw_dir), "--no-supplements")
    assert result.exit_code == 0, result.output
    assert "places" in result.output
    result = run("lookup", "Qoussair")
    assert result.exit_code == 0 and "geonames:173322" in result.output
    result = run("info")
    assert "checksum" in result.output and "base.sqlite" in result.output


def test_add_bad_file_is_one_line_and_non_zero(raw_dir: Path, tmp_path: Path) -> None:
    run("build", "--from", str(raw_dir), "--no-supplements")
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\tname\tlatitude\tlongitude\tfeature\tcountry\tsource\nx\tX\t500\t1\tvillage\tSY\ts\n")
    result = CliRunner().invoke(gazetteer, ["add", str(bad)])
    assert result.exit_code != 0
    assert "E610" in result.output and "bad.tsv:2:" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_download_from_file_url(raw_dir: Path, tmp_path: Path, make_dump) -> None:
    run("build", "--from", str(raw_dir), "--no-supplements")
    folder = tmp_path / "mirror"
    folder.mkdir()
    (folder / "SY.zip").write_bytes(make_dump("SY"))
    result = run("download", "sy", "--base-url", folder.as_uri())
    assert result.exit_code == 0, result.output
    assert "4 rows verified" in result.output
    result = CliRunner().invoke(gazetteer, ["download", "SY", "--base-url", folder.as_uri(), "--sha256", "00"])
    assert result.exit_code != 0 and "E622" in result.output
    result = CliRunner().invoke(gazetteer, ["download", "Syria"])
    assert result.exit_code != 0 and "E620" in result.output
