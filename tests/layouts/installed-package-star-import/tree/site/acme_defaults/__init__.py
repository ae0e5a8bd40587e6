"""Acme's shared Django settings (a package installed from the company index)."""
