"""The mnist demo in its smoke mode: compiles the Keras recipe, trains, reports, draws."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_mnist_demo_quick_run(tmp_path: Path) -> None:
    out = tmp_path / "pictures"
    done = subprocess.run([sys.executable, "-m", "demos.mnist", "--quick", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, f"demos.mnist failed:\n{done.stdout}\n{done.stderr}"
    lines = done.stdout.strip().splitlines()
    assert "(quick smoke version)" in lines[0]
    assert re.fullmatch(r"test accuracy: [01]\.\d{3}", lines[-1]), lines[-1]
    assert float(lines[-1].split()[-1]) > 0.5  # one epoch on 500 images already learns
    text = done.stdout
    assert "Total params: 407,050" in text
    assert re.search(r"compiled in \d+\.\d s: BatchProgram\(784 inputs, 10 targets, 10 outputs, "
                     r"407050 parameters; .* 2 matmuls\)", text)
    assert re.search(r"^Epoch 1/1 - \d+\.\d\ds - loss: .* - val_accuracy: ", text, re.M)
    assert re.search(r"\d+\.\d\d s per epoch \(about [\d,]+x the scalar engine\)", text)
    picture = out / "mnist_samples.png"
    assert picture.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert str(picture) in text
