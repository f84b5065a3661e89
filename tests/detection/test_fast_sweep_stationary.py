"""What a fast sweep is not: narrow packets and stationary lines on an 8-bit receiver
(rfkit.detection.online's whole-band probe, whose jammer must spread its power across the band it
fills: `Evidence.occupied_share`; chirp's tests on the band's |R| period). Ground truth:
recordings of the independent generator (benchmarks/altgen.py), rebuilt from its plan (same
seed, same spec) or specified by hand, and excess spectra with a naive twin."""

import numpy as np
import pytest
from independent import altgen, covering_jammer, recording

import rfkit
from rfkit.detection.online import PROBE_OCCUPIED_MIN


def test_repeated_fsk_message_on_8bit_is_no_jammer(tmp_path):
    # seed 29's alt093: an FSK sensor repeating its message six times 10.5 ms apart near the
    # band edge, an OOK remote later, an 8-bit receiver with its DC spike. The whole-band probe
    # took the packets for a keyed sweeper (their band's edges are read off the snippet's own
    # floor, yet 2 % of the band holds the power), and the band's |R| (level over every lag from
    # the DC line) passed for a 2.5 us triangle whose second-order mean was real and positive
    spec, d = recording(tmp_path, 29, 93)
    assert spec["jammers"] == [] and spec["receiver"]["dc_db"] is not None
    assert not d.jamming, [(e.kind, e.start_s, e.end_s, e.params) for e in d.jamming]


def test_keyed_sweeper_on_from_the_start_is_still_found_by_the_probe(tmp_path):
    # seed 5's alt084: a sawtooth across 776 kHz of a 1 MS/s band every 12.5 us, keyed at
    # 165 Hz, -5 dB, on from the first sample: only the whole-band probe sees it (no quiet
    # reference), and its power spreads across the band (~0.8 of it)
    spec, d = recording(tmp_path, 5, 84)
    ev = covering_jammer(d, spec)
    assert ev.kind == "pulsed" and ev.params["base_kind"] == "chirp"
    assert ev.params["prf_hz"] == pytest.approx(spec["jammers"][0]["prf_hz"], rel=0.05)


@pytest.mark.parametrize("k,spacing_hz,jn_db", [(12, 200e3, -14.0), (24, 100e3, -12.0)])
def test_stationary_comb_on_8bit_is_no_chirp(tmp_path, k, spacing_hz, jn_db):
    # evenly spaced lines that hold their frequencies (a spur comb; a sweep's comb has the same
    # spacing, 1/T, but its lines are one carrier moving linearly), weak, through an 8-bit
    # receiver with a DC spike: |R| repeats at 1/spacing, yet nothing sweeps
    ag = altgen()
    rate = 2.56e6
    rx = ag.default_receiver("cu8", center_hz=433.92e6)
    rx["dc_db"] = -17.0
    freqs = [float((i - (k - 1) / 2 + 0.37) * spacing_hz) for i in range(k)]
    assert max(abs(f) for f in freqs) < 0.5 * rate
    jam = ag.jammer_spec("multitone", rate_hz=rate, jn_db=jn_db, on=[(0.0, 2.5)], seed=3, tones_hz=freqs,
                         powers_db=[0.0] * k)
    spec = ag.recording_spec(rate_hz=rate, duration_s=2.5, dtype="cu8", center_hz=433.92e6, jammers=[jam],
                             receiver=rx, seed=7)
    d = rfkit.detect(ag.write_recording(tmp_path, spec))
    assert not [e for e in d if e.kind == "chirp"], [(e.kind, e.start_s, e.end_s, e.params) for e in d]
    assert np.all([e.kind != "pulsed" or e.params.get("base_kind") != "chirp" for e in d])



def _evidence_of(excess, *, wide=True):
    """An Evidence whose averaged spectrum stands `excess` (linear, per fine bin) over a flat
    reference of 1, the band read over the whole of it (as the whole-band probe reads it)."""
    from rfkit.detection.evidence import Evidence

    n = excess.shape[0]
    rate = 2.56e6
    return Evidence(rate_hz=rate, bin_hz=rate / n, enbw=1.5, offsets_hz=(np.arange(n) - n / 2) * rate / n,
                    spec_on=1.0 + excess, ref=np.ones(n), lo_bin=0, hi_bin=n - 1, row_s=0.01,
                    row_times_s=np.zeros(0), row_excess=np.zeros(0), row_peak_hz=np.zeros(0),
                    row_on=np.zeros(0, dtype=bool), snippet=None, start_s=0.0, end_s=1.0, bounded=False,
                    noise_total=float(n), wide=wide)


def _occupied_naive(ev, power=0.9):
    """The narrowest run of the band read's bins holding `power` of its excess, the same tails
    off each side: bins dropped one by one from the ends while the tail stays under its share."""
    lo, hi = ev.band_bins
    ex = [max(0.0, float(v)) for v in ev.excess[int(np.floor(lo)):int(np.ceil(hi)) + 1]]
    total = sum(ex)
    tail = 0.5 * (1 - power) * total
    i, acc = 0, ex[0]
    while acc < tail:
        i += 1
        acc += ex[i]
    j, acc = len(ex) - 1, 0.0
    while acc + ex[j] <= tail:
        acc += ex[j]
        j -= 1
    return (j - i + 1) / len(ex)


@pytest.mark.parametrize("case", ["band", "packet", "comb"])
def test_occupied_share_tells_a_filled_band_from_one_narrow_emission(case):
    rng = np.random.default_rng(5)
    n = 2048
    ex = 0.5 + 0.05 * rng.standard_normal(n)  # a weak level over the whole band (a floor mismatch)
    if case == "band":
        ex += 0.8  # a sweep or noise band filling it
    elif case == "packet":
        ex[1500:1540] += 300.0  # one packet 2 % of the band wide holding most of the power
    else:
        ex[np.arange(20, n - 20, 64)] += 40.0  # a fast sweep's comb of lines across the band
    ev = _evidence_of(np.maximum(ex, 0.0))
    share = ev.occupied_share
    assert share == pytest.approx(_occupied_naive(ev), abs=2.0 / n)
    if case == "packet":
        assert share < PROBE_OCCUPIED_MIN
    else:
        assert share > 0.7
