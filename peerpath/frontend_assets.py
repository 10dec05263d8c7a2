"""Install the pinned npm packages (package-lock.json) into node_modules/.

With npm on the machine this is `npm ci`. Without it (a Python-only machine), each
locked package's tarball is fetched from the npm registry and checked against the lock
file's sha512 integrity before it is unpacked, so the result is the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = "https://registry.npmjs.org"


def _installed(lock: dict) -> bool:
    for path, meta in lock["packages"].items():
        if path and not (ROOT / path / "package.json").exists():
            return False
        if path and json.loads((ROOT / path / "package.json").read_text())["version"] != \
                meta["version"]:
            return False
    return True


def _fetch(name: str, meta: dict) -> None:
    url = meta.get("resolved") or f"{REGISTRY}/{name}/-/{name.split('/')[-1]}-{meta['version']}.tgz"
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (fixed https host)
        data = response.read()
    algorithm, _, expected = meta["integrity"].partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise SystemExit(f"{name}: integrity check failed (lock file says {meta['integrity']})")
    target = ROOT / "node_modules" / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            member.name = member.name.split("/", 1)[1] if "/" in member.name else ""
        tar.extractall(target, members=[m for m in tar.getmembers() if m.name],
                       filter="data")


def main() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    if _installed(lock):
        return
    if shutil.which("npm"):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=ROOT,
                       check=True)
        return
    print("npm not found: fetching the locked packages from the npm registry", file=sys.stderr)
    for path, meta in lock["packages"].items():
        if path.startswith("node_modules/"):
            _fetch(path.removeprefix("node_modules/"), meta)


if __name__ == "__main__":
    main()
