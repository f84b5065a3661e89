"""Plots stay at the edge: rfkit's compute API (io, dsp, detection, synth) and the CLI's non-picture
commands never import matplotlib."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(code: str) -> str:
    r = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout


def test_compute_api_does_not_import_matplotlib(tmp_path):
    out = _run(f"""
        import sys
        import numpy as np
        import rfkit, rfkit.io, rfkit.dsp, rfkit.detection
        from rfkit.io.writers import write_raw, write_sigmf
        rate = 1e6
        t = np.arange(1 << 18) / rate
        x = (0.3 * np.exp(2j * np.pi * 1e5 * t) + 0.01 * (np.random.default_rng(0).standard_normal(t.size)
             + 0j)).astype(np.complex64)
        write_raw({str(tmp_path)!r} + "/a_100M_1000k.cu8", x, dtype="cu8")
        with rfkit.open({str(tmp_path)!r} + "/a_100M_1000k.cu8") as cap:
            rfkit.dsp.waterfall(cap, nfft=512, avg=4)
            rfkit.dsp.psd(cap, nfft=512)
            if hasattr(rfkit, "detect"):
                rfkit.detect(cap)
        try:
            import rfkit.synth as synth
            sc = synth.Scenario(rate_hz=1e6, duration_s=0.2, emitters=(synth.CW(jn_db=5, offset_hz=1e5),))
            synth.generate(sc, seed=1)
        except ImportError:
            pass
        from rfkit.cli import main
        assert main(["info", {str(tmp_path)!r} + "/a_100M_1000k.cu8"]) == 0
        assert main(["psd", {str(tmp_path)!r} + "/a_100M_1000k.cu8", "-o", {str(tmp_path)!r} + "/p.csv"]) == 0
        print("MPL", sorted(m for m in sys.modules if m.split(".")[0] == "matplotlib"))
    """)
    line = [ln for ln in out.splitlines() if ln.startswith("MPL")][-1]
    assert line == "MPL []", line


def test_the_plot_package_does_use_matplotlib():
    # the check above can fail: importing rfkit.plot does bring matplotlib in
    out = _run("""
        import sys, rfkit.plot
        print("MPL", "matplotlib" in sys.modules)
    """)
    assert "MPL True" in out
