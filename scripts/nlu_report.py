"""Print intent accuracy and treatment-entity F1 from `rasa test nlu` results.

Usage: python scripts/nlu_report.py RESULTS_DIR
Fails (exit 1) when either is below the bar the project has set for its own test file.
"""

import json
import sys
from pathlib import Path

INTENT_ACCURACY_BAR = 0.95
ENTITY_F1_BAR = 0.95


def main(results_dir: str) -> int:
    """Print the figures; return the exit code."""
    results = Path(results_dir)
    intents = json.loads((results / "intent_report.json").read_text())
    entities = json.loads((results / "DIETClassifier_report.json").read_text())
    accuracy = intents["accuracy"]
    treatment_f1 = entities.get("treatment", {}).get("f1-score", 0.0)
    print(f"NLU held-out test: intent accuracy {accuracy:.3f} (bar {INTENT_ACCURACY_BAR}), "
          f"treatment entity F1 {treatment_f1:.3f} (bar {ENTITY_F1_BAR})")
    weakest = sorted(
        (v["f1-score"], k) for k, v in intents.items() if isinstance(v, dict) and "f1-score" in v and k[0].islower()
    )[:5]
    print("Weakest intents (F1):", ", ".join(f"{name} {f1:.2f}" for f1, name in weakest))
    return 0 if accuracy >= INTENT_ACCURACY_BAR and treatment_f1 >= ENTITY_F1_BAR else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
