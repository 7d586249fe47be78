"""The marker words of ``misbehaving.py``, importable without registering its extractor in this process."""
KILL, HANG, EAT, HOLD = "KILL-THIS-WORKER", "HANG-FOREVER", "EAT-ALL-MEMORY", "HOLD-300-MB"
