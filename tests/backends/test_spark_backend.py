"""The Spark backend reproduces the pandas backend (issue #13).

Reference: :class:`claimreport.backends.pandas_backend.PandasBackend` on the same rows. Counts,
histograms, value counts, phrases, duplicates and missing patterns must be equal; moments,
co-moments and derived means agree to 1e-9 relative (m3 relative to the scale of the skewness,
``m2^1.5 / sqrt(n)``, and co-moments relative to ``sqrt(m2_x m2_y)``: both are sums that can
cancel to ~0, where a relative error means nothing); a Spark quantile is a data value whose rank
is within ``quantile_error * n`` (+1 for numpy's interpolation between neighbours) of the exact
rank. Spark runs in local mode (``local[2]``); see ``conftest.py``.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pyspark")

from claimreport.backends.base import DERIVED  # noqa: E402
from claimreport.backends.pandas_backend import PandasBackend, with_derived  # noqa: E402
from claimreport.data import schema as S  # noqa: E402
from claimreport.errors import DataValidationError  # noqa: E402

REL = 1e-9
MEASURES = [*S.COUNT_COLUMNS, *DERIVED]
GROUPINGS = [(), (S.CLAIM,), (S.VERIFIED, S.BAN)]
realdata = pytest.mark.realdata


def _close(a: float, b: float, scale: float | None = None) -> bool:
    if math.isnan(b):
        return math.isnan(a)
    return abs(a - b) <= REL * (abs(b) if scale is None else scale)


def _rows(frame: pd.DataFrame) -> list[tuple]:
    """A counts-like frame as sorted tuples (missing as a marker), for exact comparison."""
    cells = frame.astype(object).where(frame.notna(), "<missing>")
    return sorted(tuple(r) for r in cells.itertuples(index=False))


# ---------------------------------------------------------------- course data, method by method

@realdata
@pytest.mark.parametrize("complete", [False, True])
@pytest.mark.parametrize("by", GROUPINGS)
def test_moments(backends, by, complete):
    spark, pandas = backends
    got, want = spark.moments(MEASURES, by, complete), pandas.moments(MEASURES, by, complete)
    assert got.keys() == want.keys()
    for key, w in want.items():
        g = got[key]
        assert g.n == w.n, key
        skew_scale = w.m2 ** 1.5 / math.sqrt(w.n) if w.n else None
        for field, scale in (("mean", None), ("m2", None), ("m3", skew_scale), ("m4", None),
                             ("minimum", None), ("maximum", None), ("min_positive", None)):
            assert _close(getattr(g, field), getattr(w, field),
                          None if scale is None else max(scale, abs(w.m3))), (key, field)
        assert _close(g.variance, w.variance) and _close(g.kurtosis, w.kurtosis)


@realdata
@pytest.mark.parametrize("complete", [False, True])
@pytest.mark.parametrize("by", GROUPINGS[:2])
def test_quantiles_within_the_stated_rank_bound(backends, course, by, complete):
    spark, _ = backends
    probs = (0.0, 0.01, 0.25, 0.5, 0.75, 0.99, 1.0)
    got = spark.quantiles(MEASURES, probs, by, complete)
    frame = with_derived(course.frame)
    if complete:
        frame = frame[course.frame.notna().all(axis=1)]
    groups = frame.groupby(list(by), dropna=True) if by else [((), frame)]
    assert spark.quantile_error == pytest.approx(1e-4)
    checked = 0
    for levels, part in groups:
        levels = levels if isinstance(levels, tuple) else (levels,)
        for col in MEASURES:
            values = np.sort(part[col].dropna().to_numpy(dtype=float))
            n = len(values)
            for p, q in zip(probs, got[levels, col]):
                first = np.searchsorted(values, q, "left")
                last = np.searchsorted(values, q, "right") - 1
                assert first <= last, f"{q} is not a value of {col}"
                target = p * (n - 1)
                off = 0.0 if first <= target <= last else min(abs(target - first),
                                                              abs(target - last))
                assert off <= spark.quantile_error * n + 1, (levels, col, p, off)
                checked += 1
    assert checked >= len(MEASURES) * len(probs)


@realdata
@pytest.mark.parametrize("complete", [False, True])
@pytest.mark.parametrize("columns", [[S.CLAIM], [S.CLAIM, S.VERIFIED, S.BAN], [S.BAN, S.CLAIM]])
def test_counts(backends, columns, complete):
    spark, pandas = backends
    got = spark.counts(columns, complete)
    assert list(got.columns) == [*columns, "count"]
    assert _rows(got) == _rows(pandas.counts(columns, complete))


@realdata
def test_missing_and_distinct(backends):
    spark, pandas = backends
    (per_column, patterns), (want_per_column, want_patterns) = spark.missing(), pandas.missing()
    assert per_column == want_per_column
    assert list(patterns.columns) == list(want_patterns.columns)
    assert _rows(patterns) == _rows(want_patterns)
    columns = list(S.DATA_COLUMNS)  # (the pandas backend's distinct reads data columns only)
    assert spark.distinct(columns) == pandas.distinct(columns)
    assert spark.distinct([S.TEXT_LENGTH]) == {S.TEXT_LENGTH: pandas.frame[S.TEXT_LENGTH].nunique()}


@realdata
@pytest.mark.parametrize("by", GROUPINGS[:2])
def test_comoments_and_correlations(backends, by):
    spark, pandas = backends
    got, want = spark.comoments(MEASURES, by), pandas.comoments(MEASURES, by)
    assert got.keys() == want.keys()
    for key, w in want.items():
        g = got[key]
        assert g.n == w.n and g.columns == w.columns
        assert all(_close(a, b) for a, b in zip(g.means, w.means))
        scale = np.sqrt(np.outer(np.diag(w.cross), np.diag(w.cross)))
        assert np.all(np.abs(g.cross - w.cross) <= REL * scale), key
        np.testing.assert_allclose(g.correlation(), w.correlation(), rtol=0, atol=1e-9)


@realdata
@pytest.mark.parametrize("by", [(), (S.CLAIM,)])
def test_histograms_bin_exactly_as_numpy(backends, course, by):
    spark, pandas = backends
    top = float(course.frame[S.VIEWS].max())
    cases = [
        (S.VIEWS, np.linspace(0.0, top, 31)),
        (S.VIEWS, np.geomspace(1.0, top + 1, 25)),  # log edges; zeros fall outside
        (S.DURATION, np.arange(0.0, 61.0, 5.0)),  # edges on data values: left-closed bins
        (S.LIKES, np.array([0.0, 10.0, 10.0, 1e3, 1e5, 1e6])),  # a zero-width bin
        (S.TEXT_LENGTH, np.linspace(0.0, 200.0, 9)),  # values above the last edge left out
        ("likes_per_view", np.linspace(0.0, 1.0, 21)),
    ]
    for column, edges in cases:
        for complete in (False, True):
            got = spark.histogram(column, edges, by, complete)
            want = pandas.histogram(column, edges, by, complete)
            assert got.keys() == want.keys()
            for key in want:
                np.testing.assert_array_equal(got[key], want[key], err_msg=f"{column} {key}")


def _same(a: dict, b: dict) -> bool:
    """Equal dicts of dataclasses, NaN equal to NaN."""
    def fields(t):
        return tuple("nan" if isinstance(v, float) and math.isnan(v) else v
                     for v in vars(t).values())
    return a.keys() == b.keys() and all(fields(a[k]) == fields(b[k]) for k in a)


@realdata
def test_tails(backends):
    spark, pandas = backends
    by = (S.CLAIM,)
    fences = {("claim",): (1e4, 9e5), ("opinion",): (100.0, 5e3)}
    assert _same(spark.tails(S.VIEWS, fences, by), pandas.tails(S.VIEWS, fences, by))
    nan_fence = {(): (math.nan, 50.0)}  # NaN compares false in numpy; Spark orders it last
    assert _same(spark.tails(S.DURATION, nan_fence), pandas.tails(S.DURATION, nan_fence))
    whole = {(): (-1.0, 1e12)}
    assert _same(spark.tails(S.LIKES, whole, complete=True),
                 pandas.tails(S.LIKES, whole, complete=True))


@realdata
@pytest.mark.parametrize("column", MEASURES)
def test_value_counts(backends, column):
    spark, pandas = backends
    got, want = spark.value_counts(column, (S.CLAIM,)), pandas.value_counts(column, (S.CLAIM,))
    assert got.keys() == want.keys()
    for key in want:
        np.testing.assert_array_equal(got[key][0], want[key][0])
        np.testing.assert_array_equal(got[key][1], want[key][1])


@realdata
@pytest.mark.parametrize("top", [10, 40])
def test_phrases_count_as_countvectorizer(backends, top):
    spark, pandas = backends
    assert spark.phrases(S.CLAIM, top) == pandas.phrases(S.CLAIM, top)
    assert spark.phrases(S.BAN, 5, low=1, high=2) == pandas.phrases(S.BAN, 5, low=1, high=2)


@realdata
def test_duplicates(backends):
    spark, pandas = backends
    assert spark.duplicates() == pandas.duplicates()


# ---------------------------------------------------------------- the sample

@realdata
def test_sample_of_small_data_is_every_row_in_data_order(backends):
    spark, pandas = backends
    got = spark.sample(1_000_000, S.CLAIM, 0)
    pd.testing.assert_frame_equal(got, pandas.frame.reset_index(drop=True))


@realdata
def test_sample_is_stratified_reproducible_and_in_data_order(backends, course, loaded):
    from claimreport.backends.spark_backend import SparkBackend

    spark, _ = backends
    frame = course.frame
    drawn = spark.sample(4_000, S.CLAIM, 7)
    share = 4_000 / len(frame)
    sizes = frame[S.CLAIM].value_counts(dropna=False)
    got = drawn[S.CLAIM].value_counts(dropna=False)
    assert {k: int(v) for k, v in got.items()} == \
        {k: int(round(share * v)) for k, v in sizes.items()}
    position = pd.Series(np.arange(len(frame)), index=frame[S.ID])
    assert position[drawn[S.ID]].is_monotonic_increasing  # data order
    assert list(drawn.columns) == [*S.DATA_COLUMNS, *DERIVED]
    assert drawn.dtypes.to_dict() == with_derived(frame).dtypes.to_dict()
    pd.testing.assert_frame_equal(  # the drawn rows are the data's rows, derived columns too
        drawn, with_derived(frame).set_index(S.ID, drop=False).loc[drawn[S.ID]]
        .reset_index(drop=True))
    again = SparkBackend(loaded.backend._data, rows=len(frame)).sample(4_000, S.CLAIM, 7)
    pd.testing.assert_frame_equal(again, drawn)
    other = spark.sample(4_000, S.CLAIM, 8)
    assert set(other[S.ID]) != set(drawn[S.ID])


# ---------------------------------------------------------------- the loader

@realdata
def test_loader_gives_the_pandas_loaders_frame(loaded, course, course_parquet):
    from claimreport.fingerprint import file_sha256

    pd.testing.assert_frame_equal(loaded.frame, course.frame)
    assert loaded.rows == course.rows and loaded.format == "parquet"
    assert loaded.sha256 == file_sha256(course_parquet)
    assert loaded.statistics() is loaded.backend and loaded.backend.name == "spark"


@realdata
def test_partitioned_folder_reproduces_the_file(spark, course, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from claimreport.data.spark_loader import fingerprint_folder, load_spark

    table = pa.Table.from_pandas(course.frame, preserve_index=False)
    by_claim = tmp_path / "by_claim"
    pq.write_to_dataset(table, by_claim, partition_cols=[S.CLAIM])  # null: its own folder
    loaded = load_spark(by_claim, spark=spark)
    assert loaded.rows == course.rows and loaded.format == "parquet"
    pd.testing.assert_frame_equal(
        loaded.frame.sort_values(S.ID).reset_index(drop=True),
        course.frame.sort_values(S.ID).reset_index(drop=True))
    spark_b, pandas_b = loaded.backend, PandasBackend(course.frame)
    assert _rows(spark_b.counts([S.CLAIM, S.BAN])) == _rows(pandas_b.counts([S.CLAIM, S.BAN]))
    got, want = spark_b.moments(MEASURES, (S.CLAIM,)), pandas_b.moments(MEASURES, (S.CLAIM,))
    assert all(got[k].n == w.n and _close(got[k].mean, w.mean) and _close(got[k].m2, w.m2)
               for k, w in want.items())
    assert spark_b.phrases(S.CLAIM, 10) == pandas_b.phrases(S.CLAIM, 10)

    # Split in files part-0, part-1, ...: the data order is the files' order, then the rows'.
    chunks = tmp_path / "chunks"
    chunks.mkdir()
    for i, start in enumerate(range(0, course.rows, 5_000)):
        pq.write_table(table.slice(start, 5_000), chunks / f"part-{i}.parquet")
    (chunks / "_SUCCESS").write_text("")
    split = load_spark(chunks, spark=spark)
    pd.testing.assert_frame_equal(split.frame, course.frame)
    assert split.sha256 == fingerprint_folder(chunks) == load_spark(chunks, spark=spark).sha256
    (chunks / "part-0.parquet").touch()
    assert fingerprint_folder(chunks) != split.sha256


def _raw(rows: int = 6) -> pd.DataFrame:
    """A small raw table in the course's shape, as a user might have saved it."""
    return pd.DataFrame({
        "#": np.arange(1, rows + 1),
        "claim_status": [" Claim", "opinion", "#N/A", "OPINION", "claim", "opinion"][:rows],
        "video_id": np.arange(100, 100 + rows, dtype=np.int64),
        "video_duration_sec": [10.0, 20.5, 30.0, 40.0, 50.0, 60.0][:rows],
        "video_transcription_text": ["my friend read that", "i think", None, "NA",
                                     "Café naïve résumé ok", "x y z"][:rows],
        "verified_status": ["verified", "not verified", "not verified", "verified",
                            "Not Verified", "verified"][:rows],
        "author_ban_status": ["active", "banned", "under review", "active", "active",
                              "active"][:rows],
        "video_view_count": [100.0, 0.0, np.nan, 5.0, 7.0, 8.0][:rows],
        "video_like_count": [10.0, 0.0, np.nan, 1.0, 2.0, 3.0][:rows],
        "video_share_count": [1.0, 0.0, np.nan, 0.0, 1.0, 1.0][:rows],
        "video_download_count": [0.0, 0.0, np.nan, 0.0, 1.0, 0.0][:rows],
        "video_comment_count": [0.0, 0.0, np.nan, 0.0, 0.0, 1.0][:rows],
        "notes": ["a", "b", "c", "d", "e", "f"][:rows],
    })


def test_loader_normalises_as_the_pandas_loader_does(spark, tmp_path):
    from claimreport.data.load import load_data
    from claimreport.data.spark_loader import load_spark

    path = tmp_path / "raw.parquet"
    _raw().to_parquet(path, index=False)
    got, want = load_spark(path, spark=spark), load_data(path)
    pd.testing.assert_frame_equal(got.frame, want.frame)
    assert (got.row_number_column, got.dropped_columns) == ("#", ("notes",))
    assert (want.row_number_column, want.dropped_columns) == ("#", ("notes",))


@pytest.mark.parametrize("column, value, message", [
    (S.CLAIM, "maybe", "unknown label"),
    (S.VIEWS, -5.0, "negative value"),
    (S.LIKES, 2.5, "non-integer value"),
    (S.BAN, None, "missing value"),
])
def test_loader_rejects_bad_values_naming_column_and_rows(spark, tmp_path, column, value,
                                                          message):
    from claimreport.data.spark_loader import load_spark

    raw = _raw()
    raw[column] = raw[column].astype(object)
    raw.loc[[2, 4], column] = value
    path = tmp_path / "bad.parquet"
    raw.to_parquet(path, index=False)
    with pytest.raises(DataValidationError) as err:
        load_spark(path, spark=spark)
    problem = next(p for p in err.value.problems if p.startswith(f"column {column!r}"))
    assert message in problem and "data rows 3, 5" in problem, problem
    assert "bad.parquet" in str(err.value)


def test_loader_rejects_text_counts_repeated_ids_and_missing_columns(spark, tmp_path):
    from claimreport.data.spark_loader import load_spark

    raw = _raw()
    raw[S.SHARES] = raw[S.SHARES].astype(str)  # counts as text: parsed, as from a CSV
    raw.loc[1, S.SHARES] = "lots"
    raw.loc[3, S.ID] = 100
    path = tmp_path / "bad.parquet"
    raw.to_parquet(path, index=False)
    with pytest.raises(DataValidationError) as err:
        load_spark(path, spark=spark)
    problems = "\n".join(err.value.problems)
    assert f"column {S.SHARES!r}: 1 value is not numeric at data row 2" in problems
    assert "'lots'" in problems

    raw = _raw()
    raw.loc[3, S.ID] = 100
    raw.to_parquet(path, index=False)
    with pytest.raises(DataValidationError, match=r"1 id appears more than once: 100 at data "
                                                  r"rows 1, 4"):
        load_spark(path, spark=spark)

    _raw().drop(columns=[S.COMMENTS]).to_parquet(path, index=False)
    with pytest.raises(DataValidationError, match="missing required column 'video_comment_count'"):
        load_spark(path, spark=spark)


def test_loader_refuses_what_is_not_parquet(spark, tmp_path):
    from claimreport.data.spark_loader import load_spark

    with pytest.raises(DataValidationError, match="does not exist"):
        load_spark(tmp_path / "nope.parquet", spark=spark)
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"not parquet at all")
    with pytest.raises(DataValidationError, match="not readable Parquet"):
        load_spark(junk, spark=spark)
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataValidationError, match="no Parquet files"):
        load_spark(tmp_path / "empty", spark=spark)


# ---------------------------------------------------------------- edge cases on small data

def _pair(spark, frame: pd.DataFrame):
    """Both backends over the same (unvalidated) small frame."""
    from claimreport.backends.spark_backend import SparkBackend
    from claimreport.data.spark_loader import to_spark

    return SparkBackend(to_spark(spark, frame)), PandasBackend(frame)


def test_edge_cases_match_pandas(spark):
    from claimreport.data.load import validate_frame

    frame = validate_frame(_raw().drop(columns=["#", "notes"]), "small")
    frame = pd.concat([frame, frame.iloc[[0, 1]], frame.iloc[[4]].assign(claim_status="opinion")],
                      ignore_index=True)  # repeated rows and a repeated text, relabelled
    frame[S.DOWNLOADS] = 3.0  # a constant column: m2 = m3 = m4 = 0
    frame.loc[frame[S.CLAIM].isna(), S.COMMENTS] = np.nan
    spark_b, pandas_b = _pair(spark, frame)
    assert spark_b.rows == pandas_b.rows == 9
    assert spark_b.duplicates() == pandas_b.duplicates()
    assert spark_b.duplicates().text_conflicts == 1
    for by in GROUPINGS:
        for complete in (False, True):
            got, want = spark_b.moments(MEASURES, by, complete), pandas_b.moments(MEASURES, by,
                                                                                  complete)
            assert got.keys() == want.keys()
            for key, w in want.items():
                g = got[key]
                assert g.n == w.n and _close(g.mean, w.mean) and _close(g.m2, w.m2 or 0.0)
    assert _rows(spark_b.counts([S.CLAIM, S.VERIFIED])) == \
        _rows(pandas_b.counts([S.CLAIM, S.VERIFIED]))
    assert spark_b.phrases(S.CLAIM, 5) == pandas_b.phrases(S.CLAIM, 5)
    got, want = spark_b.comoments(MEASURES, (S.BAN,)), pandas_b.comoments(MEASURES, (S.BAN,))
    assert {k: v.n for k, v in got.items()} == {k: v.n for k, v in want.items()}
    edges = np.array([0.0, 5.0, 8.0, 100.0])
    assert {k: list(v) for k, v in spark_b.histogram(S.VIEWS, edges, (S.CLAIM,)).items()} == \
        {k: list(v) for k, v in pandas_b.histogram(S.VIEWS, edges, (S.CLAIM,)).items()}
    assert spark_b.value_counts(S.VIEWS).keys() == pandas_b.value_counts(S.VIEWS).keys()


def test_phrases_tokenise_unicode_as_python(spark):
    from claimreport.data.load import validate_frame

    texts = ["Café naïve résumé, déjà vu!", "straße STRASSE über_alles 42 x1 a1b2",
             "the cat and the hat—naïve café", "Ünïcödé wörds ärë wörds", "ok ok ok ok"]
    raw = _raw(5).drop(columns=["#", "notes"]).assign(video_transcription_text=texts,
                                                       claim_status="claim")
    spark_b, pandas_b = _pair(spark, validate_frame(raw, "texts"))
    assert spark_b.phrases(S.CLAIM, 50) == pandas_b.phrases(S.CLAIM, 50)
    assert spark_b.phrases(S.CLAIM, 50, low=1, high=1) == \
        pandas_b.phrases(S.CLAIM, 50, low=1, high=1)


# ---------------------------------------------------------------- the command line, end to end

MEDIAN_GROUPS = {  # key figure -> (complete rows only, column, level) of the median's group
    ("eda", "median_views_claim"): (False, S.CLAIM, "claim"),
    ("eda", "median_views_opinion"): (False, S.CLAIM, "opinion"),
    ("hypothesis", "median_views_verified"): (True, S.VERIFIED, "verified"),
    ("hypothesis", "median_views_not_verified"): (True, S.VERIFIED, "not verified"),
}


@realdata
def test_render_on_spark_gives_the_pandas_key_figures(spark, course, course_parquet, tmp_path):
    """``render --backend spark --stage eda,hypothesis`` (in-process, on the session above)."""
    from claimreport.bundle import read_bundle
    from claimreport.config import Config
    from claimreport.data.spark_loader import SparkSource
    from claimreport.pipeline import build

    stages = ["eda", "hypothesis"]
    build(course_parquet, tmp_path / "spark", stages, [], Config(), spark=SparkSource())
    build(course_parquet, tmp_path / "pandas", stages, [], Config())
    got = read_bundle(tmp_path / "spark" / "bundle").results
    want = read_bundle(tmp_path / "pandas" / "bundle").results
    frame = course.frame
    for stage in stages:
        g, w = got[stage].key_figures, want[stage].key_figures
        assert g.keys() == w.keys()
        for name, value in w.items():
            if (stage, name) in MEDIAN_GROUPS:  # approximate: a data value near the rank
                complete, column, level = MEDIAN_GROUPS[stage, name]
                rows = frame[frame.notna().all(axis=1)] if complete else frame
                views = np.sort(rows.loc[rows[column] == level, S.VIEWS].to_numpy())
                n = len(views)
                first, last = (np.searchsorted(views, g[name], side) for side in ("left", "right"))
                target = 0.5 * (n - 1)
                assert first <= target + n * 1e-4 + 1 and last - 1 >= target - n * 1e-4 - 1, name
            elif isinstance(value, float) and not math.isnan(value):
                assert g[name] == pytest.approx(value, rel=1e-9, abs=1e-12), (stage, name)
            else:
                assert "median" not in name, f"{stage}.{name}: add its group to MEDIAN_GROUPS"
                assert g[name] == value or (value != value and g[name] != g[name]), (stage, name)


def _cli(*args, env=None, code="pass"):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root / "src"), **(env or {})}
    prog = f"import sys; {code}; from claimreport.cli import main; sys.argv = ['claimreport', " \
           f"*{list(args)!r}]; main()"
    return subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, env=env)


def test_cli_says_what_to_install(tmp_path):
    out = _cli("render", "--backend", "spark", "--out", str(tmp_path / "o"),
               code="sys.modules['pyspark'] = None")  # as if PySpark were not installed
    assert out.returncode == 2, out.stderr
    assert out.stderr.strip().splitlines() == [
        "error: --backend spark needs PySpark, which is not installed: "
        "pip install 'claimreport[spark]'"]
    out = _cli("validate", "--backend", "spark", env={"PATH": "/nonexistent", "JAVA_HOME": ""})
    assert out.returncode == 2 and "needs Java 17" in out.stderr and "Traceback" not in out.stderr
    out = _cli("render", "--table", "db.videos", "--out", str(tmp_path / "o"))
    assert out.returncode == 2 and "--table needs --backend spark" in out.stderr
    out = _cli("render", "--backend", "spark", "--conf", "spark.master", "--out",
               str(tmp_path / "o"))
    assert out.returncode == 2 and "expected key=value" in out.stderr
    assert not (tmp_path / "o").exists()


@realdata
def test_cli_validate_on_spark(course_parquet):
    out = _cli("validate", "--backend", "spark", "--data", str(course_parquet), "--conf",
               "spark.master=local[1]")
    assert out.returncode == 0, out.stderr
    assert "rows: 19,382" in out.stdout and "read with Spark" in out.stdout
    assert "claim status: 9,608 claim, 9,476 opinion" in out.stdout
    assert out.stdout.strip().splitlines()[-1].startswith("valid: 19,382 rows")
    # Spark's own logging is quiet (the JVM's "WARNING: Using incubator modules" line stays)
    assert not re.search(r"\b(WARN|INFO)\b", out.stderr), out.stderr
