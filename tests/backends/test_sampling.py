"""Above ``sample_rows`` only the rank-based parts use a sample: every population figure of the
EDA and hypothesis stages stays exactly what it is on all rows, and the reports say which
parts were sampled."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from claimreport.config import load_config
from claimreport.data.load import load_data
from claimreport.render.narrative import executive
from claimreport.stages import eda, hypothesis, regression

RANK_BASED = {"mann_whitney_p", "rank_biserial", "levene_p"}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    from claimreport.data.demo import generate, write_csv

    path = tmp_path_factory.mktemp("sampling") / "demo.csv"
    write_csv(generate(rows=12_000, random_state=5), path)
    return load_data(path)


@pytest.fixture(scope="module")
def configs():
    return load_config(), load_config(overrides={"sample_rows": 4000})


@pytest.mark.parametrize("stage", [eda, hypothesis])
def test_population_figures_do_not_change_with_sampling(stage, loaded, configs):
    full, sampled = (stage.compute(loaded, c).result for c in configs)
    assert full.sample.rows == full.sample.population == loaded.rows
    assert 3800 < sampled.sample.rows < 4200 and sampled.sample.population == loaded.rows
    for key, value in full.key_figures.items():
        if key not in RANK_BASED:
            assert sampled.key_figures[key] == value, key
    if stage is eda:
        assert sampled.top_phrases == full.top_phrases
        assert sampled.histograms == full.histograms
        assert sampled.correlations[0] == full.correlations[0]  # Pearson: exact
        assert [(b.med, b.n_fliers, b.whishi) for g in sampled.boxes for b in g.boxes] == \
            [(b.med, b.n_fliers, b.whishi) for g in full.boxes for b in g.boxes]


def _notes(result) -> str:
    bundle = SimpleNamespace(results={result.stage: result}, changes=None)
    return " ".join(executive(bundle, result.stage).data_notes)


def test_reports_name_the_sample_only_when_there_is_one(loaded, configs):
    for stage in (eda, hypothesis, regression):
        full, sampled = (stage.compute(loaded, c).result for c in configs)
        notes = _notes(sampled)
        assert "sample of" in notes and f"{loaded.rows:,}" in notes and "seed 42" in notes
        assert "sample of" not in _notes(full)
