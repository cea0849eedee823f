"""Tests of the synthetic demo generator: determinism, schema, structure and calibration.

The calibration tests compare summary statistics with the course file when it is available
(``../shared/data/tiktok_dataset.csv``); they are marked ``realdata`` and skipped otherwise.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from claimreport.data import demo, schema
from claimreport.data.load import load_data
from claimreport.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared/data/tiktok_dataset.csv"
COMMITTED = ROOT / "data/demo_claims.csv"
CLASSES = ("claim", "opinion")


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return demo.generate(5_000, random_state=42)


@pytest.fixture(scope="module")
def full() -> pd.DataFrame:
    return demo.generate(20_000, random_state=42)


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    if not REAL.exists():
        pytest.skip(f"course file not found at {REAL}")
    return pd.read_csv(REAL, na_values=["#N/A"])


# --- determinism -------------------------------------------------------------------------------

def test_same_seed_gives_identical_frame():
    pd.testing.assert_frame_equal(demo.generate(800, 3), demo.generate(800, 3))


def test_different_seed_gives_different_frame():
    a, b = demo.generate(800, 3), demo.generate(800, 4)
    assert not a.equals(b)
    assert not a[schema.ID].equals(b[schema.ID])
    assert not a[schema.TEXT].equals(b[schema.TEXT])


@pytest.mark.parametrize("rows", [0, -5, 2.5, True, "100"])
def test_rejects_bad_row_count(rows):
    with pytest.raises(ConfigError, match="positive integer"):
        demo.generate(rows)


# --- schema ------------------------------------------------------------------------------------

def test_columns_in_course_order(sample):
    assert list(sample.columns) == [schema.ROW_NUMBER, *schema.DATA_COLUMNS]
    assert sample[schema.ROW_NUMBER].tolist() == list(range(1, len(sample) + 1))


def test_labels_are_schema_labels(sample):
    for name, labels in schema.LABELS.items():
        assert set(sample[name].dropna().unique()) <= set(labels), name
    assert set(sample[schema.CLAIM].dropna().unique()) == set(CLASSES)


def test_ids_unique_ten_digits(sample):
    ids = sample[schema.ID]
    assert ids.is_unique
    assert ids.between(1_000_000_000, 9_999_999_999).all()


def test_counts_non_negative_integers_and_nested(sample):
    for name in schema.COUNT_COLUMNS:
        values = sample[name].dropna().astype("int64")
        assert (values >= 0).all(), name
    assert sample[schema.DURATION].between(5, 60).all()
    d = sample.dropna(subset=[schema.CLAIM])
    assert (d[schema.LIKES] <= d[schema.VIEWS]).all()
    assert (d[schema.SHARES] <= d[schema.LIKES]).all()
    assert (d[schema.DOWNLOADS] <= d[schema.LIKES]).all()
    assert (d[schema.COMMENTS] <= d[schema.DOWNLOADS]).all()


def test_missing_pattern(sample):
    missing = sample[schema.CLAIM].isna()
    assert missing.any()
    dependent = [schema.CLAIM, schema.TEXT, *schema.ENGAGEMENT_COLUMNS]
    assert sample.loc[missing, dependent].isna().all().all()
    assert sample.loc[~missing, dependent].notna().all().all()
    assert sample[list(schema.ALWAYS_PRESENT)].notna().all().all()


def test_text_is_lower_case(sample):
    text = sample[schema.TEXT].dropna()
    assert (text == text.str.lower()).all()


# --- structure ---------------------------------------------------------------------------------

def test_claims_get_about_100_times_the_views(sample):
    medians = sample.groupby(schema.CLAIM)[schema.VIEWS].median()
    assert 50 <= medians["claim"] / medians["opinion"] <= 200


def test_shares_of_verified_and_missing(sample):
    assert 0.04 <= (sample[schema.VERIFIED] == "verified").mean() <= 0.09
    assert 0.005 <= sample[schema.CLAIM].isna().mean() <= 0.03


def test_claims_come_from_banned_unverified_authors(sample):
    banned = (sample[schema.BAN] == "banned").groupby(sample[schema.CLAIM]).mean()
    verified = (sample[schema.VERIFIED] == "verified").groupby(sample[schema.CLAIM]).mean()
    assert banned["claim"] > 3 * banned["opinion"]
    assert verified["opinion"] > 3 * verified["claim"]


def test_claim_texts_are_longer(sample):
    lengths = sample[schema.TEXT].str.len().groupby(sample[schema.CLAIM]).mean()
    assert lengths["claim"] > lengths["opinion"] + 5


# --- write_csv ---------------------------------------------------------------------------------

def test_write_csv_round_trip(sample, tmp_path):
    path = demo.write_csv(sample, tmp_path / "new" / "demo.csv")
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    raw = path.read_bytes()
    assert b"\r" not in raw
    assert raw.decode().split("\n", 1)[0] == ",".join([schema.ROW_NUMBER, *schema.DATA_COLUMNS])

    back = pd.read_csv(path, na_values=["#N/A"])
    expected = sample.astype({c: "float64" for c in schema.ENGAGEMENT_COLUMNS})
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)

    as_text = pd.read_csv(path, dtype=str, keep_default_na=False)
    for name in (schema.ROW_NUMBER, schema.ID, *schema.COUNT_COLUMNS):
        assert as_text[name].str.fullmatch(r"\d+|#N/A").all(), name
    assert (as_text.loc[sample[schema.CLAIM].isna(), schema.TEXT] == "#N/A").all()


def test_write_csv_is_idempotent_through_float_counts(sample, tmp_path):
    first = demo.write_csv(sample, tmp_path / "a.csv")
    second = demo.write_csv(pd.read_csv(first, na_values=["#N/A"]), tmp_path / "b.csv")
    assert first.read_bytes() == second.read_bytes()


def test_committed_demo_file_matches_generator(full, tmp_path):
    if not COMMITTED.exists():
        pytest.skip("data/demo_claims.csv not generated yet")
    fresh = demo.write_csv(full, tmp_path / "demo_claims.csv")
    assert fresh.read_bytes() == COMMITTED.read_bytes(), "regenerate data/demo_claims.csv"


# --- calibration against the course file -------------------------------------------------------

def _summary(frame: pd.DataFrame) -> dict[str, float]:
    out = {"missing": frame[schema.CLAIM].isna().mean(),
           "verified": (frame[schema.VERIFIED] == "verified").mean()}
    for cls in CLASSES:
        part = frame[frame[schema.CLAIM] == cls]
        out[f"{cls} share"] = len(part) / len(frame)
        out[f"{cls} banned"] = (part[schema.BAN] == "banned").mean()
        out[f"{cls} text"] = part[schema.TEXT].str.len().mean()
        for name in schema.ENGAGEMENT_COLUMNS:
            out[f"{cls} {name}"] = float(part[name].astype("float64").median())
    return out


@pytest.mark.realdata
def test_summary_statistics_match_course_file(full, real):
    gen, ref = _summary(full), _summary(real)
    for key in ("missing", "verified", "claim share", "opinion share",
                "claim banned", "opinion banned"):
        assert gen[key] == pytest.approx(ref[key], abs=0.015), key
    for cls in CLASSES:
        assert gen[f"{cls} text"] == pytest.approx(ref[f"{cls} text"], rel=0.10), cls
        for name in schema.ENGAGEMENT_COLUMNS:
            key = f"{cls} {name}"
            assert gen[key] == pytest.approx(ref[key], rel=0.25), key


@pytest.mark.realdata
def test_nothing_copied_from_course_file(full, real):
    real_text = set(real[schema.TEXT].dropna())
    assert not full[schema.TEXT].isin(real_text).any()
    # Ids are random 10-digit numbers, so another seed may hit a real id by pure chance
    # (about 4 % of seeds); the committed seed 42 hits none.
    assert not full[schema.ID].isin(real[schema.ID]).any()
    # no real remainder ("... that <fact>") appears as a generated fact either
    fact = re.compile(r"^.*? that ")
    real_facts = {fact.sub("", t) for t in real_text}
    generated_facts = full[schema.TEXT].dropna().str.replace(fact, "", regex=True)
    assert not generated_facts.isin(real_facts).any()


# --- write_parquet / write_data / demo-data --out ------------------------------------------------

def run_cli(*args: str) -> subprocess.CompletedProcess:
    """``claimreport ...`` in a subprocess, as users and schedulers run it (cf. tests/test_cli.py)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "claimreport.cli", *args], capture_output=True,
                          text=True, env=env)


@pytest.mark.parametrize("suffix", [".parquet", ".pq", ".PARQUET"])
def test_write_data_parquet_loads_like_the_csv(sample, tmp_path, suffix):
    csv_path = demo.write_data(sample, tmp_path / "demo.csv")
    pq_path = demo.write_data(sample, tmp_path / f"demo{suffix}")
    assert pq_path.read_bytes()[:4] == b"PAR1"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["demo.csv", f"demo{suffix}"])
    from_csv, from_parquet = load_data(csv_path), load_data(pq_path)
    assert from_parquet.format == "parquet" and from_parquet.row_number_column == "#"
    pd.testing.assert_frame_equal(from_parquet.frame, from_csv.frame)


def test_write_data_csv_is_write_csv(sample, tmp_path):
    a = demo.write_data(sample, tmp_path / "a.csv")
    b = demo.write_csv(sample, tmp_path / "b.csv")
    assert a.read_bytes() == b.read_bytes()


def test_write_data_leaves_nothing_behind_on_os_errors(sample, tmp_path, monkeypatch):
    def full_disk(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    for name in ("demo.csv", "demo.parquet"):
        with pytest.raises(ConfigError, match=f"cannot write .*{name}: No space left on device"):
            demo.write_data(sample, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root can write into a read-only folder")
def test_write_data_into_read_only_folder(sample, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(ConfigError, match="Permission denied"):
            demo.write_data(sample, folder / "demo.csv")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_write_data_into_unwritable_folder_is_a_config_error(sample, tmp_path, monkeypatch):
    # Runs even as root: the OS error of a read-only folder is simulated where the file is made.
    import claimreport.fsio

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(claimreport.fsio.tempfile, "mkstemp", denied)
    with pytest.raises(ConfigError, match=r"cannot write .*demo\.parquet: Permission denied"):
        demo.write_data(sample, tmp_path / "demo.parquet")
    assert list(tmp_path.iterdir()) == []


def test_demo_data_cli_writes_parquet(tmp_path):
    out = run_cli("demo-data", "--rows", "300", "--seed", "3", "--out", str(tmp_path / "d.parquet"))
    assert out.returncode == 0, out.stderr
    run_cli("demo-data", "--rows", "300", "--seed", "3", "--out", str(tmp_path / "d.csv"))
    pd.testing.assert_frame_equal(load_data(tmp_path / "d.parquet").frame,
                                  load_data(tmp_path / "d.csv").frame)


@pytest.mark.parametrize("target, message", [
    ("demo.txt", "unsupported file type '.txt'; use .csv"),
    ("demo", "unsupported file type '(no extension)'"),
    (".", "is a directory; name a file inside it"),
    ("missing/demo.csv", "the folder {tmp}/missing does not exist; create it first"),
    ("file.csv/demo.csv", "the folder {tmp}/file.csv is not a folder"),
])
def test_demo_data_cli_refuses_bad_out_paths(tmp_path, target, message):
    (tmp_path / "file.csv").write_text("keep me")
    out = run_cli("demo-data", "--rows", "50", "--out", str(tmp_path / target))
    assert out.returncode == 2, out.stderr
    assert out.stderr.count("\n") == 1 and out.stderr.startswith("error: ")
    assert message.format(tmp=tmp_path) in out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.csv"]
    assert (tmp_path / "file.csv").read_text() == "keep me"
