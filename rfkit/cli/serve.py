"""`rfkit serve`: an rtl_tcp server that replays a recording (as cu8) to any SDR program."""

from __future__ import annotations

import ipaddress
import logging
import sys

from ..io.rtltcp import TUNER_TYPES, RtlTcpServer, serve_forever
from .common import add_input_arguments, open_input

NAME = "serve"
HELP = "replay a recording as an rtl_tcp server (for SDR++, gqrx, rtl_433, GNU Radio ...)"
DESCRIPTION = """\
Replay any recording rfkit reads as an rtl_tcp server: the 12-byte RTL0 header, then the
samples as cu8, paced at the recording's sample rate (or as fast as clients read). Every
client starts at the beginning of the recording; commands (frequency, rate, gain, ...) are
logged but not obeyed: it is a replay. Listens on loopback unless --host says otherwise.

example: rfkit serve g001_868.3M_250k.cu8 --port 1234 --loop
         rtl_433 -d rtl_tcp:127.0.0.1:1234 -f 868.3M -s 250k
"""

log = logging.getLogger("rfkit")
_TUNERS = {name: num for num, name in TUNER_TYPES.items()}


def add_arguments(p):
    add_input_arguments(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, loopback only)")
    p.add_argument("--port", type=int, default=1234, help="TCP port (default 1234; 0 picks a free one)")
    p.add_argument("--loop", action="store_true", help="start the recording again at its end")
    pace = p.add_mutually_exclusive_group()
    pace.add_argument("--rate-limit", dest="rate_limit", action="store_true", default=True,
                      help="send at the recording's sample rate, like a dongle (default)")
    pace.add_argument("--as-fast-as-possible", dest="rate_limit", action="store_false",
                      help="send as fast as each client reads")
    p.add_argument("--tuner", choices=list(_TUNERS), default="R820T",
                   help="tuner type announced in the header (default R820T)")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args) -> int:
    cap = open_input(args)
    try:
        server = RtlTcpServer(cap, host=args.host, port=args.port, loop=args.loop,
                              rate_limit=args.rate_limit, tuner_type=_TUNERS[args.tuner]).start()
    except BaseException:
        cap.close()
        raise
    try:
        if not _is_loopback(args.host):
            log.warning("serve: listening on %s, not loopback: other machines can connect", args.host)
        i = cap.info
        freq = "unknown frequency" if i.center_freq is None else f"{i.center_freq / 1e6:.6g} MHz"
        pace = "paced at the sample rate" if args.rate_limit else "as fast as possible"
        print(f"rfkit: serving {i.path} ({i.n_samples} samples at {i.sample_rate:g} S/s, {freq}, {pace}"
              f"{', looped' if args.loop else ''}) on rtl_tcp://{args.host}:{server.port} ; Ctrl-C stops",
              file=sys.stderr, flush=True)
        serve_forever(server)
    except KeyboardInterrupt:
        server.stop()
        print(f"rfkit: serve stopped after {server.clients_served} clients", file=sys.stderr)
    finally:
        cap.close()
    return 0
