"""Saving and loading the champion model in safe, versioned formats (never a bare pickle).

XGBoost models are stored in XGBoost's own JSON format (data, no code). Random forests are
stored with skops, and loaded only if every type the file names is on :data:`ALLOWED_SKOPS_TYPES`.
Next to the model, ``features.json`` holds the exact feature list, the vectoriser's vocabulary,
the package versions and ``model_types``: the types :func:`serialise` found in the skops file
it wrote (empty for XGBoost), so predictions can be reproduced from a bundle alone.

Notes
-----
A skops file is a zip archive whose ``schema.json`` names, for every object, a module, a class
and a loader; loading imports that name and calls it. skops trusts many types by default and
``skops.io.get_untrusted_types`` reports only the rest, so trusting its answer by prefix
(``"builtins."``, ``"numpy."``, ``"sklearn."``) lets a crafted file call ``builtins.exec``,
``numpy.testing`` helpers or scikit-learn's test utilities. Here nothing is trusted by prefix:

* ``schema.json`` is read as plain JSON (nothing imported) and every node's type and loader is
  checked against :data:`ALLOWED_SKOPS_TYPES`, the exact ``(type, loader)`` pairs a fitted
  champion contains, *and* against the ``model_types`` stored beside it. The constant is the
  real gate: the stored list could have been edited together with the model.
* Only the current skops protocol is accepted: old protocols read function names from other
  fields of the file.
* The same bytes that were checked are handed to ``skops.io.loads``, which audits them again.
* scikit-learn indexes tree nodes without bounds checks, so a file made only of allowed types
  can still crash the process at prediction time; each tree's structure is checked after
  loading (children after their parent and inside the tree, features inside the design).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from pydantic import Field, ValidationError

from .errors import BundleError
from .results.base import Frozen
from .safepath import inside

__all__ = ["FEATURES_FORMAT", "ALLOWED_SKOPS_TYPES", "SKOPS_PROTOCOL", "SavedModel", "FeatureSpec",
           "serialise", "skops_types", "feature_spec", "LoadedModel", "load_champion"]

#: Version of ``features.json``; 2 added ``model_types``.
FEATURES_FORMAT = 2
#: The skops protocol this module reads and writes (``skops.io._protocol.PROTOCOL`` of skops 0.16).
SKOPS_PROTOCOL = 2
#: Every type a saved random-forest champion contains, with the skops loaders that build it.
#: Derived by serialising fitted champions (``RandomForestClassifier`` over the design matrix,
#: corners of ``modeling.GRIDS``, both split protocols) and listing every node of their
#: ``schema.json``; ``skops.io.get_untrusted_types`` alone reports only ``Tree``, because skops
#: trusts the rest by default. Add a type only after checking that importing and calling it
#: cannot run code or touch files.
ALLOWED_SKOPS_TYPES: Mapping[str, frozenset[str]] = MappingProxyType({
    "builtins.dict": frozenset({"DictNode"}),
    "builtins.list": frozenset({"ListNode"}),
    "builtins.str": frozenset({"JsonNode", "TypeNode"}),  # JSON values; dict key types
    "builtins.tuple": frozenset({"TupleNode"}),
    "numpy.int64": frozenset({"NdArrayNode"}),
    "numpy.ndarray": frozenset({"NdArrayNode"}),  # .npy without pickles, or a list of str
    "sklearn.ensemble._forest.RandomForestClassifier": frozenset({"ObjectNode"}),
    "sklearn.tree._classes.DecisionTreeClassifier": frozenset({"ObjectNode"}),
    "sklearn.tree._tree.Tree": frozenset({"TreeNode"}),
})
_MAX_SCHEMA_BYTES = 64 * 2**20  # a 200-tree forest's schema.json is about 3 MB
_REBUILD = "the bundle was altered or written by another claimreport; re-render it with " \
           "`claimreport render --force`"


class SavedModel(NamedTuple):
    """A serialised champion: file name, format, bytes and the types the file contains."""

    file_name: str
    format: str
    data: bytes
    types: list[str]


class VectorizerSpec(Frozen):
    ngram_range: tuple[int, int]
    stop_words: str | None
    max_features: int | None
    vocabulary: dict[str, int]


class FeatureSpec(Frozen):
    """``features.json``: what is needed to rebuild the design matrix and check the model."""

    format_version: int
    positive_class: str
    threshold: float = Field(ge=0, le=1)
    features: list[str]
    vectorizer: VectorizerSpec
    versions: dict[str, str]
    model_types: list[str]


def serialise(model, kind: str) -> SavedModel:
    """*model* of *kind* ``"xgboost"`` or ``"random_forest"`` in its safe format.

    A skops file containing a type that :data:`ALLOWED_SKOPS_TYPES` does not list raises
    ``TypeError`` here, at build time, rather than writing a bundle that cannot be loaded.
    """
    if kind == "xgboost":
        raw = model.get_booster().save_raw(raw_format="json")
        return SavedModel("champion.xgb.json", "xgboost-json", bytes(raw), [])
    import skops.io as sio

    data = sio.dumps(model)
    pairs = skops_types(data, "the champion")
    unknown = _refused(pairs, stored=None)
    if unknown:
        raise TypeError(f"the {kind} champion contains types modelio.ALLOWED_SKOPS_TYPES does "
                        f"not list: {', '.join(unknown)}; check that they cannot run code, then "
                        "add them")
    return SavedModel("champion.skops", "skops", data, sorted({t for t, _ in pairs}))


def skops_types(data: bytes, where: str) -> set[tuple[str, str]]:
    """``(type, loader)`` of every node of the skops file *data*, read as JSON: nothing imported.

    Raises :class:`BundleError` naming *where* if *data* is not a skops file of
    :data:`SKOPS_PROTOCOL`.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = archive.getinfo("schema.json").file_size
            text = archive.read("schema.json") if size <= _MAX_SCHEMA_BYTES else b""
        schema = json.loads(text) if text else None
    except Exception as exc:  # zipfile, zlib and json each raise their own kinds
        raise BundleError(f"{where}: not a skops file ({type(exc).__name__}: {exc}); "
                          f"{_REBUILD}") from None
    if size > _MAX_SCHEMA_BYTES:
        raise BundleError(f"{where}: schema.json is {size:,} bytes, more than a champion's "
                          f"{_MAX_SCHEMA_BYTES:,}; {_REBUILD}")
    protocol = schema.get("protocol") if isinstance(schema, dict) else None
    if type(protocol) is not int or protocol != SKOPS_PROTOCOL:
        raise BundleError(f"{where}: skops protocol {protocol!r}, this claimreport reads only "
                          f"protocol {SKOPS_PROTOCOL}; {_REBUILD}")
    found: set[tuple[str, str]] = set()
    stack: list[Any] = [schema]
    while stack:  # iterative: a deeply nested file must not exhaust the call stack
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        stack.extend(node.values())
        names = [node.get(k) for k in ("__module__", "__class__", "__loader__")]
        if any(k in node for k in ("__module__", "__class__", "__loader__")):
            module, name, loader = names
            # plain dotted identifiers only, so ("sklearn.tree", "_tree.Tree") cannot pass for
            # ("sklearn.tree._tree", "Tree") in the joined name
            if not (all(isinstance(n, str) for n in names) and name.isidentifier()
                    and loader.isidentifier()
                    and all(part.isidentifier() for part in module.split("."))):
                raise BundleError(f"{where}: malformed skops node {str(node)[:120]}; {_REBUILD}")
            found.add((f"{module}.{name}", loader))
    return found


def _refused(pairs: set[tuple[str, str]], stored: list[str] | None) -> list[str]:
    """The entries of *pairs* not on the allow-list (or, if given, not in *stored*), in words."""
    out = set()
    for type_name, loader in pairs:
        allowed = ALLOWED_SKOPS_TYPES.get(type_name)
        if allowed is None or (stored is not None and type_name not in stored):
            out.add(type_name)
        elif loader not in allowed:
            out.add(f"{type_name} (built by {loader})")
    return sorted(out)


def feature_spec(features: list[str], vectorizer, versions: dict[str, str],
                 positive: str = "claim", threshold: float = 0.5,
                 model_types: list[str] | None = None) -> bytes:
    """``features.json`` for a champion; *model_types* comes from :func:`serialise`."""
    spec = FeatureSpec(
        format_version=FEATURES_FORMAT, positive_class=positive, threshold=threshold,
        features=features,
        vectorizer=VectorizerSpec(
            ngram_range=tuple(vectorizer.ngram_range), stop_words=vectorizer.stop_words,
            max_features=vectorizer.max_features,
            vocabulary={k: int(v) for k, v in sorted(vectorizer.vocabulary_.items())}),
        versions=versions, model_types=sorted(model_types or []))
    return (spec.model_dump_json(indent=2) + "\n").encode()


@dataclass(frozen=True)
class LoadedModel:
    model: Any
    features: list[str]
    vocabulary: dict[str, int]
    threshold: float

    def design(self, frame):
        """Design matrix of canonical rows *frame*, in the saved feature order."""
        from .features import design_matrix, new_vectorizer

        vec = new_vectorizer(vocabulary=self.vocabulary)
        X = design_matrix(frame, vec)
        return X[self.features]

    def predict_proba(self, frame):
        """Probability of the positive class (``"claim"``) for canonical rows *frame*."""
        return self.model.predict_proba(self.design(frame))[:, 1]


def load_champion(bundle_dir: Path) -> LoadedModel:
    """Load the champion stored in the bundle folder *bundle_dir*.

    ``modeling.json`` names the model file, its format and the feature file; both files must lie
    inside the bundle. Raises :class:`BundleError` (exit status 3) for anything that is not
    exactly what :func:`serialise` writes; see the module notes for the checks.
    """
    from .bundle import read_bundle

    bundle_dir = Path(bundle_dir)
    result = read_bundle(bundle_dir, ["modeling"]).results["modeling"]
    spec_path = inside(bundle_dir, result.feature_file, "feature file")
    model_path = inside(bundle_dir, result.model_file, "model file")
    spec = _read_spec(spec_path)
    try:
        data = model_path.read_bytes()
    except OSError as exc:
        raise BundleError(f"{model_path}: model file unreadable ({exc})") from None
    if result.model_format == "skops":
        model = _load_skops(model_path, data, spec)
    elif result.model_format == "xgboost-json":
        model = _load_xgboost(model_path, data, spec)
    else:
        raise BundleError(f"{bundle_dir / 'modeling.json'}: unknown model format "
                          f"{result.model_format!r} (expected skops or xgboost-json); {_REBUILD}")
    return LoadedModel(model, spec.features, spec.vectorizer.vocabulary, spec.threshold)


def _read_spec(path: Path) -> FeatureSpec:
    try:
        raw = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError) as exc:
        raise BundleError(f"{path}: feature file unreadable ({exc}); {_REBUILD}") from None
    version = raw.get("format_version") if isinstance(raw, dict) else None
    if version != FEATURES_FORMAT:
        raise BundleError(f"{path}: feature-file version {version!r}, this claimreport reads "
                          f"version {FEATURES_FORMAT}; re-render with `claimreport render --force`")
    try:
        return FeatureSpec.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise BundleError(f"{path}: invalid feature file ({exc.error_count()} problems, first: "
                          f"{first['loc']} {first['msg']}); {_REBUILD}") from None


def _load_skops(path: Path, data: bytes, spec: FeatureSpec):
    not_allowed = sorted(t for t in spec.model_types if t not in ALLOWED_SKOPS_TYPES)
    if not_allowed:
        raise BundleError(f"{path}: refusing to load the model: features.json lists types "
                          f"this claimreport never loads ({', '.join(not_allowed)}); {_REBUILD}")
    pairs = skops_types(data, str(path))
    refused = _refused(pairs, stored=spec.model_types)
    if refused:
        raise BundleError(f"{path}: refusing to load the model: it names types that are not "
                          f"allowed ({', '.join(refused)}); {_REBUILD}")
    import skops.io as sio

    try:  # the bytes that were checked, not the file again
        model = sio.loads(data, trusted=sorted({t for t, _ in pairs}))
    except Exception as exc:  # any failure of a checked file means a broken bundle
        raise BundleError(f"{path}: skops could not load the model ({type(exc).__name__}: "
                          f"{exc}); {_REBUILD}") from None
    _check_forest(model, spec.features, path)
    return model


def _check_forest(model, features: list[str], path: Path) -> None:
    """Refuse a forest whose trees would make scikit-learn read outside its arrays."""
    import numpy as np
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.tree import DecisionTreeClassifier
    from sklearn.tree._tree import Tree

    n = len(features)

    def bad(why: str):
        return BundleError(f"{path}: the model is not a valid random forest ({why}); {_REBUILD}")

    if type(model) is not RandomForestClassifier:
        raise bad(f"it is a {type(model).__name__}")
    names = getattr(model, "feature_names_in_", None)
    if names is None or [str(x) for x in names] != list(features):
        raise bad("its feature names differ from features.json")
    trees = getattr(model, "estimators_", None)
    if not isinstance(trees, list) or not trees:
        raise bad("it has no fitted trees")
    for i, est in enumerate(trees):
        tree = getattr(est, "tree_", None)
        if type(est) is not DecisionTreeClassifier or type(tree) is not Tree:
            raise bad(f"tree {i} is a {type(est).__name__}")
        if getattr(est, "n_features_in_", None) != n or tree.n_features != n or tree.n_outputs != 1:
            raise bad(f"tree {i} expects {tree.n_features} features, not {n}")
        left, right, feature = tree.children_left, tree.children_right, tree.feature
        node = np.arange(tree.node_count)
        leaf = left == -1
        split = ~leaf
        ok = (tree.node_count > 0 and bool(np.all(right[leaf] == -1))
              and bool(np.all((left[split] > node[split]) & (left[split] < tree.node_count)))
              and bool(np.all((right[split] > node[split]) & (right[split] < tree.node_count)))
              and bool(np.all((feature[split] >= 0) & (feature[split] < n))))
        if not ok:
            raise bad(f"tree {i} has node or feature indices out of range")


def _load_xgboost(path: Path, data: bytes, spec: FeatureSpec):
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        raise BundleError(f"{path}: the model format is xgboost-json but the file is not JSON; "
                          f"{_REBUILD}") from None
    learner = doc.get("learner") if isinstance(doc, dict) else None
    if not isinstance(learner, dict) or not isinstance(doc.get("version"), list):
        raise BundleError(f"{path}: the model format is xgboost-json but the file is not an "
                          f"XGBoost model; {_REBUILD}")
    objective, booster = (part.get("name") if isinstance(part := learner.get(key), dict) else None
                          for key in ("objective", "gradient_booster"))
    if (objective, booster) != ("binary:logistic", "gbtree"):
        raise BundleError(f"{path}: an XGBoost {booster!r} model with objective {objective!r}, "
                          f"expected a 'gbtree' with 'binary:logistic'; {_REBUILD}")
    if learner.get("feature_names") != spec.features or spec.model_types:
        raise BundleError(f"{path}: the model does not match features.json; {_REBUILD}")
    from xgboost import XGBClassifier

    model = XGBClassifier()
    try:
        model.load_model(bytearray(data))
    except Exception as exc:  # XGBoostError, or whatever its C++ parser reports
        raise BundleError(f"{path}: XGBoost could not load the model ({exc}); {_REBUILD}") from None
    return model
