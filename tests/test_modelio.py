"""Loading the champion: crafted skops files run no code, tampered paths stay inside the bundle.

The malicious files are legitimate champions whose ``schema.json`` was edited to call a function
while the forest's attributes are rebuilt. Each test first proves its payload is live (the old
prefix-trusting loader runs it) so that a refusal is not a payload that never worked.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from claimreport.config import Config
from claimreport.errors import BundleError
from claimreport.modelio import ALLOWED_SKOPS_TYPES, load_champion, serialise, skops_types

FAST = {"modeling": {"candidates": 2, "cv_folds": 2, "permutation_repeats": 1, "n_jobs": 1}}
MODEL = "artifacts/modeling/champion.skops"
OLD_PREFIXES = ("sklearn.", "numpy.", "builtins.")  # what load_champion trusted before


def _build(tmp_path_factory, champion: str) -> Path:
    """The real modeling stage on 600 demo rows, with *champion* chosen whatever it scores."""
    from claimreport.data.demo import generate, write_csv
    from claimreport.pipeline import build_bundle
    from claimreport.stages import modeling

    out = tmp_path_factory.mktemp(champion)
    write_csv(generate(600, random_state=7), out / "demo.csv")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(modeling, "choose_champion", lambda scores: (champion, "tie"))
        build_bundle(out / "demo.csv", out, ["modeling"], Config(**FAST))
    return out


@pytest.fixture(scope="module")
def rf_build(tmp_path_factory) -> Path:
    return _build(tmp_path_factory, "random_forest")


@pytest.fixture(scope="module")
def xgb_build(tmp_path_factory) -> Path:
    return _build(tmp_path_factory, "xgboost")


def _copy(build: Path, tmp_path: Path) -> Path:
    """A copy of *build*'s bundle to tamper with."""
    return Path(shutil.copytree(build / "bundle", tmp_path / "bundle"))


def _edit_json(path: Path, edit) -> None:
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))


def _rewrite_skops(path: Path, edit_schema=None, edit_member=None) -> None:
    """Rewrite the skops archive at *path*, editing schema.json and/or other members."""
    with zipfile.ZipFile(path) as src:
        members = {info.filename: src.read(info) for info in src.infolist()}
    schema = json.loads(members["schema.json"])
    if edit_schema:
        edit_schema(schema)
    members["schema.json"] = json.dumps(schema).encode()
    if edit_member:
        edit_member(schema, members)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as dst:
        for name, data in members.items():
            dst.writestr(name, data)
    path.write_bytes(buffer.getvalue())


# skops nodes, written by hand (protocol 2): no __id__, so nothing is shared with the real tree
def _text(value) -> dict:
    return {"__class__": "str", "__module__": "builtins", "__loader__": "JsonNode",
            "content": json.dumps(value), "is_json": True}


def _node(loader: str, type_name: str, **fields) -> dict:
    module, _, name = type_name.rpartition(".")
    return {"__class__": name, "__module__": module, "__loader__": loader, **fields}


def _call(function: str, *args: dict) -> dict:
    """A node that skops builds by calling *function* with *args* (``ConstructorFromReduceNode``)."""
    return _node("ConstructorFromReduceNode", function,
                 content=_node("TupleNode", "builtins.tuple", content=list(args)))


def _empty_dict() -> dict:
    return _node("DictNode", "builtins.dict", content={},
                 key_types=_node("ListNode", "builtins.list", content=[]))


def _write_file(marker: Path) -> str:
    return f"open({str(marker)!r}, 'w').write('code ran')"


PAYLOADS = {
    "builtins.exec": lambda marker: _call("builtins.exec", _text(_write_file(marker))),
    "builtins.eval": lambda marker: _call("builtins.eval", _text(_write_file(marker))),
    # numpy.testing._private.utils.runstring(astr, dict) is exec(astr, dict)
    "numpy.testing._private.utils.runstring": lambda marker: _call(
        "numpy.testing._private.utils.runstring", _text(_write_file(marker)), _empty_dict()),
    # writes its argument to a temporary .py file and runs it with a new Python interpreter
    "sklearn.utils._testing.assert_run_python_script_without_output": lambda marker: _call(
        "sklearn.utils._testing.assert_run_python_script_without_output",
        _text(_write_file(marker))),
}


def _inject(payload: dict):
    """An edit that adds *payload* as the last attribute of the forest (built on load)."""
    def edit(schema: dict) -> None:
        attrs = schema["content"]
        attrs["content"]["zz_payload"] = payload
        attrs["key_types"]["content"].append(_node("TypeNode", "builtins.str"))
    return edit


@pytest.mark.parametrize("function", sorted(PAYLOADS))
def test_payload_runs_under_the_old_prefix_check(function, rf_build, tmp_path):
    import skops.io as sio

    marker = tmp_path / "marker"
    path = tmp_path / "champion.skops"
    shutil.copy(rf_build / "bundle" / MODEL, path)
    _rewrite_skops(path, _inject(PAYLOADS[function](marker)))
    data = path.read_bytes()
    untrusted = sio.get_untrusted_types(data=data)
    assert function in untrusted and all(t.startswith(OLD_PREFIXES) for t in untrusted)
    try:
        sio.loads(data, trusted=untrusted)
    except Exception:  # the payload's return value may not fit the forest; it ran already
        pass
    assert marker.exists()  # the payload is live, so the refusal below means something


@pytest.mark.parametrize("function", sorted(PAYLOADS))
def test_crafted_skops_file_is_refused_and_runs_nothing(function, rf_build, tmp_path):
    bundle = _copy(rf_build, tmp_path)
    marker = tmp_path / "marker"
    _rewrite_skops(bundle / MODEL, _inject(PAYLOADS[function](marker)))
    with pytest.raises(BundleError, match=function.replace(".", r"\.")) as err:
        load_champion(bundle)
    assert str(bundle / MODEL) in str(err.value) and err.value.exit_code == 3
    assert not marker.exists()


def test_tampered_type_list_beside_the_model_does_not_help(rf_build, tmp_path):
    bundle = _copy(rf_build, tmp_path)
    marker = tmp_path / "marker"
    _rewrite_skops(bundle / MODEL, _inject(PAYLOADS["builtins.exec"](marker)))
    features = bundle / "artifacts/modeling/features.json"
    _edit_json(features, lambda spec: spec["model_types"].append("builtins.exec"))
    with pytest.raises(BundleError, match=r"builtins\.exec"):
        load_champion(bundle)
    assert not marker.exists()


def test_type_missing_from_the_stored_list_is_refused(rf_build, tmp_path):
    """Allowed by the code but not written by serialise for this model: refused too."""
    bundle = _copy(rf_build, tmp_path)
    features = bundle / "artifacts/modeling/features.json"
    _edit_json(features, lambda spec: spec["model_types"].remove("sklearn.tree._tree.Tree"))
    with pytest.raises(BundleError, match=r"sklearn\.tree\._tree\.Tree"):
        load_champion(bundle)


def test_allowed_type_built_by_another_loader_is_refused(rf_build, tmp_path):
    bundle = _copy(rf_build, tmp_path)
    _rewrite_skops(bundle / MODEL, _inject(_call("builtins.str", _text("x"))))
    with pytest.raises(BundleError, match=r"builtins\.str \(built by ConstructorFromReduceNode\)"):
        load_champion(bundle)


def test_type_name_split_differently_is_refused(rf_build, tmp_path):
    """("sklearn.tree", "_tree.Tree") joins to an allowed name but is not one."""
    bundle = _copy(rf_build, tmp_path)
    node = {"__class__": "_tree.Tree", "__module__": "sklearn.tree", "__loader__": "TreeNode"}
    _rewrite_skops(bundle / MODEL, _inject(node))
    with pytest.raises(BundleError, match="malformed skops node"):
        load_champion(bundle)


def test_old_skops_protocol_is_refused(rf_build, tmp_path):
    """Protocol 0 reads function names from other fields of the file; only 2 is read."""
    bundle = _copy(rf_build, tmp_path)
    _rewrite_skops(bundle / MODEL, lambda schema: schema.update(protocol=0))
    with pytest.raises(BundleError, match="protocol 0"):
        load_champion(bundle)


def test_tree_indices_out_of_range_are_refused(rf_build, tmp_path):
    """Only allowed types, but a node pointing outside its tree would crash predict_proba."""
    bundle = _copy(rf_build, tmp_path)

    def corrupt(schema, members):
        tree = schema["content"]["content"]["estimators_"]["content"][0]["content"]["content"]
        name = tree["tree_"]["content"]["content"]["nodes"]["file"]
        nodes = np.load(io.BytesIO(members[name]), allow_pickle=False)
        nodes["left_child"][0] = 10**9
        out = io.BytesIO()
        np.save(out, nodes, allow_pickle=False)
        members[name] = out.getvalue()

    _rewrite_skops(bundle / MODEL, edit_member=corrupt)
    with pytest.raises(BundleError, match="tree 0 has node or feature indices out of range"):
        load_champion(bundle)


@pytest.mark.parametrize("field", ["model_file", "feature_file"])
@pytest.mark.parametrize("ref", ["/etc/passwd", "../../x", "artifacts/../../../etc/passwd"])
def test_paths_outside_the_bundle_are_refused(field, ref, rf_build, tmp_path):
    bundle = _copy(rf_build, tmp_path)
    _edit_json(bundle / "modeling.json", lambda result: result.update({field: ref}))
    with pytest.raises(BundleError):
        load_champion(bundle)


@pytest.mark.parametrize("field, what", [("model_file", "model file"),
                                         ("feature_file", "feature file")])
@pytest.mark.parametrize("ref", ["/etc/passwd", "../../x"])
def test_paths_are_checked_even_if_the_result_was_not_validated(field, what, ref, rf_build,
                                                                monkeypatch):
    """load_champion does not rely on read_bundle's validation to keep files inside the bundle."""
    import claimreport.bundle as bundle_module

    real = bundle_module.read_bundle

    def tampered(bundle_dir, stages=None):
        read = real(bundle_dir, stages)
        result = read.results["modeling"].model_copy(update={field: ref})  # no validation
        return read.model_copy(update={"results": {"modeling": result}})

    monkeypatch.setattr(bundle_module, "read_bundle", tampered)
    with pytest.raises(BundleError, match=f"{what} bundle reference"):
        load_champion(rf_build / "bundle")


@pytest.mark.parametrize("name", ["champion.skops", "features.json"])
def test_symlink_out_of_the_bundle_is_refused(name, rf_build, tmp_path):
    bundle = _copy(rf_build, tmp_path)
    target = bundle / "artifacts/modeling" / name
    outside = tmp_path / name
    shutil.move(target, outside)
    target.symlink_to(outside)
    with pytest.raises(BundleError, match="outside the bundle"):
        load_champion(bundle)


def test_random_forest_round_trips_and_reproduces_test_predictions(rf_build):
    _assert_reproduces(rf_build, "skops")


def test_xgboost_round_trips_and_reproduces_test_predictions(xgb_build):
    _assert_reproduces(xgb_build, "xgboost-json")


def _assert_reproduces(build: Path, model_format: str) -> None:
    from claimreport.bundle import read_bundle, read_table
    from claimreport.data.load import load_data

    bundle = read_bundle(build / "bundle", ["modeling"])
    result = bundle.results["modeling"]
    assert result.model_format == model_format
    model = load_champion(build / "bundle")
    saved = read_table(bundle, result.tables["test_predictions"])
    frame = load_data(build / "demo.csv").frame.set_index("video_id", drop=False)
    proba = model.predict_proba(frame.loc[saved["video_id"]].reset_index(drop=True))
    assert np.allclose(proba, saved["probability_claim"], atol=1e-9)  # CSV keeps 10 digits
    assert ((proba >= model.threshold).astype(int) == saved["predicted"]).all()
    assert model.threshold == 0.5 and model.features == result.features


def test_stored_types_are_exactly_those_in_the_file(rf_build, xgb_build):
    spec = json.loads((rf_build / "bundle/artifacts/modeling/features.json").read_text())
    pairs = skops_types((rf_build / "bundle" / MODEL).read_bytes(), "champion")
    assert spec["model_types"] == sorted({t for t, _ in pairs})
    assert set(spec["model_types"]) == set(ALLOWED_SKOPS_TYPES)
    assert all(loader in ALLOWED_SKOPS_TYPES[t] for t, loader in pairs)
    spec = json.loads((xgb_build / "bundle/artifacts/modeling/features.json").read_text())
    assert spec["model_types"] == []


def test_skops_file_declared_as_xgboost_is_refused(rf_build, tmp_path):
    bundle = _copy(rf_build, tmp_path)
    _edit_json(bundle / "modeling.json", lambda result: result.update(model_format="xgboost-json"))
    with pytest.raises(BundleError, match="not JSON"):
        load_champion(bundle)


@pytest.mark.parametrize("content, message", [
    (b'{"learner": {}, "version": [3, 2, 0]}', "objective None"),
    (b'{"hello": "world"}', "not an XGBoost model"),
    (b"[1, 2]", "not an XGBoost model"),
])
def test_json_that_is_not_the_xgboost_champion_is_refused(content, message, xgb_build, tmp_path):
    bundle = _copy(xgb_build, tmp_path)
    (bundle / "artifacts/modeling/champion.xgb.json").write_bytes(content)
    with pytest.raises(BundleError, match=message):
        load_champion(bundle)


def test_xgboost_file_declared_as_skops_is_refused(xgb_build, tmp_path):
    bundle = _copy(xgb_build, tmp_path)
    _edit_json(bundle / "modeling.json", lambda result: result.update(model_format="skops"))
    with pytest.raises(BundleError, match="not a skops file"):
        load_champion(bundle)


def test_serialise_refuses_a_model_with_types_off_the_list():
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = np.arange(20.0).reshape(10, 2), np.arange(10) % 2
    model = make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=2)).fit(X, y)
    with pytest.raises(TypeError, match=r"sklearn\.pipeline\.Pipeline"):
        serialise(model, "random_forest")
