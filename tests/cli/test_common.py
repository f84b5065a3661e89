"""The CLI's shared helpers: the progress bar."""

import pytest

from rfkit.cli.common import progress
from rfkit.errors import ParameterError


def test_progress_off_counts_and_draws_nothing(capsys):
    with progress(100, desc="x", enabled=False) as bar:
        bar.update(30)
        bar.update(20)
        bar.set_description("x: stage")
    assert bar.n == 50
    assert capsys.readouterr().err == ""


def test_progress_on_draws_on_stderr(capsys):
    with progress(100, desc="work", enabled=True) as bar:
        bar.update(100)
    assert "work" in capsys.readouterr().err


def test_progress_rejects_a_negative_total():
    with pytest.raises(ParameterError):
        progress(-1, desc="x")
