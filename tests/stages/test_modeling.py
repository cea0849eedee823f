"""Modeling stage: no leakage into the vectoriser, champion rule, reloadable model, targets."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

from claimreport.config import Config
from claimreport.data.load import load_data
from claimreport.stages.modeling import choose_champion, prepare

FAST = {"modeling": {"candidates": 4, "cv_folds": 3, "permutation_repeats": 2}}


def test_vectorizer_never_sees_validation_or_test_text(demo_csv):
    data = load_data(demo_csv).frame.dropna()
    cfg = Config(**FAST)
    first = prepare(data, cfg)
    held_out = np.concatenate([first["ids"]["validation"], first["ids"]["test"]])
    tampered = data.copy()
    rows = tampered["video_id"].isin(held_out)
    # a phrase that would top the vocabulary if held-out text were used for fitting
    tampered.loc[rows, "video_transcription_text"] = (
        "zebra unicorn zebra unicorn " + tampered.loc[rows, "video_transcription_text"])
    second = prepare(tampered, cfg)
    assert np.array_equal(second["ids"]["test"], first["ids"]["test"])  # same split
    vocab = second["vectorizer"].vocabulary_
    assert not any("zebra" in phrase for phrase in vocab)
    assert vocab == first["vectorizer"].vocabulary_
    # and held-out rows are still transformed with the training vocabulary
    assert "zebra unicorn" not in second["X"]["test"].columns


def test_splits_are_60_20_20_and_disjoint(demo_csv):
    data = load_data(demo_csv).frame.dropna()
    p = prepare(data, Config())
    ids = p["ids"]
    n = len(data)
    assert len(ids["test"]) == pytest.approx(0.2 * n, abs=1)
    assert len(ids["validation"]) == pytest.approx(0.2 * n, abs=1)
    assert not set(ids["train"]) & set(ids["validation"])
    assert not set(ids["train"]) & set(ids["test"])
    assert not set(ids["validation"]) & set(ids["test"])
    shares = [p["y"][k].mean() for k in ("train", "validation", "test")]
    assert max(shares) - min(shares) < 0.01  # rigorous protocol stratifies


def score(model, recall, precision, f1):
    return SimpleNamespace(model=model, recall=recall, precision=precision, f1=f1)


@pytest.mark.parametrize("scores, winner, reason", [
    ([score("rf", .99, .90, .94), score("xgb", .995, .80, .89)], "xgb", "higher_recall"),
    ([score("rf", .99, .90, .94), score("xgb", .99, .95, .97)], "xgb", "higher_precision"),
    ([score("rf", .99, .95, .96), score("xgb", .99, .95, .97)], "xgb", "higher_f1"),
    ([score("rf", .99, .95, .97), score("xgb", .99, .95, .97)], "rf", "tie"),
    ([score("rf", .99, .95, .97)], "rf", "only_model"),
])
def test_champion_rule(scores, winner, reason):
    chosen, why = choose_champion(scores)
    assert chosen == winner and why == reason


def test_saved_model_reloads_and_reproduces_test_predictions(demo_build, demo_csv):
    import pandas as pd

    from claimreport.bundle import read_bundle, read_table
    from claimreport.modelio import load_champion

    bundle = read_bundle(demo_build / "bundle")
    result = bundle.results["modeling"]
    model = load_champion(bundle.folder())
    saved = read_table(bundle, result.tables["test_predictions"])
    frame = load_data(demo_csv).frame.set_index("video_id", drop=False).loc[saved["video_id"]]
    proba = model.predict_proba(frame.reset_index(drop=True))
    assert np.allclose(proba, saved["probability_claim"], atol=1e-9)
    assert ((proba >= 0.5).astype(int) == saved["predicted"]).all()
    assert model.features == result.features
    assert isinstance(saved, pd.DataFrame) and len(saved) == result.n_test


def test_model_file_is_not_a_pickle(demo_build):
    from claimreport.bundle import read_bundle

    result = read_bundle(demo_build / "bundle").results["modeling"]
    head = (demo_build / "bundle" / result.model_file).read_bytes()[:4]
    assert head[:1] != b"\x80"  # pickle protocol marker
    assert result.model_format in {"skops", "xgboost-json"}


@pytest.mark.realdata
def test_course_protocol_split_sizes_on_real_data(real_csv):
    data = load_data(real_csv).frame.dropna()
    p = prepare(data, Config(protocol="course"))
    sizes = tuple(len(p["y"][k]) for k in ("train", "validation", "test"))
    assert sizes == (11_450, 3_817, 3_817)


@pytest.fixture(scope="module")
def real_modeling(real_csv, tmp_path_factory):
    from claimreport.pipeline import build

    out = tmp_path_factory.mktemp("modeling")
    build(real_csv, out, ["modeling"], ["pdf"], Config())
    return out


@pytest.mark.realdata
def test_real_data_meets_the_course_targets(real_modeling, pdf_text):
    raw = json.loads((real_modeling / "bundle" / "modeling.json").read_text())
    kf = raw["key_figures"]
    assert kf["rf_val_recall"] >= 0.99
    assert kf["xgb_val_recall"] >= 0.98
    assert kf["champion_test_recall"] >= 0.99 and kf["champion_test_precision"] >= 0.99
    top = [i["feature"] for i in raw["importances"][:3]]
    assert set(top) <= {"video_view_count", "video_like_count", "video_share_count",
                        "video_download_count", "video_comment_count"}
    assert "video_view_count" in top
    first = " ".join(pdf_text(real_modeling / "reports" / "modeling.pdf", 1, 1).split())
    assert "ready to order the review queue" in first and "missed" in first
