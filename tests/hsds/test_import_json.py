"""`import --format json`: what a dry run checked, or what an import wrote, for scripts."""

from __future__ import annotations

import json

from tests.hsds.conftest import FIXTURES, Env


def test_dry_run_reports_json_and_writes_nothing(env: Env) -> None:
    code, out, _ = env.run("import", str(FIXTURES / "hsds3.json"), "--dry-run", "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["action"] == "checked" and report["services"] == 2 == len(report["ids"])
    assert report["overlay_services"] is None
    assert not env.data_dir.exists() or not any(env.data_dir.iterdir())


def test_import_reports_json(env: Env) -> None:
    code, out, _ = env.run("import", str(FIXTURES / "hsds3.json"), "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["action"] == "imported" and report["overlay_services"] == 2
    layers = json.loads(env.run("db", "layers", "--format", "json")[1])["layers"]
    assert [layer["name"] for layer in layers if layer["active"]] and any(layer["services"] == 2 for layer in layers)
