"""USB dongles through pyrtlsdr, with a fake of pyrtlsdr's device object (no dongle here).

The fake stands in for `rtlsdr.RtlSdr` only: everything above it (settings, the receiver
thread, the ring, drops, the recorder, the CLI) is rfkit's real code. Its blocks carry a
known pattern derived from the sample index, so every sample that comes out can be checked
against the index it claims.
"""

from __future__ import annotations

import ctypes
import json
import sys
import threading
import time
from typing import ClassVar

import numpy as np
import pytest

import rfkit
from rfkit.cli import main
from rfkit.errors import ParameterError, SourceError

rtlsdr = pytest.importorskip("rtlsdr", reason="pyrtlsdr with librtlsdr (pyrtlsdrlib) is needed to import it",
                             exc_type=ImportError)

BLOCK = 8192  # bytes per fake USB transfer (4096 samples)


def pattern(start_sample: int, n_bytes: int) -> np.ndarray:
    """The bytes a block starting at `start_sample` carries: (byte index * 7) mod 251."""
    i = np.arange(2 * start_sample, 2 * start_sample + n_bytes, dtype=np.int64)
    return ((i * 7) % 251).astype(np.uint8)


class FakeRtlSdr:
    """pyrtlsdr's RtlSdr as far as rfkit uses it; streams `n_blocks` then unplugs or stops."""

    n_blocks = 50
    end = "return"  # what happens after n_blocks: "return", "raise", "hang"
    interval_s = 0.0
    instances: ClassVar[list] = []

    def __init__(self, device_index=0, serial_number=None):
        if device_index == 7:
            raise OSError("Could not open SDR (device index = 7)")
        self.device_index, self.serial_number = device_index, serial_number
        self.calls: list[tuple[str, object]] = []
        self.cancelled = threading.Event()
        self.closed = False
        self._gain = 0.0
        type(self).instances.append(self)

    # settings, recorded in order
    def __setattr__(self, name, value):
        if name in ("sample_rate", "center_freq", "freq_correction", "gain"):
            self.calls.append((name, value))
            if name == "gain" and value != "auto":
                value = min((0.0, 9.0, 40.2, 49.6), key=lambda g: abs(g - value))  # nearest step
                object.__setattr__(self, "_gain", value)
            return
        object.__setattr__(self, name, value)

    @property
    def gain(self):
        return self._gain

    def set_direct_sampling(self, v):
        self.calls.append(("direct_sampling", v))

    def set_offset_tuning(self, v):
        self.calls.append(("offset_tuning", v))

    def set_agc_mode(self, v):
        self.calls.append(("agc", v))

    def set_bias_tee(self, v):
        self.calls.append(("bias_tee", v))

    def get_tuner_type(self):
        return 5

    def read_bytes_async(self, callback, num_bytes=BLOCK, context=None):
        for k in range(self.n_blocks):
            if self.cancelled.is_set():
                return
            buf = (ctypes.c_ubyte * BLOCK).from_buffer_copy(pattern(k * BLOCK // 2, BLOCK).tobytes())
            callback(buf, context)
            if self.interval_s:
                time.sleep(self.interval_s)
        if self.end == "raise":
            raise OSError("LIBUSB_ERROR_NO_DEVICE")  # what librtlsdr reports when unplugged
        if self.end == "hang":
            self.cancelled.wait(30)

    def cancel_read_async(self):
        self.cancelled.set()

    def close(self):
        self.closed = True


@pytest.fixture
def fake(monkeypatch):
    class Fake(FakeRtlSdr):
        instances: ClassVar[list] = []

    monkeypatch.setattr(rtlsdr, "RtlSdr", Fake)
    return Fake


def test_settings_reach_the_device_and_the_info(fake):
    url = "rtlsdr:0?freq=1575.42M&rate=2.4M&gain=40&ppm=-2&bias_tee=1&direct_sampling=0&offset_tuning=1&agc=0"
    with rfkit.open(url) as cap:
        dev = fake.instances[0]
        assert dev.device_index == 0
        assert dev.calls == [("sample_rate", 2.4e6), ("freq_correction", -2), ("direct_sampling", 0),
                             ("offset_tuning", True), ("center_freq", 1575.42e6), ("gain", 40.0),
                             ("agc", False), ("bias_tee", True)]
        i = cap.info
        assert (i.format, i.dtype, i.sample_rate, i.center_freq, i.n_samples) == ("rtlsdr", "cu8", 2.4e6, 1575.42e6, None)
        assert i.gain_db == 40.2  # the step the tuner took
        assert i.hw == "RTL-SDR (tuner R820T)"
    assert dev.closed


def test_auto_gain_and_serial_number(fake):
    with rfkit.open("rtlsdr:00000042?freq=433.92M&gain=auto") as cap:
        dev = fake.instances[0]
        assert dev.serial_number == "00000042"
        assert ("gain", "auto") in dev.calls and cap.info.gain_db is None
        assert cap.info.extra["gain_mode"] == "auto"


def test_stream_yields_every_sample_with_its_index_then_source_error(fake):
    fake.n_blocks, fake.end = 20, "raise"
    got = []
    with (rfkit.open("rtlsdr:?freq=100M&rate=1M") as cap,
          pytest.raises(SourceError, match="stopped streaming after sample 81920.*LIBUSB_ERROR_NO_DEVICE")):
        for b in cap.raw_blocks(5000):
            got.append(b)  # noqa: PERF402 - keeps what came before the error
    assert [b.start for b in got[:3]] == [0, 5000, 10000]
    data = np.concatenate([b.data for b in got])
    np.testing.assert_array_equal(data, pattern(0, 20 * BLOCK))
    assert cap.dropped_samples == 0


def test_complex_blocks_are_the_cu8_bytes_scaled(fake):
    fake.n_blocks = 3
    with rfkit.open("rtlsdr:0?freq=100M&rate=1M") as cap:
        blocks = list(cap.blocks(BLOCK // 2, count=3 * BLOCK // 2))
    x = np.concatenate([b.samples for b in blocks])
    p = pattern(0, 3 * BLOCK).astype(np.float64)
    np.testing.assert_allclose(x.real, (p[0::2] - 127.5) / 127.5, atol=1e-6)
    np.testing.assert_allclose(x.imag, (p[1::2] - 127.5) / 127.5, atol=1e-6)


def test_a_dongle_that_stops_calling_back_is_reported(fake):
    fake.n_blocks, fake.end = 5, "hang"
    with rfkit.open("rtlsdr:0?freq=100M&rate=1M&timeout=0.5") as cap:
        got = []
        with pytest.raises(SourceError, match="no samples for 0.5 s"):
            for b in cap.raw_blocks(BLOCK // 2):
                got.append(b)  # noqa: PERF402 - keeps what came before the error
    assert sum(b.n_samples for b in got) == 5 * BLOCK // 2
    assert fake.instances[0].cancelled.is_set()


def test_slow_analysis_drops_blocks_counted_and_memory_bounded(fake):
    # the fake delivers 400 blocks (1.6 Msamples) as fast as it can; the analysis takes 5 ms a
    # block from a ring of 8 transfers: the USB side never waits, the rest is dropped and counted
    fake.n_blocks, fake.end = 400, "return"
    ring = 8 * BLOCK
    received = 0
    with rfkit.open(f"rtlsdr:0?freq=100M&rate=2.4M&ring_bytes={ring}") as cap:
        with pytest.raises(SourceError):
            for b in cap.raw_blocks(BLOCK // 2):
                np.testing.assert_array_equal(b.data, pattern(b.start, b.data.size))  # index is true
                received += b.n_samples
                time.sleep(0.005)
        total = 400 * BLOCK // 2
        assert cap.dropped_samples > 0 and cap.dropped_blocks > 0
        assert received + cap.dropped_samples == total  # nothing lost silently
        assert cap.ring_high_water_bytes <= ring
        gaps = [a for a in cap.annotations if a["core:label"] == "dropped"]
        assert sum(a["core:sample_count"] for a in gaps) == cap.dropped_samples
        assert cap.status()["dropped_samples"] == cap.dropped_samples


def test_capture_keeps_what_arrived_when_the_dongle_is_unplugged(fake, tmp_path, capsys):
    fake.n_blocks, fake.end = 30, "raise"
    out = tmp_path / "unplugged"
    code = main(["capture", "rtlsdr:0?freq=1575.42M&rate=2.4M&gain=40", "-o", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    assert "rfkit: error: rtlsdr:0: the dongle stopped streaming" in err
    assert "captured 122880 samples" in err
    data = (tmp_path / "unplugged.sigmf-data").read_bytes()
    assert data == pattern(0, 30 * BLOCK).tobytes()
    with rfkit.open(tmp_path / "unplugged.sigmf-meta") as cap:
        assert cap.info.n_samples == 30 * BLOCK // 2 and cap.info.dtype == "cu8"
        assert cap.info.center_freq == 1575.42e6 and cap.info.hw == "RTL-SDR (tuner R820T)"
    meta = json.loads((tmp_path / "unplugged.sigmf-meta").read_text())
    assert meta["captures"][0]["capture_details:gain"] == 40.2
    assert meta["global"]["rfkit:version"] == rfkit.__version__


def test_capture_from_a_slow_disk_annotates_the_gaps(fake, tmp_path, monkeypatch):
    # the recorder is the slow analysis here: a ring of 4 transfers and a writer held back
    from rfkit.io import live_record

    fake.n_blocks, fake.end = 200, "return"
    real_write = live_record.SigmfRecorder.write

    def slow_write(self, data, start=None):
        time.sleep(0.004)
        return real_write(self, data, start)

    monkeypatch.setattr(live_record.SigmfRecorder, "write", slow_write)
    out = tmp_path / "slow"
    assert main(["capture", f"rtlsdr:0?freq=100M&rate=2.4M&ring_bytes={4 * BLOCK}", "-o", str(out)]) == 1
    meta = json.loads((tmp_path / "slow.sigmf-meta").read_text())
    data = np.fromfile(tmp_path / "slow.sigmf-data", np.uint8)
    gaps = [a for a in meta["annotations"] if a["core:label"] == "dropped"]
    assert gaps, "a slow writer must lose blocks, and say so"
    dropped = sum(a["rfkit:dropped_samples"] for a in gaps)
    assert data.size // 2 + dropped == 200 * BLOCK // 2
    assert meta["global"]["rfkit:dropped_samples"] == dropped
    # each segment's bytes are the source's samples from its global index on
    segs = meta["captures"]
    bounds = [s["core:sample_start"] for s in segs] + [data.size // 2]
    for seg, end in zip(segs, bounds[1:], strict=True):
        g = seg.get("core:global_index", 0)
        a = seg["core:sample_start"]
        np.testing.assert_array_equal(data[2 * a:2 * end], pattern(g, 2 * (end - a)))


def test_device_that_will_not_open(fake):
    with pytest.raises(SourceError, match=r"rtlsdr:7: cannot open the dongle: Could not open SDR"):
        rfkit.open("rtlsdr:7?freq=100M")


def test_frequency_is_required_for_a_dongle(fake):
    with pytest.raises(ParameterError, match=r"give the centre frequency"):
        rfkit.open("rtlsdr:0?rate=2.4M")


def test_missing_pyrtlsdr_is_one_line_and_exit_1(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "rtlsdr", None)  # `import rtlsdr` now raises ModuleNotFoundError
    code = main(["capture", "rtlsdr:0?freq=100M", "-o", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert code == 1
    assert err == "rfkit: error: pyrtlsdr is not installed: pip install pyrtlsdr pyrtlsdrlib\n"


def test_missing_librtlsdr_is_one_line_and_exit_1(tmp_path):
    # without the pyrtlsdrlib wheel, pyrtlsdr looks for the system's librtlsdr: absent, or
    # Debian's librtlsdr0 lacking a symbol pyrtlsdr 0.5 needs; either way one line says what to do
    import subprocess

    code = ("import sys; sys.modules['pyrtlsdrlib'] = None; from rfkit.cli import main; "
            f"sys.exit(main(['capture', 'rtlsdr:0?freq=100M', '-o', {str(tmp_path / 'x')!r}]))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    if "cannot open the dongle" in r.stderr:
        pytest.skip("the system's librtlsdr works with pyrtlsdr here: nothing is missing")
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1
    assert "librtlsdr0" in r.stderr and "pip install pyrtlsdrlib" in r.stderr
