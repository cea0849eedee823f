"""Every scenario computed through every stage once per test session (no figures drawn: page 1
is a function of the results alone)."""

from __future__ import annotations

import pytest

from claimreport.config import Config

#: rows per scenario in the tests (``small`` keeps its own few hundred)
ROWS = 1500
FAST = Config(modeling={"candidates": 4, "cv_folds": 3, "permutation_repeats": 1})


def scenario_bundle(name: str, tmp_path_factory):
    """A :class:`~claimreport.bundle.Bundle` of all four stages computed on scenario *name*."""
    from claimreport.bundle import Bundle, InputInfo, Manifest, package_versions
    from claimreport.data.demo import write_csv
    from claimreport.data.load import load_data
    from claimreport.data.scenarios import SCENARIOS, generate_scenario
    from claimreport.registry import STAGE_NAMES
    from claimreport.stages import compute_stage

    scenario = SCENARIOS[name]
    rows = scenario.default_rows if name == "small" else ROWS
    path = tmp_path_factory.mktemp(name) / f"{name}.csv"
    write_csv(generate_scenario(name, rows, random_state=7), path)
    loaded = load_data(path)
    results = {s: compute_stage(s, loaded, FAST).result for s in STAGE_NAMES}
    info = InputInfo(name=path.name, sha256=loaded.sha256, rows=loaded.rows, format="csv",
                     synthetic=True)
    manifest = Manifest(schema_version=0, claimreport_version="test", created_at="", input=info,
                        config=FAST, random_state=FAST.random_state, packages=package_versions(),
                        stages={})
    return Bundle(path=str(path.parent), manifest=manifest, results=results)


@pytest.fixture(scope="session")
def scenario_bundles(tmp_path_factory):
    from claimreport.data.scenarios import SCENARIOS

    cache = {}

    def get(name: str):
        if name not in cache:
            cache[name] = scenario_bundle(name, tmp_path_factory)
        return cache[name]

    assert SCENARIOS  # the registry is not empty
    return get
