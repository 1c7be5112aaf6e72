"""Ctrl-C during a long call: the engine works with the GIL released, so other
threads run meanwhile, and the call stops with KeyboardInterrupt within a second."""
import os
import signal
import struct
import threading
import time

import pytest

import placedef


def grid(n, offset, name):
    """An n-by-n grid of 100 m squares shifted by `offset` metres."""
    codes, wkb = [], []
    for i in range(n * n):
        x, y = 500000 + offset + 100.0 * (i % n), 150000 + offset + 100.0 * (i // n)
        ring = [x, y, x + 100, y, x + 100, y + 100, x, y + 100, x, y]
        wkb.append(struct.pack("<BIII10d", 1, 3, 1, 5, *ring))
        codes.append(f"{name}{i}")
    return placedef.Layer.from_wkb(codes, wkb, crs="EPSG:27700", name=name)


@pytest.fixture(scope="module")
def grids():
    # about 5 s of overlay with pieces on one core; the signal comes at 0.5 s
    return grid(150, 0, "a"), grid(150, 30, "b")


def test_ctrl_c_stops_a_long_overlay_within_a_second_while_other_threads_run(grids):
    a, b = grids
    ticks = []
    running = threading.Event()
    finished = threading.Event()
    sent = []

    def tick():
        while not finished.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    def interrupt():
        running.wait()
        time.sleep(0.5)
        if not finished.is_set():
            sent.append(time.monotonic())
            os.kill(os.getpid(), signal.SIGINT)

    threads = [threading.Thread(target=tick), threading.Thread(target=interrupt)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    running.set()
    try:
        with pytest.raises(KeyboardInterrupt):
            placedef.overlay(a, b, geometry=True, threads=1)
    finally:
        ended = time.monotonic()
        finished.set()
        for thread in threads:
            thread.join()
    assert sent, "the overlay ended before the signal: make the grids larger"
    assert ended - sent[0] < 1.0
    # the other thread ran all along: ticks every 10 ms in the half second before the signal
    assert len([t for t in ticks if started < t < sent[0]]) >= 20


def test_after_an_interrupt_the_next_call_runs():
    small_a = grid(3, 0, "c")
    table = placedef.overlay(small_a, small_a)
    assert len(table["rows"]["a_code"]) == 9
