"""A snippet whose band holds nothing over the noise has no sweep to read (`Evidence.
_sweep_fast_lag`). Ground truth from gen3 (seed 27's 084, a traffic-only recording: two runs of
four keyfob repeats 0.43 s apart were tracked as one emission; its analysis window reached back
past what the ring holds, and the part held was the silence between them, whose noise the
sweep test read as a 0.35 ms triangle sweep - called a jamming chirp)."""

import numpy as np
import pytest
from independent import gen3_run

import rfkit
from rfkit.detection.evidence import Evidence

RATE = 960e3
NFFT = 1024


def _noise_evidence(seed):
    """Evidence of a 12-bin band whose snippet is noise alone, its reference the noise's."""
    rng = np.random.default_rng(seed)
    n = int(0.23 * RATE)
    x = ((rng.standard_normal(n) + 1j * rng.standard_normal(n)) * np.sqrt(0.5)).astype(np.complex64)
    bin_hz = RATE / NFFT
    offsets = (np.arange(NFFT) - NFFT // 2) * bin_hz
    enbw = 1.5
    # the reference 10 % over the snippet's own noise (a track's reference summed over its band's
    # bins reads a little over what the snippet's band filter passes): the signal reads under 0
    ref = np.full(NFFT, 1.1 * enbw / NFFT)
    spec = ref.copy()
    lo, hi = 152, 161
    spec[lo:hi + 1] *= 1.02  # (a band the tracker marked, next to nothing in it)
    rows = 74
    return Evidence(rate_hz=RATE, bin_hz=bin_hz, enbw=enbw, offsets_hz=offsets, spec_on=spec, ref=ref,
                    lo_bin=lo, hi_bin=hi, row_s=0.0096, row_times_s=np.arange(rows) * 0.0096,
                    row_excess=np.zeros(rows), row_peak_hz=np.full(rows, np.nan),
                    row_on=np.arange(rows) % 3 == 0, snippet=x, start_s=0.0, end_s=rows * 0.0096,
                    bounded=True, noise_total=1.0)


@pytest.mark.parametrize("seed", range(4))
def test_noise_alone_in_the_band_reads_no_fast_sweep(seed):
    ev = _noise_evidence(seed)
    assert ev.snip.snr < 0
    assert ev.sweep_fast() is None, (ev.snip.snr, ev.sweep_fast())


def test_gen3_keyfob_repeats_across_a_silence_are_no_chirp(tmp_path):
    truth, d = gen3_run(tmp_path, 27, 84)
    assert not truth
    assert not d.jamming, [(e.kind, e.start_s, e.end_s, e.params) for e in d.jamming]
