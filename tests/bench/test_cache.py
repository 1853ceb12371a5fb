"""`make bench-nlu` reuses a result while what it was computed from is unchanged, and only then."""

import pytest

from bench.cache import ResultCache, digest


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "config.yml"
    path.write_text("pipeline: [a]\n")
    return path


def test_unchanged_inputs_reuse_the_result_and_changed_ones_recompute_it(tmp_path, config):
    cache = ResultCache(tmp_path / "cache")
    runs = []

    def compute():
        runs.append(1)
        return {"accuracy": 0.9, "run": len(runs)}

    first = cache.get_or_compute("pipeline", digest([config]), compute)
    again = cache.get_or_compute("pipeline", digest([config]), compute)
    config.write_text("pipeline: [b]\n")
    changed = cache.get_or_compute("pipeline", digest([config]), compute)
    assert (first["run"], again["run"], changed["run"]) == (1, 1, 2)
    assert len(list((tmp_path / "cache").glob("pipeline.*.json"))) == 1  # the stale result is gone


def test_fresh_recomputes_even_when_inputs_are_unchanged(tmp_path, config):
    cache = ResultCache(tmp_path / "cache")
    key = digest([config], "5 folds")
    cache.get_or_compute("cv-pipeline", key, lambda: {"run": 1})
    assert cache.get_or_compute("cv-pipeline", key, lambda: {"run": 2}, fresh=True) == {"run": 2}
    assert digest([config], "5 folds") != digest([config], "3 folds")
