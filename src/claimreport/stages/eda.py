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
from ..stats.binning import bin_edges, counts
from ..stats.describe import box_stats, describe
from ..stats.phrases import count_ngrams
from . import StageOutput

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..config import Config
    from ..data.load import LoadedData

__all__ = ["compute", "tableau_extract", "neutralise_formulas"]

TEXT_LENGTH = S.TEXT_LENGTH
GROUPINGS = (S.CLAIM, S.VERIFIED, S.BAN)
EXAMPLE_CHARS = 300  # characters of an example transcription shown in the report
RATES = {"likes_per_view": S.LIKES, "comments_per_view": S.COMMENTS,
         "shares_per_view": S.SHARES, "downloads_per_view": S.DOWNLOADS}


def compute(loaded: LoadedData, config: Config, context=None) -> StageOutput:
    """Compute the EDA result and its tables from validated data."""
    import pandas as pd

    df = loaded.frame
    cfg = config.eda
    df = df.assign(**{TEXT_LENGTH: df[S.TEXT].str.len().astype(float)})
    measures = [*S.COUNT_COLUMNS, TEXT_LENGTH]
    labels = {name: S.label(name) for name in (*S.DATA_COLUMNS, TEXT_LENGTH)}

    inventory = _inventory(loaded, df)
    balance = _levels(df[S.CLAIM], ("claim", "opinion"), missing_label="missing")
    overall = describe(df, measures)
    skew = dict(zip(overall["column"], overall["skewness"].round(6)))
    log_cols = {c for c in S.COUNT_COLUMNS if _wants_log(df[c], skew[c], cfg.skew_threshold)}

    tables: dict[str, tuple[str, str, pd.DataFrame]] = {
        "columns": ("Columns", "Each column, its type, role and missing values.",
                    pd.DataFrame([c.model_dump() for c in inventory.column_info])),
        "summary_overall": ("Summary statistics, all rows", "Missing values left out per column.",
                            overall),
    }
    for by in GROUPINGS:
        tables[f"summary_by_{by}"] = (f"Summary statistics by {labels[by].lower()}", "",
                                      describe(df, measures, by=by, order=S.LABELS[by]))
    tables["engagement_rates"] = ("Engagement per view by claim status",
                                  "Mean and median of each video's ratio.", _rates(df))
    for by in (S.BAN, S.VERIFIED):
        tables[f"crosstab_{by}"] = (f"Claim status by {labels[by].lower()}",
                                    "Counts and share of each claim-status row.", _crosstab(df, by))
    matrices = [_corr(df, measures, m) for m in ("pearson", "spearman")]
    for m in matrices:
        tables[f"correlation_{m.method}"] = (f"{m.method.title()} correlations", "Complete rows.",
                                             pd.DataFrame(m.values, index=m.labels, columns=m.labels)
                                             .reset_index(names="column"))
    within = [ClassMatrix(claim_status=c, **_corr(df[df[S.CLAIM] == c], measures, m).model_dump())
              for m in ("pearson", "spearman") for c in ("claim", "opinion")]
    for m in within:
        tables[f"correlation_{m.method}_{m.claim_status}"] = (
            f"{m.method.title()} correlations within {m.claim_status} videos",
            f"Complete rows of {m.claim_status} videos.",
            pd.DataFrame(m.values, index=m.labels, columns=m.labels).reset_index(names="column"))
    checks = data_checks(df, measures, {S.VERIFIED: S.LABELS[S.VERIFIED], S.BAN: S.LABELS[S.BAN]},
                         S.CLAIM, S.TEXT)
    tables["uniformity"] = ("Near-uniform check per class",
                            "Kolmogorov-Smirnov distance to the uniform on each class's own "
                            "[min, max], and the share of values in its outer bands.",
                            pd.DataFrame([u.model_dump() for u in checks.uniformity]))
    tables["separation"] = ("Best single-column rule for telling claims from opinions", "",
                            pd.DataFrame([x.model_dump() for x in checks.separation]))
    phrases = _top_phrases(df, cfg.top_phrases)
    tables["top_phrases"] = ("Most frequent phrases by claim status", "",
                             pd.DataFrame([{"claim_status": c, "rank": i + 1, **p.model_dump()}
                                           for c, ps in phrases.items() for i, p in enumerate(ps)],
                                          columns=["claim_status", "rank", "phrase", "count"]))
    tables["measures_dimensions"] = ("Tableau measures and dimensions", "", _roles())
    tables["tableau_extract"] = ("Tableau-ready extract",
                                 "Clean column names; formula-like cells neutralised.",
                                 tableau_extract(df))

    claims, opinions = (df.loc[df[S.CLAIM] == c, S.VIEWS] for c in ("claim", "opinion"))
    n = len(df)
    key = {
        "rows_total": n,
        "rows_complete": inventory.rows_complete,
        "rows_missing_claim_status": int(df[S.CLAIM].isna().sum()),
        "n_claim": int(claims.size),
        "n_opinion": int(opinions.size),
        "share_claim": _r(claims.size / n),
        "share_opinion": _r(opinions.size / n),
        "mean_views_claim": _r(claims.mean()),
        "median_views_claim": _r(claims.median()),
        "mean_views_opinion": _r(opinions.mean()),
        "median_views_opinion": _r(opinions.median()),
        "n_verified": int((df[S.VERIFIED] == "verified").sum()),
        "share_verified": _r((df[S.VERIFIED] == "verified").mean()),
        "share_banned_claim": _r((df.loc[df[S.CLAIM] == "claim", S.BAN] == "banned").mean()),
        "share_banned_opinion": _r((df.loc[df[S.CLAIM] == "opinion", S.BAN] == "banned").mean()),
        "median_text_length_claim": _r(df.loc[df[S.CLAIM] == "claim", TEXT_LENGTH].median()),
        "median_text_length_opinion": _r(df.loc[df[S.CLAIM] == "opinion", TEXT_LENGTH].median()),
        "duplicate_transcriptions": checks.duplicate_transcriptions,
        "alerts": [a.code for a in checks.alerts],
    }
    absent = {c: f"there are no {c} videos" for c in ("claim", "opinion")
              if not (df[S.CLAIM] == c).any()}
    reasons = {}
    for cls, why in absent.items():
        reasons.update({f"{k}_{cls}": why for k in ("mean_views", "median_views", "share_banned",
                                                     "median_text_length")})
    for cls in ("claim", "opinion"):
        reasons.setdefault(f"median_text_length_{cls}", f"no {cls} video has a transcription")
    result = EdaResult(
        key_figures=key,
        undefined=undefined_reasons(key, reasons),
        inventory=inventory,
        class_balance=balance,
        skewness=skew,
        histograms=[_histogram(df, c, c in log_cols, cfg.histogram_bins)
                    for c in S.COUNT_COLUMNS],
        boxes=[
            *(_boxes(df, c, S.CLAIM, c in log_cols) for c in S.ENGAGEMENT_COLUMNS),
            _boxes(df, S.VIEWS, S.BAN, True),
            _boxes(df, S.VIEWS, S.VERIFIED, True),
        ],
        text_length=_histogram(df, TEXT_LENGTH, False, cfg.histogram_bins),
        correlations=matrices,
        strongest_correlations=_strongest(matrices),
        top_phrases=phrases,
        examples=_examples(df, config.random_state),
        class_correlations=within,
        uniformity=checks.uniformity,
        separation=checks.separation,
        duplicate_transcriptions=checks.duplicate_transcriptions,
        duplicate_transcription_conflicts=checks.duplicate_transcription_conflicts,
        rows_with_missing_share=_r(checks.rows_with_missing_share),
        alerts=checks.alerts,
    )
    return StageOutput(result=result, tables=tables)


def _wants_log(s: pd.Series, skewness: float, threshold: float) -> bool:
    s = s.dropna()
    positive = s[s > 0]
    spread = positive.max() / positive.min() if len(positive) else 1.0
    return bool(abs(skewness) > threshold or spread > 1e3)


def _inventory(loaded: LoadedData, df: pd.DataFrame) -> Inventory:
    frame = loaded.frame
    info = []
    for col in S.COLUMNS:
        s = frame[col.name]
        info.append(ColumnInfo(
            name=col.name, label=col.label, dtype=str(s.dtype), kind=col.kind, role=col.role,
            missing=int(s.isna().sum()), missing_share=_r(s.isna().mean()), unique=int(s.nunique()),
        ))
    mask = frame.isna()
    patterns = (mask[mask.any(axis=1)].value_counts().sort_index())
    missing_patterns = sorted(
        (MissingPattern(columns=[c for c, m in zip(mask.columns, key) if m], rows=int(count))
         for key, count in patterns.items()),
        key=lambda p: (-p.rows, p.columns),
    )
    identifiers = [c for c in (loaded.row_number_column,) if c] + [S.ID]
    return Inventory(
        rows=len(frame),
        columns=frame.shape[1],
        rows_complete=int((~mask.any(axis=1)).sum()),
        row_number_column=loaded.row_number_column,
        dropped_columns=list(loaded.dropped_columns),
        identifiers=identifiers,
        column_info=info,
        missing_patterns=missing_patterns,
        duplicate_rows=int(frame.duplicated().sum()),
        duplicate_ids=int(frame[S.ID].duplicated().sum()),
    )


def _levels(s: pd.Series, order: tuple[str, ...], missing_label: str) -> list[LevelCount]:
    n = len(s)
    counts = [(lvl, int((s == lvl).sum())) for lvl in order]
    if s.isna().any():
        counts.append((missing_label, int(s.isna().sum())))
    return [LevelCount(label=lvl, count=c, share=_r(c / n)) for lvl, c in counts]


def _histogram(df: pd.DataFrame, col: str, log: bool, bins: int) -> Histogram:
    edges = bin_edges(df[col].dropna().to_numpy(float), log, bins)
    per_class = {c: counts(df.loc[df[S.CLAIM] == c, col].to_numpy(float), edges)
                 for c in ("claim", "opinion")}
    return Histogram(column=col, log_scale=log, edges=[_r(e) for e in edges],
                     counts=per_class)


def _boxes(df: pd.DataFrame, col: str, by: str, log: bool) -> BoxGroup:
    order = S.LABELS.get(by, ())
    boxes = []
    for level in order:
        values = df.loc[df[by] == level, col].to_numpy(float)
        if np.isfinite(values).any():
            stats = box_stats(values)
            fliers = [_r(v) for v in stats.pop("fliers")]
            boxes.append(BoxStats(label=level, fliers=fliers, **{
                k: v if k in ("n", "n_fliers") else _r(v) for k, v in stats.items()}))
    return BoxGroup(column=col, by=by, log_scale=log, boxes=boxes)


def _rates(df: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    views = df[S.VIEWS].where(df[S.VIEWS] > 0)
    rows = []
    for status in ("claim", "opinion"):
        part = df[S.CLAIM] == status
        for rate, col in RATES.items():
            ratio = (df.loc[part, col] / views[part]).dropna()
            rows.append({"claim_status": status, "rate": rate, "count": int(ratio.size),
                         "mean": ratio.mean(), "median": ratio.median()})
    return pd.DataFrame(rows)


def _crosstab(df: pd.DataFrame, by: str) -> pd.DataFrame:
    import pandas as pd

    sub = df.dropna(subset=[S.CLAIM])
    counts = pd.crosstab(sub[S.CLAIM], sub[by]).reindex(columns=list(S.LABELS[by]), fill_value=0)
    shares = counts.div(counts.sum(axis=1), axis=0)
    out = counts.add_suffix(" (count)").join(shares.add_suffix(" (share)"))
    out.insert(0, "total", counts.sum(axis=1))
    return out.reset_index()


def _corr(df: pd.DataFrame, cols: list[str], method: str) -> Matrix:
    values = df[cols].dropna().corr(method=method)
    return Matrix(method=method, labels=cols,
                  values=[[_r(v) for v in row] for row in values.to_numpy()])


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


def _top_phrases(df: pd.DataFrame, k: int) -> dict[str, list[Phrase]]:
    """The *k* most frequent 2-3-word phrases per class; ties in alphabetical order."""
    out = {}
    for status in ("claim", "opinion"):
        counts = count_ngrams(df.loc[df[S.CLAIM] == status, S.TEXT].dropna())
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        out[status] = [Phrase(phrase=p, count=c) for p, c in top]
    return out


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
    text = s.astype("string")
    risky = text.str.match(r"^[=+\-@\t\r]", na=False)
    return text.where(~risky, "'" + text)


def tableau_extract(df: pd.DataFrame) -> pd.DataFrame:
    """A tidy, Tableau-ready copy: readable column names, text cells made formula-safe."""
    names = {c.name: c.label for c in S.COLUMNS}
    names[TEXT_LENGTH] = S.label(TEXT_LENGTH)
    out = df[[*S.DATA_COLUMNS, TEXT_LENGTH]].copy()
    for col in (S.CLAIM, S.TEXT, S.VERIFIED, S.BAN):
        out[col] = neutralise_formulas(out[col])
    out[S.CLAIM] = out[S.CLAIM].fillna("missing")
    return out.rename(columns=names)


def preflight(loaded: LoadedData, config: Config) -> list[str]:
    """The EDA describes claims and opinions: it needs at least one video with a claim status.

    Everything else (one class only, constant columns, no phrases) gives a report that says what
    could not be computed.
    """
    labelled = int(loaded.frame[S.CLAIM].notna().sum())
    if labelled == 0:
        return [f"no video has a claim status (all {loaded.rows:,} are missing); the EDA "
                "describes claims and opinions, so check the claim_status column"]
    return []
