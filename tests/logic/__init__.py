"""Unit tests of the pure logic: evaluation of settings modules and file roles."""
