"""A side's model, trained when missing or older than its inputs (like make), with its training time kept.

The training time is written beside the model (`<name>.training.json`) so that later runs, which
reuse the model, still report it.
"""

import json
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, List, Optional

from clinic.settings import PROJECT_ROOT

RASA = str(Path(sys.executable).parent / "rasa")
DEFAULT_TRAINING_INPUTS = ["data/**/*.yml", "domain/**/*.yml"]


def training_record(model: Path) -> Path:
    """Where the model's training time is kept."""
    return model.with_name(model.name.removesuffix(".tar.gz") + ".training.json")


def input_files(config: Path, patterns: Iterable[str]) -> List[Path]:
    """The config and every file the patterns match."""
    return [config, *(path for pattern in patterns for path in sorted(PROJECT_ROOT.glob(pattern)))]


def is_stale(model: Path, inputs: List[Path]) -> bool:
    """Missing, or older than one of its inputs."""
    if not model.exists():
        return True
    built = model.stat().st_mtime
    return any(path.stat().st_mtime > built for path in inputs)


def train(model: Path, config: Path, log: Path) -> float:
    """`rasa train` (NLU and dialogue) on the project's data and domain; seconds taken."""
    model.parent.mkdir(parents=True, exist_ok=True)
    name = model.name.removesuffix(".tar.gz")
    # Rasa writes the defaults it filled in back into a config without a pipeline: train on a copy.
    copy = model.with_name(f"{name}.config.yml")
    shutil.copy(config, copy)
    started = time.monotonic()
    with log.open("w") as output:
        # --force: every component trained, none taken from Rasa's cache, so the time is a full training's.
        subprocess.run([RASA, "train", "--force", "--config", str(copy), "--domain", "domain", "--data", "data",
                        "--out", str(model.parent), "--fixed-model-name", name],
                       check=True, stdout=output, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT)
    seconds = round(time.monotonic() - started, 1)
    training_record(model).write_text(json.dumps({
        "train_s": seconds, "config": str(config.relative_to(PROJECT_ROOT)),
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }))
    return seconds


def ensure_model(model: Path, config: Path, patterns: Optional[Iterable[str]], log: Path,
                 retrain: bool = False) -> Optional[float]:
    """Train the model if it is stale (or `retrain`); its training time in seconds (None when never recorded)."""
    if retrain or is_stale(model, input_files(config, patterns or DEFAULT_TRAINING_INPUTS)):
        print(f"Training {model.name} with {config.name} (Rasa's output in {log})...", flush=True)
        return train(model, config, log)
    record = training_record(model)
    return json.loads(record.read_text())["train_s"] if record.exists() else None
