"""The standalone command: the plugin's findings without flake8 in the loop (for ruff teams)."""
