"""The architecture contracts (.importlinter, run by `make lint`): the tree keeps them, and
each one fails when a forbidden import is added (to a copy of the tree, so the real one is
untouched): a lower layer importing a higher one, a circle between domain packages, the
platform core importing a trust domain outside the composition root, a domain importing the
worker, and a stage change re-entering itself through the workspace."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("peerpath", "tenants", "worker")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("architecture")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, copy / package,
                        ignore=shutil.ignore_patterns("__pycache__", "static", "templates"))
    shutil.copy(ROOT / ".importlinter", copy / ".importlinter")
    return copy


def test_the_project_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


# (file to change, the import added, the contract that must break)
FORBIDDEN = {
    "a lower domain imports a higher one": (
        "tenants/cohorts/service.py", "import tenants.applications.service",
        "Trust domains in their order"),
    "a circle between domain packages": (
        "tenants/interviews/service.py", "import tenants.workspace.service",
        "Trust domains in their order"),
    "the state machine reaches the workspace again": (
        "tenants/applications/reminders.py", "import tenants.workspace.service",
        "Trust domains in their order"),
    "sibling domains import each other": (
        "tenants/shortlisting/service.py", "import tenants.interviews.service",
        "Sibling domains after applications"),
    "the platform core imports a trust domain": (
        "peerpath/forms.py", "import tenants.audit.service",
        "Entry points above trust domains above the platform core"),
    "a trust domain imports the worker": (
        "tenants/notifications/service.py", "import worker.jobs",
        "Entry points above trust domains above the platform core"),
}


@pytest.mark.parametrize("case", sorted(FORBIDDEN))
def test_a_forbidden_import_breaks_its_contract(tree, case):
    path, line, contract = FORBIDDEN[case]
    target = tree / path
    original = target.read_text()
    target.write_text(original + f"\n{line}  # added by the test\n")
    try:
        result = lint_imports(tree)
    finally:
        target.write_text(original)
    assert result.returncode != 0, result.stdout
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout
    assert line.split()[-1] in broken


def test_the_copy_without_a_change_keeps_every_contract(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
