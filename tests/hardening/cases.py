"""Degenerate datasets the loader accepts: each must give a report or a clear refusal (exit 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from claimreport.data import schema as S
from claimreport.data.demo import generate

COUNTS = list(S.ENGAGEMENT_COLUMNS)


def _base(rows: int = 900, seed: int = 3) -> pd.DataFrame:
    return generate(rows, random_state=seed)


def _labelled(d: pd.DataFrame) -> pd.Series:
    return d[S.CLAIM].notna()


def one_class_claim(d):
    return d[d[S.CLAIM].isin(["claim"]) | d[S.CLAIM].isna()]


def one_class_opinion(d):
    return d[d[S.CLAIM] == "opinion"]


def no_verified(d):
    return d.assign(**{S.VERIFIED: "not verified"})


def all_verified(d):
    return d.assign(**{S.VERIFIED: "verified"})


def three_rows(d):
    return d.head(3)


def ten_per_class(d):
    part = pd.concat([d[d[S.CLAIM] == "claim"].head(10), d[d[S.CLAIM] == "opinion"].head(10)])
    part.loc[part.index[::3], S.VERIFIED] = "verified"
    return part


def every_claim_status_missing(d):
    return d.assign(**{S.CLAIM: None})


def constant_views(d):
    d = d.copy()
    d.loc[_labelled(d), S.VIEWS] = 1000
    return d


def constant_everything(d):
    d = d.copy()
    d.loc[_labelled(d), COUNTS] = 7
    return d.assign(**{S.DURATION: 30})


def zero_views(d):
    d = d.copy()
    d.loc[_labelled(d), S.VIEWS] = 0
    return d


def largest_counts(d):
    d = d.copy()
    d.loc[_labelled(d), S.VIEWS] = S.MAX_COUNT
    return d


def no_phrases(d):
    d = d.copy()
    d.loc[_labelled(d), S.TEXT] = "hello"
    return d


def no_text(d):
    d = d.copy()
    d.loc[_labelled(d), S.TEXT] = None
    return d


def one_verified(d):
    d = d.copy()
    v = d.index[d[S.VERIFIED] == "verified"]
    d.loc[v[1:], S.VERIFIED] = "not verified"
    return d


def forty_claims(d):
    d = d.copy()
    claims = d.index[d[S.CLAIM] == "claim"]
    d.loc[claims[40:], S.CLAIM] = "opinion"
    return d


def huge_transcription(d):
    d = d.copy()
    first = d.index[d[S.CLAIM] == "claim"][0]
    d.loc[first, S.TEXT] = "word " * 200_000  # 1 MB in one cell
    return d


CASES = {f.__name__: f for f in (
    one_class_claim, one_class_opinion, no_verified, all_verified, three_rows, ten_per_class,
    every_claim_status_missing, constant_views, constant_everything, zero_views, largest_counts,
    no_phrases, no_text, one_verified, forty_claims, huge_transcription)}


def make(name: str) -> pd.DataFrame:
    frame = CASES[name](_base()).copy()
    frame[S.ROW_NUMBER] = np.arange(1, len(frame) + 1)
    return frame
