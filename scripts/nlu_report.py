"""Print intent accuracy and treatment-entity F1 from `rasa test nlu` results.

Usage: python scripts/nlu_report.py RESULTS_DIR
`make test` fails when either is below 0.95 on the project's own held-out file (training is
seeded, so the figures reproduce run to run).
"""

import json
import sys
from pathlib import Path

INTENT_ACCURACY_FLOOR = 0.95
ENTITY_F1_FLOOR = 0.95


def main(results_dir: str) -> int:
    """Print the figures; return the exit code."""
    results = Path(results_dir)
    intents = json.loads((results / "intent_report.json").read_text())
    entities = json.loads((results / "DIETClassifier_report.json").read_text())
    accuracy = intents["accuracy"]
    treatment_f1 = entities.get("treatment", {}).get("f1-score", 0.0)
    print(f"NLU held-out test: intent accuracy {accuracy:.3f}, treatment entity F1 {treatment_f1:.3f} "
          f"(fails below {INTENT_ACCURACY_FLOOR} / {ENTITY_F1_FLOOR})")
    weakest = sorted(
        (v["f1-score"], k) for k, v in intents.items() if isinstance(v, dict) and "f1-score" in v and k[0].islower()
    )[:5]
    print("Weakest intents (F1):", ", ".join(f"{name} {f1:.2f}" for f1, name in weakest))
    return 0 if accuracy >= INTENT_ACCURACY_FLOOR and treatment_f1 >= ENTITY_F1_FLOOR else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
