"""Stratified k-fold splits of Rasa NLU training data, written as Rasa YAML files."""

from pathlib import Path
from typing import List, Tuple

from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.model_selection import StratifiedKFold


def write_folds(nlu: Path, folds: int, out: Path, seed: int = 42) -> List[Tuple[Path, Path]]:
    """(train file, test file) per fold; synonyms, lookup tables and regexes stay in every train file."""
    data = load_data(str(nlu))
    examples = data.intent_examples
    intents = [m.get("intent") for m in examples]
    out.mkdir(parents=True, exist_ok=True)
    pairs = []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for index, (train_rows, test_rows) in enumerate(splitter.split(examples, intents)):
        train = TrainingData(
            [examples[i] for i in train_rows], data.entity_synonyms, data.regex_features, data.lookup_tables
        )
        test = TrainingData([examples[i] for i in test_rows])
        pair = (out / f"fold{index}_train.yml", out / f"fold{index}_test.yml")
        pair[0].write_text(train.nlu_as_yaml(), encoding="utf-8")
        pair[1].write_text(test.nlu_as_yaml(), encoding="utf-8")
        pairs.append(pair)
    return pairs
