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
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
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


# --------------------------------------------------------------------------- hardening

def assert_canonical(frame: pd.DataFrame) -> None:
    """What every accepted frame guarantees, whatever the input looked like."""
    assert list(frame.columns) == list(schema.DATA_COLUMNS)
    assert frame[schema.ID].dtype == np.int64
    for col in schema.COUNT_COLUMNS:
        values = frame[col].to_numpy(dtype="float64")
        present = values[~np.isnan(values)]
        assert np.isfinite(present).all() and (present >= 0).all(), col
        assert (present <= schema.MAX_COUNT).all(), col
    for col in (schema.TEXT, *schema.LABELS):
        assert all(isinstance(v, str) for v in frame[col].dropna()), col


@pytest.mark.parametrize("kind", ["fifo", "socket", "device"])
def test_special_files_are_refused_without_opening_them(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        path, what = tmp_path / "pipe.csv", "is a named pipe (FIFO), not a regular file; "
        os.mkfifo(path)
    elif kind == "socket":
        import socket

        path, what = tmp_path / "sock.csv", "is a socket, not a regular file; "
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
    else:
        path, what = Path("/dev/null"), "is a character device, not a regular file; "
        if not path.exists():
            pytest.skip("no /dev/null")
    # Opening a FIFO for reading blocks until a writer appears: run the load in a thread so a
    # regression fails this test instead of hanging the suite.
    outcome: list[BaseException] = []
    worker = threading.Thread(target=lambda: outcome.append(problems_of(path)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():
        with open(path, "wb"):  # a writer unblocks the reader; the test still fails below
            pass
        worker.join(timeout=20)
        pytest.fail(f"load_data blocked on the {kind}")
    if kind == "socket":
        server.close()
    (err,) = outcome
    (msg,) = err.problems
    assert msg.startswith(what), msg


def test_short_row_is_malformed_not_missing_values(tmp_path: Path) -> None:
    lines = course_csv().splitlines()
    lines[2] = ",".join(lines[2].split(",")[:9])  # data row 2 loses its last three fields
    err = problems_of(write(tmp_path, "\n".join(lines) + "\n"))
    (msg,) = err.problems
    assert msg.startswith("line 3 has 9 fields but the header has 12; ")
    assert "',,'" in msg  # how to write missing values instead


def test_many_short_rows_are_counted_with_their_first_lines(tmp_path: Path) -> None:
    err = problems_of(write(tmp_path, course_csv([r[:8] for r in ROWS * 3])))
    (msg,) = err.problems
    assert msg.startswith("line 2 has 9 fields but the header has 12; in all 12 lines have fewer "
                          "fields than the header (lines 2, 3, 4, 5, 6 and 7 more); ")


def test_short_and_long_rows_are_both_reported(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[1] = rows[1][:-2]
    rows[3] = rows[3] + ["extra"]
    err = problems_of(write(tmp_path, course_csv(rows)))
    assert [p.split(";")[0] for p in err.problems] == [
        "line 5 has 13 fields but the header has 12", "line 3 has 10 fields but the header has 12"]


def test_line_numbers_count_physical_lines(tmp_path: Path) -> None:
    # A quoted line break and a blank line come before the bad row: an editor shows it on line 8.
    rows = replace(0, schema.TEXT, "first line\nsecond line")
    rows.append(ROWS[0][:5])
    text = course_csv(rows).replace("\n3,", "\n\n3,")
    err = problems_of(write(tmp_path, text))
    (msg,) = err.problems
    assert msg.startswith("line 8 has 6 fields but the header has 12"), msg


def test_unclosed_quote_is_pointed_at(tmp_path: Path) -> None:
    text = course_csv() + '5,claim,1000000009,3,"open quote,verified,active,1,1,1,1,1\n'
    (msg,) = problems_of(write(tmp_path, text)).problems
    assert msg.startswith("line 6 has 5 fields but the header has 12 (a '\"' in it is never closed)")


def test_explicitly_empty_trailing_fields_are_missing_values(tmp_path: Path) -> None:
    loaded = load_data(write(tmp_path, course_csv([r[:8] + ["", "", ""] for r in ROWS])))
    assert loaded.frame[schema.COMMENTS].isna().all()
    assert loaded.frame[schema.LIKES].notna().sum() == 3
    assert_canonical(loaded.frame)


@pytest.mark.parametrize("value", ["99999999999999999999", "9223372036854775808"])
def test_id_beyond_int64_is_rejected(tmp_path: Path, value: str) -> None:
    (msg,) = problems_of(write(tmp_path, course_csv(replace(1, schema.ID, value)))).problems
    assert msg.startswith("column 'video_id': 1 id is above the 64-bit integer range at data row 2 ")
    assert repr(value) in msg


def test_largest_int64_id_is_exact(tmp_path: Path) -> None:
    loaded = load_data(write(tmp_path, course_csv(replace(1, schema.ID, "9223372036854775807"))))
    assert loaded.frame[schema.ID].iloc[1] == 2**63 - 1
    assert_canonical(loaded.frame)


@pytest.mark.parametrize("value", ["1.2345678901234567e+18", "9007199254740993.0", "1e16"])
def test_float_id_that_cannot_hold_its_digits_is_rejected(tmp_path: Path, value: str) -> None:
    (msg,) = problems_of(write(tmp_path, course_csv(replace(1, schema.ID, value)))).problems
    assert "column 'video_id': 1 id is a floating-point value of at least 2**53" in msg
    assert repr(value) in msg and "export the ids as whole numbers" in msg


@pytest.mark.parametrize("value", ["7017666017.0", "7.017666017e9", "9007199254740991.0"])
def test_exact_float_ids_are_accepted(tmp_path: Path, value: str) -> None:
    loaded = load_data(write(tmp_path, course_csv(replace(1, schema.ID, value))))
    assert loaded.frame[schema.ID].iloc[1] == int(float(value))


@pytest.mark.parametrize("column, value", [(schema.VIEWS, "1e200"), (schema.LIKES, "1e400"),
                                           (schema.DURATION, "10000000000000001"),
                                           (schema.COMMENTS, "99999999999999999999")])
def test_counts_above_the_ceiling_are_rejected(tmp_path: Path, column: str, value: str) -> None:
    (msg,) = problems_of(write(tmp_path, course_csv(replace(2, column, value)))).problems
    assert msg.startswith(f"column {column!r}: 1 value is ")
    assert "data row 3 " in msg and repr(value) in msg
    if value != "1e400":  # infinite: "not numeric"
        assert "plausibility ceiling of 1,000,000,000,000,000" in msg


def test_count_at_the_ceiling_is_accepted(tmp_path: Path) -> None:
    loaded = load_data(write(tmp_path, course_csv(replace(0, schema.VIEWS, str(schema.MAX_COUNT)))))
    assert loaded.frame[schema.VIEWS].iloc[0] == schema.MAX_COUNT
    assert schema.MAX_COUNT < 2**53


@pytest.mark.parametrize("sep, name", [(";", "';'"), ("\t", "tabs"), ("|", "'|'")])
def test_other_separators_are_named_even_with_commas_in_the_text(tmp_path: Path, sep: str,
                                                                  name: str) -> None:
    rows = replace(1, schema.TEXT, "well, i think, cats prefer boxes")
    text = "".join(sep.join(r) + "\n" for r in [HEADER.split(","),
                                                 *([str(i + 1), *r] for i, r in enumerate(rows))])
    (msg,) = problems_of(write(tmp_path, text)).problems
    assert msg.startswith(f"the file is separated by {name}, not commas"), msg
    assert "save it with commas" in msg


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    (msg,) = problems_of(write(tmp_path, course_csv().encode(encoding))).problems
    assert msg.startswith("is not a CSV text file: it looks like UTF-16 text without a "
                          "byte-order mark")
    assert "re-save it as 'CSV UTF-8'" in msg and "binary" not in msg


def parquet_with(tmp_path: Path, plain: LoadedData, column: str, values: pa.Array,
                 name: str = "odd.parquet") -> Path:
    table = pa.Table.from_pandas(plain.frame, preserve_index=False)
    table = table.set_column(table.schema.get_field_index(column), column, values)
    pq.write_table(table, tmp_path / name)
    return tmp_path / name


@pytest.mark.parametrize("values, expected", [
    (pa.array([1, 2, None, 30], pa.int64()), ["1", "2", None, "30"]),
    (pa.array([1.5, 2.0, None, None]), ["1.5", "2.0", None, None]),
    (pa.array([True, False, None, True]), ["True", "False", None, "True"]),
], ids=["int", "float", "bool"])
def test_parquet_transcription_of_another_type_becomes_text(
        tmp_path: Path, plain: LoadedData, values: pa.Array, expected: list) -> None:
    loaded = load_data(parquet_with(tmp_path, plain, schema.TEXT, values))
    text = loaded.frame[schema.TEXT]
    assert [None if pd.isna(v) else v for v in text] == expected
    assert_canonical(loaded.frame)


@pytest.mark.parametrize("values", [pa.array([1, 0, 1, None]), pa.array([True, False, True, None])],
                         ids=["int", "bool"])
def test_parquet_label_of_another_type_is_an_unknown_label(
        tmp_path: Path, plain: LoadedData, values: pa.Array) -> None:
    (msg,) = problems_of(parquet_with(tmp_path, plain, schema.CLAIM, values)).problems
    assert msg.startswith("column 'claim_status': 3 unknown labels at data rows 1, 2, 3 ")


@pytest.mark.parametrize("column, values", [
    (schema.TEXT, pa.array([["a", "b"], None, ["c"], []])),
    (schema.BAN, pa.array([{"x": "active"}] * 4)),
    (schema.VIEWS, pa.array([[1], [2], None, [3]])),
], ids=["list", "struct", "list-of-counts"])
def test_parquet_nested_columns_are_named(tmp_path: Path, plain: LoadedData, column: str,
                                          values: pa.Array) -> None:
    (msg,) = problems_of(parquet_with(tmp_path, plain, column, values)).problems
    assert msg.startswith(f"column {column!r}: ") and "nested values" in msg, msg
    assert "store one plain text or number per cell" in msg


def test_parquet_nested_extra_column_is_dropped(tmp_path: Path, plain: LoadedData) -> None:
    table = pa.Table.from_pandas(plain.frame, preserve_index=False)
    pq.write_table(table.append_column("tags", pa.array([["a"], [], None, ["b"]])),
                   tmp_path / "tags.parquet")
    loaded = load_data(tmp_path / "tags.parquet")
    assert loaded.dropped_columns == ("tags",)
    pd.testing.assert_frame_equal(loaded.frame, plain.frame)


@pytest.mark.parametrize("values, message", [
    (pa.array([1, 2, 2**63 + 5, 4], pa.uint64()), "1 id is above the 64-bit integer range"),
    (pa.array([1.0, 2.0, 2.0**60, 4.0]),
     "1 id is a floating-point value of at least 2**53 (9,007,199,254,740,992)"),
], ids=["uint64", "float"])
def test_parquet_ids_that_do_not_fit(tmp_path: Path, plain: LoadedData, values: pa.Array,
                                     message: str) -> None:
    (msg,) = problems_of(parquet_with(tmp_path, plain, schema.ID, values)).problems
    assert msg.startswith(f"column 'video_id': {message} at data row 3 "), msg


def test_parquet_exact_ids_of_other_types(tmp_path: Path, plain: LoadedData) -> None:
    ids = [1, 7017666017, 2**63 - 1, 4]
    loaded = load_data(parquet_with(tmp_path, plain, schema.ID, pa.array(ids, pa.uint64())))
    assert loaded.frame[schema.ID].tolist() == ids
    floats = pa.array([1.0, 7017666017.0, 3.0, 4.0])
    loaded = load_data(parquet_with(tmp_path, plain, schema.ID, floats, "f.parquet"))
    assert loaded.frame[schema.ID].tolist() == [1, 7017666017, 3, 4]
    assert_canonical(loaded.frame)


@pytest.mark.parametrize("values", [pa.array([1.0, np.inf, None, 4.0]),
                                    pa.array([1.0, 1e200, None, 4.0]),
                                    pa.array([1, 2**64 - 1, None, 4], pa.uint64())],
                         ids=["inf", "1e200", "uint64-max"])
def test_parquet_counts_out_of_range(tmp_path: Path, plain: LoadedData, values: pa.Array) -> None:
    (msg,) = problems_of(parquet_with(tmp_path, plain, schema.VIEWS, values)).problems
    assert msg.startswith("column 'video_view_count': 1 value is ") and "data row 2 " in msg


def test_parquet_index_holding_a_data_column_is_kept(tmp_path: Path, plain: LoadedData) -> None:
    frame = plain.frame.copy()
    frame.loc[2, schema.ID] = 5  # not a range, so pandas stores the index as a column
    frame.set_index(schema.ID).to_parquet(tmp_path / "indexed.parquet")
    loaded = load_data(tmp_path / "indexed.parquet")
    pd.testing.assert_frame_equal(loaded.frame, frame)


def test_parquet_repeated_column_is_reported(tmp_path: Path, plain: LoadedData) -> None:
    table = pa.Table.from_pandas(plain.frame, preserve_index=False)
    pq.write_table(pa.table([*table.columns, table.column(0)],
                            names=[*table.column_names, schema.CLAIM]), tmp_path / "r.parquet")
    (msg,) = problems_of(tmp_path / "r.parquet").problems
    assert msg == ("column 'claim_status' appears more than once in the header (columns 1 and 12); "
                   "keep one of them")


def test_unexpected_error_on_readable_parquet_is_a_validation_error(
        tmp_path: Path, plain: LoadedData, monkeypatch: pytest.MonkeyPatch) -> None:
    # No known Parquet file trips the checks any more; whatever the next one is, it must
    # reach the user as a message, never as a traceback.
    import claimreport.data.load as load

    def boom(*args: object) -> None:
        raise TypeError("unhashable type: 'pyarrow.lib.Scalar'")

    plain.frame.to_parquet(tmp_path / "ok.parquet")
    monkeypatch.setattr(load, "_labels", boom)
    (msg,) = problems_of(tmp_path / "ok.parquet").problems
    assert msg.startswith("has a column the loader cannot interpret (TypeError: unhashable")


def test_accepted_frames_are_canonical(tmp_path: Path, plain: LoadedData) -> None:
    assert_canonical(plain.frame)
    rows = replace(0, schema.ID, "7017666017.0")
    rows[1][schema.DATA_COLUMNS.index(schema.VIEWS)] = str(schema.MAX_COUNT)
    assert_canonical(load_data(write(tmp_path, course_csv(rows))).frame)
