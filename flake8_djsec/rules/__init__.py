"""Settings rules: small functions over StaticSettings, like Django's own checks."""
