"""A seeded, synthetic stand-in for the course's TikTok claims dataset.

Nothing here is real: ids are random, the transcriptions are assembled from word lists written for
the generator (:mod:`claimreport.data.demo_words`), and the counts are drawn from distributions.
What *is* kept from the course file (``tiktok_dataset.csv``, 19,382 rows) is its structure, so
every stage report has something true to find in the demo data: the class shares, the 1.5 % of rows
whose claim status, transcription and counts are all missing, the link between claims and
banned/unverified authors, claims getting about 100 times the views of opinions, the right-skewed
engagement counts and longer claim texts. ``tests/data/test_demo.py`` compares these summary
statistics with the real file when it exists.

Notes
-----
The engagement counts are a chain of uniform fractions, because that is the shape measured in the
course file: likes are a uniform fraction of views (up to 2/3 for claims, 4/9 for opinions),
shares and downloads uniform fractions of likes (up to 40 % and 2.5 %) and comments a uniform
fraction of downloads. Products of uniforms give the heavy right tail, ``comments <= downloads``
and the strong log-scale correlations without any fitted model. Rows come out ordered claims,
opinions, then the rows with a missing status, as in the course file.

Those numbers are the ``COURSE`` parameters of :mod:`claimreport.data.scenarios`; other parameter
sets (class shares, author mix, engagement ranges, how alike the texts are) make the same schema
tell other stories, for tests that check every sentence of a report against the data.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from claimreport.data import schema as s
from claimreport.data.csv_writer import write_frame_csv
from claimreport.data.demo_words import claim_texts, opinion_texts
from claimreport.data.scenarios import AUTHOR_CELLS, CLASSES, COURSE, Engagement, GeneratorParams
from claimreport.errors import ConfigError
from claimreport.fsio import atomic_path

__all__ = ["generate", "write_csv", "write_parquet", "write_data", "check_destination"]


#: rows of transcriptions built at a time: bounds the memory of the uniforms and the pieces
TEXT_CHUNK = 1_000_000


def _texts(rng: np.random.Generator, status: str, n: int, mix: float) -> pa.ChunkedArray:
    """The transcriptions of *n* rows of class *status*, from 12 uniforms per row.

    Without a mix the uniforms are drawn and turned into text a chunk at a time: successive
    ``rng.random((k, 12))`` calls continue one stream, so the texts are those of a single draw.
    """
    build = claim_texts if status == "claim" else opinion_texts
    if mix == 0:  # no extra draws, so the course parameters give the frame they always gave
        return pa.chunked_array([build(rng.random((min(TEXT_CHUNK, n - start), 12)))
                                 for start in range(0, n, TEXT_CHUNK)], pa.string())
    u = rng.random((n, 12))
    pick = rng.random((n, 2))
    styles = np.where(pick[:, 0] < mix, pick[:, 1] < 0.5, status == "claim")
    claims, opinions = np.flatnonzero(styles), np.flatnonzero(~styles)
    order = np.concatenate([claims, opinions])
    inverse = np.empty_like(order)
    inverse[order] = np.arange(n)
    texts = pa.concat_arrays([claim_texts(u[claims]), opinion_texts(u[opinions])])
    return pa.chunked_array([texts.take(pa.array(inverse))], pa.string())


def _draw(rng: np.random.Generator, e: Engagement, n: int, stratified: bool) -> list[np.ndarray]:
    """Views and the chain of fractions of one group of *n* videos."""
    if stratified:
        def fraction(top: float) -> np.ndarray:  # Latin hypercube: one draw per 1/n stratum
            return top * (rng.permutation(n) + rng.random(n)) / n

        views = e.views_low + np.floor(fraction(1.0) * (e.views_high - e.views_low + 1))
    else:
        def fraction(top: float) -> np.ndarray:
            return rng.uniform(0, top, n)

        views = rng.integers(e.views_low, e.views_high + 1, size=n)
    likes = np.rint(views * fraction(e.max_likes_per_view))
    shares = np.rint(likes * fraction(e.max_shares_per_like))
    downloads = np.rint(likes * fraction(e.max_downloads_per_like))
    comments = np.rint(downloads * fraction(e.max_comments_per_download))
    return [c.astype("int64") for c in (views, likes, shares, downloads, comments)]


def _engagement(rng: np.random.Generator, params: GeneratorParams, status: str,
                verified: np.ndarray) -> list[np.ndarray]:
    if not params.stratified and not params.depends_on_verified(status):
        return _draw(rng, params.engagement(status, False), len(verified), stratified=False)
    # One draw per verified status, so each group gets its own range (or its own strata).
    out = [np.zeros(len(verified), dtype="int64") for _ in s.ENGAGEMENT_COLUMNS]
    for flag in (True, False):
        group = verified == flag
        drawn = _draw(rng, params.engagement(status, flag), int(group.sum()), params.stratified)
        for column, values in zip(out, drawn):
            column[group] = values
    return out


def _apportion(n: int, weights: np.ndarray) -> np.ndarray:
    """Split *n* in proportion to *weights*, rounding by largest remainder (sums to *n*)."""
    exact = n * weights / weights.sum()
    sizes = np.floor(exact).astype("int64")
    short = n - int(sizes.sum())
    sizes[np.argsort(sizes - exact, kind="stable")[:short]] += 1
    return sizes


def generate(rows: int = 20_000, random_state: int = 42,
             params: GeneratorParams = COURSE) -> pd.DataFrame:
    """Draw a synthetic claims dataset shaped like the course file.

    Parameters
    ----------
    rows : int, default 20_000
        Number of videos; the course file has 19,382.
    random_state : int, default 42
        Seed of :func:`numpy.random.default_rng`; the same arguments give an identical frame.
    params : GeneratorParams, default COURSE
        The story the data tell (:mod:`claimreport.data.scenarios` names a few); the default
        reproduces the course file's structure.

    Returns
    -------
    pandas.DataFrame
        Columns ``["#", *schema.DATA_COLUMNS]``. Counts are nullable ``Int64`` so that the rows
        without a claim status can hold missing counts while the others stay integers.

    Raises
    ------
    ConfigError
        If *rows* is not a positive integer.

    Notes
    -----
    With plain draws (``params.stratified`` false) the class sizes are a multinomial draw with
    the given shares, so a small sample can lack the rare missing-status rows; from a few hundred
    rows on it practically never does. Stratified parameters round the shares instead.
    """
    if isinstance(rows, bool) or not isinstance(rows, (int, np.integer)) or rows < 1:
        raise ConfigError(f"rows must be a positive integer, got {rows!r}")
    rng = np.random.default_rng(random_state)
    class_p = np.array(params.class_weights, dtype=float) / sum(params.class_weights)
    sizes = _apportion(rows, class_p) if params.stratified else rng.multinomial(rows, class_p)
    ids = rng.choice(9_000_000_000, size=rows, replace=False) + 1_000_000_000
    durations = rng.integers(5, 61, size=rows)

    verified_cell = np.array([v == "verified" for v, _ in AUTHOR_CELLS])
    labels: dict[str, list] = {s.CLAIM: [], s.VERIFIED: [], s.BAN: [], s.TEXT: []}
    counts: dict[str, list[np.ndarray]] = {c: [] for c in s.ENGAGEMENT_COLUMNS}
    for status, n in zip(CLASSES, sizes):
        n = int(n)
        p = np.array(params.authors(status), dtype=float)
        if params.stratified:
            cells = rng.permutation(np.repeat(np.arange(len(AUTHOR_CELLS)), _apportion(n, p)))
        else:
            cells = rng.choice(len(AUTHOR_CELLS), size=n, p=p / p.sum())
        take = pa.array(cells)
        labels[s.CLAIM].append(pa.nulls(n, pa.string()) if status is None
                               else pa.array([status], pa.string()).take(pa.array(np.zeros(n, int))))
        labels[s.VERIFIED].append(pa.array([v for v, _ in AUTHOR_CELLS]).take(take))
        labels[s.BAN].append(pa.array([b for _, b in AUTHOR_CELLS]).take(take))
        if status is None:  # as in the course file: no text and no counts, author known
            labels[s.TEXT].append(pa.nulls(n, pa.string()))
            values = [np.full(n, np.nan)] * len(counts)
        else:
            labels[s.TEXT].append(_texts(rng, status, n, params.text_mix))
            values = _engagement(rng, params, status, verified_cell[cells])
        for c, v in zip(counts, values):
            counts[c].append(v)

    frame = pd.DataFrame({
        s.ROW_NUMBER: np.arange(1, rows + 1, dtype="int64"),
        s.ID: ids.astype("int64"),
        s.DURATION: durations.astype("int64"),
        **{c: _strings(parts) for c, parts in labels.items()},
        **{c: pd.array(np.concatenate(v), dtype="Int64") for c, v in counts.items()},
    })
    return frame[[s.ROW_NUMBER, *s.DATA_COLUMNS]]


def _strings(parts: list) -> pd.Series:
    """One text column (pandas' default string dtype) from Arrow pieces, without a Python
    string per row."""
    chunks = [c for part in parts for c in (part.chunks if isinstance(part, pa.ChunkedArray)
                                            else [part])]
    return pa.chunked_array(chunks, pa.string()).to_pandas()


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write *frame* in the course file's format, atomically.

    Missing values are written ``#N/A``, counts as plain integers (no ``.0``) and lines end in
    ``\\n``, so the demo file reads exactly like the course file. The bytes are those of
    ``DataFrame.to_csv``; :mod:`claimreport.data.csv_writer` formats them with Arrow, so ten
    million rows take seconds. The data go to a temporary file
    in the target folder first and are moved into place with :func:`os.replace`
    (:func:`claimreport.fsio.atomic_path`), so an interrupted run never leaves a half-written
    CSV behind.

    Parameters
    ----------
    frame : pandas.DataFrame
        Typically the output of :func:`generate`; float count columns are accepted as long as
        their values are whole numbers.
    path : str or os.PathLike
        Destination; missing parent folders are created.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    out = _integer_counts(frame)
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        write_frame_csv(out, handle)
    return path


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write *frame* as Parquet, atomically, with the same columns and values as :func:`write_csv`.

    Counts are stored as nullable 64-bit integers and missing values as nulls, so
    :func:`claimreport.data.load.load_data` gives the same frame for both files.

    Parameters
    ----------
    frame : pandas.DataFrame
        Typically the output of :func:`generate`.
    path : str or os.PathLike
        Destination; missing parent folders are created.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    out = _integer_counts(frame)
    with atomic_path(path) as tmp:
        out.to_parquet(tmp, engine="pyarrow", index=False)
    return path


_WRITERS = {".csv": write_csv, ".parquet": write_parquet, ".pq": write_parquet}


def check_destination(path: str | os.PathLike[str]) -> None:
    """Refuse an output path :func:`write_data` cannot use, before any data are generated.

    Raises
    ------
    ConfigError
        If the extension is not ``.csv``, ``.parquet`` or ``.pq``, the path is a directory, or
        its folder does not exist (a typo in a folder name should not create a new folder).
    """
    path = Path(path)
    if path.is_dir():
        raise ConfigError(f"{path} is a directory; name a file inside it, e.g. "
                          f"{path / 'demo_claims.csv'}")
    if path.suffix.lower() not in _WRITERS:
        raise ConfigError(f"{path}: unsupported file type {path.suffix or '(no extension)'!r}; "
                          "use .csv for the course CSV format or .parquet / .pq for Parquet")
    parent = path.parent
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        raise ConfigError(f"cannot write {path}: the folder {parent} {what}; create it first "
                          "or choose another path")


def write_data(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write *frame* in the format named by the extension of *path*: CSV or Parquet.

    The destination is checked with :func:`check_destination` and written atomically, so a
    failure leaves no partial file and the previous content (if any) in place.

    Raises
    ------
    ConfigError
        For a path :func:`check_destination` refuses, and for any OS error while writing
        (read-only folder, full disk...), with the reason in one line.
    """
    path = Path(path)
    check_destination(path)
    try:
        return _WRITERS[path.suffix.lower()](frame, path)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None


def _integer_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with the row number, id and counts as nullable integers (written without ``.0``)."""
    out = frame.copy()
    for c in (s.ROW_NUMBER, s.ID, *s.COUNT_COLUMNS):
        if c in out.columns:
            out[c] = out[c].astype("Int64")
    return out
