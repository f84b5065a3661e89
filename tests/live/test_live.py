"""Live-source URLs and settings (`rtlsdr:` / `rtltcp://`), and the LiveCapture stream logic."""

from __future__ import annotations

import numpy as np
import pytest

from rfkit.errors import ParameterError, SourceError
from rfkit.io.live import DEFAULT_RATE_HZ, LiveCapture, live_info, parse_live_url


def test_rtltcp_url_with_every_setting():
    scheme, where, s = parse_live_url(
        "rtltcp://10.0.0.5:7000?freq=1575.42M&rate=2.4e6&gain=49.6&ppm=-12&agc=1&bias_tee=on"
        "&direct_sampling=i&offset_tuning=0&timeout=2&retries=3&overflow=wait&ring_bytes=1M")
    assert (scheme, where) == ("rtltcp", "10.0.0.5:7000")
    assert (s.freq_hz, s.rate_hz, s.gain_db, s.ppm) == (1575.42e6, 2.4e6, 49.6, -12)
    assert (s.agc, s.bias_tee, s.direct_sampling, s.offset_tuning) == (True, True, 1, False)
    assert (s.timeout_s, s.retries, s.overflow, s.ring_bytes) == (2.0, 3, "wait", 1_000_000)


def test_defaults_and_overrides():
    scheme, where, s = parse_live_url("rtltcp://localhost")
    assert (where, s.rate_hz, s.freq_hz, s.gain_db) == ("localhost:1234", DEFAULT_RATE_HZ, None, None)
    _, _, s = parse_live_url("rtltcp://h:1?rate=1M&freq=100M", rate=2e6, freq=433.92e6, gain="auto")
    assert (s.rate_hz, s.freq_hz, s.gain_db) == (2e6, 433.92e6, "auto")
    scheme, where, s = parse_live_url("rtlsdr:")
    assert (scheme, where) == ("rtlsdr", "0")
    assert parse_live_url("rtlsdr://1?freq=1G")[1] == "1"
    assert parse_live_url("rtltcp://[::1]:1234")[1] == "[::1]:1234"
    assert parse_live_url("rtltcp://h?rate=2.4e+06&freq=1.57542e%2B9")[2].rate_hz == 2.4e6  # "+" is not a space
    assert parse_live_url("rtltcp://h?freq=1.57542e%2B9")[2].freq_hz == 1.57542e9


@pytest.mark.parametrize(
    ("url", "match"),
    [
        ("rtltcp://h:1?rate=0", "rate=0.0 must be a positive sample rate"),
        ("rtltcp://h:1?freq=-1", "freq=-1.0 must be a centre frequency"),
        ("rtltcp://h:1?agc=maybe", "agc='maybe' must be 0 or 1"),
        ("rtltcp://h:1?direct_sampling=3", "direct_sampling='3' must be 0"),
        ("rtltcp://h:1?ppm=1.5", "ppm='1.5' must be a whole number"),
        ("rtltcp://h:1?overflow=block", "overflow='block' must be one of drop, wait"),
        ("rtltcp://h:1?gain=200", "gain=200.0 must be a gain in dB"),
        ("rtltcp://h:99999", "the port must be a number"),
        ("rtltcp://h:1?retries=-1", "retries=-1 must not be negative"),
        ("rtltcp://h:1?bogus=1", "unknown setting 'bogus'"),
    ],
)
def test_bad_settings_name_the_value(url, match):
    with pytest.raises(ParameterError, match=match):
        parse_live_url(url)


class Scripted(LiveCapture):
    """A LiveCapture whose receiver emits scripted blocks: (n_samples) or ("skip", n, why)."""

    def __init__(self, script, *, error=None, **kw):
        _, _, s = parse_live_url("rtltcp://x:1?rate=1M", **kw)
        super().__init__(live_info("rtltcp", "x:1", s, hw="test"), s)
        self.script, self.error = script, error

    def _produce(self):
        for step in self.script:
            if isinstance(step, tuple):
                self._skip(step[1], step[2])
            else:
                start = self._index
                i = np.arange(2 * start, 2 * (start + step)) % 256
                self._emit(i.astype(np.uint8))
        if self.error:
            raise self.error


def test_blocks_never_span_a_gap_and_gaps_are_annotated():
    cap = Scripted([300, 300, ("skip", 1000, "reconnected"), 500], overflow="wait")
    blocks = list(cap.raw_blocks(250))
    assert [(b.start, b.n_samples) for b in blocks] == [(0, 250), (250, 250), (500, 100), (1600, 250), (1850, 250)]
    for b in blocks:
        assert np.array_equal(b.data, (np.arange(2 * b.start, 2 * (b.start + b.n_samples)) % 256).astype(np.uint8))
    assert cap.gaps == [(600, 1000, "reconnected")] and cap.dropped_samples == 1000
    (ann,) = cap.annotations
    assert (ann["core:sample_start"], ann["core:sample_count"], ann["core:label"]) == (600, 1000, "dropped")
    cap.close()


def test_count_stops_early_and_error_comes_after_the_last_block():
    cap = Scripted([400, 400], error=SourceError("gone"), overflow="wait")
    assert sum(b.n_samples for b in cap.raw_blocks(300, count=500)) == 500  # no error: count reached
    cap.close()
    cap = Scripted([400, 400], error=SourceError("gone"), overflow="wait")
    seen = []
    with pytest.raises(SourceError, match="gone"):
        for b in cap.raw_blocks(300):
            seen.append(b.n_samples)
    assert sum(seen) == 800
    cap.close()


def test_count_holds_when_a_gap_flushes_a_partial_block():
    cap = Scripted([300, ("skip", 100, "x"), 300], overflow="wait")
    blocks = list(cap.raw_blocks(1000, count=200))
    assert [(b.start, b.n_samples) for b in blocks] == [(0, 200)]
    cap.close()


def test_a_second_call_goes_on_where_the_first_stopped():
    cap = Scripted([300, 300, ("skip", 50, "x"), 100], overflow="wait")
    first = list(cap.raw_blocks(1000, count=250))
    rest = list(cap.raw_blocks(1000))
    assert [(b.start, b.n_samples) for b in first] == [(0, 250)]
    assert [(b.start, b.n_samples) for b in rest] == [(250, 350), (650, 100)]
    assert cap.received_samples == 700 and cap.gaps == [(600, 50, "x")]
    cap.close()


def test_live_sources_have_no_length():
    cap = Scripted([10], overflow="wait")
    with pytest.raises(ParameterError, match="use blocks"):
        cap.read()
    with pytest.raises(ParameterError, match="start=5 must be 0"):
        next(cap.blocks(10, start=5))
    cap.close()
