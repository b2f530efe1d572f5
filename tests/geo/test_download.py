import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from khaldun.errors import KhaldunError
from khaldun.geo.download import fetch, verify
from khaldun.geo.gazetteer import Gazetteer
from khaldun.geo.store import UserStore




@pytest.fixture()
def dump_dir(tmp_path: Path, make_dump) -> Path:
    folder = tmp_path / "dumps"
    folder.mkdir()
    (folder / "SY.zip").write_bytes(make_dump("SY"))
    return folder


def test_fetch_from_a_file_url_verify_and_merge(dump_dir: Path, tmp_path: Path, fixture_index: Path) -> None:
    data = fetch("SY", base_url=dump_dir.as_uri())
    assert verify(data, country="SY", name="SY.zip", sha256=hashlib.sha256(data).hexdigest()) == 4
    store = UserStore(tmp_path / "user", base=fixture_index)
    store.add_dump("SY", data)
    gaz = Gazetteer.open(store.current_index())
    quarter = gaz.lookup("Bab Amr")[0]
    assert (quarter.id, quarter.feature_code, quarter.admin1) == ("geonames:171983", "PPLX", "Homs")
    assert gaz.get("geonames:7777777") is None  # roads are left out
    governorate = gaz.admin1_entry("SY", "Homs")
    assert governorate is not None and governorate.latitude == 34.72682  # still the capital, not the dump's centroid
    assert any(e.id == "geonames:169575" for e in gaz.lookup("Homs Province"))
    assert (store.downloads / "SY.zip").exists()


def test_monkeypatched_opener_is_used(dump_dir: Path) -> None:
    seen = []

    def opener(url: str, timeout: float) -> io.BytesIO:
        seen.append(url)
        return io.BytesIO((dump_dir / "SY.zip").read_bytes())

    assert fetch("SY", base_url="https://example.invalid/dump", opener=opener)[:2] == b"PK"
    assert seen == ["https://example.invalid/dump/SY.zip"]


def test_checksum_mismatch(dump_dir: Path) -> None:
    data = (dump_dir / "SY.zip").read_bytes()
    with pytest.raises(KhaldunError) as info:
        verify(data, country="SY", name="SY.zip", sha256="0" * 64)
    assert info.value.code == "E622"


def test_format_failures(tmp_path: Path, make_dump, dump_rows) -> None:
    with pytest.raises(KhaldunError) as info:
        verify(b"not a zip", country="SY", name="SY.zip")
    assert info.value.code == "E623"
    with pytest.raises(KhaldunError) as info:
        verify(make_dump("IQ", dump_rows[:1]), country="SY", name="SY.zip")
    assert "no SY.txt" in str(info.value)
    wrong_country = [dump_rows[0][:8] + ("IQ",) + dump_rows[0][9:]]
    with pytest.raises(KhaldunError) as info:
        verify(make_dump("SY", wrong_country), country="SY", name="SY.zip")
    assert info.value.code == "E623"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("SY.txt", "1\tonly\tthree\n")
    with pytest.raises(KhaldunError) as info:
        verify(buffer.getvalue(), country="SY", name="SY.zip")
    assert info.value.code == "E605" and ":1:" in str(info.value)


def test_unreachable_url(tmp_path: Path) -> None:
    with pytest.raises(KhaldunError) as info:
        fetch("SY", base_url=(tmp_path / "nowhere").as_uri())
    assert info.value.code == "E621"


def test_a_failed_merge_keeps_nothing(tmp_path: Path, fixture_index: Path) -> None:
    store = UserStore(tmp_path / "user", base=fixture_index)
    with pytest.raises(KhaldunError):
        store.add_dump("SY", b"garbage")
    assert not store.index_path.exists()
    assert store.dump_files() == []
