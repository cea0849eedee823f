"""A tampered or corrupt bundle is refused with exit status 3, naming the file: it never reads
files outside the bundle into a report, for the HTML, PDF and Quarto paths alike."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from claimreport.bundle import read_bundle
from claimreport.errors import BundleError
from claimreport.render.html import render_stage_html
from claimreport.render.quarto import executive_markdown, figure_markdown, key_figures_markdown

SECRET = "TOP-SECRET-LINE"


@pytest.fixture()
def bundle(demo_build, tmp_path):
    """A private, real copy of the demo bundle (links resolved) to tamper with."""
    copy = tmp_path / "bundle"
    shutil.copytree((demo_build / "bundle").resolve(), copy)
    return copy


@pytest.fixture()
def secret(tmp_path):
    path = tmp_path / "secret.csv"
    path.write_text(f"a,b\n{SECRET},1\n")
    return path


def edit(bundle, stage, change):
    path = bundle / f"{stage}.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def render_everything(bundle, stage="eda"):
    b = read_bundle(bundle)
    out = [render_stage_html(b, stage, "html"), render_stage_html(b, stage, "pdf"),
           executive_markdown(b, stage), key_figures_markdown(b, stage)]
    out += [figure_markdown(b, stage, key) for key in b.results[stage].figures]
    return "".join(out)


def assert_refused(excinfo, *words):
    message = str(excinfo.value)
    assert excinfo.value.exit_code == 3
    assert "--force" in message
    for w in words:
        assert w in message, message


@pytest.mark.parametrize("ref", ["/etc/passwd", "../../../../etc/passwd",
                                 "figures/eda/../../../secret.svg", "C:\\\\x.svg"])
def test_figure_paths_outside_the_bundle_are_refused(bundle, ref):
    edit(bundle, "eda", lambda d: d["figures"]["histograms"].update(svg=ref))
    with pytest.raises(BundleError) as err:
        read_bundle(bundle)
    assert_refused(err, "eda.json")


def test_table_path_to_another_file_is_refused(bundle, secret):
    rel = os.path.relpath(secret, bundle)
    edit(bundle, "eda", lambda d: d["tables"]["columns"].update(path=rel))
    with pytest.raises(BundleError) as err:
        render_everything(bundle)
    assert_refused(err)


def test_symlinks_out_of_the_bundle_are_refused(bundle, secret):
    result = read_bundle(bundle).results["eda"]
    for ref in (result.figures["claim_balance"].svg, result.figures["claim_balance"].png,
                result.tables["columns"].path):
        target = bundle / ref
        target.unlink()
        target.symlink_to(secret)
    with pytest.raises(BundleError) as err:
        render_everything(bundle)
    assert_refused(err, "outside the bundle")


@pytest.mark.parametrize("which", ["svg", "png"])
def test_missing_figure_file_names_it(bundle, which):
    ref = getattr(read_bundle(bundle).results["eda"].figures["histograms"], which)
    (bundle / ref).unlink()
    with pytest.raises(BundleError) as err:
        render_everything(bundle)
    assert_refused(err, "histograms", "missing")


def test_table_with_other_columns_is_refused(bundle):
    ref = read_bundle(bundle).results["eda"].tables["summary_overall"]
    (bundle / ref.path).write_text(f"x,y\n{SECRET},2\n")
    with pytest.raises(BundleError) as err:
        render_everything(bundle)
    assert_refused(err, "summary_overall")


@pytest.mark.parametrize("text", [
    '"NaN"', '"12"', "NaN", "Infinity", "1e999", "-1e999",
])
def test_key_figures_must_be_numbers_or_null(bundle, text):
    path = bundle / "eda.json"
    raw = path.read_text()
    path.write_text(raw.replace('"rows_total": 2000', f'"rows_total": {text}'))
    assert raw != path.read_text()
    with pytest.raises(BundleError) as err:
        read_bundle(bundle)
    assert_refused(err, "eda.json")


def test_deeply_nested_json_is_refused(bundle):
    (bundle / "eda.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(BundleError) as err:
        read_bundle(bundle)
    assert_refused(err, "eda.json")


def test_manifest_stage_file_outside_the_bundle_is_refused(bundle):
    path = bundle / "manifest.json"
    data = json.loads(path.read_text())
    data["stages"]["eda"]["file"] = "/etc/passwd"
    path.write_text(json.dumps(data))
    with pytest.raises(BundleError) as err:
        read_bundle(bundle)
    assert_refused(err, "manifest.json")


def test_undefined_key_figures_are_null_on_disk_and_words_in_reports(demo_csv, tmp_path,
                                                                     monkeypatch):
    """Claims only: the opinions' median views are null in the JSON and "not defined (reason)"
    in the key-figure table, never the string "NaN"."""
    from claimreport.config import Config
    from claimreport.pipeline import build

    monkeypatch.setenv("CLAIMREPORT_WORKERS", "1")
    lines = demo_csv.read_text().splitlines()
    only_claims = [lines[0]] + [ln for ln in lines[1:] if ",claim," in ln]
    data = tmp_path / "claims.csv"
    data.write_text("\n".join(only_claims) + "\n")
    build(data, tmp_path / "out", ["eda"], [], Config())
    raw = (tmp_path / "out" / "bundle" / "eda.json").read_text()
    assert "NaN" not in raw and "Infinity" not in raw
    assert json.loads(raw)["key_figures"]["median_views_opinion"] is None
    b = read_bundle(tmp_path / "out" / "bundle")
    table = key_figures_markdown(b, "eda")
    assert "not defined (there are no opinion videos)" in table.replace("\\", "")
