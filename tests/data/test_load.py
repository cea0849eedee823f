"""Tests for claimreport.data.load: every tolerated variant of the course CSV, every rejection.

The fixtures are made-up rows in the course format (never copied from the real file); one test
marked ``realdata`` pins the published course figures on ../shared/data/tiktok_dataset.csv.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from claimreport.data import schema
from claimreport.data.load import LoadedData, load_data, summarize, validate_frame
from claimreport.errors import DataValidationError

HEADER = ",".join((schema.ROW_NUMBER, *schema.DATA_COLUMNS))
# claim_status, video_id, duration, text, verified, ban, views, likes, shares, downloads, comments
ROWS = [
    ["claim", "1000000001", "59", "someone told me the moon is hollow", "not verified",
     "under review", "343296", "19425", "241", "1", "0"],
    ["opinion", "1000000002", "32", "i think cats prefer boxes", "verified", "active",
     "1200", "300", "12", "4", "2"],
    ["claim", "1000000003", "10", "a friend said, \"rain smells\"", "not verified", "banned",
     "90000", "5000", "800", "20", "7"],
    # The course file has rows where only id, duration, verified and ban status are filled in.
    ["", "1000000004", "25", "", "not verified", "active", "#N/A", "#N/A", "#N/A", "#N/A", "#N/A"],
]


def course_csv(rows: list[list[str]] = ROWS, *, header: str = HEADER, numbered: bool = True,
               start: int = 1, nl: str = "\n") -> str:
    """The course CSV text for *rows*, optionally with the leading row-number column."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=nl)
    for i, row in enumerate(rows):
        writer.writerow(([str(i + start)] if numbered else []) + row)
    return header + nl + out.getvalue()


def write(tmp_path: Path, text: str | bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_bytes(text.encode("utf-8"))
    else:
        path.write_bytes(text)
    return path


def replace(row: int, column: str, value: str) -> list[list[str]]:
    """ROWS with one cell changed (row is 0-based, column a schema name)."""
    rows = [list(r) for r in ROWS]
    rows[row][schema.DATA_COLUMNS.index(column)] = value
    return rows


def problems_of(path: Path) -> DataValidationError:
    with pytest.raises(DataValidationError) as info:
        load_data(path)
    return info.value


@pytest.fixture
def plain(tmp_path: Path) -> LoadedData:
    return load_data(write(tmp_path, course_csv(), "plain.csv"))


# --------------------------------------------------------------------------- accepted variants

def test_plain_course_format(plain: LoadedData, tmp_path: Path) -> None:
    f = plain.frame
    assert list(f.columns) == list(schema.DATA_COLUMNS)
    assert plain.rows == len(f) == 4
    assert plain.row_number_column == "#"
    assert plain.dropped_columns == ()
    assert plain.format == "csv"
    assert plain.source == (tmp_path / "plain.csv").resolve()
    expected_hash = hashlib.sha256((tmp_path / "plain.csv").read_bytes()).hexdigest()
    assert plain.sha256 == expected_hash
    assert f[schema.ID].dtype == np.int64
    assert f[schema.ID].tolist() == [1000000001, 1000000002, 1000000003, 1000000004]
    for col in schema.COUNT_COLUMNS:
        assert f[col].dtype == np.float64, col
    assert f[schema.VIEWS].iloc[0] == 343296.0
    assert f[schema.TEXT].iloc[2] == 'a friend said, "rain smells"'
    assert f[schema.CLAIM].tolist()[:3] == ["claim", "opinion", "claim"]
    assert pd.api.types.is_string_dtype(f[schema.CLAIM])
    assert isinstance(f.index, pd.RangeIndex)


def test_rows_with_only_id_duration_and_author_fields_are_kept(plain: LoadedData) -> None:
    last = plain.frame.iloc[3]
    assert last[schema.ID] == 1000000004
    assert last[schema.DURATION] == 25.0
    assert last[schema.VERIFIED] == "not verified"
    assert last[schema.BAN] == "active"
    for col in (schema.CLAIM, schema.TEXT, *schema.ENGAGEMENT_COLUMNS):
        assert pd.isna(last[col]), col


@pytest.mark.parametrize("marker", ["#N/A", "", "NA", " #N/A "])
def test_missing_value_markers(tmp_path: Path, marker: str) -> None:
    rows = replace(3, schema.VIEWS, marker)
    loaded = load_data(write(tmp_path, course_csv(rows)))
    assert np.isnan(loaded.frame[schema.VIEWS].iloc[3])


def test_counts_written_as_floats(tmp_path: Path, plain: LoadedData) -> None:
    rows = [[c + ".0" if i in (2, 6, 7, 8, 9, 10) and c and c[0].isdigit() else c
             for i, c in enumerate(r)] for r in ROWS]
    rows[0][1] = "1000000001.0"
    loaded = load_data(write(tmp_path, course_csv(rows)))
    pd.testing.assert_frame_equal(loaded.frame, plain.frame)


def test_crlf_line_endings(tmp_path: Path, plain: LoadedData) -> None:
    loaded = load_data(write(tmp_path, course_csv(nl="\r\n")))
    pd.testing.assert_frame_equal(loaded.frame, plain.frame)
    assert loaded.row_number_column == "#"


def test_utf8_bom(tmp_path: Path, plain: LoadedData) -> None:
    loaded = load_data(write(tmp_path, b"\xef\xbb\xbf" + course_csv().encode()))
    pd.testing.assert_frame_equal(loaded.frame, plain.frame)
    assert loaded.row_number_column == "#"


def test_extra_unnamed_leading_index_column(tmp_path: Path, plain: LoadedData) -> None:
    # What DataFrame.to_csv() writes after reading the course file without index_col.
    lines = course_csv().splitlines()
    text = "\n".join(["," + lines[0]] + [f"{i},{line}" for i, line in enumerate(lines[1:])]) + "\n"
    loaded = load_data(write(tmp_path, text))
    pd.testing.assert_frame_equal(loaded.frame, plain.frame)
    assert loaded.row_number_column == "#"
    assert loaded.dropped_columns == ("Unnamed: 0",)


@pytest.mark.parametrize("name", ["row", "index", "id", "Unnamed: 0", ""])
@pytest.mark.parametrize("start", [0, 1])
def test_row_number_column_under_another_name(tmp_path: Path, plain: LoadedData, name: str,
                                              start: int) -> None:
    header = ",".join((name, *schema.DATA_COLUMNS))
    loaded = load_data(write(tmp_path, course_csv(header=header, start=start)))
    pd.testing.assert_frame_equal(loaded.frame, plain.frame)
    assert loaded.row_number_column == (name or "Unnamed: 0")
    assert loaded.dropped_columns == ()


def test_no_row_number_column(tmp_path: Path, plain: LoadedData) -> None:
    header = ",".join(schema.DATA_COLUMNS)
    loaded = load_data(write(tmp_path, course_csv(header=header, numbered=False)))
    pd.testing.assert_frame_equal(loaded.frame, plain.frame)
    assert loaded.row_number_column is None
    assert loaded.dropped_columns == ()


def test_leading_column_that_is_not_a_row_number_is_dropped_as_extra(tmp_path: Path) -> None:
    header = ",".join(("batch", *schema.DATA_COLUMNS))
    loaded = load_data(write(tmp_path, course_csv(header=header, start=7)))
    assert loaded.row_number_column is None
    assert loaded.dropped_columns == ("batch",)


def test_unknown_columns_are_dropped_and_recorded(tmp_path: Path, plain: LoadedData) -> None:
    rows = [r[:3] + ["x"] + r[3:] + ["", "y"] for r in ROWS]
    cols = list(schema.DATA_COLUMNS)
    header = ",".join(["#", *cols[:3], "notes", *cols[3:], "Unnamed", "source"])
    loaded = load_data(write(tmp_path, course_csv(rows, header=header)))
    pd.testing.assert_frame_equal(loaded.frame, plain.frame)
    assert loaded.dropped_columns == ("notes", "Unnamed", "source")


def test_column_names_ignore_whitespace_and_case_and_labels_are_lower_cased(
        tmp_path: Path, plain: LoadedData) -> None:
    header = ",".join(["#", *(f" {c.upper()} " for c in schema.DATA_COLUMNS)])
    rows = replace(0, schema.CLAIM, " Claim ")
    rows[1][schema.DATA_COLUMNS.index(schema.VERIFIED)] = "Verified"
    rows[2][schema.DATA_COLUMNS.index(schema.BAN)] = "BANNED "
    loaded = load_data(write(tmp_path, course_csv(rows, header=header)))
    pd.testing.assert_frame_equal(loaded.frame, plain.frame)


def test_fractional_duration_is_allowed(tmp_path: Path) -> None:
    loaded = load_data(write(tmp_path, course_csv(replace(0, schema.DURATION, "12.5"))))
    assert loaded.frame[schema.DURATION].iloc[0] == 12.5


@pytest.mark.parametrize("suffix", [".parquet", ".pq"])
def test_parquet_round_trip(tmp_path: Path, plain: LoadedData, suffix: str) -> None:
    path = tmp_path / f"data{suffix}"
    plain.frame.to_parquet(path)
    loaded = load_data(path)
    assert loaded.format == "parquet"
    assert loaded.row_number_column is None
    pd.testing.assert_frame_equal(loaded.frame, plain.frame)


def test_parquet_written_from_the_raw_csv(tmp_path: Path, plain: LoadedData) -> None:
    raw = pd.read_csv(tmp_path / "plain.csv", na_values=["#N/A"])  # '#' column, float counts
    raw.to_parquet(tmp_path / "raw.parquet")
    loaded = load_data(tmp_path / "raw.parquet")
    assert loaded.row_number_column == "#"
    pd.testing.assert_frame_equal(loaded.frame, plain.frame)


def test_validate_frame_returns_canonical_frame_and_leaves_input_alone(plain: LoadedData) -> None:
    raw = plain.frame[list(reversed(schema.DATA_COLUMNS))].copy()
    raw[schema.CLAIM] = raw[schema.CLAIM].str.upper()
    before = raw.copy()
    out = validate_frame(raw, "frame")
    pd.testing.assert_frame_equal(out, plain.frame)
    pd.testing.assert_frame_equal(raw, before)


def test_loading_never_modifies_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, course_csv(nl="\r\n"))
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    load_data(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_summarize(plain: LoadedData) -> None:
    lines = summarize(plain)
    text = "\n".join(lines)
    assert "rows: 4" in lines
    assert "rows complete (no missing value): 3 (75.0%)" in lines
    assert "rows missing claim status: 1 (25.0%)" in lines
    assert "claim status: 2 claim, 1 opinion" in lines
    assert "missing in video_view_count: 1 (25.0%)" in lines
    assert "missing in video_id" not in text
    assert "duplicate video ids: 0" in lines
    assert f"sha256: {plain.sha256[:12]}" in text
    assert "'#' dropped" in text


# --------------------------------------------------------------------------- rejections

def test_missing_columns_are_named_with_the_columns_found(tmp_path: Path) -> None:
    header = HEADER.replace("video_id", "video_ids").replace(",video_comment_count", "")
    rows = [r[:-1] for r in ROWS]
    err = problems_of(write(tmp_path, course_csv(rows, header=header), "cut.csv"))
    assert err.source.endswith("cut.csv")
    assert len(err.problems) == 1
    msg = err.problems[0]
    assert "missing required columns 'video_id', 'video_comment_count'" in msg
    assert "found columns: '#', 'claim_status', 'video_ids'" in msg
    assert "did you mean 'video_ids' for 'video_id'" in msg


def test_semicolon_separated_file_gets_a_hint(tmp_path: Path) -> None:
    err = problems_of(write(tmp_path, course_csv().replace(",", ";")))
    assert "separated by ';'" in err.problems[0]


def test_non_numeric_count(tmp_path: Path) -> None:
    err = problems_of(write(tmp_path, course_csv(replace(1, schema.LIKES, "12k")), "bad.csv"))
    assert err.problems == [
        "column 'video_like_count': 1 value is not numeric at data row 2 "
        "(row 1 = first row after the header): '12k'; write plain numbers like 343296 or 343296.0"]
    assert str(err).startswith(f"{tmp_path / 'bad.csv'}: 1 problem found")


def test_negative_count(tmp_path: Path) -> None:
    err = problems_of(write(tmp_path, course_csv(replace(2, schema.SHARES, "-3"))))
    (msg,) = err.problems
    assert "column 'video_share_count'" in msg and "negative" in msg
    assert "data row 3 " in msg and "'-3'" in msg


def test_non_integer_count(tmp_path: Path) -> None:
    err = problems_of(write(tmp_path, course_csv(replace(0, schema.VIEWS, "12.5"))))
    (msg,) = err.problems
    assert "column 'video_view_count'" in msg and "non-integer" in msg and "'12.5'" in msg


def test_unknown_label(tmp_path: Path) -> None:
    err = problems_of(write(tmp_path, course_csv(replace(1, schema.CLAIM, "maybe"))))
    (msg,) = err.problems
    assert "column 'claim_status'" in msg and "unknown label" in msg
    assert "data row 2 " in msg and "'maybe'" in msg and "'claim', 'opinion'" in msg


def test_duplicate_video_id(tmp_path: Path) -> None:
    err = problems_of(write(tmp_path, course_csv(replace(3, schema.ID, "1000000002"))))
    (msg,) = err.problems
    assert "column 'video_id'" in msg and "more than once" in msg
    assert "1000000002 at data rows 2, 4" in msg


def test_missing_value_in_never_missing_column(tmp_path: Path) -> None:
    err = problems_of(write(tmp_path, course_csv(replace(3, schema.VERIFIED, "#N/A"))))
    (msg,) = err.problems
    assert "column 'verified_status': 1 missing value at data row 4 " in msg


def test_many_offending_rows_are_summarised(tmp_path: Path) -> None:
    rows = [[r[0], str(2000 + i), *r[2:6], "lots", *r[7:]] for i, r in enumerate(ROWS * 3)]
    err = problems_of(write(tmp_path, course_csv(rows)))
    (msg,) = err.problems
    assert "12 values are not numeric at data rows 1, 2, 3, 4, 5 (and 7 more;" in msg


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    rows = replace(0, schema.VIEWS, "abc")
    rows[1][schema.DATA_COLUMNS.index(schema.CLAIM)] = "maybe"
    rows[2][schema.DATA_COLUMNS.index(schema.ID)] = "1000000001"
    rows[3][schema.DATA_COLUMNS.index(schema.LIKES)] = "-1"
    header = HEADER.replace(",video_comment_count", "")
    err = problems_of(write(tmp_path, course_csv([r[:-1] for r in rows], header=header), "x.csv"))
    text = str(err)
    assert text.startswith(f"{tmp_path / 'x.csv'}: 5 problems found")
    for part in ("missing required column 'video_comment_count'",
                 "column 'video_view_count': 1 value is not numeric at data row 1 ",
                 "column 'claim_status': 1 unknown label at data row 2 ",
                 "1000000001 at data rows 1, 3",
                 "column 'video_like_count': 1 negative value at data row 4 "):
        assert part in text, part
    assert len(err.problems) == 5


def test_empty_file(tmp_path: Path) -> None:
    err = problems_of(write(tmp_path, b"", "empty.csv"))
    assert "empty (0 bytes)" in err.problems[0]
    assert err.source.endswith("empty.csv")


def test_header_only(tmp_path: Path) -> None:
    err = problems_of(write(tmp_path, HEADER + "\r\n"))
    assert err.problems == ["has a header but no data rows; expected one row per video"]


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
    gzip.compress(b"#,claim_status\n1,claim\n"),
    b"#,claim_status\n1,cl\x00aim\n",
    "#,claim_status\n1,café\n".encode("latin-1"),
    "#,claim_status\n1,claim\n".encode("utf-16"),
], ids=["png", "gzip", "nul-bytes", "latin-1", "utf-16"])
def test_binary_or_non_utf8_file(tmp_path: Path, content: bytes) -> None:
    err = problems_of(write(tmp_path, content, "picture.csv"))
    (msg,) = err.problems
    assert "is not a CSV text file" in msg
    assert err.source.endswith("picture.csv")


def test_ragged_row(tmp_path: Path) -> None:
    text = course_csv().replace("i think cats prefer boxes", "i think, cats prefer boxes")
    err = problems_of(write(tmp_path, text))
    assert err.problems == ["line 3 has 13 fields but the header has 12; quote text that "
                            "contains commas and remove stray trailing commas"]


def test_nonexistent_path(tmp_path: Path) -> None:
    err = problems_of(tmp_path / "nope.csv")
    (msg,) = err.problems
    assert "does not exist" in msg and str(tmp_path / "nope.csv") in msg


def test_directory_path(tmp_path: Path) -> None:
    write(tmp_path, course_csv(), "inside.csv")
    err = problems_of(tmp_path)
    (msg,) = err.problems
    assert "is a directory" in msg and "inside.csv" in msg


def test_unsupported_extension(tmp_path: Path) -> None:
    err = problems_of(write(tmp_path, b"PK\x03\x04", "data.xlsx"))
    (msg,) = err.problems
    assert "unsupported file type '.xlsx'" in msg and ".csv" in msg and ".parquet" in msg


def test_corrupt_parquet(tmp_path: Path) -> None:
    err = problems_of(write(tmp_path, course_csv(), "data.parquet"))
    assert "is not a readable Parquet file" in err.problems[0]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root can read any file")
def test_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path, course_csv())
    path.chmod(0)
    try:
        err = problems_of(path)
    finally:
        path.chmod(0o644)
    assert "permission denied" in err.problems[0]


def test_permission_denied_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Runs even as root (where chmod 0 does not stop reading): the OS error is simulated.
    path = write(tmp_path, course_csv())

    def deny(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", deny)
    err = problems_of(path)
    assert "permission denied" in err.problems[0]


def test_validate_frame_reports_problems_under_the_given_source() -> None:
    frame = pd.DataFrame({c: ["claim"] if c == schema.CLAIM else [1] for c in schema.DATA_COLUMNS})
    frame[schema.VERIFIED] = ["yes"]
    with pytest.raises(DataValidationError) as info:
        validate_frame(frame, "my frame")
    assert info.value.source == "my frame"
    assert any("column 'verified_status'" in p for p in info.value.problems)
    assert any("column 'author_ban_status'" in p for p in info.value.problems)


# --------------------------------------------------------------------------- the real file

REAL = Path(__file__).resolve().parents[2].parent / "shared/data/tiktok_dataset.csv"


@pytest.mark.realdata
@pytest.mark.skipif(not REAL.exists(), reason=f"{REAL} not present")
def test_real_course_file() -> None:
    loaded = load_data(REAL)
    f = loaded.frame
    assert loaded.rows == 19_382
    assert loaded.row_number_column == "#"
    assert loaded.dropped_columns == ()
    assert f[schema.CLAIM].isna().sum() == 298
    assert (f[schema.CLAIM] == "claim").sum() == 9_608
    assert (f[schema.CLAIM] == "opinion").sum() == 9_476
    claims = f.loc[f[schema.CLAIM] == "claim", schema.VIEWS]
    assert claims.mean() == pytest.approx(501029.452748, rel=1e-6)
    assert "duplicate video ids: 0" in summarize(loaded)
