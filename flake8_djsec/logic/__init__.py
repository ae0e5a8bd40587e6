"""Pure analysis functions: no flake8 imports, no violations."""
