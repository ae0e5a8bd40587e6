"""Code rules: one walk of the AST feeds every visitor."""
