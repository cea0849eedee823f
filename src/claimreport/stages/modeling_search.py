"""Hyper-parameters of the claim classifiers: tune on demand, refit on schedule.

The search is the expensive part of the modeling stage. ``search="fast"`` (the default) is
successive halving over the course grids with the ensemble size as the resource
(:mod:`..stats.incremental_search`): every grid point of both models takes part, forests and
boosters grow one size into the next instead of being refitted, and the two models are searched
at the same time on a shared pool of threads (:func:`search_all`). ``search="course"`` runs the
exemplar's full ``GridSearchCV`` grids, the reference.

A scheduled build on new data does not need a search at all: the settings found last time are
stored in the bundle with the data they were tuned on (:class:`~claimreport.results.modeling.
Tuning`), and a new build refits them on the new training rows. It searches again only

* on the first build, or when the search settings changed (grids, candidates, folds, protocol,
  seed, the fast search's design): ``first_build`` / ``settings_changed``;
* when asked (``claimreport render --retune``): ``requested``;
* when the stored settings are older than ``[modeling] retune_after_days``: ``expired``;
* when the refitted champion misses the target recall on validation: ``refit_missed_target``.

Notes
-----
The fast search cross-validates with ``FAST_FOLDS`` = 2 folds on all the training rows: each
fold model trains on half of them (5,725 on the course data) and every row is held out once.
The halving compares on the first fold only (``FAST_EARLY_FOLDS``); the chosen settings are
also fitted on the second fold, and their reported recall is over both. For its cost that
ranks the settings better than more folds on fewer rows: on the course data it chose one of the
three best settings of the full 5-fold grid for each of six seeds (1-5 and 42), while 3 folds on
a third of the rows ranked the depth-5 forests (the worst on all rows) first for three of them
(small samples favour more regularised models). About 3 s of CPU for the forest and 1 s for
XGBoost, shared by two threads, against about 8 minutes for the full grids
(``benchmarks/bench_modeling.py``).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from ..results.modeling import SearchSummary, Tuning

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import Executor

    from ..config import Config

__all__ = ["GRIDS", "NAMES", "FACTOR", "FAST_FOLDS", "FAST_EARLY_FOLDS", "search", "search_all",
           "refit", "tuning_settings", "stored_tuning"]

NAMES = {"random_forest": "Random forest", "xgboost": "XGBoost"}
GRIDS = {  # the exemplar's grids
    "random_forest": {"max_depth": [5, 7, None], "max_features": [0.3, 0.6], "max_samples": [0.7],
                      "min_samples_leaf": [1, 2], "min_samples_split": [2, 3],
                      "n_estimators": [75, 100, 200]},
    "xgboost": {"max_depth": [4, 8, 12], "min_child_weight": [3, 5], "learning_rate": [0.01, 0.1],
                "n_estimators": [300, 500]},
}
FACTOR = 3  # successive halving keeps the best third of the families at each rung
FAST_FOLDS = 2  # on all the training rows (at most modeling.cv_folds)
FAST_EARLY_FOLDS = 1  # folds the halving compares on (the chosen settings are scored on all)
#: what identifies the fast search's design in the stored settings' fingerprint
FAST_DESIGN = "halving_sizes/v1"
#: seconds between two progress events of one model's search (the last one always comes)
PROGRESS_EVERY = 0.2


def estimator(kind: str, seed: int):
    if kind == "random_forest":
        from sklearn.ensemble import RandomForestClassifier

        return RandomForestClassifier(random_state=seed, n_jobs=1)
    from xgboost import XGBClassifier

    return XGBClassifier(objective="binary:logistic", random_state=seed, n_jobs=1)


def _plain(v):
    return v.item() if hasattr(v, "item") else v


def _grid(kind: str) -> dict[str, list]:
    return {k: [_plain(v) for v in vs] for k, vs in GRIDS[kind].items()}


def search(kind: str, X, y, config: Config, seed: int, executor: Executor | None = None,
           progress: Callable[[int, int], None] | None = None):
    """Tune *kind* for recall; returns the best settings refitted on all of *X* and the summary.

    *executor* (a thread pool) runs the fast search's fits; *progress* is called with (fits
    done, fits planned).
    """
    cfg = config.modeling
    if cfg.search == "course":
        from sklearn.model_selection import GridSearchCV

        runner = GridSearchCV(estimator(kind, seed), GRIDS[kind], cv=cfg.cv_folds,
                              refit="recall", scoring=["accuracy", "precision", "recall", "f1"],
                              n_jobs=cfg.usable_n_jobs)
        runner.fit(X, y)
        res, best = runner.cv_results_, runner.best_index_
        return runner.best_estimator_, SearchSummary(
            model=kind, name=NAMES[kind], method="full_grid", candidates=len(res["params"]),
            fits=len(res["params"]) * cfg.cv_folds + 1,
            best_params={k: _plain(v) for k, v in runner.best_params_.items()},
            cv_recall_mean=float(res["mean_test_recall"][best]),
            cv_recall_std=float(res["std_test_recall"][best]), grid=_grid(kind),
            cv_folds=cfg.cv_folds, cv_rows=len(y))
    from ..stats.incremental_search import (
        BoostingLearner,
        ForestLearner,
        halving_search,
        sample_points,
    )

    threads = cfg.usable_n_jobs if executor is not None else 1
    learner = ForestLearner(seed) if kind == "random_forest" else BoostingLearner(seed)
    # the forest of the last family, grown on all rows alongside its last rung (in a thread of
    # its own: the rung's fits keep the pool busy); the chosen size is one of the family's, so
    # none of its trees is wasted
    side = (ThreadPoolExecutor(1, thread_name_prefix="search-final")
            if executor is not None and kind == "random_forest" else None)
    early: dict = {}

    def on_last(point: dict) -> None:
        if side is not None:
            early["point"] = point
            early["forest"] = side.submit(_grow_forest, point, X, y, seed, threads)

    try:
        found = halving_search(learner, sample_points(GRIDS[kind], cfg.candidates, seed), X, y,
                               seed=seed, folds=min(cfg.cv_folds, FAST_FOLDS),
                               early_folds=FAST_EARLY_FOLDS, factor=FACTOR, executor=executor,
                               progress=progress, on_last=on_last)
        params = {k: _plain(v) for k, v in found.best.params.items()}
        if "forest" in early and _without_size(early["point"]) == _without_size(params):
            model = _grown_to(early["forest"].result(), params["n_estimators"], X, y)
        else:
            model = _fit(kind, params, X, y, seed, threads)
    finally:
        if side is not None:
            side.shutdown(wait=True, cancel_futures=True)
    return model, SearchSummary(
        model=kind, name=NAMES[kind], method="halving_sizes", candidates=found.candidates,
        fits=found.fits + 1, best_params=params, cv_recall_mean=found.best.recall_mean,
        cv_recall_std=found.best.recall_std, grid=_grid(kind), cv_folds=found.folds,
        cv_rows=found.rows)


def _fit(kind: str, params: dict, X, y, seed: int, threads: int = 1):
    """*kind* with *params* fitted on all of *X*. A forest grows its trees on *threads* threads
    (the same trees: their seeds are drawn before they are dealt out) and is stored with
    ``n_jobs=1``, as a search without threads would leave it."""
    model = estimator(kind, seed).set_params(**params)
    if kind != "random_forest" or threads == 1:
        return model.fit(X, y)
    return model.set_params(n_jobs=threads).fit(X, y).set_params(n_jobs=1)


def _without_size(params: dict) -> dict:
    return {k: _plain(v) for k, v in params.items() if k != "n_estimators"}


def _grow_forest(point: dict, X, y, seed: int, threads: int):
    """A warm-startable forest of *point* on all of *X*, grown on *threads* threads."""
    return (estimator("random_forest", seed)
            .set_params(**point, warm_start=True, n_jobs=threads).fit(X, y))


def _grown_to(forest, size: int, X, y):
    """*forest* (from :func:`_grow_forest`) grown on to *size* trees and stored as a forest
    fitted in one go with ``n_jobs=1`` (the same trees: a warm start draws their seeds as if
    all had been grown at once)."""
    if size > forest.n_estimators:
        forest.set_params(n_estimators=size).fit(X, y)
    return forest.set_params(warm_start=False, n_jobs=1)


def search_all(X, y, config: Config, seed: int, progress=None) -> dict:
    """Both models searched at once: ``{kind: (model, summary)}`` in :data:`NAMES` order.

    The forest's fits run on a pool of ``modeling.n_jobs`` threads (capped at the usable
    cores) and XGBoost boosts in a thread of its own, at the same time: scikit-learn builds
    trees and XGBoost boosts without holding the GIL. (In one shared queue, XGBoost's short
    fits waited behind the forest's long ones, and XGBoost ended last.) *progress* is the build's
    ``progress(event, message, **fields)``: it gets ``search_progress`` events with the fits
    done, at most every ``PROGRESS_EVERY`` seconds per model, and one with ``refitted=True``
    and the model's ``seconds`` (search and refit) when the model is done.
    """
    cfg = config.modeling
    if cfg.search == "course" or cfg.usable_n_jobs == 1:
        return {kind: _timed(kind, X, y, config, seed, None, progress) for kind in NAMES}
    pool = ThreadPoolExecutor(cfg.usable_n_jobs, thread_name_prefix="search")
    drivers = ThreadPoolExecutor(len(NAMES), thread_name_prefix="search-driver")
    try:
        futures = {kind: drivers.submit(_timed, kind, X, y, config, seed,
                                        pool if kind == "random_forest" else None, progress)
                   for kind in NAMES}
        return {kind: f.result() for kind, f in futures.items()}
    except BaseException:  # a failed search, SIGINT/SIGTERM: drop the fits not started yet
        for executor in (pool, drivers):
            executor.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        for executor in (pool, drivers):
            executor.shutdown(wait=True)


_progress_lock = threading.Lock()


def _timed(kind: str, X, y, config: Config, seed: int, executor, progress):
    """:func:`search` reporting its progress and, when done, its time."""
    t0 = time.perf_counter()
    fitted = search(kind, X, y, config, seed, executor, _reporter(kind, progress))
    if progress is not None:
        seconds = time.perf_counter() - t0
        with _progress_lock:
            progress("search_progress", f"modeling: {NAMES[kind].lower()} searched in "
                     f"{seconds:.1f} s", stage="modeling", model=kind, refitted=True,
                     seconds=round(seconds, 3), fits=fitted[1].fits)
    return fitted


def _reporter(kind: str, progress) -> Callable[[int, int], None] | None:
    """``(done, planned)`` → the build's progress event, at most every ``PROGRESS_EVERY`` s."""
    if progress is None:
        return None
    last = [0.0]

    def report(done: int, planned: int) -> None:
        now = time.monotonic()
        if done < planned and now - last[0] < PROGRESS_EVERY:
            return
        last[0] = now
        with _progress_lock:  # two searches report from two threads
            progress("search_progress", f"modeling: {NAMES[kind].lower()} {done}/{planned} fits",
                     stage="modeling", model=kind, fits_done=done, fits_planned=planned)

    return report


def refit(kind: str, tuning: Tuning, X, y, seed: int):
    """Fit *kind* with the stored settings on the training rows (no search)."""
    params = dict(tuning.params[kind])
    model = estimator(kind, seed).set_params(**params).fit(X, y)
    return model, SearchSummary(
        model=kind, name=NAMES[kind], method="stored", candidates=1, fits=1, best_params=params,
        cv_recall_mean=tuning.cv_recall[kind], cv_recall_std=tuning.cv_recall_std[kind],
        grid=_grid(kind))


def tuning_settings(config: Config, seed: int) -> str:
    """What stored settings depend on: the search itself and the split."""
    cfg = config.modeling
    payload = {"search": cfg.search, "candidates": cfg.candidates, "cv_folds": cfg.cv_folds,
               "protocol": config.protocol, "seed": seed, "grids": GRIDS,
               "max_phrases": cfg.max_phrases}
    if cfg.search == "fast":
        payload["design"] = {"name": FAST_DESIGN, "folds": FAST_FOLDS,
                             "early_folds": FAST_EARLY_FOLDS, "factor": FACTOR}
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def stored_tuning(previous, config: Config, seed: int, retune: bool,
                  now: str | None = None) -> tuple[Tuning | None, str]:
    """The stored settings to refit, or None and the reason to search instead."""
    tuning = getattr(previous, "tuning", None) if previous is not None else None
    if retune:
        return None, "requested"
    if tuning is None:
        return None, "first_build"
    if tuning.settings != tuning_settings(config, seed) or set(tuning.params) != set(NAMES):
        return None, "settings_changed"
    age = (date.fromisoformat(now or today()) - date.fromisoformat(tuning.tuned_at)).days
    if age > config.modeling.retune_after_days:
        return None, "expired"
    return tuning, "stored"


def new_tuning(searches: list[SearchSummary], config: Config, seed: int, data_name: str,
               data_sha256: str, reason: str) -> Tuning:
    """The settings a search found, to store for the next builds."""
    return Tuning(tuned_at=today(), data_name=data_name, data_sha256=data_sha256,
                  settings=tuning_settings(config, seed),
                  params={s.model: dict(s.best_params) for s in searches},
                  cv_recall={s.model: s.cv_recall_mean for s in searches},
                  cv_recall_std={s.model: s.cv_recall_std for s in searches},
                  source="searched", reason=reason)
