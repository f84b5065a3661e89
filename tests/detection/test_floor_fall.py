"""A wide emission on from the first sample that stops (online.OnlineDetector._lead_row): the rows'
level falls by a step, and the stretch before is the emission, measured against the floor after
it; a step of the receiver's gain (the floor scaled as it is) is no emission."""

import numpy as np
import pytest

import rfkit
from rfkit.detection.online import (
    CHUNK_ROWS,
    FALL_PFA,
    FALL_SHAPE_DB,
    MAX_CHUNKS,
    OnlineDetector,
    _fall_shape,
)

RATE = 1_000_000.0
SIGMA = 10 ** (-40 / 20)  # receiver noise at -40 dBFS


def _rolloff(n: int, *, start: float = 0.8, edge_db: float = 3.0) -> np.ndarray:
    """A receiver's amplitude response over fftfreq bins: flat, then falling smoothly to -edge_db
    at the band edges beyond `start` of the half band, with a gentle tilt (0.5 dB across)."""
    f = np.fft.fftfreq(n)  # -0.5 .. 0.5
    u = np.clip((np.abs(f) / 0.5 - start) / (1 - start), 0, 1)
    db = -edge_db * (1 - np.cos(np.pi * u)) / 2 + 0.5 * f
    return 10 ** (db / 20)


def _noise(rng, n: int, slope_db: float = 0.0) -> np.ndarray:
    """Unit-power complex noise over the whole band, its spectrum sloped by slope_db across it."""
    W = np.fft.fft(rng.standard_normal(n) + 1j * rng.standard_normal(n))
    W *= 10 ** (slope_db * np.fft.fftfreq(n) / 20)
    w = np.fft.ifft(W)
    return w / np.sqrt(np.mean(np.abs(w) ** 2))


def _capture(*, total_s: float, stop_s: float, jn_db: float | None = None, slope_db: float = 0.0,
             gain_db: float | None = None, seed: int = 1) -> np.ndarray:
    """Receiver noise through its roll-off; with `jn_db`, a whole-band noise jammer (spectrum
    sloped by `slope_db`) from the first sample to stop_s at that J/N, through the same receiver;
    with `gain_db`, the receiver's gain that much higher (its output scaled) until stop_s. Stored
    as 8-bit integers (noise ~4 LSB rms), so the converter adds its own fixed noise."""
    rng = np.random.default_rng(seed)
    n, m = int(total_s * RATE), int(stop_s * RATE)
    x = SIGMA * _noise(rng, n)
    if jn_db is not None:
        x[:m] += SIGMA * 10 ** (jn_db / 20) * _noise(rng, m, slope_db)
    x = np.fft.ifft(np.fft.fft(x) * _rolloff(n))
    if gain_db is not None:
        x[:m] *= 10 ** (gain_db / 20)
    lsb = 4 * SIGMA / np.sqrt(2) / 4  # ~4 LSB rms per component
    q = np.clip(np.round(x.real / lsb), -127, 127) + 1j * np.clip(np.round(x.imag / lsb), -127, 127)
    return (q * lsb).astype(np.complex64)


def _jamming(evs):
    return [e for e in evs if e.jamming]


@pytest.mark.parametrize(("jn_db", "slope_db"), [(10.0, 3.0), (0.0, -4.0), (-5.0, 5.0)])
def test_a_jammer_on_from_the_start_that_stops_is_one_event_to_its_stop(jn_db, slope_db):
    x = _capture(total_s=3.0, stop_s=1.8, jn_db=jn_db, slope_db=slope_db)
    jam = _jamming(rfkit.detect(x, rate_hz=RATE))
    assert len(jam) == 1, jam
    e = jam[0]
    assert e.kind == "noise"
    assert e.start_s <= 0.05
    assert abs(e.end_s - 1.8) <= 0.05
    # J/N against the receiver noise alone (the roll-off takes ~5 % of both alike)
    assert abs(e.jn_db - jn_db) <= 2.0
    assert e.freq_hi_hz - e.freq_lo_hz >= 0.7 * RATE


def test_a_partial_band_jammer_on_from_the_start_that_stops_keeps_its_band():
    """Noise over 40 % of the band (+10 dB) from the first sample to 1.8 s: it lifts the rows'
    level too; the event is its band, not the whole band, and ends where it stopped, at its J/N
    (the CFAR's track of the same band is folded with it by merge_fragments: one power, not the
    sum of two measures of it)."""
    rng = np.random.default_rng(3)
    n, m = int(3.0 * RATE), int(1.8 * RATE)
    x = SIGMA * _noise(rng, n)
    W = np.fft.fft(_noise(rng, m))
    f = np.fft.fftfreq(m, 1 / RATE)
    W[(f < -300e3) | (f > 100e3)] = 0
    j = np.fft.ifft(W)
    x[:m] += SIGMA * 10 ** (10 / 20) * j / np.sqrt(np.mean(np.abs(j) ** 2))
    jam = _jamming(rfkit.detect(x.astype(np.complex64), rate_hz=RATE))
    assert len(jam) >= 1
    e = min(jam, key=lambda e: e.start_s)
    assert e.kind == "noise"
    assert e.start_s <= 0.05 and abs(e.end_s - 1.8) <= 0.05
    assert abs(e.freq_lo_hz + 300e3) <= 40e3 and abs(e.freq_hi_hz - 100e3) <= 40e3
    assert abs(e.jn_db - 10.0) <= 2.0


@pytest.mark.parametrize("gain_db", [10.0, 3.0])
def test_a_gain_step_is_no_jammer(gain_db):
    """The receiver's gain higher from the start until 1.8 s (then lower): the floor scaled as it
    is, roll-off, tilt and all (the converter's noise fixed): nothing to report. (A gain step
    up mid-way is read as a floor rise, as before: not this test's business.)"""
    x = _capture(total_s=3.0, stop_s=1.8, gain_db=gain_db)
    assert _jamming(rfkit.detect(x, rate_hz=RATE)) == []


def test_a_wide_jammer_in_the_middle_is_still_one_event():
    """A jammer switched on mid-way and off again (a rise, then a fall): one event as before."""
    rng = np.random.default_rng(5)
    n = int(3.0 * RATE)
    x = SIGMA * _noise(rng, n)
    a, b = int(0.8 * RATE), int(2.0 * RATE)
    x[a:b] += SIGMA * _noise(rng, b - a, 3.0)
    evs = _jamming(rfkit.detect(x.astype(np.complex64), rate_hz=RATE))
    assert len(evs) == 1
    assert abs(evs[0].start_s - 0.8) <= 0.05 and abs(evs[0].end_s - 2.0) <= 0.05


def test_a_long_jammer_stopping_is_one_event_in_bounded_memory():
    """20 s on from the start, streamed in blocks: one event, and the stretch's spectra kept
    as at most MAX_CHUNKS chunk means (no samples, no per-row spectra)."""
    rate = 250e3
    rng = np.random.default_rng(7)
    det = OnlineDetector(rate)
    on_s, total_s, block = 20.0, 21.0, 1 << 16
    n, m = int(total_s * rate), int(on_s * rate)
    seen = []
    for s in range(0, n, block):
        k = min(block, n - s)
        x = SIGMA * _noise(rng, k)
        if s < m:
            j = SIGMA * _noise(rng, k, 4.0)
            j[max(0, m - s):] = 0
            x = x + j
        det.push(x.astype(np.complex64))
        if det._lead is not None:
            seen.append(len(det._lead.acc.chunks) + len(det._lead.pending))
    det.finish()
    assert max(seen) <= MAX_CHUNKS + 2 * 5 + 1
    jam = [e for e in det.events if e.jamming]
    assert len(jam) == 1
    assert jam[0].start_s <= 0.05 and abs(jam[0].end_s - on_s) <= 0.05
    assert jam[0].kind == "noise"


def _chunks(rng, n_chunks, level):
    """Chunk mean spectra (CHUNK_ROWS rows of 2*avg dof each, avg = 8) of a floor `level` per bin."""
    nfft = level.shape[0]
    return rng.gamma(8 * CHUNK_ROWS, 1 / (8 * CHUNK_ROWS), size=(n_chunks, nfft)) * level


def _fall_case(seed):
    """(rng, f, floor, falls) for the fall-shape tests: a receiver's floor over 1024 bins (0.6 dB
    of tilt-like ripple, a 2 dB roll-off in the outer tenths), 5 quiet chunks of it, and
    `falls(spectrum)`: does `_fall_shape` find 40 chunks of `spectrum` falling to that floor a
    spectrum of its own?"""
    rng = np.random.default_rng(seed)
    nfft = 1024
    f = np.linspace(-0.5, 0.5, nfft, endpoint=False)
    floor = 10 ** ((0.6 * np.cos(6 * f) - 2.0 * np.clip(np.abs(f) / 0.5 - 0.8, 0, 1) / 0.2) / 10)
    central = slice(102, nfft - 102)
    skip = np.abs(f) < 3 / nfft
    quiet = _chunks(rng, 5, floor)
    kw = {"dof_bin": 16.0, "min_db": FALL_SHAPE_DB, "pfa": FALL_PFA}
    return rng, f, floor, lambda spectrum: _fall_shape(_chunks(rng, 40, spectrum), quiet, central, skip, **kw)


@pytest.mark.parametrize("seed", range(3))
def test_fall_shape_tells_a_spectrum_taken_away_from_a_scaled_floor(seed):
    rng, f, floor, falls = _fall_case(seed)
    # a jammer with a 2 dB slope at J/N 0 dB over the floor: its own spectrum taken away
    jam = floor * (1 + 10 ** (2.0 * f / 10))
    assert falls(jam)
    # the gain 6 dB higher, with a fixed converter noise 15 dB under the floor: the floor scaled
    conv = 10 ** -1.5
    gained = 4 * (floor - conv) + conv
    assert not falls(gained)
    # a flat jammer through the receiver (the floor's own shape): no telling it from a gain step
    assert not falls(2 * floor)


@pytest.mark.parametrize("seed", range(3))
def test_fall_shape_tells_a_rippled_jammer_from_a_gain_step(seed):
    """A jammer whose own spectrum is a 1 dB ripple of 5 cycles across the band (at J/N 0 dB)
    leaves E varying by +-12 % from sub-band to sub-band, which 3 sub-bands' smoothing nearly
    cancels (gen3 seed 5's 058); a gain step with its converter's fixed noise fits the gain
    step's shape (`online._gain_step_fit`)."""
    _, f, floor, falls = _fall_case(seed)
    assert falls(floor * (1 + 10 ** (0.5 * np.sin(2 * np.pi * 5 * f + 1.0) / 10)))
    for gain, conv_db in ((4.0, -15.0), (2.0, -8.0), (10.0, -10.0)):
        conv = 10 ** (conv_db / 10)
        assert not falls(gain * (floor - conv) + conv)
