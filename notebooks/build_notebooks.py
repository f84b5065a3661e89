"""Write the example notebooks (without outputs) from the cells below: `python notebooks/build_notebooks.py`.

The notebooks are committed as this script writes them; tests/plot/test_notebooks.py runs each
from top to bottom. Edit the cells here, not the .ipynb files, so the three stay consistent.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

SETUP = """\
%matplotlib inline
from pathlib import Path

import numpy as np

import rfkit
from rfkit import dsp, plot

# the project's root, whether the notebook runs from notebooks/ or from the root
ROOT = Path.cwd().parent if Path.cwd().name == "notebooks" else Path.cwd()
CAPTURES = ROOT / "captures\""""

QUICKSTART = [
    new_markdown_cell("""\
# rfkit quick start: open a capture, look at its spectrum and waterfall

rfkit reads IQ recordings of every common format (raw `cu8`/`cs8`/`cs16`/`cf32`, SigMF, WAV) and
live RTL-SDR streams through one front door, `rfkit.open`. Figures come from `rfkit.plot`: each
function takes computed results and returns a matplotlib figure, shown inline here."""),
    new_code_cell(SETUP),
    new_markdown_cell("""\
## Open a recording

`captures/` holds a few small recordings. This one is synthetic (made by `rfkit.synth`): a GPS L1
receiver seeing a CW tone and, from 0.1 s, a fast chirp jammer — the kind sold as a "GPS blocker"."""),
    new_code_cell("""\
cap = rfkit.open(CAPTURES / "gps-l1-chirp-jammer.sigmf-meta")
info = cap.info
print(f"{info.format}/{info.dtype}: {info.sample_rate / 1e6:g} MS/s at {info.center_freq / 1e6:.3f} MHz, "
      f"{info.n_samples:,} samples = {info.duration_s:.3f} s")"""),
    new_markdown_cell("""\
## Spectrum

`dsp.psd` is a Welch spectrum with max-hold and min-hold, calibrated in dBFS (a full-scale tone
reads 0 dBFS). The dashed line is the robust noise-floor estimate."""),
    new_code_cell("""\
psd = dsp.psd(cap, nfft=2048)
plot.plot_spectrum(psd, title="GPS L1, chirp jammer")"""),
    new_markdown_cell("""\
## Waterfall

`plot.display_waterfall` computes a waterfall of the whole recording in bounded memory, with as
many rows as a figure can show (frames max-held into rows, so short bursts stay visible).
The chirp sweeps 1.8 MHz every 25 µs — much faster than one FFT frame — so it shows as a band
that switches on at 0.1 s, not as a line; the CW is the thin line at +420 kHz."""),
    new_code_cell("""\
wf = plot.display_waterfall(cap)
print(wf.power_dbfs.shape, "rows x bins;", wf.settings.avg, "frames per row")
plot.plot_waterfall(wf, title="Waterfall")"""),
    new_markdown_cell("""\
The recording's SigMF annotations hold the ground truth. Drawn as boxes, they sit on the two
emissions:"""),
    new_code_cell("""\
from rfkit.detection.events import annotation_to_event

truth = [annotation_to_event(a, sample_rate=info.sample_rate) for a in cap.annotations]
for ev in truth:
    print(f"{ev.kind:8s} {ev.start_s:6.3f}-{ev.end_s:6.3f} s  {ev.freq_lo_hz / 1e6:.4f}-{ev.freq_hi_hz / 1e6:.4f} MHz"
          f"  J/N {ev.jn_db:+.1f} dB")
plot.plot_waterfall(wf, events=truth, title="Ground truth")"""),
    new_markdown_cell("""\
## A real recording: a doorbell at 868.3 MHz

An RTL-SDR recording made with rtl_433 (MIT licence, see `captures/README.md`). The receiver is
saturated by the strong FSK burst, which spreads its energy across the band."""),
    new_code_cell("""\
with rfkit.open(CAPTURES / "doorbell_868.3M_250k.sigmf-meta") as bell:
    fig = plot.plot_waterfall(plot.display_waterfall(bell, nfft=512), title="Doorbell press, 868.3 MHz")
fig"""),
    new_code_cell("cap.close()"),
]

DETECTION = [
    new_markdown_cell("""\
# Jamming detection: generate a scenario, detect, inspect, tune

`rfkit.synth` makes labelled test recordings (it writes sample files only; rfkit is
receive-only). `rfkit.detect` finds, classifies and measures interference; here we compare its
answer with the ground truth, look at the events, and tune one option."""),
    new_code_cell(
        SETUP
        + """
import tempfile

from rfkit import synth
from rfkit.detection.events import annotation_to_event

work = Path(tempfile.mkdtemp(prefix="rfkit-nb-"))"""
    ),
    new_markdown_cell("""\
## A scenario

2 s at 2.4 MS/s around 433.92 MHz, seen through a simulated RTL-SDR: a slow sawtooth chirp
(visible as lines in a waterfall), a pulsed CW, a frequency hopper, and ordinary bursty traffic
(keyfob-like packets, which are **not** jamming)."""),
    new_code_cell("""\
scenario = synth.Scenario(
    rate_hz=2.4e6, duration_s=2.0, center_freq_hz=433.92e6,
    emitters=(
        synth.Chirp(jn_db=5, offset_hz=-300e3, bandwidth_hz=400e3, period_s=0.1, start_s=0.2, end_s=1.6),
        synth.Pulsed(jn_db=8, base=synth.CW(offset_hz=450e3), prf_hz=50, duty=0.3, start_s=0.5, end_s=1.9),
        synth.Hopping(jn_db=5, channels_hz=(-800e3, -700e3, -600e3), dwell_s=0.02, start_s=1.0, end_s=1.9),
    ),
    impairments=synth.Impairments(),
    traffic=synth.Traffic(rate_per_s=2.0),
)
print(synth.describe(scenario))
meta = synth.write_scenario(work / "scenario", scenario, seed=11)
with rfkit.open(meta) as cap:
    truth = [annotation_to_event(a, sample_rate=cap.info.sample_rate) for a in cap.annotations]
len(truth), "ground-truth events\""""),
    new_markdown_cell("## Detect"),
    new_code_cell("""\
found = rfkit.detect(meta)
print(len(found), "events;", len(found.jamming), "jamming; noise", f"{found.noise_dbfs:.1f} dBFS")
for w in found.warnings:
    print("warning:", w)
for ev in found:
    print(f"{ev.kind:9s} jamming={str(ev.jamming):5s} {ev.start_s:5.2f}-{ev.end_s:5.2f} s "
          f"{ev.center_hz / 1e6:9.4f} MHz  J/N {ev.jn_db:+5.1f} dB  conf {ev.confidence:.2f}")"""),
    new_markdown_cell("""\
## Inspect

Each event carries kind-specific measurements in `params` (sweep rate and period of a chirp,
pulse rate and duty of pulsed interference, channels of a hopper). Compare them with the truth:"""),
    new_code_cell("""\
def show(events, title):
    print(title)
    for ev in events:
        if ev.jamming:
            keep = {k: v for k, v in ev.params.items() if k != "tones_hz"}
            print(f"  {ev.kind:9s} {keep}")

show(truth, "ground truth")
show(found, "detected")"""),
    new_code_cell("""\
with rfkit.open(meta) as cap:
    wf = plot.display_waterfall(cap)
plot.plot_waterfall(wf, events=found, title="Detections")"""),
    new_code_cell("""\
plot.plot_timeline(found, duration_s=2.0, title="Events by kind")"""),
    new_markdown_cell("""\
A zoom on the strongest jamming event: a short-FFT waterfall of its span and band, with the FFT
size chosen from what it is (the sweep of a chirp, the pulses of pulsed interference)."""),
    new_code_cell("""\
jam = sorted(found.jamming, key=lambda e: -e.jn_db)
plot.plot_zoom(meta, jam[0]) if jam else "no jamming found\""""),
    new_markdown_cell("""\
## Tune an option

Every threshold and resolution is an option (`rfkit.detection.options.DetectorOptions`, or
`rfkit detect --help`). `row_s` is the time resolution of the detector's spectrogram: rows of
10 ms (the default) average over the 6 ms pulses of the pulsed CW, which then blurs into its
neighbour; rows of 2 ms resolve the pulses. `min_jamming_s` is the shortest sustained emission
that may be called jamming."""),
    new_code_cell("""\
def summary(events):
    return ", ".join(f"{e.kind}{'' if e.jamming else ' (not jamming)'} {e.start_s:.2f}-{e.end_s:.2f} s"
                     for e in events)

for options in ({}, {"row_s": 0.002}, {"min_jamming_s": 1.5}):
    print(f"{str(options):24s} -> {summary(rfkit.detect(meta, **options))}")"""),
    new_code_cell("""\
fine = rfkit.detect(meta, row_s=0.002)
plot.plot_waterfall(wf, events=fine, title="Detections with 2 ms rows")"""),
    new_markdown_cell("""\
## A report for the client

`plot.write_report` writes one self-contained HTML file (figures embedded) with all of the above."""),
    new_code_cell("""\
report = plot.write_report(work / "report.html", meta, detections=fine, max_zooms=4)
print(report, f"{report.stat().st_size / 1e6:.1f} MB")"""),
]

LIVE = [
    new_markdown_cell("""\
# Live monitoring, with a recording standing in for a dongle

`rfkit serve` replays any recording as an rtl_tcp server, paced at its sample rate, exactly as a
dongle behind `rtl_tcp` would stream it. Any SDR program can connect; here rfkit's own client
does (`rfkit.open("rtltcp://...")`), and `OnlineDetector` — the same detector as `rfkit.detect`,
fed block by block — raises alerts as the jammer starts and stops."""),
    new_code_cell(
        SETUP
        + """
import re
import subprocess
import sys
import tempfile
import time

from rfkit import synth
from rfkit.detection.online import OnlineDetector

work = Path(tempfile.mkdtemp(prefix="rfkit-live-"))"""
    ),
    new_markdown_cell("""\
## A recording to replay

3 s at 1 MS/s around 1575.42 MHz (GPS L1): quiet for a second, then a chirp jammer."""),
    new_code_cell("""\
scenario = synth.Scenario(
    rate_hz=1e6, duration_s=3.0, center_freq_hz=1575.42e6,
    emitters=(synth.Chirp(jn_db=10, bandwidth_hz=300e3, period_s=0.05, start_s=1.0, end_s=2.6),),
    impairments=synth.Impairments(),
)
meta = synth.write_scenario(work / "site", scenario, seed=5)
print(synth.describe(scenario))"""),
    new_markdown_cell("""\
## Start the server

`--port 0` lets the system pick a free port; the server says which on its first line. `--loop`
starts the recording again at its end, like a dongle that keeps streaming."""),
    new_code_cell("""\
server = subprocess.Popen(
    [sys.executable, "-c", "import sys; from rfkit.cli import main; sys.exit(main())", "serve", str(meta), "--port", "0",
     "--loop"],
    stderr=subprocess.PIPE, text=True)
line = server.stderr.readline()
port = int(re.search(r"rtl_tcp://[^:]+:(\\d+)", line).group(1))
print(line.strip())"""),
    new_markdown_cell("""\
## Connect and detect live

The client asks for the frequency and rate in the URL (the replay server logs them). Blocks
arrive in real time; each goes to the detector and to a streaming spectrogram for the picture."""),
    new_code_cell("""\
url = f"rtltcp://127.0.0.1:{port}?freq=1575.42e6&rate=1e6"
rate = 1e6
n_total = int(3.0 * rate)
settings = dsp.SpectrumSettings(rate, nfft=1024, avg=8, center_freq=1575.42e6)
spectrogram = dsp.Spectrogram(settings, stat="max")
rows = []
t_start = time.monotonic()
with rfkit.open(url) as live:
    detector = OnlineDetector(live.info.sample_rate, live.info.center_freq, eight_bit=True)
    for block in live.blocks(65536, count=n_total):
        rows.append(spectrogram.push(block.samples))
        for what, ev in detector.push(block.samples):
            print(f"[{time.monotonic() - t_start:5.2f} s wall] {what:5s} {ev.kind} at "
                  f"{ev.center_hz / 1e6:.4f} MHz, stream time {ev.start_s:.2f} s, J/N {ev.jn_db:+.1f} dB")
    for what, ev in detector.finish():
        print(f"[end of stream] {what:5s} {ev.kind} {ev.start_s:.2f}-{ev.end_s:.2f} s")
server.terminate()
server.wait(timeout=10)
events = detector.events
for ev in events:
    print(f"{ev.kind} {ev.start_s:.2f}-{ev.end_s:.2f} s at {ev.center_hz / 1e6:.4f} MHz, "
          f"{ev.bandwidth_hz / 1e3:.0f} kHz wide, J/N {ev.jn_db:+.1f} dB, jamming={ev.jamming}")"""),
    new_markdown_cell("## What the monitor saw"),
    new_code_cell("""\
power = dsp.to_dbfs(np.concatenate(rows))
times = settings.row_times_s(power.shape[0])
plot.plot_waterfall(power, freqs_hz=settings.freqs_hz, times_s=times, events=events,
                    title="Live stream from rtl_tcp, with detections")"""),
    new_code_cell("""\
plot.plot_timeline(events, duration_s=3.0, title="Alerts")"""),
]


def build() -> list[Path]:
    out = []
    for name, cells in (
        ("01-quickstart", QUICKSTART),
        ("02-jamming-detection", DETECTION),
        ("03-live-monitoring", LIVE),
    ):
        nb = new_notebook(
            cells=cells,
            metadata={
                "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                "language_info": {"name": "python"},
            },
        )
        for i, cell in enumerate(nb.cells):  # stable ids: rebuilding changes nothing
            cell["id"] = f"cell-{i:02d}"
        path = HERE / f"{name}.ipynb"
        nbformat.validate(nb)
        nbformat.write(nb, path)
        out.append(path)
    return out


if __name__ == "__main__":
    for p in build():
        print(p)
