"""The static evaluator: a settings module's values without importing it."""
