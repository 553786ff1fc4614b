#!/usr/bin/env python3
# tests/soak/span_proxy.py - a sim-span wire that can fail (docs/sim-span.md): relays
# datagrams between A (cfwdd) and B (the lab) and reads its mode from a file every
# 50 ms: pass | drop (nothing either way: the span is cut) | nobearer (BEARER and
# BEARER_MULTI dropped: signalling fine, bearer silent) | noack (B's signal units to A
# dropped, HELLO kept: the peer stops acknowledging) | delay MS (every datagram held
# MS ms, both ways: a long haul, so call setups last). Counts what it dropped.
# usage: span_proxy.py A_PORT LISTEN_FOR_A LISTEN_FOR_B B_PORT MODEFILE
import os, select, socket, sys, time

a_port, la, lb, b_port, modefile = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), \
    int(sys.argv[4]), sys.argv[5]
sa = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)   # talks to A
sa.bind(("127.0.0.1", la))
sb = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)   # talks to B
sb.bind(("127.0.0.1", lb))
mode, checked, dropped, held = "pass", 0.0, 0, []
while True:
    r, _, _ = select.select([sa, sb], [], [], 0.005 if held else 0.05)
    now = time.monotonic()
    while held and held[0][0] <= now:
        _, sock, d, port = held.pop(0)
        sock.sendto(d, ("127.0.0.1", port))
    if now - checked > 0.05:
        checked = now
        try:
            with open(modefile) as f:
                m = f.read().strip() or "pass"
            if m != mode:
                mode = m
                print("mode", mode, "dropped so far", dropped, flush=True)
        except OSError:
            pass
        if mode == "quit":
            break
    for s in r:
        d = s.recv(8192)
        typ = d[3] if len(d) > 3 else 0
        to_a = s is sb
        drop = mode == "drop" or (mode == "nobearer" and typ in (3, 4)) or \
            (mode == "noack" and to_a and typ == 2)
        if drop:
            dropped += 1
            continue
        sock, port = (sa, a_port) if to_a else (sb, b_port)
        if mode.startswith("delay "):
            held.append((now + int(mode[6:]) / 1000.0, sock, d, port))
        else:
            sock.sendto(d, ("127.0.0.1", port))
