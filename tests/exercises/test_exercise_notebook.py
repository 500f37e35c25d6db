"""The exercise notebook: valid nbformat 4 in both languages, the same code in each, and run
by a real kernel (nbclient): with solutions every cell passes; without, each exercise stops
with NotImplementedError or the checker's AssertionError in its own cells."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jupyter import isolated_env

from autograd import exercises
from autograd.cli import main
from autograd.errors import ConfigError

nbformat = pytest.importorskip("nbformat")


def code_cells(nb) -> dict[str, str]:
    return {c["id"]: "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "code"}


@pytest.mark.parametrize("lang", exercises.LANGS)
@pytest.mark.parametrize("solutions", [False, True])
def test_the_cli_writes_a_valid_notebook(tmp_path, capsys, lang, solutions) -> None:
    path = tmp_path / f"ex-{lang}.ipynb"
    argv = ["exercises", "-o", str(path), "--lang", lang] + (["--solutions"] if solutions else [])
    assert main(argv) == 0
    assert f"wrote {path} (5 exercises, {lang}" in capsys.readouterr().out
    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    text = path.read_text(encoding="utf-8")
    for ex in exercises.EXERCISES:
        assert ex.title[lang] in text and ex.prompt[lang] in text
        assert all(h[lang] in text for h in ex.hints)
    cells = code_cells(nb)
    assert [k for k in cells if k.endswith("-check")] == [f"{e.name}-check"
                                                         for e in exercises.EXERCISES]
    answers = "".join(v for k, v in cells.items() if k.endswith("-answer"))
    assert ("### BEGIN SOLUTION" in answers) is solutions
    assert ("raise NotImplementedError" in answers) is not solutions
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(graded) == len(exercises.EXERCISES)


def test_both_languages_run_the_same_code() -> None:
    en, zh = exercises.notebook("en", True), exercises.notebook("zh", True)
    assert code_cells(en) == code_cells(zh)
    assert re.search(r"[\u4e00-\u9fff]", json.dumps(zh, ensure_ascii=False))
    assert not re.search(r"[\u4e00-\u9fff]", json.dumps(en, ensure_ascii=False))


def test_the_cli_lists_and_refuses(capsys) -> None:
    assert main(["exercises", "--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[2] == "3. neuron  The neuron's backward pass, by hand"
    assert main(["exercises"]) == 2
    assert "autograd exercises -o FILE.ipynb" in capsys.readouterr().err
    assert main(["exercises", "-o", "x.txt"]) == 2
    assert "must end in .ipynb, got 'x.txt'" in capsys.readouterr().err
    assert main(["exercises", "-o", "x.ipynb", "--lang", "fr"]) == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err
    with pytest.raises(ValueError, match="lang must be one of en, zh, got 'fr'"):
        exercises.write_notebook("x.ipynb", lang="fr")
    for name in ("x.txt", b"homework", Path("nb.ipynb.bak")):
        with pytest.raises(ConfigError, match="must end in .ipynb"):
            exercises.write_notebook(name)


def test_the_cli_does_not_overwrite_a_notebook_unless_forced(tmp_path, monkeypatch,
                                                             capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "backprop.ipynb").write_text("a student's answers")
    assert main(["exercises", "-o", "backprop.ipynb"]) == 2
    assert capsys.readouterr().err == (
        "autograd: error: 'backprop.ipynb' exists, and the answers in it would be lost; "
        "choose another name, or pass --force to overwrite it\n")
    assert (tmp_path / "backprop.ipynb").read_text() == "a student's answers"
    assert main(["exercises", "-o", "backprop.ipynb", "--force"]) == 0
    assert json.loads((tmp_path / "backprop.ipynb").read_text())["nbformat"] == 4


def run(tmp_path, lang: str, solutions: bool):
    nbclient = pytest.importorskip("nbclient")
    path = exercises.write_notebook(tmp_path / "ex.ipynb", lang=lang, solutions=solutions)
    nb = nbformat.read(str(path), as_version=4)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=isolated_env(tmp_path))
    return {c.id: c for c in nb.cells if c.cell_type == "code"}


def errors(cell) -> list[str]:
    return [o["ename"] for o in cell.outputs if o["output_type"] == "error"]


def said(cell) -> str:
    return "".join(o.get("text", "") or str(o.get("data", {}).get("text/plain", ""))
                   for o in cell.outputs) + "".join(o.get("evalue", "") for o in cell.outputs)


@pytest.mark.slow  # a real kernel per run
@pytest.mark.parametrize("lang", exercises.LANGS)
def test_a_kernel_runs_the_solutions_through(tmp_path, lang) -> None:
    cells = run(tmp_path, lang, solutions=True)
    assert {k: errors(c) for k, c in cells.items() if errors(c)} == {}
    for ex in exercises.EXERCISES:
        assert f"{ex.name}: right." in said(cells[f"{ex.name}-check"])


@pytest.mark.slow
@pytest.mark.parametrize("lang", exercises.LANGS)
def test_a_kernel_stops_each_unsolved_exercise_in_its_own_cells(tmp_path, lang) -> None:
    cells = run(tmp_path, lang, solutions=False)
    assert errors(cells["setup"]) == []
    for ex in exercises.EXERCISES:
        if ex.given:
            assert errors(cells[f"{ex.name}-given"]) == []
        top_level = ex.head == ""  # the answer cell itself raises; a def raises when called
        assert errors(cells[f"{ex.name}-answer"]) == (["NotImplementedError"] if top_level
                                                      else [])
        assert errors(cells[f"{ex.name}-check"]) == [ex.unsolved.__name__]
    assert "o.grad is 0.0000: the seed" in said(cells["neuron-check"])
