"""Site baselines: the normal spectrum of a place (noise floor per bin, emissions always present).

`learn_baseline(source)` runs the detector's own front end over a recording of the site as
it normally is and keeps, per fine bin (linear power per bin, dBFS in the JSON):

* `floor_level`: the site's noise level per bin (median over rows of each row's robust level),
  the quiet reference against which a whole-band floor rise (noise jamming) is measured;
* `floor_shape`: the receiver's band shape (roll-off), 1 in the flat middle;
* `occupancy`: the share of rows in which each bin was occupied (CFAR);
* `typical`: for bins occupied in at least `OCCUPIED_MIN` of the rows (a broadcast, a beacon
  that is always there), their 95th-percentile level plus `TYPICAL_MARGIN_DB`; 0 elsewhere.

With a baseline, `detect` compares each bin with max(typical, floor): an emission normally
present is not reported, anything new is, and a noise jammer that lifts the whole floor rises
above `floor_level`. The file is JSON with a `version` key and the sample rate, centre
frequency and FFT size it was learned at; using it at another rate, centre or resolution is
a `MetadataError`.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass

import numpy as np

from ..errors import FormatError, MetadataError
from ..io.array import as_capture
from .frontend import FrontEnd
from .options import DetectorOptions, resolve_options

__all__ = ["BASELINE_VERSION", "OCCUPIED_MIN", "TYPICAL_MARGIN_DB", "Baseline", "learn_baseline"]

BASELINE_VERSION = 1
#: A bin occupied in at least this share of rows holds an emission normally present.
OCCUPIED_MIN = 0.5
#: Margin over an always-present emission's 95th-percentile level before it counts as new, dB.
TYPICAL_MARGIN_DB = 3.0
#: Rows kept (evenly thinned) for the per-bin percentiles.
MAX_ROWS = 2000


@dataclass(frozen=True)
class Baseline:
    """A site's normal spectrum at one rate, centre frequency and FFT size (linear power per bin)."""

    sample_rate: float
    center_freq: float | None
    nfft: int
    row_s: float
    floor_level: float
    floor_shape: np.ndarray
    occupancy: np.ndarray
    typical: np.ndarray
    duration_s: float = 0.0

    @property
    def floor_dbfs(self) -> float:
        """Whole-band noise power of the site, dBFS (flat middle level times the band)."""
        from ..dsp import SpectrumSettings

        enbw = SpectrumSettings(self.sample_rate, nfft=self.nfft).enbw_bins
        return 10 * math.log10(self.floor_level * self.nfft / enbw)

    def check(self, rate_hz: float, center_hz: float | None, opts: DetectorOptions) -> None:
        """Raise MetadataError where this baseline does not fit an input."""
        from .frontend import fine_nfft

        if abs(rate_hz - self.sample_rate) > 1e-6 * self.sample_rate:
            raise MetadataError(f"the baseline was learned at sample_rate={self.sample_rate:g} Hz, "
                                f"the input is at {rate_hz:g} Hz; learn one at this rate")
        if center_hz is not None and self.center_freq is not None and abs(center_hz - self.center_freq) > 1.0:
            raise MetadataError(f"the baseline was learned at center_freq={self.center_freq:g} Hz, "
                                f"the input is at {center_hz:g} Hz; learn one at this frequency")
        n = fine_nfft(rate_hz, opts.fine_bin_hz)
        if n != self.nfft:
            raise MetadataError(f"the baseline has nfft={self.nfft}, the detector's options give nfft={n} "
                                f"(fine_bin_hz={opts.fine_bin_hz:g}); learn it with the same options")

    # -- JSON ------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        def db(a):
            with np.errstate(divide="ignore"):
                return [round(float(v), 3) if np.isfinite(v) else None for v in 10 * np.log10(a)]

        return {
            "version": BASELINE_VERSION,
            "generator": "rfkit baseline learn",
            "sample_rate": self.sample_rate,
            "center_freq": self.center_freq,
            "nfft": self.nfft,
            "row_s": self.row_s,
            "duration_s": self.duration_s,
            "floor_level_dbfs_per_bin": round(10 * math.log10(self.floor_level), 4),
            "floor_dbfs": round(self.floor_dbfs, 4),
            "floor_shape_db": db(self.floor_shape),
            "occupancy": [round(float(v), 4) for v in self.occupancy],
            "typical_dbfs_per_bin": db(self.typical),
        }

    def save(self, path: str | os.PathLike) -> None:
        """Write the baseline as JSON."""
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_dict(), f, indent=1)
            f.write("\n")

    @classmethod
    def load(cls, path: str | os.PathLike) -> Baseline:
        """Read a baseline written by `save` (MetadataError where it is not one)."""
        try:
            with open(path, encoding="utf-8") as f:
                d = json.load(f)
        except FileNotFoundError:
            raise FormatError(f"{os.fspath(path)!r}: no such baseline file") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise MetadataError(f"{os.fspath(path)!r} is not a baseline JSON file: {e}") from None
        return cls.from_dict(d, name=os.fspath(path))

    @classmethod
    def from_dict(cls, d: dict, *, name: str = "baseline") -> Baseline:
        if not isinstance(d, dict) or "version" not in d:
            raise MetadataError(f"{name!r} lacks the 'version' key: not an rfkit baseline")
        if d["version"] != BASELINE_VERSION:
            raise MetadataError(f"{name!r} has version={d['version']!r}; this rfkit reads version {BASELINE_VERSION}")

        def lin(v):
            return np.asarray([0.0 if x is None else 10 ** (x / 10) for x in v], dtype=np.float64)

        try:
            nfft = int(d["nfft"])
            out = cls(sample_rate=float(d["sample_rate"]),
                      center_freq=None if d.get("center_freq") is None else float(d["center_freq"]),
                      nfft=nfft, row_s=float(d["row_s"]),
                      floor_level=10 ** (float(d["floor_level_dbfs_per_bin"]) / 10),
                      floor_shape=lin(d["floor_shape_db"]),
                      occupancy=np.asarray(d["occupancy"], dtype=np.float64),
                      typical=lin(d["typical_dbfs_per_bin"]),
                      duration_s=float(d.get("duration_s", 0.0)))
        except (KeyError, TypeError, ValueError) as e:
            raise MetadataError(f"{name!r}: broken baseline field {e}") from None
        for key in ("floor_shape", "occupancy", "typical"):
            if getattr(out, key).shape != (nfft,):
                raise MetadataError(f"{name!r}: {key} has {getattr(out, key).shape[0]} values, nfft={nfft}")
        return out


def learn_baseline(source, *, options: DetectorOptions | None = None, rate_hz: float | None = None,
                   center_hz: float | None = None, **option_overrides) -> Baseline:
    """Learn a site's normal spectrum from a recording (Capture, path or complex array + rate_hz)."""
    opts = resolve_options(options, **option_overrides)
    cap, owned = as_capture(source, rate_hz=rate_hz, center_hz=center_hz)
    try:
        info = cap.info
        fe = FrontEnd(info.sample_rate, fine_bin_hz=opts.fine_bin_hz, row_s=opts.row_s, pfa=opts.pfa,
                      min_excess_db=opts.min_excess_db)
        kept, levels = [], []
        occ = np.zeros(fe.nfft)
        n_rows = 0
        stride = 1
        for blk in cap.blocks(opts.block_size):
            rows = fe.push(blk.samples)
            if rows.shape[0] == 0:
                continue
            g = fe.levels(rows)
            fe.update_shape(rows, g)
            occ += fe.masks(rows, g).sum(axis=0)
            levels.extend(g.tolist())
            for i in range(rows.shape[0]):
                if (n_rows + i) % stride == 0:
                    kept.append(rows[i].astype(np.float64))
            n_rows += rows.shape[0]
            if len(kept) > MAX_ROWS:
                kept = kept[::2]
                stride *= 2
        if n_rows == 0:
            raise FormatError(f"the input holds {info.n_samples} samples, fewer than one detector row "
                              f"({fe.row_len} samples): too short to learn a baseline from")
        P = np.asarray(kept)
        occupancy = occ / n_rows
        typical = np.zeros(fe.nfft)
        busy = occupancy >= OCCUPIED_MIN
        if busy.any():
            typical[busy] = np.percentile(P[:, busy], 95, axis=0) * 10 ** (TYPICAL_MARGIN_DB / 10)
        return Baseline(sample_rate=info.sample_rate, center_freq=info.center_freq, nfft=fe.nfft,
                        row_s=fe.row_s, floor_level=float(np.median(levels)), floor_shape=fe.shape.copy(),
                        occupancy=occupancy, typical=typical, duration_s=n_rows * fe.row_s)
    finally:
        if owned:
            cap.close()
