"""The module bundle serves a built package's modules exactly as the import system would (same
code, file, package path, tracebacks), only without searching; anything it lacks is found as
usual, and without a usable bundle nothing changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from heel_coach import module_bundle

PACKAGE = {
    "__init__.py": "",
    "records.py": "from pkgbundle.sub.helper import twice\nVALUE = twice(21)\n",
    "sub/__init__.py": "",
    "sub/helper.py": "def twice(n):\n    return 2 * n\n\ndef fails():\n    raise ValueError('from helper')\n",
}

CHILD = """
import sys, traceback
from pathlib import Path
from heel_coach import module_bundle
package = Path(sys.argv[1])
print(module_bundle.install(package, None))
import pkgbundle.records, pkgbundle.sub.helper, pkgbundle.late
helper = pkgbundle.sub.helper
print(type(helper.__spec__.loader).__name__, type(pkgbundle.late.__spec__.loader).__name__)
print(pkgbundle.records.VALUE, helper.__file__, pkgbundle.sub.__path__[0], helper.__cached__)
try:
    helper.fails()
except ValueError as exc:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    print(frame.filename, frame.lineno, frame.line)
"""


def write_package(root: Path) -> Path:
    package = root / "pkgbundle"
    for name, text in PACKAGE.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)
    return package


def child(package: Path, cwd: Path) -> list[str]:
    repo_skill = Path(module_bundle.__file__).parents[1]
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(package)],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": f"{package.parent}:{repo_skill}"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_modules_come_from_the_bundle_as_they_would_from_their_files(tmp_path: Path) -> None:
    built = write_package(tmp_path / "build")
    module_bundle.write_bundle(built)
    # The package moves after the build (the build directory, then Lambda's /var/task).
    deployed = tmp_path / "task"
    built.parent.rename(deployed)
    package = deployed / "pkgbundle"
    (package / "late.py").write_text("X = 1\n")  # not in the bundle: found as usual

    installed, loaders, attributes, failure = child(package, tmp_path)
    assert installed == "True"
    assert loaders == "_BundledLoader SourceFileLoader"
    value, file, path, cached = attributes.split()
    assert value == "42"
    assert file == str(package / "sub" / "helper.py") and path == str(package / "sub")
    assert cached == str(package / "sub" / "__pycache__" / f"helper.{sys.implementation.cache_tag}.pyc")
    assert failure == f"{package / 'sub' / 'helper.py'} 5 raise ValueError('from helper')"


@pytest.mark.parametrize("damage", ["missing", "empty", "not-marshal", "other-python"])
def test_no_usable_bundle_changes_nothing(tmp_path: Path, damage: str) -> None:
    from importlib.util import MAGIC_NUMBER

    package = write_package(tmp_path)
    path = module_bundle.write_bundle(package)
    raw = path.read_bytes()
    if damage == "missing":
        path.unlink()
    else:
        path.write_bytes(
            {
                "empty": b"",
                "not-marshal": MAGIC_NUMBER + b"\xff" * 8,
                "other-python": bytes([MAGIC_NUMBER[0] ^ 1]) + raw[1:],
            }[damage]
        )
    before = list(sys.meta_path)
    assert module_bundle.install(package) is False
    assert sys.meta_path == before and module_bundle.installed_finder() is None
