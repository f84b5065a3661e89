"""A repetition that short would stand as lines: a fast sweep read from an |R| peak at a period
whose comb the fine bins resolve must show that comb (`kinds.chirp._comb_missing`). Ground truth
from gen3 (seed 19's 013: four tones at -5 dB from 0.84 s; the probe read the whole band's noise
before them, through the receiver's filter, as a 5 us triangle sweep, whose event then stood for
the whole recording and took the tones' place - called chirp)."""

from independent import gen3_multitone


def test_gen3_noise_correlated_at_a_few_samples_is_no_sweep_and_the_tones_stay(tmp_path):
    truth, ev = gen3_multitone(tmp_path, 19, 13, 4)
    t0 = truth["core:sample_start"] / 960e3
    assert abs(ev.start_s - t0) <= 0.05
