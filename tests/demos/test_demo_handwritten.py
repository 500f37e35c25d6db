"""The handwritten demo names each classic mistake before it fixes them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_handwritten_demo_prints_each_diagnosis(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "demos.handwritten", "--quick", "--out",
                           str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"demos.handwritten failed:\n{done.stdout}\n{done.stderr}"
    text = done.stdout
    assert "multiplies by the sigmoid derivative a*(1-a) with a = `sigmoid(X @ W1 + b1) @ W2 " \
           "+ b2` (4x1), but the forward pass applies no sigmoid there" in text
    assert "W1: yours is the transpose of the true gradient\n" in text
    assert "theta: yours = -1/2 x the true gradient: the sign is flipped" in text
    assert "CLIMBS the loss" in text
    assert text.count("ok: 4 of 4 parameters match autograd") == 1
    assert text.count("ok: 1 of 1 parameters match autograd") == 1
    assert "outputs 0.000 1.000 1.000 0.000; accuracy 1.000" in text
