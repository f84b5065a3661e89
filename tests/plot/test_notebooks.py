"""The example notebooks are committed without outputs and run from top to bottom."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = ("01-quickstart", "02-jamming-detection", "03-live-monitoring")
#: Seconds a notebook may take (each runs in ~5-15 s here; generous for a loaded CI machine).
TIMEOUT_S = 240


def _read(name):
    nbformat = pytest.importorskip(
        "nbformat", reason="nbformat is not installed (pip install -e .[test])"
    )
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


@pytest.mark.parametrize("name", NAMES)
def test_committed_without_outputs(name):
    nb = _read(name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(not c.outputs and c.execution_count is None for c in code)


def test_the_builder_writes_what_is_committed(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_notebooks", NOTEBOOKS / "build_notebooks.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    committed = {n: (NOTEBOOKS / f"{n}.ipynb").read_text(encoding="utf-8") for n in NAMES}
    monkeypatch.setattr(mod, "HERE", tmp_path)
    mod.build()
    for n in NAMES:
        assert (tmp_path / f"{n}.ipynb").read_text(encoding="utf-8") == committed[n], n


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom(name):
    nbclient = pytest.importorskip(
        "nbclient", reason="nbclient is not installed (pip install -e .[test])"
    )
    pytest.importorskip("ipykernel", reason="ipykernel is not installed (pip install -e .[test])")
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        pytest.skip("no 'python3' Jupyter kernel (python -m ipykernel install --user)")
    nb = _read(name)
    client = nbclient.NotebookClient(
        nb,
        timeout=TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # the figures show inline, as PNG images
    images = [
        o
        for o in outputs
        if o.output_type in ("display_data", "execute_result") and "image/png" in o.data
    ]
    assert len(images) >= 2
