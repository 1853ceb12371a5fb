"""Peak resident memory of process trees (a server and the workers it starts), sampled in a thread."""

import threading
from typing import Dict

import psutil

SAMPLE_SECONDS = 0.2


def tree_rss_bytes(pid: int) -> int:
    """RSS of a process and all its descendants now (0 once it is gone)."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


class PeakRss:
    """Samples the RSS of named process trees until stopped; `peaks_mb` holds the highest seen."""

    def __init__(self, pids: Dict[str, int]):
        self.pids = pids
        self.peaks_mb: Dict[str, float] = {name: 0.0 for name in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(SAMPLE_SECONDS)

    def sample(self) -> None:
        """Take one sample of every tree."""
        for name, pid in self.pids.items():
            self.peaks_mb[name] = max(self.peaks_mb[name], round(tree_rss_bytes(pid) / 2**20, 1))

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()
