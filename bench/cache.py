"""Results kept on disk under a hash of everything they were computed from, reused while that is unchanged."""

import hashlib
import json
from pathlib import Path
from typing import Callable, Dict, Iterable

from clinic.settings import PROJECT_ROOT


def digest(paths: Iterable[Path], *extra: str) -> str:
    """A hash of the files' names and contents and of `extra` (settings, other digests)."""
    hasher = hashlib.sha256()
    for path in sorted(set(paths)):
        # Named from the project's folder, so that two checkouts of the same files share a key.
        name = path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path
        hasher.update(str(name).encode() + b"\0" + path.read_bytes() + b"\0")
    for value in extra:
        hasher.update(value.encode() + b"\0")
    return hasher.hexdigest()[:20]


class ResultCache:
    """JSON results in a folder, one file per name and key."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get_or_compute(self, name: str, key: str, compute: Callable[[], Dict], fresh: bool = False) -> Dict:
        """The stored result for (name, key); else (or when `fresh`) `compute()`'s, stored for next time."""
        path = self.folder / f"{name}.{key}.json"
        if path.exists() and not fresh:
            print(f"   {name}: inputs unchanged, reusing {path}", flush=True)
            return json.loads(path.read_text())
        result = compute()
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.glob(f"{name}.*.json"):
            stale.unlink()
        path.write_text(json.dumps(result, indent=2))
        return result
