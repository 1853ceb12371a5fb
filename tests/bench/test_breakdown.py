"""The serving benchmark's breakdown puts each sampled stack where a reader of the table expects it."""

from bench import breakdown

GRAPH = "/venv/site-packages/rasa/engine/graph.py"
PROCESSOR = "/venv/site-packages/rasa/core/processor.py"


def write_sources(tmp_path):
    """Source files for the classes the stacks name (the breakdown reads class names from the source)."""
    diet = tmp_path / "rasa" / "nlu" / "classifiers" / "diet_classifier.py"
    ted = tmp_path / "rasa" / "core" / "policies" / "ted_policy.py"
    for path, name in ((diet, "DIETClassifier"), (ted, "TEDPolicy")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"import x\n\n\nclass {name}:\n    def process(self):\n        return 1\n")
    return diet, ted


def raw_file(tmp_path, lines):
    path = tmp_path / "rasa.pyspy.txt"
    path.write_text("\n".join(f"{';'.join(stack)} {count}" for stack, count in lines) + "\n")
    return path


def test_components_stores_and_action_calls_get_their_own_rows(tmp_path):
    diet, ted = write_sources(tmp_path)
    stacks = breakdown.read_raw(raw_file(tmp_path, [
        ([f"handle_message ({PROCESSOR}:10)", f"__call__ ({GRAPH}:500)", f"process ({diet}:6)",
          "matmul (/venv/tensorflow/ops.py:1)"], 250),
        ([f"handle_message ({PROCESSOR}:10)", f"__call__ ({GRAPH}:500)", f"predict ({ted}:6)"], 125),
        ([f"handle_message ({PROCESSOR}:10)", "save (/venv/site-packages/rasa/core/tracker_store.py:900)",
          "commit (/venv/sqlalchemy/orm/session.py:1)"], 50),
        ([f"handle_message ({PROCESSOR}:10)", "retrieve (/venv/site-packages/rasa/core/tracker_store.py:800)"], 25),
        ([f"handle_message ({PROCESSOR}:10)", "request (/venv/site-packages/rasa/utils/endpoints.py:150)",
          "validate (/venv/site-packages/jsonschema/validators.py:1)"], 50),
    ]))
    result = breakdown.breakdown(stacks, breakdown.read_raw(raw_file(tmp_path, [])), messages=2,
                                 mean_latency_ms=1200.0)
    rows = {row["category"]: row["ms_per_message"] for row in result["rasa"]}
    # 250 samples a second: 250 samples over 2 messages are 500 ms a message.
    assert rows == {
        "NLU: DIETClassifier": 500.0,
        "policy: TEDPolicy": 250.0,
        "tracker store: write": 100.0,
        "action server call: checking its answer against Rasa's JSON schema": 100.0,
        "tracker store: read": 50.0,
    }
    assert result["not_sampled_ms_per_message"] == 200.0
    assert "| NLU: DIETClassifier | 500.00 | 50.0 |" in breakdown.markdown(result)
