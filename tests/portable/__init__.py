"""Tests that the engine runs where little is installed: a bare venv, Pyodide under Node."""
