"""`python -m benchmarks` (`make bench`): every benchmarks/*_bench.py module, one after another.

Two shapes of module are run:
- `run(bench)` modules report into benchmarks.common's shared table (PostgreSQL bench
  databases); they run together, in this process, through `benchmarks.common.main`;
- `main()` modules set Django up themselves (import_bench makes its own throw-away database);
  each runs in its own process, `python -m benchmarks.<name>`, so their settings cannot clash.
The exit status is 1 when any module failed or missed its target.
"""

import importlib
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    names = sorted(f"benchmarks.{path.stem}" for path in HERE.glob("*_bench.py"))
    shared, standalone = [], []
    for name in names:
        module = importlib.import_module(name)
        if hasattr(module, "run"):
            shared.append(name)
        elif hasattr(module, "main"):
            standalone.append(name)
    wanted = []
    for i, arg in enumerate(argv):  # `--only pages,import` selects modules, as benchmarks.common reads it
        if arg == "--only" and i + 1 < len(argv):
            wanted = [w.strip() for w in argv[i + 1].split(",") if w.strip()]
        elif arg.startswith("--only="):
            wanted = [w.strip() for w in arg.split("=", 1)[1].split(",") if w.strip()]
    if wanted:
        standalone = [n for n in standalone if any(w in n for w in wanted)]
        shared = [n for n in shared if any(w in n for w in wanted)]
    status = 0
    for name in standalone:
        print(f"\n== {name}", flush=True)
        status |= subprocess.run([sys.executable, "-m", name], cwd=HERE.parent, check=False).returncode != 0
    if shared:
        from benchmarks.common import main as shared_main

        status |= shared_main(shared, argv) != 0
    return int(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
