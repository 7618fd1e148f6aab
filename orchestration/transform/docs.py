"""`make docs`: dbt docs (every model and column described) into
warehouse/docs/, next to the warehouse they describe."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from orchestration.core.settings import DBT_PROJECT_DIR, WAREHOUSE_ENV, dbt_executable, warehouse_path


def main() -> int:
    target = warehouse_path().parent / "docs"
    env = {**os.environ, WAREHOUSE_ENV: str(warehouse_path())}
    # --static: one self-contained static_index.html (catalogue and manifest inlined) that a browser
    # opens from disk; the plain index.html fetches them and needs a server
    done = subprocess.run([dbt_executable(), "docs", "generate", "--static", "--target-path", str(target)],
                          cwd=DBT_PROJECT_DIR, env=env)
    if done.returncode:
        return done.returncode
    for leftover in ("compiled", "run", "partial_parse.msgpack", "graph.gpickle", "graph_summary.json"):
        path = target / leftover
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    print(f"dbt docs: open {target / 'static_index.html'} (works from disk; index.html needs "
          f"cd {target} && python -m http.server)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
