"""Real third-party recordings (../shared/captures-real, MANIFEST.md): the physically right outcome.

Jamming: the GNSS chirp jammer (JammerData: a sweep across +-4.4 MHz every 9 us), the same jammer
sweeping wider than the band (JamData400/500: in-band pulses at 110 kHz, chirp or pulsed), the
GSoC GNSS capture's CW at +580 kHz (23 dB up; spur or interferer: a CW either way).
No jamming: rtl_433 OOK sensors, the saturated doorbell FSK, ADS-B (bursts), LTE downlinks (OFDM,
not noise), URH packets, DCF77 (a carrier keyed with data), GLONASS front end, saturated receiver
noise (no reference: not reported, but the clipping warning is).
"""

import pytest
from realdata import real

import rfkit

MHZ = 1e6


def _detect(relpath, **kw):
    return rfkit.detect(rfkit.open(real(relpath), **kw))


def test_gnss_chirp_jammer():
    d = _detect("gnss_jamming_demo/JammerData.bin", rate=10e6, dtype="cs8", freq=1575.42e6)
    jam = d.jamming
    assert len(jam) == 1 and jam[0].kind == "chirp"
    p = jam[0].params
    assert p["sweep_period_s"] == pytest.approx(9.0e-6, rel=0.05)
    assert 7e6 < p["bandwidth_hz"] < 10e6
    assert p["sweep_rate_hz_per_s"] == pytest.approx(p["bandwidth_hz"] / p["sweep_period_s"], rel=0.1)


@pytest.mark.parametrize("name", ["JamData400.bin", "JamData500.bin"])
def test_gnss_jammer_sweeping_beyond_the_band(name):
    d = _detect(f"gnss_jamming_demo/{name}", rate=10e6, dtype="cs8", freq=1575.42e6)
    jam = d.jamming
    assert len(jam) == 1 and jam[0].kind in ("chirp", "pulsed")
    p = jam[0].params
    rate = p.get("prf_hz") or 1 / p["sweep_period_s"]
    assert rate == pytest.approx(110e3, rel=0.02)  # one pass through the band every ~9.1 us
    assert 0.2 < p["duty_cycle"] < 0.6
    assert any("clipped" in w for w in d.warnings)


def test_gsoc_gnss_capture_cw_at_580_khz():
    d = _detect("gnss-sdr/GSoC_CTTC_capture_2012_07_26_4Msps_4ms.dat", rate=4e6, dtype="cf32", freq=1575.42e6)
    cw = [e for e in d if e.kind == "cw"]
    assert len(cw) == 1
    assert cw[0].params["tones_hz"][0] == pytest.approx(1575.42e6 + 580e3, abs=d.stats["bin_hz"] * 2)


def test_rolljam_carrier_is_short():
    d = _detect("rolljam/Test-Recording-File.iq", rate=2.4e6, dtype="cf32", freq=372e6)
    near = [e for e in d if abs(e.center_hz - (372e6 + 471e3)) < 10e3]
    assert near, "the +471 kHz carrier is not reported"
    # 47 ms of carrier inside a 109 ms record: shorter than min_jamming_s (0.1 s), so a burst
    assert all(not e.jamming for e in near)


@pytest.mark.parametrize("relpath,kw", [
    ("rtl_433/skylink_ha-434tl/g001_433.92M_250k.cu8", {}),
    ("rtl_433/skylink_ha-434tl/g002_433.92M_250k.cu8", {}),
    ("rtl_433/skylink_ha-434tl/g003_433.92M_250k.cu8", {}),
    ("rtl_433/radiohead_ask_sensible_living/g001_433.92M_250k.cu8", {}),
    ("rtl_433/radiohead_ask_sensible_living/g004_433.92M_250k.cu8", {}),
    ("kisko-doorbell/g001_868.3M_250k.cu8", {}),
    ("dump1090/modes1.bin", {"rate": 2e6, "dtype": "cu8", "freq": 1090e6}),
    ("lte-cell-scanner/f1860_s1.92_g0_1s_rtlsdr.bin", {}),
    ("lte-cell-scanner/f796_s1.92_bw1.2_0.08s_rtlsdr.bin", {}),
    ("lte-cell-scanner/f1815.3_s19.2_bw20_0.08s_hackrf-1.bin", {}),
    ("lte-cell-scanner/f2646_s1.92_noise_hackrf.bin", {}),
    ("urh/esaver.complex16s", {"rate": 1e6, "dtype": "cs8"}),
    ("urh/homematic.complex32s", {"rate": 1e6, "dtype": "cs16"}),
    ("urh/enocean.complex", {"rate": 1e6}),
    ("kiwisdr_tdoa/20171127T104156Z_77500_HB9RYZ_iq.wav", {}),
    ("gnss-sdr/NT1065_GLONASS_L1_20160831_fs6625e6_if0e3_4ms.bin", {"rate": 6.625e6, "dtype": "cf32"}),
])
def test_no_jamming_in_ordinary_recordings(relpath, kw):
    d = _detect(relpath, **kw)
    assert not d.jamming, [(e.kind, e.start_s, e.end_s, e.center_hz) for e in d.jamming]


def test_adsb_is_bursts():
    d = _detect("dump1090/modes1.bin", rate=2e6, dtype="cu8", freq=1090e6)
    at_1090 = [e for e in d if e.freq_lo_hz <= 1090e6 <= e.freq_hi_hz and e.bandwidth_hz > 1e6]
    assert at_1090 and all(e.kind == "burst" for e in at_1090)


def test_dcf77_is_a_keyed_broadcast_and_saturated_noise_is_warned():
    d = _detect("kiwisdr_tdoa/20171127T104156Z_77500_HB9RYZ_iq.wav")
    near = [e for e in d if abs(e.center_hz - 77.5e3) < 1e3]
    carrier = [e for e in near if e.bandwidth_hz < 2e3]
    assert carrier and all("keyed" in e.params.get("note", "") for e in carrier)
    assert not any(e.jamming for e in near)
    d = _detect("lte-cell-scanner/f2646_s1.92_noise_hackrf.bin")
    assert any("clipped" in w and "fakes jamming" in w for w in d.warnings)
