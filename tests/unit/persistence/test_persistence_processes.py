"""Several worker processes (as under gunicorn) share one file without losing an update.

The processes start against a file that does not exist yet, so they also race to create it,
switch it to WAL and migrate it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from heel_coach.persistence.migrations import MIGRATIONS
from heel_coach.persistence.sqlite_store import SqliteStore

PROCESSES = 4
INCREMENTS = 50

WORKER = """
import sys
from heel_coach.persistence.sqlite_store import SqliteStore

path, worker, increments = sys.argv[1], sys.argv[2], int(sys.argv[3])

def bump(attrs):
    return {**attrs, "n": attrs.get("n", 0) + 1, "last": worker}

store = SqliteStore(path, busy_timeout_ms=20000)
try:
    for _ in range(increments):
        store.update_attributes("user-" + worker, bump)
        store.update_attributes("shared", bump)
finally:
    store.close()
print("done", worker)
"""


def test_concurrent_processes_lose_no_update(tmp_path: Path) -> None:
    path = tmp_path / "shared" / "heelcoach.sqlite3"
    repo_root = Path(__file__).resolve().parents[3]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), str(i), str(INCREMENTS)],
            cwd=repo_root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(PROCESSES)
    ]
    results = []
    for proc in procs:
        with proc:
            out, err = proc.communicate(timeout=120)
            results.append((proc.returncode, out, err))
    for i, (code, out, err) in enumerate(results):
        assert code == 0, err
        assert out.strip() == f"done {i}"

    store = SqliteStore(path)
    try:
        assert store.get_attributes("shared")["n"] == PROCESSES * INCREMENTS
        for i in range(PROCESSES):
            assert store.get_attributes(f"user-{i}") == {"n": INCREMENTS, "last": str(i)}
        assert store.count_users() == PROCESSES + 1
        conn = store._connection()
        names = [r[0] for r in conn.execute("SELECT name FROM schema_migrations")]
        assert sorted(names) == [m.name for m in MIGRATIONS]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        store.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_opens_its_own_connection(tmp_path: Path) -> None:
    """gunicorn --preload forks after the app (and maybe the store) was used in the parent."""
    store = SqliteStore(tmp_path / "fork.sqlite3")
    try:
        store.save_attributes("parent", {"v": 1})
        parent_conn = store._connection()
        pid = os.fork()
        if pid == 0:  # child: must not touch the parent's connection
            code = 1
            try:
                ok = store._connection() is not parent_conn
                store.update_attributes("parent", lambda a: {"v": a["v"] + 1})
                store.save_attributes("child", {"v": 2})
                store.close()
                code = 0 if ok else 2
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert store._connection() is parent_conn
        assert store.get_attributes("parent") == {"v": 2}
        assert store.get_attributes("child") == {"v": 2}
    finally:
        store.close()
