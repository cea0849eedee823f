"""Data the loader accepts never crashes a stage: a complete report, or exit 2 before anything is
written (issue: hardening). Expected outcomes are stated per case so a change shows up here."""

from __future__ import annotations

import re

import pytest

from claimreport.config import Config
from claimreport.data.demo import write_csv
from claimreport.errors import DataValidationError
from claimreport.pipeline import build

from .cases import CASES, make

FAST = Config(modeling={"candidates": 3, "cv_folds": 3, "permutation_repeats": 1})
STAGES = ("eda", "hypothesis", "regression", "modeling")

#: (case, stage) pairs that must be refused with a clear message (exit 2); all others render.
REFUSED = {
    ("three_rows", "hypothesis"), ("three_rows", "regression"), ("three_rows", "modeling"),
    ("ten_per_class", "regression"), ("ten_per_class", "modeling"),
    ("every_claim_status_missing", "eda"), ("every_claim_status_missing", "hypothesis"),
    ("every_claim_status_missing", "regression"), ("every_claim_status_missing", "modeling"),
    ("no_text", "hypothesis"), ("no_text", "regression"), ("no_text", "modeling"),
    ("no_verified", "hypothesis"), ("no_verified", "regression"),
    ("all_verified", "hypothesis"), ("all_verified", "regression"),
    ("one_verified", "hypothesis"), ("one_verified", "regression"),
    ("one_class_claim", "modeling"), ("one_class_opinion", "modeling"),
    ("constant_views", "hypothesis"), ("constant_everything", "hypothesis"),
    ("zero_views", "hypothesis"), ("largest_counts", "hypothesis"),
}
#: modeling is the slow stage: these cases exercise its distinct paths
MODELING_CASES = ("one_class_claim", "ten_per_class", "no_phrases", "constant_everything",
                  "forty_claims", "no_text")
UNDEFINED_WORDS = re.compile(r"\b(nan|NaN|inf|-inf|Infinity|None)\b")


def _visible_text(html: str) -> str:
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _pairs() -> list:
    return [pytest.param(case, stage, id=f"{case}-{stage}") for case in CASES for stage in STAGES
            if stage != "modeling" or case in MODELING_CASES]


@pytest.fixture(scope="module")
def case_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cases")
    paths = {}
    for name in CASES:
        paths[name] = folder / f"{name}.csv"
        write_csv(make(name), paths[name])
    return paths


@pytest.mark.parametrize(("case", "stage"), _pairs())
def test_stage_renders_or_refuses_cleanly(case, stage, case_files, tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMREPORT_WORKERS", "1")
    out = tmp_path / "out"
    data = case_files[case]
    before = data.read_bytes()
    if (case, stage) in REFUSED:
        with pytest.raises(DataValidationError) as err:
            build(data, out, [stage], ["html"], FAST)
        message = str(err.value)
        assert err.value.exit_code == 2
        assert f"{stage}: " in message and "nothing was written" in message
        assert not out.exists(), "a refused first build leaves no folder behind"
    else:
        build(data, out, [stage], ["html"], FAST)
        text = _visible_text((out / "reports" / f"{stage}.html").read_text())
        assert not UNDEFINED_WORDS.search(text), UNDEFINED_WORDS.search(text)
        assert len(text) < 400_000, "long transcriptions are cut, never printed whole"
    assert data.read_bytes() == before
