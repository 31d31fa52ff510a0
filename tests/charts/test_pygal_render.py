"""pygal as the charts load it: without its import hook, whole ticks for counts."""

from __future__ import annotations

import importlib
import sys
import warnings

import pytest

from ptghub.charts import bars
from ptghub.charts.pygal_render import load_pygal, whole_ticks


def test_load_pygal_leaves_no_finder_that_warns_on_a_missing_module() -> None:
    bars("k", "t", "d", categories=["Nova"], series=[("h", [1.0])], unit="h")
    pygal = load_pygal()

    assert [f for f in sys.meta_path if isinstance(f, pygal.PluginImportFixer)] == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module("ptghub_no_such_module")


def test_whole_ticks_for_counts_none_for_fractions() -> None:
    assert whole_ticks([3]) == {"y_labels": [0, 1, 2, 3]}
    assert whole_ticks([0]) == {"y_labels": [0, 1]}
    assert whole_ticks([12, 1]) == {"y_labels": [0, 2, 4, 6, 8, 10, 12]}
    assert whole_ticks([35.0]) == {"y_labels": [0, 5, 10, 15, 20, 25, 30, 35]}
    assert whole_ticks([130]) == {"y_labels": [0, 20, 40, 60, 80, 100, 120, 140]}
    assert whole_ticks([1.5, 2]) == {}
    assert whole_ticks([-1]) == {}
    assert whole_ticks([]) == {}
