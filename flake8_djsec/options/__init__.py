"""Declared options, validated into one frozen config object."""
