"""The receiver's own passband (rfkit/detection/passband.py): a tilted, rippled floor, smooth
across frequency and there from the first sample, is no jammer; a noise band with edges, or one
switched on later, is an emission."""

import numpy as np
import pytest
from receivers import band_noise, rippled, white

import rfkit
from rfkit.detection.passband import receiver_passband, same_power

RATE = 1.2e6
NFFT = 1024


def _receiver(x: np.ndarray, tilt: float) -> np.ndarray:
    """x through a 0.8 dB-ripple band-edge filter and a tilt of about 17 * tilt dB, 8-bit."""
    return rippled(x, ripple_db=0.8, tilt=tilt)


def _band_noise(rng, n, lo_hz, hi_hz, jn_db):
    return band_noise(rng, n, lo_hz, hi_hz, jn_db, RATE)


def _spectrum(x):
    """Averaged Hann periodogram, NFFT bins, ascending frequency."""
    k = x.shape[0] // NFFT
    X = np.fft.fft(x[: k * NFFT].reshape(k, NFFT) * np.hanning(NFFT), axis=1)
    return np.fft.fftshift((np.abs(X) ** 2).mean(axis=0))


CENTRAL = slice(int(0.1 * NFFT), NFFT - int(0.1 * NFFT))


def _high_side(spec):
    """(lo, hi) bins of the central band standing over its median by 0.4 dB (where the tilt
    lifts the floor), the longest run."""
    d = 10 * np.log10(spec)
    d = np.convolve(d, np.ones(15) / 15, mode="same")
    over = np.zeros(NFFT, dtype=bool)
    over[CENTRAL] = d[CENTRAL] > np.median(d[CENTRAL]) + 0.4
    edges = np.flatnonzero(np.diff(np.r_[0, over.astype(int), 0]))
    runs = edges.reshape(-1, 2)
    lo, hi = max(runs, key=lambda r: r[1] - r[0])
    return int(lo), int(hi) - 1


@pytest.mark.parametrize("seed", [3, 4])
def test_a_tilted_passband_is_the_receivers(seed):
    rng = np.random.default_rng(seed)
    x = _receiver(white(rng, int(2.0 * RATE)), 0.12)
    spec = _spectrum(x)
    lo, hi = _high_side(spec)
    # (the tilt is there: the high side stands over a dB above the low side)
    d = 10 * np.log10(spec[CENTRAL])
    assert np.percentile(d, 95) - np.percentile(d, 5) > 1.5
    assert hi - lo > 0.15 * NFFT
    first = _spectrum(x[: int(0.1 * RATE)])
    assert receiver_passband(spec, first, lo, hi, central=CENTRAL, dc_bins=2)


def test_a_sharp_noise_band_on_the_passband_is_an_emission():
    # -5 dB over 40 % of the band from the first sample: in-band ~2.5 dB, as high as the tilt
    # plus ripple, but its band ends within a few bins
    rng = np.random.default_rng(5)
    n = int(2.0 * RATE)
    lo_hz, hi_hz = -420e3, 60e3
    x = _receiver(white(rng, n) + _band_noise(rng, n, lo_hz, hi_hz, -5.0), 0.12)
    spec = _spectrum(x)
    first = _spectrum(x[: int(0.1 * RATE)])
    lo, hi = (round(f / RATE * NFFT) + NFFT // 2 for f in (lo_hz, hi_hz))
    assert not receiver_passband(spec, first, lo, hi, central=CENTRAL, dc_bins=2)


def test_a_smooth_band_switched_on_later_is_an_emission():
    # a passband-like hump (smooth, weak) that was not there in the first 0.1 s: an onset
    rng = np.random.default_rng(6)
    n = int(2.0 * RATE)
    x = white(rng, n)
    spec_q = _spectrum(_receiver(x, 0.0))
    y = _receiver(x + _smooth_band(rng, n, 250e3, 120e3, -9.0, on_s=0.5), 0.0)
    spec = _spectrum(y)
    first = _spectrum(y[: int(0.1 * RATE)])
    lo, hi = (round(f / RATE * NFFT) + NFFT // 2 for f in (150e3, 350e3))
    # (it is smooth and weak: only its onset tells it from the passband)
    assert 10 * np.log10(np.median(spec[lo:hi]) / np.median(spec_q[lo:hi])) < 2.0
    assert not receiver_passband(spec, first, lo, hi, central=CENTRAL, dc_bins=2)
    # ... and on from the first sample, the same band is taken for the passband
    z = _receiver(x + _smooth_band(rng, n, 250e3, 120e3, -9.0, on_s=0.0), 0.0)
    assert receiver_passband(_spectrum(z), _spectrum(z[: int(0.1 * RATE)]), lo, hi, central=CENTRAL, dc_bins=2)


def _smooth_band(rng, n, centre_hz, width_hz, jn_db, *, on_s):
    """Noise with a Gaussian spectrum (centre, 1-sigma width) of power 10**(jn_db/10), on from on_s."""
    spec = np.fft.fft(white(rng, n))
    f = np.fft.fftfreq(n, 1 / RATE)
    spec *= np.exp(-0.25 * ((f - centre_hz) / width_hz) ** 2)
    y = np.fft.ifft(spec)
    y *= np.sqrt(10 ** (jn_db / 10) / np.mean(np.abs(y) ** 2))
    y[: int(on_s * RATE)] = 0
    return y


@pytest.mark.parametrize("seed", [1, 2])
def test_a_strongly_tilted_receiver_alone_gives_no_jamming(seed):
    # ~2 dB of tilt across the band plus ripple: its high side stands over the floor shape's cap
    rng = np.random.default_rng(seed)
    x = _receiver(white(rng, int(2.5 * RATE)), 0.12)
    found = [e for e in rfkit.detect(x, rate_hz=RATE, center_hz=433.92e6) if e.jamming]
    assert found == []


def test_a_noise_jammer_on_a_tilted_receiver_from_the_first_sample_is_found():
    rng = np.random.default_rng(8)
    n = int(2.5 * RATE)
    lo_hz, hi_hz = -60e3, 420e3  # on the tilt's high side
    x = _receiver(white(rng, n) + _band_noise(rng, n, lo_hz, hi_hz, -5.0), 0.12)
    found = [e for e in rfkit.detect(x, rate_hz=RATE, center_hz=433.92e6) if e.jamming]
    assert len(found) >= 1, found
    e = max(found, key=lambda e: e.freq_hi_hz - e.freq_lo_hz)
    assert e.kind == "noise"
    assert e.end_s >= 2.4
    centre = 433.92e6 + 0.5 * (lo_hz + hi_hz)
    assert e.freq_lo_hz < centre < e.freq_hi_hz


@pytest.mark.parametrize("what", ["whole-band noise", "fast sweep"])
def test_weak_broad_emissions_switched_on_later_are_emissions(what):
    # -10 dB over the whole band (the floor beside the band rises with it: only the band's own
    # power tells its onset) and a -10 dB sawtooth sweeping half the band every 30 us (its power
    # stands in lines 33 kHz apart)
    rng = np.random.default_rng(9)
    n = int(2.0 * RATE)
    if what == "whole-band noise":
        jam = white(rng, n) * np.sqrt(0.1)
        lo, hi = int(0.2 * NFFT), int(0.8 * NFFT)
    else:
        t = np.arange(n) / RATE
        period, bw = 30e-6, 0.5 * RATE
        u = (t % period) / period - 0.5
        jam = np.sqrt(0.1) * np.exp(1j * np.pi * bw * period * u ** 2)
        lo, hi = int(0.27 * NFFT), int(0.73 * NFFT)
    jam[: int(0.5 * RATE)] = 0
    x = _receiver(white(rng, n) + jam, 0.0)
    spec = _spectrum(x[int(0.5 * RATE):])
    first = _spectrum(x[: int(0.1 * RATE)])
    assert not receiver_passband(spec, first, lo, hi, central=CENTRAL, dc_bins=2)
    if what == "whole-band noise":
        # (without its onset it would pass for the receiver's: smooth and weak)
        later = _spectrum(x[int(0.5 * RATE):int(0.6 * RATE)])
        assert receiver_passband(spec, later, lo, hi, central=CENTRAL, dc_bins=2)


def test_a_band_whose_power_moved_since_the_start_is_no_passband():
    # a whole-band noise jammer at -5 dB on from the first sample that stops at 1.2 s: the
    # passband's humps stood on it; in the latest rows the band's power has fallen 1.2 dB
    rng = np.random.default_rng(10)
    n = int(2.0 * RATE)
    jam = white(rng, n) * np.sqrt(10 ** -0.5)
    jam[int(1.2 * RATE):] = 0
    x = _receiver(white(rng, n) + jam, 0.12)
    first = _spectrum(x[: int(0.1 * RATE)])
    lo, hi = _high_side(_spectrum(x[: int(1.2 * RATE)]))
    assert not same_power(_spectrum(x[-int(0.1 * RATE):]), first, lo, hi, central=CENTRAL)
    # (while it was on, the band stood as at the start)
    assert same_power(_spectrum(x[int(1.0 * RATE):int(1.1 * RATE)]), first, lo, hi, central=CENTRAL)
    # and the receiver alone holds its power
    y = _receiver(white(rng, n), 0.12)
    assert same_power(_spectrum(y[-int(0.1 * RATE):]), _spectrum(y[: int(0.1 * RATE)]), lo, hi, central=CENTRAL)


def test_the_quadratic_smoother_is_a_least_squares_quadratic():
    from rfkit.detection.passband import _quadratic_smoother

    for m in (7, 21, 103):
        w = _quadratic_smoother(m)
        x = np.arange(m) - m // 2
        # naive twin: fit a quadratic to each unit vector, read at the middle
        naive = np.array([np.polyval(np.polyfit(x, np.eye(m)[i], 2), 0.0) for i in range(m)])
        assert np.allclose(w, naive, atol=1e-12)


def test_a_tilted_passband_over_the_whole_central_band_is_the_receivers():
    """A tilted, rippled floor whose band (the tracker's: the high side joined with a piece at the
    band edge) leaves no central bin free: no floor to measure it on, present or absent; smooth,
    weak and as strong in the first rows as over its life, it is the receiver's passband."""
    rng = np.random.default_rng(3)
    x = _receiver(white(rng, int(2.0 * RATE)), 0.12)
    spec = _spectrum(x)
    first = _spectrum(x[: int(0.1 * RATE)])
    assert receiver_passband(spec, first, int(0.05 * NFFT), NFFT - 1, central=CENTRAL, dc_bins=2)
    # ... but not where its power moved since the first rows (something switched on or off)
    assert not receiver_passband(spec, 0.8 * first, int(0.05 * NFFT), NFFT - 1, central=CENTRAL, dc_bins=2)


def test_a_carrier_in_the_roll_off_part_of_a_band_is_an_emission():
    """The same whole band with a carrier beyond the central bins (where the roll-off is not judged
    for smoothness): a receiver's response holds no line."""
    rng = np.random.default_rng(3)
    n = int(2.0 * RATE)
    t = np.arange(n) / RATE
    carrier = 10 ** (-5 / 20) * np.exp(2j * np.pi * 0.44 * RATE * t)  # ~+25 dB over a bin's noise
    x = _receiver(white(rng, n) + carrier, 0.12)
    spec = _spectrum(x)
    first = _spectrum(x[: int(0.1 * RATE)])
    assert not receiver_passband(spec, first, int(0.05 * NFFT), NFFT - 1, central=CENTRAL, dc_bins=2)


def test_a_carrier_beside_a_tilted_passband_leaves_it_the_receivers():
    # gen3 seed 4's 005: a hopper's lowest channel 100 bins above the hump a receiver's tilt
    # raised at the band's low side, within the local quadratic's window: its line bent the
    # quadratic so that the smooth hump seemed to depart from it (0.6 dB) - called a noise
    # jammer. Another emission's narrow line beside the band is no part of its shape
    rng = np.random.default_rng(3)
    n = int(2.0 * RATE)
    x = _receiver(white(rng, n), 0.12)
    lo, hi = _high_side(_spectrum(x))
    f = ((hi + 40) / NFFT - 0.5) * RATE  # (a carrier 40 bins beyond the hump's edge)
    if hi + 40 >= CENTRAL.stop:
        f = ((lo - 40) / NFFT - 0.5) * RATE
    x = x + 0.5 * np.exp(2j * np.pi * f / RATE * np.arange(n))
    spec = _spectrum(x)
    first = _spectrum(x[: int(0.1 * RATE)])
    assert receiver_passband(spec, first, lo, hi, central=CENTRAL, dc_bins=2)


def test_a_carrier_told_apart_on_the_hump_is_no_part_of_the_passband():
    """A tilted receiver with a carrier on its high side for the first half only: the band holds
    a line and its power moved when the carrier stopped, so read whole it is no passband; with the
    carrier's bins left out (`skip`: an emission the tracker told apart and classified on its
    own), what remains is the receiver's smooth response, unchanged from the first rows."""
    rng = np.random.default_rng(3)
    n = int(2.0 * RATE)
    x0 = white(rng, n)
    spec0 = _spectrum(_receiver(x0, 0.12))
    lo, hi = _high_side(spec0)
    f = (0.5 * (lo + hi) - NFFT // 2) * RATE / NFFT + 0.3 * RATE / NFFT
    t = np.arange(n) / RATE
    carrier = np.exp(2j * np.pi * f * t)  # J/N 0 dB
    carrier[n // 2:] = 0
    x = _receiver(x0 + carrier, 0.12)
    spec = _spectrum(x)
    first = _spectrum(x[: int(0.1 * RATE)])
    assert not receiver_passband(spec, first, lo, hi, central=CENTRAL, dc_bins=2)
    k = round(f * NFFT / RATE) + NFFT // 2
    skip = np.zeros(NFFT, dtype=bool)
    skip[k - 3:k + 4] = True
    assert receiver_passband(spec, first, lo, hi, central=CENTRAL, dc_bins=2, skip=skip)
    assert same_power(_spectrum(x[-int(0.1 * RATE):]), first, lo, hi, central=CENTRAL, skip=skip)


def test_a_carrier_on_a_tilted_receiver_is_a_carrier_not_a_noise_band():
    """gen3's recording 31 of set 4: a CW at J/N 0 dB on from before the first sample to 0.74 s,
    on the high side of an 8-bit receiver's 2.5 dB tilt. The tracker tells the carrier apart; the
    tilt's hump under it, read with the carrier's bins, held a line and lost power when it stopped
    (called noise, jamming, and the carrier merged into it). Without them it is the receiver's."""
    from independent import gen3

    g = gen3()
    spec = g.plan_set(100, seed=4)[31]
    x, truth = g.render(spec)
    (tj,) = [t for t in truth if t["jamming"]]
    d = rfkit.detect(x.astype(np.complex64), rate_hz=spec["rate_hz"])
    assert [e.kind for e in d.jamming] == ["cw"], [(e.kind, e.start_s, e.end_s) for e in d.jamming]
    e = d.jamming[0]
    c = spec["center_hz"]
    assert e.freq_lo_hz <= tj["freq_hi_hz"] - c + 2e3 and e.freq_hi_hz >= tj["freq_lo_hz"] - c - 2e3
    assert abs(e.end_s - tj["end_s"]) <= 0.05


def test_emissions_holding_most_of_the_band_leave_it_judged_whole():
    """Where the emissions told apart hold most of the band (a jammer over the hump's band), they
    are no lines on a receiver's response: the band is judged whole, as it stands (`lines_on`);
    where they hold every bin, nothing is left to judge (no passband, and no failure)."""
    from rfkit.detection.passband import lines_on

    rng = np.random.default_rng(3)
    x = _receiver(white(rng, int(1.0 * RATE)), 0.12)
    spec = _spectrum(x)
    first = _spectrum(x[: int(0.1 * RATE)])
    lo, hi = _high_side(spec)
    assert not receiver_passband(spec, first, lo, hi, central=CENTRAL, dc_bins=2, skip=np.ones(NFFT, dtype=bool))
    most = np.zeros(NFFT, dtype=bool)
    most[lo:lo + (hi - lo) * 3 // 4] = True
    assert lines_on(most, lo, hi) is None
    few = np.zeros(NFFT, dtype=bool)
    few[lo + 5:lo + 12] = True
    assert np.array_equal(lines_on(few, lo, hi), few)
    broad = few.copy()
    broad[hi - int(0.15 * NFFT):hi] = True  # a band of its own beside the line: judged as it stands
    assert np.array_equal(lines_on(broad, lo, hi), few)
