"""USB RTL-SDR dongles through pyrtlsdr (imported only here, only when a dongle is opened).

The dongle streams with pyrtlsdr's asynchronous reads (`read_bytes_async`: librtlsdr's
`rtlsdr_read_async`, cu8 bytes as the dongle sends them) on a receiver thread of its own,
into the bounded ring of `LiveCapture`: slow analysis never stalls USB; what it cannot keep up
with is dropped, counted and annotated. An unplugged dongle (the async read fails or returns,
or no callback comes for `timeout` seconds) ends the stream with SourceError after the last
block received.
"""

from __future__ import annotations

import logging

import numpy as np

from ..errors import SourceError
from .live import LiveCapture, LiveSettings, live_info

__all__ = ["LIBRTLSDR_HELP", "USB_BLOCK_BYTES", "RtlSdrCapture", "import_pyrtlsdr"]

log = logging.getLogger("rfkit")

#: Bytes per asynchronous USB transfer (a multiple of 512; 131072 samples = 55 ms at 2.4 MS/s).
USB_BLOCK_BYTES = 262_144
#: The one line that says how to get librtlsdr.
LIBRTLSDR_HELP = ("librtlsdr is not available: install Debian's librtlsdr0 (apt install librtlsdr0) "
                  "or the pyrtlsdrlib wheel (pip install pyrtlsdrlib)")
_TUNERS = {0: "unknown", 1: "E4000", 2: "FC0012", 3: "FC0013", 4: "FC2580", 5: "R820T", 6: "R828D"}


def import_pyrtlsdr():
    """The `rtlsdr` module (pyrtlsdr); SourceError with the way to get librtlsdr if it fails."""
    try:
        import rtlsdr
    except ModuleNotFoundError as e:
        if e.name == "rtlsdr":
            raise SourceError("pyrtlsdr is not installed: pip install pyrtlsdr pyrtlsdrlib") from None
        raise SourceError(LIBRTLSDR_HELP) from None
    except (ImportError, OSError, AttributeError):
        # pyrtlsdr raises ImportError when it finds no librtlsdr, AttributeError when the one
        # it finds lacks a symbol it needs (Debian's librtlsdr0 with pyrtlsdr 0.5)
        raise SourceError(LIBRTLSDR_HELP) from None
    return rtlsdr


class RtlSdrCapture(LiveCapture):
    """A USB dongle as a live source of cu8 samples (`rtlsdr:0?freq=..&rate=..&gain=..`).

    `rtlsdr:N` opens the Nth dongle (N up to 999, no leading zero); `rtlsdr:SERIAL` (e.g.
    `rtlsdr:00000042`) the one with that serial number.
    """

    def __init__(self, where: str, settings: LiveSettings):
        if settings.freq_hz is None:
            from ..errors import ParameterError

            raise ParameterError(f"rtlsdr:{where}: give the centre frequency, e.g. rtlsdr:{where}?freq=1575.42e6")
        mod = import_pyrtlsdr()
        self.where = where
        try:
            if _is_index(where):
                dev = mod.RtlSdr(device_index=int(where))
            else:
                dev = mod.RtlSdr(serial_number=where)
        except SourceError:
            raise
        except Exception as e:  # noqa: BLE001 - LibUSBError, IOError, ... whatever the driver raises
            raise SourceError(f"rtlsdr:{where}: cannot open the dongle: {e} (is it plugged in? "
                              "`rtl_test` lists the dongles librtlsdr sees)") from None
        self._dev = dev
        try:
            self._configure(dev, settings)
            tuner_type = int(dev.get_tuner_type())
        except Exception as e:  # noqa: BLE001 - the driver boundary: any failure means the dongle
            self._close_device()
            raise SourceError(f"rtlsdr:{where}: cannot apply the settings: {e}") from None
        tuner = _TUNERS.get(tuner_type, f"type {tuner_type}")
        info = live_info("rtlsdr", where, settings, hw=f"RTL-SDR (tuner {tuner})",
                         extra={"tuner_type": tuner_type})
        actual_gain = _actual_gain(dev, settings)
        if actual_gain is not None:
            info = info.replace(gain_db=actual_gain)
        super().__init__(info, settings)
        self.tuner_type = tuner_type

    @staticmethod
    def _configure(dev, s: LiveSettings) -> None:
        """Apply the settings in librtlsdr's order: rate, ppm, modes, frequency, gain, bias tee."""
        dev.sample_rate = s.rate_hz
        if s.ppm:
            dev.freq_correction = s.ppm
        if s.direct_sampling is not None:
            dev.set_direct_sampling(s.direct_sampling)
        if s.offset_tuning is not None:
            setter = getattr(dev, "set_offset_tuning", None)
            if setter is not None:
                setter(bool(s.offset_tuning))
            else:  # pyrtlsdr has no method for it: call librtlsdr directly
                import importlib

                lib = importlib.import_module("rtlsdr.librtlsdr").librtlsdr
                if lib.rtlsdr_set_offset_tuning(dev.dev_p, int(s.offset_tuning)) < 0:
                    raise SourceError("offset tuning is not supported by this tuner")
        dev.center_freq = s.freq_hz
        if s.gain_db is not None:
            dev.gain = s.gain_db  # a number in dB (nearest step) or "auto"
        if s.agc is not None:
            dev.set_agc_mode(bool(s.agc))
        if s.bias_tee is not None:
            dev.set_bias_tee(bool(s.bias_tee))

    # -- receiver thread -----------------------------------------------------------------
    def _produce(self) -> None:
        dev = self._dev

        def on_block(values, _context) -> None:
            if self._stop.is_set():
                self._cancel()
                return
            # the driver reuses its buffer: copy before handing it on
            data = np.frombuffer(values, dtype=np.uint8).copy()
            if not self._emit(data):
                self._cancel()

        try:
            dev.read_bytes_async(on_block, USB_BLOCK_BYTES)
        except Exception as e:  # noqa: BLE001 - the driver boundary: any failure means the dongle
            if self._stop.is_set():
                return
            raise SourceError(f"rtlsdr:{self.where}: the dongle stopped streaming after sample "
                              f"{self._index}: {e} (unplugged?)") from None
        if not self._stop.is_set():
            raise SourceError(f"rtlsdr:{self.where}: the dongle stopped streaming after sample "
                              f"{self._index} (unplugged?)")

    def _cancel(self) -> None:
        try:
            self._dev.cancel_read_async()
        except Exception as e:  # noqa: BLE001 - the device may be gone already
            log.debug("rtlsdr: cancel: %s", e)

    def _close_device(self) -> None:
        try:
            self._dev.close()
        except Exception as e:  # noqa: BLE001 - the driver boundary: any failure means the dongle
            log.debug("rtlsdr: close: %s", e)

    def close(self) -> None:
        super().close()
        t = self._thread
        if t is not None and t.is_alive():
            log.warning("rtlsdr:%s: the USB thread did not stop; leaving the device open", self.where)
            return
        self._close_device()


def _is_index(where: str) -> bool:
    """`rtlsdr:0` .. `rtlsdr:999` name a device index; anything else (`00000042`) a serial number."""
    return where.isdigit() and len(where) <= 3 and (where == "0" or not where.startswith("0"))


def _actual_gain(dev, s: LiveSettings) -> float | None:
    """The gain the tuner took (nearest step) in dB, where manual; None otherwise."""
    if not isinstance(s.gain_db, float):
        return None
    try:
        return float(dev.gain)
    except Exception:  # noqa: BLE001 - a fake or an old pyrtlsdr without get_gain
        return s.gain_db
