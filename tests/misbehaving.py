"""An extractor that misbehaves on purpose, for the batch tests (loaded into workers by ``preload_modules``).

A document containing one of the marker words makes the worker reading it
die by SIGKILL (as the out-of-memory killer does), spin forever holding the
GIL (as catastrophic regex backtracking does), ask for more memory than any
document may have, or hold 300 MB for a minute.
"""
import os
import signal

from extractors import register

import time

from misbehaving_words import EAT, HANG, HOLD, KILL


@register("misbehaving", version="test")
def misbehave(doc, ctx):
    if KILL in doc.text:
        os.kill(os.getpid(), signal.SIGKILL)
    if HANG in doc.text:
        while True:
            pass
    if EAT in doc.text:
        hog = bytearray(64 << 30)  # 64 GB: past any --doc-memory
        return [hog]
    if HOLD in doc.text:
        held = b"x" * (300 << 20)  # resident, unlike a zeroed bytearray
        time.sleep(60)
        return [held]
    return []
