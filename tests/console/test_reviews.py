"""The review export never teaches one text two intents, and stays valid NLU data."""

from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from console.reviews import ReviewStore


def test_the_latest_label_of_the_same_words_wins(tmp_path):
    reviews = ReviewStore(f"sqlite:///{tmp_path / 'console.db'}")
    reviews.label(1, "a", "how much  is it", "ask_cost", "anna")
    reviews.label(2, "b", "how much is it", "ask_candidacy", "bob")  # same words, another visitor
    reviews.label(3, "c", "see [this](link) {x}", "out_of_scope", "anna")
    training = RasaYAMLReader().reads(reviews.export_yaml())
    examples = {m.get("text"): m.get("intent") for m in training.training_examples}
    assert examples == {"how much is it": "ask_candidacy", "see (this)(link) {x}": "out_of_scope"}
    assert training.entities == set()
