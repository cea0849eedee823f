"""Bundle contract: round-trip, determinism, schema version, atomic writes."""

from __future__ import annotations

import json

import pytest

from claimreport.bundle import SCHEMA_VERSION, read_bundle, read_table
from claimreport.config import Config
from claimreport.errors import BundleError
from claimreport.pipeline import build_bundle
from claimreport.results.eda import EdaResult


def test_round_trip_is_exact(demo_build):
    bundle = read_bundle(demo_build / "bundle")
    result = bundle.results["eda"]
    assert isinstance(result, EdaResult)
    raw = (demo_build / "bundle" / "eda.json").read_text()
    assert result.model_dump_json(indent=2) + "\n" == raw
    assert EdaResult.model_validate_json(result.model_dump_json()) == result


def test_manifest_records_provenance(demo_build, demo_csv):
    import hashlib

    m = read_bundle(demo_build / "bundle").manifest
    assert m.schema_version == SCHEMA_VERSION
    assert m.input.name == demo_csv.name
    assert m.input.sha256 == hashlib.sha256(demo_csv.read_bytes()).hexdigest()
    assert m.input.rows == 2000
    assert m.config == Config()
    assert m.random_state == Config().random_state
    assert {"pandas", "numpy", "matplotlib", "weasyprint"} <= set(m.packages)
    assert m.stages["eda"].seconds > 0


def test_tables_and_figures_exist(demo_build):
    bundle = read_bundle(demo_build / "bundle")
    result = bundle.results["eda"]
    for ref in result.tables.values():
        assert len(read_table(bundle, ref)) == ref.rows
    for ref in result.figures.values():
        svg = (demo_build / "bundle" / ref.svg).read_text()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        assert (demo_build / "bundle" / ref.png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert ref.alt


def test_same_data_and_config_give_byte_identical_stage_json(demo_csv, tmp_path):
    """Same seed, same bundle: every stage's JSON and tables, the fitted models included."""
    from claimreport.stages import STAGE_NAMES

    cfg = Config(modeling={"candidates": 4, "cv_folds": 3, "permutation_repeats": 2})
    for name in ("a", "b"):
        build_bundle(demo_csv, tmp_path / name, list(STAGE_NAMES), cfg)
    a, b = tmp_path / "a" / "bundle", tmp_path / "b" / "bundle"
    for stage in STAGE_NAMES:
        assert (a / f"{stage}.json").read_bytes() == (b / f"{stage}.json").read_bytes(), stage
        for table in (a / "tables" / stage).iterdir():
            assert table.read_bytes() == (b / "tables" / stage / table.name).read_bytes(), table
    assert (a / "artifacts" / "modeling" / "features.json").read_bytes() == \
        (b / "artifacts" / "modeling" / "features.json").read_bytes()
    other = build_bundle(demo_csv, tmp_path / "c", ["modeling"], cfg.model_copy(
        update={"random_state": cfg.random_state + 1}))
    assert other and (tmp_path / "c" / "bundle" / "modeling.json").read_bytes() != \
        (a / "modeling.json").read_bytes()


def test_other_schema_version_is_refused(demo_build, tmp_path):
    import shutil

    copy = tmp_path / "bundle"
    shutil.copytree(demo_build / "bundle", copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["schema_version"] = SCHEMA_VERSION + 1
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BundleError, match="schema version"):
        read_bundle(copy)


def test_missing_bundle_says_what_to_do(tmp_path):
    with pytest.raises(BundleError, match="claimreport render"):
        read_bundle(tmp_path)


def test_failed_build_leaves_no_partial_files(demo_csv, tmp_path, monkeypatch):
    """A crash while figures are drawn leaves no stage JSON and no temporary files."""
    import claimreport.figures.eda as figs

    def boom(_result):
        raise RuntimeError("disk full")

    monkeypatch.setattr(figs, "specs", boom)
    monkeypatch.setenv("CLAIMREPORT_WORKERS", "1")
    with pytest.raises(RuntimeError):
        build_bundle(demo_csv, tmp_path, ["eda"], Config())
    bundle = tmp_path / "bundle"
    assert not (bundle / "eda.json").exists()
    assert not (bundle / "manifest.json").exists()
    assert not [p for p in bundle.rglob("*") if p.name.endswith(".part")]


def test_atomic_write_keeps_old_content_on_error(tmp_path):
    from claimreport.fsio import atomic_path, atomic_write

    target = tmp_path / "report.html"
    atomic_write(target, "old")
    with pytest.raises(ValueError):
        with atomic_path(target) as tmp:
            tmp.write_text("half-writ")
            raise ValueError
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_scheduled_rebuild_reuses_unchanged_stages(demo_csv, tmp_path):
    """Same data, config and versions: nothing is recomputed; any change recomputes."""
    out = tmp_path / "out"
    assert set(build_bundle(demo_csv, out, ["eda", "hypothesis"], Config())) == {"eda", "hypothesis"}
    before = (out / "bundle" / "eda.json").read_bytes()
    assert build_bundle(demo_csv, out, ["eda", "hypothesis"], Config()) == {}
    assert (out / "bundle" / "eda.json").read_bytes() == before
    assert set(read_bundle(out / "bundle").manifest.stages) == {"eda", "hypothesis"}
    # a config change, --force, or a missing figure file each recompute
    assert set(build_bundle(demo_csv, out, ["eda"], Config(eda={"top_phrases": 5}))) == {"eda"}
    assert set(build_bundle(demo_csv, out, ["eda"], Config(eda={"top_phrases": 5}), force=True)) \
        == {"eda"}
    result = read_bundle(out / "bundle").results["eda"]
    (out / "bundle" / result.figures["histograms"].png).unlink()
    assert set(build_bundle(demo_csv, out, ["eda"], Config(eda={"top_phrases": 5}))) == {"eda"}


def test_changed_data_is_never_served_from_the_cache(demo_csv, tmp_path):
    out = tmp_path / "out"
    build_bundle(demo_csv, out, ["eda"], Config())
    changed = tmp_path / "changed.csv"
    lines = demo_csv.read_text().splitlines(keepends=True)
    changed.write_text("".join(lines[:-1]))  # one row fewer
    assert set(build_bundle(changed, out, ["eda"], Config())) == {"eda"}
    assert read_bundle(out / "bundle").results["eda"].key_figures["rows_total"] == 1999
