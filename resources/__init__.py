"""Bundled resources: the sample dataset builder, icons and the style sheet."""
