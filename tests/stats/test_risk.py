"""Model-adjusted risks pinned to statsmodels' own predictions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from claimreport.stats.risk import average_risk, observed_rate, predicted_probability


@pytest.fixture(scope="module")
def fitted():
    import statsmodels.api as sm

    rng = np.random.default_rng(5)
    n = 4000
    X = pd.DataFrame({"x": rng.normal(size=n), "opinion": rng.integers(0, 2, n).astype(float),
                      "banned": rng.integers(0, 2, n).astype(float)})
    eta = -3 + 0.4 * X.x + 1.8 * X.opinion - 0.5 * X.banned
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float)
    res = sm.Logit(y, sm.add_constant(X)).fit(disp=0)
    return X, y, res


def test_predicted_probability_matches_statsmodels(fitted):
    import statsmodels.api as sm

    X, _y, res = fitted
    ours = predicted_probability(res.params.to_numpy(), X)
    assert np.allclose(ours, res.predict(sm.add_constant(X)), atol=1e-12)


def test_marginal_standardisation_matches_statsmodels_predict(fitted):
    import statsmodels.api as sm

    X, y, res = fitted
    params = res.params.to_numpy()
    for value in (0.0, 1.0):
        ref = res.predict(sm.add_constant(X.assign(opinion=value), has_constant="add")).mean()
        assert average_risk(params, X, assign={"opinion": value}) == pytest.approx(ref, abs=1e-12)
    shifted = res.predict(sm.add_constant(X.assign(x=X.x + 2.5))).mean()
    assert average_risk(params, X, shift={"x": 2.5}) == pytest.approx(shifted, abs=1e-12)
    # an MLE logit with a constant reproduces the observed share on its own rows
    assert average_risk(params, X) == pytest.approx(y.mean(), abs=1e-6)


def test_undefined_fit_and_empty_rows():
    X = pd.DataFrame({"x": [1.0, 2.0]})
    assert np.isnan(average_risk(np.array([np.nan, 1.0]), X))
    assert np.isnan(average_risk(np.array([0.0, 1.0]), X.iloc[:0]))


def test_observed_rate():
    y = np.array([1, 0, 0, 1, 1])
    assert observed_rate(y, np.array([1, 1, 0, 0, 1], bool)) == (pytest.approx(2 / 3), 3)
    share, n = observed_rate(y, np.zeros(5, bool))
    assert np.isnan(share) and n == 0
