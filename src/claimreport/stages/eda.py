"""EDA stage (course 3): inventory, cleaning facts, distributions, group comparisons,
correlations, phrases, and the Tableau measures/dimensions table and extract.

Notes
-----
* Statistics use every row in which the column is present; the rows with a missing claim status
  (all engagement fields missing together) are counted and described, never imputed.
* Skewness is pandas' adjusted Fisher-Pearson coefficient, the figure the course reads off
  ``DataFrame.skew()``; a count whose \\|skewness\\| exceeds ``eda.skew_threshold`` or that spans
  more than three orders of magnitude is drawn on a log scale.
* Phrases are counted exactly as scikit-learn's ``CountVectorizer(ngram_range=(2, 3),
  stop_words="english")`` counts them (the vectoriser the modeling stage uses), by
  :mod:`claimreport.stats.phrases`, which a test pins to CountVectorizer.
* Correlations are also computed within each claim status: a pooled correlation can come
  entirely from the difference between the classes (claims have more of everything) and say
  nothing about videos of one kind.
* Data alerts (a column that separates the classes almost perfectly, near-uniform counts with
  hard bounds, repeated transcriptions, heavy missingness) are rules with named thresholds in
  :mod:`claimreport.stats.alerts`; the result holds every check's numbers and the fired codes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..data import schema as S
from ..results.base import undefined_reasons
from ..results.eda import (
    BoxGroup,
    BoxStats,
    ClassMatrix,
    ColumnInfo,
    CorrelationPair,
    EdaResult,
    Example,
    Histogram,
    Inventory,
    LevelCount,
    Matrix,
    MissingPattern,
    Phrase,
)
from ..stats import stable as _r
from ..stats.alerts import data_checks
from ..stats.binning import bin_edges_from
from ..stats.describe import _fences as iqr_fences_from
from ..stats.describe import box_stats_from, describe_from
from . import StageOutput
from ._sample import sample_info

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..config import Config
    from ..data.load import LoadedData

__all__ = ["compute", "tableau_extract", "neutralise_formulas"]

TEXT_LENGTH = S.TEXT_LENGTH
GROUPINGS = (S.CLAIM, S.VERIFIED, S.BAN)
EXAMPLE_CHARS = 300  # characters of an example transcription shown in the report
from ..backends.base import RATES  # noqa: E402  (the per-view rates every backend derives)


def compute(loaded: LoadedData, config: Config, context=None) -> StageOutput:
    """Compute the EDA result and its tables from validated data.

    Population figures come from the statistics backend's exact aggregates
    (:mod:`claimreport.backends`); Spearman correlations, the outliers drawn on box plots and
    the example transcriptions from its sample, which is every row unless the data exceed
    ``sample_rows``.
    """
    import pandas as pd

    cfg = config.eda
    stats = loaded.statistics()
    sample = stats.sample(config.sample_rows, S.CLAIM, config.random_state)
    measures = [*S.COUNT_COLUMNS, TEXT_LENGTH]
    labels = {name: S.label(name) for name in (*S.DATA_COLUMNS, TEXT_LENGTH)}

    inventory = _inventory(loaded, stats)
    claim_counts = stats.counts([S.CLAIM])
    balance = _levels(claim_counts, S.CLAIM, ("claim", "opinion"), "missing", stats.rows)
    overall = describe_from(stats, measures)
    moments = stats.moments(measures)
    skew = dict(zip(overall["column"], overall["skewness"].round(6)))
    log_cols = {c for c in S.COUNT_COLUMNS
                if _wants_log(moments[(), c], skew[c], cfg.skew_threshold)}

    tables: dict[str, tuple[str, str, pd.DataFrame]] = {
        "columns": ("Columns", "Each column, its type, role and missing values.",
                    pd.DataFrame([c.model_dump() for c in inventory.column_info])),
        "summary_overall": ("Summary statistics, all rows", "Missing values left out per column.",
                            overall),
    }
    for by in GROUPINGS:
        tables[f"summary_by_{by}"] = (f"Summary statistics by {labels[by].lower()}", "",
                                      describe_from(stats, measures, by=by, order=S.LABELS[by]))
    tables["engagement_rates"] = ("Engagement per view by claim status",
                                  "Mean and median of each video's ratio.", _rates(stats))
    for by in (S.BAN, S.VERIFIED):
        tables[f"crosstab_{by}"] = (f"Claim status by {labels[by].lower()}",
                                    "Counts and share of each claim-status row.",
                                    _crosstab(stats, by))
    pooled = stats.comoments(measures)[()]
    by_class = stats.comoments(measures, by=(S.CLAIM,))
    matrices = [_matrix("pearson", measures, pooled.correlation()),
                _corr(sample, measures, "spearman")]
    for m in matrices:
        tables[f"correlation_{m.method}"] = (f"{m.method.title()} correlations", "Complete rows.",
                                             pd.DataFrame(m.values, index=m.labels, columns=m.labels)
                                             .reset_index(names="column"))
    within = []
    for method in ("pearson", "spearman"):
        for c in ("claim", "opinion"):
            if method == "pearson":
                co = by_class.get((c,))
                values = co.correlation() if co is not None and co.n else _nan_matrix(measures)
                m = _matrix(method, measures, values)
            else:
                m = _corr(sample[sample[S.CLAIM] == c], measures, method)
            within.append(ClassMatrix(claim_status=c, **m.model_dump()))
    for m in within:
        tables[f"correlation_{m.method}_{m.claim_status}"] = (
            f"{m.method.title()} correlations within {m.claim_status} videos",
            f"Complete rows of {m.claim_status} videos.",
            pd.DataFrame(m.values, index=m.labels, columns=m.labels).reset_index(names="column"))
    checks = data_checks(stats, measures, {S.VERIFIED: S.LABELS[S.VERIFIED],
                                           S.BAN: S.LABELS[S.BAN]}, S.CLAIM, S.TEXT)
    tables["uniformity"] = ("Near-uniform check per class",
                            "Kolmogorov-Smirnov distance to the uniform on each class's own "
                            "[min, max], and the share of values in its outer bands.",
                            pd.DataFrame([u.model_dump() for u in checks.uniformity]))
    tables["separation"] = ("Best single-column rule for telling claims from opinions", "",
                            pd.DataFrame([x.model_dump() for x in checks.separation]))
    phrases = {c: [Phrase(phrase=p, count=n) for p, n in ps]
               for c, ps in _phrases(stats, cfg.top_phrases).items()}
    tables["top_phrases"] = ("Most frequent phrases by claim status", "",
                             pd.DataFrame([{"claim_status": c, "rank": i + 1, **p.model_dump()}
                                           for c, ps in phrases.items() for i, p in enumerate(ps)],
                                          columns=["claim_status", "rank", "phrase", "count"]))
    tables["measures_dimensions"] = ("Tableau measures and dimensions", "", _roles())
    if stats.name == "pandas":  # the extract is the data itself: a backend past one machine
        tables["tableau_extract"] = ("Tableau-ready extract",  # writes its own (see README)
                                     "Clean column names; formula-like cells neutralised.",
                                     tableau_extract(stats.frame))

    by_claim = stats.moments([S.VIEWS, TEXT_LENGTH], by=(S.CLAIM,))
    medians = stats.quantiles([S.VIEWS, TEXT_LENGTH], (0.5,), by=(S.CLAIM,))
    mix = stats.counts([S.CLAIM, S.VERIFIED, S.BAN])
    n = stats.rows

    def rows_where(**levels) -> int:
        keep = np.ones(len(mix), dtype=bool)
        for col, level in levels.items():
            keep &= (mix[col] == level).to_numpy()
        return int(mix.loc[keep, "count"].sum())

    def class_figure(cls: str, column: str, kind: str):
        m = by_claim.get(((cls,), column))
        if m is None or m.n == 0:
            return float("nan")
        return m.mean if kind == "mean" else float(medians[(cls,), column][0])

    n_claim, n_opinion = rows_where(claim_status="claim"), rows_where(claim_status="opinion")
    n_verified = rows_where(verified_status="verified")
    key = {
        "rows_total": n,
        "rows_complete": inventory.rows_complete,
        "rows_missing_claim_status": n - n_claim - n_opinion,
        "n_claim": n_claim,
        "n_opinion": n_opinion,
        "share_claim": _r(n_claim / n),
        "share_opinion": _r(n_opinion / n),
        "mean_views_claim": _r(class_figure("claim", S.VIEWS, "mean")),
        "median_views_claim": _r(class_figure("claim", S.VIEWS, "median")),
        "mean_views_opinion": _r(class_figure("opinion", S.VIEWS, "mean")),
        "median_views_opinion": _r(class_figure("opinion", S.VIEWS, "median")),
        "n_verified": n_verified,
        "share_verified": _r(n_verified / n),
        "share_banned_claim": _r(rows_where(claim_status="claim", author_ban_status="banned")
                                 / n_claim if n_claim else float("nan")),
        "share_banned_opinion": _r(rows_where(claim_status="opinion", author_ban_status="banned")
                                   / n_opinion if n_opinion else float("nan")),
        "median_text_length_claim": _r(class_figure("claim", TEXT_LENGTH, "median")),
        "median_text_length_opinion": _r(class_figure("opinion", TEXT_LENGTH, "median")),
        "duplicate_transcriptions": checks.duplicate_transcriptions,
        "alerts": [a.code for a in checks.alerts],
    }
    absent = {c: f"there are no {c} videos" for c, k in (("claim", n_claim),
                                                         ("opinion", n_opinion)) if not k}
    reasons = {}
    for cls, why in absent.items():
        reasons.update({f"{k}_{cls}": why for k in ("mean_views", "median_views", "share_banned",
                                                     "median_text_length")})
    for cls in ("claim", "opinion"):
        reasons.setdefault(f"median_text_length_{cls}", f"no {cls} video has a transcription")
    result = EdaResult(
        key_figures=key,
        undefined=undefined_reasons(key, reasons),
        sample=sample_info(stats, sample, config),
        inventory=inventory,
        class_balance=balance,
        skewness=skew,
        histograms=[_histogram(stats, c, c in log_cols, cfg.histogram_bins)
                    for c in S.COUNT_COLUMNS],
        boxes=[
            *(_boxes(stats, sample, c, S.CLAIM, c in log_cols) for c in S.ENGAGEMENT_COLUMNS),
            _boxes(stats, sample, S.VIEWS, S.BAN, True),
            _boxes(stats, sample, S.VIEWS, S.VERIFIED, True),
        ],
        text_length=_histogram(stats, TEXT_LENGTH, False, cfg.histogram_bins),
        correlations=matrices,
        strongest_correlations=_strongest(matrices),
        top_phrases=phrases,
        examples=_examples(sample, config.random_state),
        class_correlations=within,
        uniformity=checks.uniformity,
        separation=checks.separation,
        duplicate_transcriptions=checks.duplicate_transcriptions,
        duplicate_transcription_conflicts=checks.duplicate_transcription_conflicts,
        rows_with_missing_share=_r(checks.rows_with_missing_share),
        alerts=checks.alerts,
    )
    return StageOutput(result=result, tables=tables)


def _wants_log(m, skewness: float, threshold: float) -> bool:
    """Log scale when the column is skewed or spans more than three orders of magnitude."""
    positive = m.min_positive == m.min_positive
    spread = m.maximum / m.min_positive if positive else 1.0
    return bool(abs(skewness) > threshold or spread > 1e3)


def _inventory(loaded: LoadedData, stats) -> Inventory:
    per_column, patterns = stats.missing()
    distinct = stats.distinct(list(S.DATA_COLUMNS))
    n = stats.rows
    info = []
    for col in S.COLUMNS:
        missing = per_column[col.name]
        info.append(ColumnInfo(
            name=col.name, label=col.label, dtype=str(loaded.frame[col.name].dtype),
            kind=col.kind, role=col.role, missing=missing, missing_share=_r(missing / n),
            unique=distinct[col.name]))
    flags = patterns.drop(columns="count")
    missing_patterns = sorted(
        (MissingPattern(columns=[c for c in flags.columns if row[c]], rows=int(row["count"]))
         for _, row in patterns[flags.any(axis=1)].iterrows()),
        key=lambda p: (-p.rows, p.columns),
    )
    identifiers = [c for c in (loaded.row_number_column,) if c] + [S.ID]
    dup = stats.duplicates()
    return Inventory(
        rows=n,
        columns=len(S.DATA_COLUMNS),
        rows_complete=int(patterns.loc[~flags.any(axis=1), "count"].sum()),
        row_number_column=loaded.row_number_column,
        dropped_columns=list(loaded.dropped_columns),
        identifiers=identifiers,
        column_info=info,
        missing_patterns=missing_patterns,
        duplicate_rows=dup.rows,
        duplicate_ids=dup.ids,
    )


def _levels(counts: pd.DataFrame, column: str, order: tuple[str, ...], missing_label: str,
            n: int) -> list[LevelCount]:
    found = dict(zip(counts[column], counts["count"]))
    pairs = [(lvl, int(found.get(lvl, 0))) for lvl in order]
    missing = int(counts.loc[counts[column].isna(), "count"].sum())
    if missing:
        pairs.append((missing_label, missing))
    return [LevelCount(label=lvl, count=c, share=_r(c / n)) for lvl, c in pairs]


def _histogram(stats, col: str, log: bool, bins: int) -> Histogram:
    edges = bin_edges_from(stats.moments([col])[(), col], log, bins)
    per_class = stats.histogram(col, edges, by=(S.CLAIM,))
    empty = np.zeros(len(edges) - 1, dtype=int)
    return Histogram(column=col, log_scale=log, edges=[_r(e) for e in edges],
                     counts={c: [int(x) for x in per_class.get((c,), empty)]
                             for c in ("claim", "opinion")})


def _boxes(stats, sample: pd.DataFrame, col: str, by: str, log: bool) -> BoxGroup:
    order = S.LABELS.get(by, ())
    moments = stats.moments([col], by=(by,))
    quartiles = stats.quantiles([col], (0.25, 0.5, 0.75), by=(by,))
    fences = {(lv,): iqr_fences_from(*quartiles[(lv,), col][[0, 2]]) for lv in order
              if moments.get(((lv,), col)) is not None and moments[(lv,), col].n}
    tails = stats.tails(col, fences, by=(by,))
    boxes = []
    for level in order:
        if (level,) not in fences:
            continue
        lo, hi = fences[(level,)]
        values = sample.loc[sample[by] == level, col].to_numpy(float)
        values = values[~np.isnan(values)]
        box = box_stats_from(moments[(level,), col], quartiles[(level,), col], tails[(level,)],
                             (values[values < lo], values[values > hi]))
        fliers = [_r(v) for v in box.pop("fliers")]
        boxes.append(BoxStats(label=level, fliers=fliers, **{
            k: v if k in ("n", "n_fliers") else _r(v) for k, v in box.items()}))
    return BoxGroup(column=col, by=by, log_scale=log, boxes=boxes)


def _rates(stats) -> pd.DataFrame:
    import pandas as pd

    moments = stats.moments(list(RATES), by=(S.CLAIM,))
    medians = stats.quantiles(list(RATES), (0.5,), by=(S.CLAIM,))
    rows = []
    for status in ("claim", "opinion"):
        for rate in RATES:
            m = moments.get(((status,), rate))
            n = m.n if m is not None else 0
            rows.append({"claim_status": status, "rate": rate, "count": n,
                         "mean": m.mean if n else np.nan,
                         "median": float(medians[(status,), rate][0]) if n else np.nan})
    return pd.DataFrame(rows)


def _crosstab(stats, by: str) -> pd.DataFrame:
    counts = stats.counts([S.CLAIM, by])
    counts = counts[counts[S.CLAIM].notna() & counts[by].notna()]
    table = counts.pivot_table(index=S.CLAIM, columns=by, values="count", aggfunc="sum",
                               fill_value=0).reindex(columns=list(S.LABELS[by]), fill_value=0)
    table = table.reindex(sorted(table.index)).astype("int64")
    table.index.name, table.columns.name = S.CLAIM, by
    shares = table.div(table.sum(axis=1), axis=0)
    out = table.add_suffix(" (count)").join(shares.add_suffix(" (share)"))
    out.insert(0, "total", table.sum(axis=1))
    return out.reset_index()


def _matrix(method: str, cols: list[str], values: np.ndarray) -> Matrix:
    return Matrix(method=method, labels=cols,
                  values=[[_r(v) for v in row] for row in np.asarray(values)])


def _nan_matrix(cols: list[str]) -> np.ndarray:
    return np.full((len(cols), len(cols)), np.nan)


def _corr(df: pd.DataFrame, cols: list[str], method: str) -> Matrix:
    return _matrix(method, cols, df[cols].dropna().corr(method=method).to_numpy())


def _strongest(matrices: list[Matrix], k: int = 5) -> list[CorrelationPair]:
    """The *k* pairs with the largest |Pearson r|; pairs with a constant column (r not defined)
    are left out."""
    pearson, spearman = matrices
    labels = pearson.labels
    pairs = [
        CorrelationPair(a=labels[i], b=labels[j], pearson=pearson.values[i][j],
                        spearman=spearman.values[i][j])
        for i in range(len(labels)) for j in range(i + 1, len(labels))
        if pearson.values[i][j] == pearson.values[i][j]
    ]
    return sorted(pairs, key=lambda p: -abs(p.pearson))[:k]


def _phrases(stats, k: int) -> dict[str, list[tuple[str, int]]]:
    """The *k* most frequent 2-3-word phrases per class; ties in alphabetical order."""
    found = stats.phrases(S.CLAIM, k)
    return {status: list(found.get(status, [])) for status in ("claim", "opinion")}


def _examples(df: pd.DataFrame, random_state: int, k: int = 3) -> list[Example]:
    """*k* random transcriptions per class, cut at ``EXAMPLE_CHARS`` characters (one 1 MB
    transcription must not become a hundred-page report)."""
    out = []
    for status in ("claim", "opinion"):
        part = df.loc[df[S.CLAIM] == status, [S.TEXT, S.VIEWS]].dropna()
        for text, views in part.sample(min(k, len(part)), random_state=random_state).itertuples(
                index=False, name=None):
            text = str(text)
            shown = text if len(text) <= EXAMPLE_CHARS else text[:EXAMPLE_CHARS].rstrip() + " …"
            out.append(Example(claim_status=status, text=shown, views=float(views),
                               length=len(text)))
    return out


def _roles() -> pd.DataFrame:
    import pandas as pd

    rows = [{"column": c.name, "tableau_name": c.label, "role": c.role, "kind": c.kind,
             "why": c.why} for c in S.COLUMNS]
    rows.append({"column": TEXT_LENGTH, "tableau_name": S.label(TEXT_LENGTH),
                 "role": "measure", "kind": "count",
                 "why": "Derived: number of characters in the transcription."})
    return pd.DataFrame(rows)


def neutralise_formulas(s: pd.Series) -> pd.Series:
    """Prefix cells that a spreadsheet or Tableau would read as a formula with an apostrophe.

    Transcriptions are untrusted user text: ``=HYPERLINK(...)`` must stay text (OWASP CSV
    injection guidance).
    """
    from pandas.api.types import is_string_dtype

    text = s if is_string_dtype(s.dtype) and s.dtype != object else s.astype("string")
    risky = text.str.match(r"^[=+\-@\t\r]", na=False).to_numpy(dtype=bool)
    if not risky.any():  # the usual case: no copy of millions of texts
        return text
    out = text.astype("string")
    out[risky] = "'" + text[risky]
    return out


def tableau_extract(df: pd.DataFrame) -> pd.DataFrame:
    """A tidy, Tableau-ready copy: readable column names, text cells made formula-safe."""
    names = {c.name: c.label for c in S.COLUMNS}
    names[TEXT_LENGTH] = S.label(TEXT_LENGTH)
    out = df[[*S.DATA_COLUMNS, TEXT_LENGTH]]
    for col in (S.CLAIM, S.TEXT, S.VERIFIED, S.BAN):
        out[col] = neutralise_formulas(out[col])
    out[S.CLAIM] = out[S.CLAIM].fillna("missing")
    return out.rename(columns=names)


def preflight(loaded: LoadedData, config: Config) -> list[str]:
    """The EDA describes claims and opinions: it needs at least one video with a claim status.

    Everything else (one class only, constant columns, no phrases) gives a report that says what
    could not be computed.
    """
    counts = loaded.statistics().counts([S.CLAIM])
    labelled = int(counts.loc[counts[S.CLAIM].notna(), "count"].sum())
    if labelled == 0:
        return [f"no video has a claim status (all {loaded.rows:,} are missing); the EDA "
                "describes claims and opinions, so check the claim_status column"]
    return []
