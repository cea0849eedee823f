"""Successive halving over a hyper-parameter grid, with the ensemble size as the resource.

The modeling stage tunes a random forest and XGBoost for recall over the course grids. Both
are ensembles and the ensemble size (``n_estimators``) is an axis of both grids. An ensemble
grown one more tree (or boosting round) at a time *contains* every smaller one: grown with
``warm_start``, a forest's first 100 trees are the 100-tree forest, and a booster's first 300
rounds are the 300-round booster (``iteration_range=(0, 300)``). So grid points that differ only
in ``n_estimators`` form a *family* served by one growing ensemble per fold, and the ensemble
size is the natural resource for successive halving (Jamieson & Talwalkar 2016; the
``resource="n_estimators"`` example of scikit-learn's ``HalvingGridSearchCV``):

1. every family is cross-validated with small ensembles;
2. the best third grow larger ensembles (on the same folds: the fits continue, nothing is
   refitted), and so on until one family is left;
3. the last family grows to the largest grid size, scoring every grid size on the way; the best
   size wins, or rather the smallest within one standard error of it (:func:`smallest_within_se`).

The rungs may use only the first ``early_folds`` of the folds: they only rank. The last family
is grown on the other folds too (to its smallest size alongside the last rung, then to the
chosen size), so the recall reported for the chosen point is cross-validated on every fold.

Rung sizes: the largest grid size for the last rung, the smallest one for the rung before, and
a third of that for each earlier rung (forest grid 75/100/200 with 18 families: 8, 25, 75, 200
trees for 18, 6, 2, 1 families; XGBoost grid 300/500 with 12 families: 33, 100, 300, 500
rounds for 12, 4, 2, 1 families). Each rung then grows about as many trees as the next.

Notes
-----
* **Why sizes, not rows.** The usual halving resource is the number of training rows. Here it
  is biased: on the course data, forests cross-validated on samples of 1,000-3,800 rows often
  rank the depth-5 families first, which on all rows are the *worst* (a small sample calls for
  more regularisation than the full data; see ``tests/stages/test_modeling_speed.py``). A
  forest's expected vote does not depend on its number of trees, only the vote's noise does,
  so small forests rank families without that bias.
* **Rows and folds.** The search cross-validates on the training rows (or a stratified sample
  of ``rows`` of them), split once into stratified, shuffled folds that every rung uses.
  The chosen point's recall is over all the folds (mean and population std, as scikit-learn
  reports): it equals ``cross_validate`` with the same folds (tested).
* **Ranking.** Mean recall of the positive class, then mean precision (the stage's order for
  choosing a champion), then the smaller ensemble (as good and cheaper to fit, store and run),
  then the mean Brier score (lower first: recall and precision count a few dozen errors and tie
  often; the Brier score says which model is surer of the same answers), then grid order. A
  family ranks by its score at the rung's size, on the rung's folds.
* **Identical families.** scikit-learn splits a node only when it holds at least ``max(
  min_samples_split, 2 * min_samples_leaf)`` rows, so forests whose splits coincide under that
  rule are grown once (:meth:`ForestLearner.family`); each of their grid points gets the scores.
* **Reproducible.** The sample, the folds and the models' own draws all come from ``seed``; the
  fits of a rung may run on threads (``executor``) without changing anything.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import partial
from typing import Protocol

import numpy as np

__all__ = ["Learner", "ForestLearner", "BoostingLearner", "Rung", "Scored", "HalvingResult",
           "sample_points", "rung_sizes", "nested_sample", "fold_scores", "booster_params",
           "halving_search", "smallest_within_se"]

SIZE = "n_estimators"  # the grid axis grown incrementally


class Grower(Protocol):
    """One family's ensemble on one fold, grown on demand."""

    def grow(self, sizes: Sequence[int]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Grow through *sizes* (ascending, larger than grown so far); at each size, the
        predicted probability of class 1 on the fold's held-out rows and the model's own
        ``predict`` (0/1)."""


class Learner(Protocol):
    """A model family: how to key, start and read a growing ensemble."""

    def family(self, params: dict) -> Hashable:
        """Grid points with the same key share one growing ensemble per fold."""

    def start(self, params: dict, X_train: np.ndarray, y_train: np.ndarray,
              X_test: np.ndarray) -> Grower:
        """An ensemble with *params* (without ``n_estimators``), nothing grown yet."""


@dataclass(frozen=True)
class ForestLearner:
    """scikit-learn's ``RandomForestClassifier`` grown with ``warm_start``.

    Notes
    -----
    A warm start draws the seeds of the trees it adds as if all had been grown at once, so the
    forest grown to 75 then 100 trees equals the 100-tree forest grown in one go. The
    probabilities at *k* trees sum the first *k* trees' in the forest's order and divide by
    *k*, as ``predict_proba`` does, so they are equal bit for bit; the class is ``predict``'s
    (the first class on a tie).
    """

    seed: int

    def family(self, params: dict) -> Hashable:
        p = {k: v for k, v in params.items() if k != SIZE}
        split, leaf = p.get("min_samples_split", 2), p.get("min_samples_leaf", 1)
        if isinstance(split, int) and isinstance(leaf, int):  # fractions are left alone
            p["min_samples_split"] = max(split, 2 * leaf)
        return tuple(sorted(p.items()))

    def start(self, params, X_train, y_train, X_test):
        return _GrowingForest(params, self.seed, X_train, y_train, X_test)


class _GrowingForest:
    def __init__(self, params, seed, X_train, y_train, X_test):
        from sklearn.ensemble import RandomForestClassifier

        self.forest = RandomForestClassifier(random_state=seed, n_jobs=1, warm_start=True,
                                             **{k: v for k, v in params.items() if k != SIZE})
        self.X_train, self.y_train = X_train, y_train
        self.X_test = np.ascontiguousarray(X_test, dtype=np.float32)  # as predict_proba has it
        self.total = np.zeros((len(X_test), 2))
        self.grown = 0

    def grow(self, sizes):
        out = []
        for size in sizes:
            self.forest.set_params(n_estimators=size).fit(self.X_train, self.y_train)
            for tree in self.forest.estimators_[self.grown:size]:
                self.total += tree.predict_proba(self.X_test, check_input=False)
            self.grown = size
            proba = self.total / size
            out.append((proba[:, 1], np.argmax(proba, axis=1)))  # predict: class 0 on a tie
        return out


@dataclass(frozen=True)
class BoostingLearner:
    """XGBoost boosted round by round and read at each size with ``iteration_range``.

    Notes
    -----
    ``Booster.update`` once per round is what ``xgboost.train`` (and so ``XGBClassifier.fit``)
    does; with :func:`booster_params` the booster is the one ``XGBClassifier`` trains (the
    tests check the probabilities are equal). A plain ``DMatrix`` is sketched into the same
    histogram bins as the ``QuantileDMatrix`` the wrapper builds, in 1 ms instead of about 30
    (3,000 rows): on a few thousand rows the wrapper's set-up costs more than the boosting.
    """

    seed: int

    def family(self, params: dict) -> Hashable:
        return tuple(sorted((k, v) for k, v in params.items() if k != SIZE))

    def start(self, params, X_train, y_train, X_test):
        return _GrowingBooster(params, self.seed, X_train, y_train, X_test)



class _GrowingBooster:
    def __init__(self, params, seed, X_train, y_train, X_test):
        import xgboost as xgb

        self.train = xgb.DMatrix(X_train, label=y_train, nthread=1)
        self.booster = xgb.Booster(booster_params(params, seed), [self.train])
        self.X_test = X_test
        self.grown = 0

    def grow(self, sizes):
        out = []
        for size in sizes:
            for i in range(self.grown, size):
                self.booster.update(self.train, i)
            self.grown = size
            proba = self.booster.inplace_predict(self.X_test, iteration_range=(0, size))
            out.append((proba, (proba > 0.5).astype(int)))  # XGBClassifier.predict
        return out


def booster_params(params: dict, seed: int) -> dict:
    """``Booster`` parameters of ``XGBClassifier(objective="binary:logistic",
    random_state=seed, n_jobs=1, **params)`` (``n_estimators``, the rounds, left out)."""
    return {"objective": "binary:logistic", "seed": seed, "nthread": 1, "tree_method": "hist",
            **{k: v for k, v in params.items() if k != SIZE}}


@dataclass(frozen=True)
class Rung:
    """One round: ``families`` ensembles grown to ``size`` on ``folds`` folds; ``scores`` at the
    rung's size (the last rung: at every grid size), best first."""

    size: int
    families: int
    fits: int  # families × folds
    folds: int
    scores: list[Scored]


@dataclass(frozen=True)
class Scored:
    """One grid point's (or, early, one family's) mean cross-validated scores at one size."""

    index: int  # position in the points searched (a family's first point, early)
    params: dict
    size: int
    recall_mean: float
    recall_std: float
    precision_mean: float
    brier_mean: float
    on_grid: bool  # ``size`` is this point's own n_estimators

    def key(self) -> tuple:
        """Sort key, best first (see the module's Notes)."""
        return (-self.recall_mean, -self.precision_mean, self.size, self.brier_mean, self.index)


@dataclass(frozen=True)
class HalvingResult:
    best: Scored  # the chosen grid point, at its own size, on every fold
    top: Scored  # the best size before the one-standard-error rule, on the early folds
    rungs: list[Rung]
    candidates: int  # grid points searched (every family is scored on the first rung)
    fits: int  # family × fold growths, one per rung (each serves every size it scores)
    rows: int  # training rows cross-validated on
    folds: int


def sample_points(grid: dict[str, list], candidates: int | None, seed: int) -> list[dict]:
    """The grid's points in scikit-learn's ``ParameterGrid`` order, or a seeded random draw of
    *candidates* of them (kept in grid order) when that is fewer."""
    from sklearn.model_selection import ParameterGrid

    points = list(ParameterGrid(grid))
    if candidates is None or candidates >= len(points):
        return points
    keep = np.random.RandomState(seed).choice(len(points), size=candidates, replace=False)
    return [points[i] for i in sorted(keep)]


def rung_sizes(grid_sizes: Sequence[int], rungs: int, factor: int) -> list[int]:
    """Ensemble size of each of *rungs* rungs: the largest grid size last, the smallest one
    before it (a *factor* smaller when the grid has one size), and *factor* times smaller for
    each earlier rung. Strictly increasing, so every rung grows its ensembles."""
    sizes = [max(grid_sizes)]
    nxt = min(grid_sizes) if min(grid_sizes) < sizes[0] else sizes[0] / factor
    while len(sizes) < rungs:
        sizes.insert(0, min(round(nxt), sizes[0] - 1))
        nxt /= factor
    if sizes[0] < 1:
        raise ValueError(f"ensemble sizes {sorted(set(grid_sizes))} leave too few trees for "
                         f"{rungs} halving rungs; add larger sizes to the grid")
    return sizes


def nested_sample(y: np.ndarray, seed: int) -> np.ndarray:
    """A row order whose every prefix is a stratified sample: the rows of each class in a
    random order, interleaved by their rank within the class."""
    rng = np.random.RandomState(seed)
    position = np.empty(len(y))
    for cls in np.unique(y):
        rows = np.flatnonzero(y == cls)
        position[rng.permutation(rows)] = (np.arange(len(rows)) + 0.5) / len(rows)
    return np.argsort(position, kind="stable")


def fold_scores(y_true: np.ndarray, predicted: np.ndarray, proba: np.ndarray
                ) -> tuple[float, float, float]:
    """Recall and precision of class 1 (0.0 when undefined, as scikit-learn's scorers) and the
    Brier score."""
    hit = int(np.sum((predicted == 1) & (y_true == 1)))
    positives, flagged = int(np.sum(y_true == 1)), int(np.sum(predicted == 1))
    return (hit / positives if positives else 0.0, hit / flagged if flagged else 0.0,
            float(np.mean((proba - y_true) ** 2)))


def halving_search(learner: Learner, points: list[dict], X, y, *, seed: int, folds: int,
                   early_folds: int | None = None, rows: int | None = None, factor: int = 3,
                   executor: Executor | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   on_last: Callable[[dict], None] | None = None) -> HalvingResult:
    """Successive halving over *points* with the ensemble size as the resource (see Notes).

    Parameters
    ----------
    learner : grows a family's ensemble (:class:`ForestLearner`, :class:`BoostingLearner`).
    points : the grid points to search (:func:`sample_points`), each with ``n_estimators``.
    X, y : the training rows (array-like) and their 0/1 labels.
    folds : cross-validation folds of the chosen grid point's reported scores.
    early_folds : folds the rungs compare on (the first ones of the same split; default all).
    rows : training rows to cross-validate on (a stratified sample; default all). Raised to
        what every fold needs to hold two of the rarer class.
    executor : runs the fits of a rung (independent of each other), e.g. a thread pool shared
        with other searches; default: one after the other, here.
    progress : called with (fits done, fits planned) after every fit.
    on_last : called with the last family's smallest grid point as soon as the family is known
        (before its last rung), e.g. to start fitting it on all rows: whatever size is chosen,
        that much of the ensemble is needed.
    """
    from sklearn.model_selection import StratifiedKFold

    X = np.ascontiguousarray(X, dtype=np.float32)
    y = np.asarray(y).astype(int)
    families: dict[Hashable, list[int]] = {}
    for i, p in enumerate(points):
        families.setdefault(learner.family(p), []).append(i)
    alive_counts = [len(families)]
    while alive_counts[-1] > 1:
        alive_counts.append(math.ceil(alive_counts[-1] / factor))
    sizes = rung_sizes([p[SIZE] for p in points], len(alive_counts), factor)
    early_folds = min(early_folds or folds, folds)
    planned = early_folds * sum(alive_counts) + folds - early_folds

    minority = min(np.mean(y), 1 - np.mean(y))
    needed = math.ceil(2 * folds / minority) if minority > 0 else len(y)
    n_rows = int(min(len(y), max(rows or len(y), needed)))
    sample = np.sort(nested_sample(y, seed)[:n_rows])
    Xs, ys = X[sample], y[sample]
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(Xs, ys))

    growers: dict[tuple[Hashable, int], Grower] = {}
    grown: dict[tuple[Hashable, int], int] = {}  # (family, fold) → ensemble size so far
    table: dict[tuple[Hashable, int, int], tuple] = {}  # (family, fold, size) → fold_scores
    grid_sizes = sorted({p[SIZE] for p in points})
    done = 0

    def fit(task):
        fam, fold, wanted = task
        if (fam, fold) not in growers:
            train, test = splits[fold]
            growers[fam, fold] = learner.start(points[families[fam][0]], Xs[train], ys[train],
                                               Xs[test])
        return growers[fam, fold].grow(wanted)

    def run(tasks, count=True, started=None):
        nonlocal done
        pending = ([executor.submit(fit, t) for t in tasks] if executor is not None
                   else [None] * len(tasks))
        if started is not None:  # after the fits are queued: they come first
            started()
        for task, future in zip(tasks, pending):
            grown_sizes = future.result() if future is not None else fit(task)
            fam, k, wanted = task
            test = splits[k][1]
            for s, (proba, predicted) in zip(wanted, grown_sizes):
                table[fam, k, s] = fold_scores(ys[test], predicted, proba)
            grown[fam, k] = wanted[-1]
            if count:
                done += 1
                if progress is not None:
                    progress(done, planned)

    def growth(fam, k, size):
        """Sizes a fold's ensemble grows through to *size*: grid sizes passed on the way are
        scored too (free)."""
        return sorted({s for s in grid_sizes if grown.get((fam, k), 0) < s <= size} | {size})

    alive, rungs = list(families), []
    for r, size in enumerate(sizes):
        last = r == len(sizes) - 1
        tasks = [(fam, k, growth(fam, k, size)) for fam in alive for k in range(early_folds)]
        started = None
        if last:  # the other folds need the last family at least at its smallest size
            first = min(families[alive[0]], key=lambda i: (points[i][SIZE], i))
            tasks += [(alive[0], k, growth(alive[0], k, points[first][SIZE]))
                      for k in range(early_folds, folds)]
            started = partial(on_last, points[first]) if on_last is not None else None
        run(tasks, started=started)
        rung_scores = [score for fam in alive
                       for s in sorted({*(grid_sizes if last else []), size}) if s <= size
                       for score in _scores_at(fam, s, families[fam], points,
                                               [table[fam, k, s] for k in range(early_folds)],
                                               on_grid_only=last)]
        rungs.append(Rung(size=size, families=len(alive), fits=len(alive) * early_folds,
                          folds=early_folds, scores=sorted(rung_scores, key=Scored.key)))
        if not last:  # the best third (by their score at the rung's size) go on
            at_size = sorted((s for s in rung_scores if s.size == size), key=Scored.key)
            ranked = list(dict.fromkeys(learner.family(s.params) for s in at_size))
            alive = ranked[:alive_counts[r + 1]]
            for key in [key for key in growers if key[0] not in alive]:
                del growers[key]  # free the dropped families' ensembles
    # the last family's sizes are compared on the early folds; the chosen one is scored on
    # every fold (the other folds, grown to the family's smallest size alongside the last
    # rung, grow on to the chosen size; one fit each)
    final, fam = rungs[-1].scores, alive[0]
    strict = min(final, key=Scored.key)
    held_out = int(sum(ys[splits[k][1]].sum() for k in range(early_folds)))
    chosen = smallest_within_se(strict, final, held_out)
    run([(fam, k, growth(fam, k, chosen.size)) for k in range(early_folds, folds)
         if grown[fam, k] < chosen.size], count=False)
    best = next(s for s in _scores_at(fam, chosen.size, families[fam], points,
                                      [table[fam, k, chosen.size] for k in range(folds)], True)
                if s.index == chosen.index)
    return HalvingResult(best=best, top=strict, rungs=rungs, candidates=len(points), fits=done,
                         rows=n_rows, folds=folds)


def _scores_at(fam, size: int, members: list[int], points: list[dict], per_fold: list[tuple],
               on_grid_only: bool) -> list[Scored]:
    """A family's mean fold scores at *size*: one entry per grid point of that size, or (early,
    off the grid) one for the family."""
    a = np.asarray(per_fold)
    means = {"recall_mean": float(a[:, 0].mean()), "recall_std": float(a[:, 0].std()),
             "precision_mean": float(a[:, 1].mean()), "brier_mean": float(a[:, 2].mean())}
    on_grid = [i for i in members if points[i][SIZE] == size]
    if on_grid:
        return [Scored(index=i, params=points[i], size=size, on_grid=True, **means)
                for i in on_grid]
    if on_grid_only:
        return []
    first = members[0]
    return [Scored(index=first, params={**points[first], SIZE: size}, size=size, on_grid=False,
                   **means)]


def smallest_within_se(top: Scored, scored: list[Scored], positives: int) -> Scored:
    """The smallest ensemble among *scored* (one family's sizes) whose mean recall is within one
    standard error of *top*'s (the one-standard-error rule, Hastie, Tibshirani & Friedman 2009,
    7.10).

    Notes
    -----
    A family's sizes differ only in how many trees (rounds) vote, and a bigger ensemble costs
    more to fit, store and run; a recall gain smaller than the estimate's own noise does not pay
    for it. The standard error is the binomial one of a recall over the *positives* held out:
    with two folds, the spread of two fold scores says little.
    """
    r = top.recall_mean
    se = math.sqrt(r * (1 - r) / positives) if positives else 0.0
    within = [s for s in scored if s.size <= top.size and s.recall_mean >= r - se]
    return min(within, key=lambda s: (s.size, s.key()))
