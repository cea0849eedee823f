"""Saving and loading the champion model in safe, versioned formats (never a bare pickle).

XGBoost models are stored in XGBoost's own JSON format; scikit-learn models with skops, whose
loader refuses any type that is not explicitly trusted. Next to the model,
``features.json`` holds the exact feature list, the vectoriser's vocabulary and the package
versions, so predictions can be reproduced from a bundle alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BundleError

__all__ = ["FEATURES_FORMAT", "serialise", "feature_spec", "LoadedModel", "load_champion"]

FEATURES_FORMAT = 1
_TRUSTED_PREFIXES = ("sklearn.", "numpy.", "builtins.")


def serialise(model, kind: str) -> tuple[str, str, bytes]:
    """``(file name, format, bytes)`` for *model* of *kind* ``"xgboost"`` or ``"random_forest"``."""
    if kind == "xgboost":
        raw = model.get_booster().save_raw(raw_format="json")
        return "champion.xgb.json", "xgboost-json", bytes(raw)
    import skops.io as sio

    return "champion.skops", "skops", sio.dumps(model)


def feature_spec(features: list[str], vectorizer, versions: dict[str, str],
                 positive: str = "claim", threshold: float = 0.5) -> bytes:
    spec = {
        "format_version": FEATURES_FORMAT,
        "positive_class": positive,
        "threshold": threshold,
        "features": features,
        "vectorizer": {"ngram_range": list(vectorizer.ngram_range),
                       "stop_words": vectorizer.stop_words,
                       "max_features": vectorizer.max_features,
                       "vocabulary": {k: int(v) for k, v in sorted(vectorizer.vocabulary_.items())}},
        "versions": versions,
    }
    return (json.dumps(spec, indent=2) + "\n").encode()


@dataclass
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
        return self.model.predict_proba(self.design(frame))[:, 1]


def load_champion(bundle_dir: Path, model_file: str, model_format: str,
                  feature_file: str) -> LoadedModel:
    """Load the champion saved in a bundle; skops types outside scikit-learn/numpy are refused."""
    bundle_dir = Path(bundle_dir)
    try:
        spec = json.loads((bundle_dir / feature_file).read_text())
        data = (bundle_dir / model_file).read_bytes()
    except (OSError, json.JSONDecodeError) as exc:
        raise BundleError(f"{bundle_dir}: champion model files unreadable ({exc})") from None
    if spec.get("format_version") != FEATURES_FORMAT:
        raise BundleError(f"{bundle_dir / feature_file}: unsupported feature-spec version")
    if model_format == "xgboost-json":
        from xgboost import XGBClassifier

        model = XGBClassifier()
        model.load_model(bytearray(data))
    elif model_format == "skops":
        import skops.io as sio

        untrusted = sio.get_untrusted_types(data=data)
        unsafe = [t for t in untrusted if not t.startswith(_TRUSTED_PREFIXES)]
        if unsafe:
            raise BundleError(f"{bundle_dir / model_file}: refusing to load types {unsafe}")
        model = sio.loads(data, trusted=untrusted)
    else:
        raise BundleError(f"unknown model format {model_format!r}")
    return LoadedModel(model, spec["features"], spec["vectorizer"]["vocabulary"], spec["threshold"])
