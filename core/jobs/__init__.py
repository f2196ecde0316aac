"""The doors: one module per operation (core/jobs/<operation>.py), the one way into core for both
fronts, the command line (core/cli/) and the window's engine process (core/engine/handlers/).

Each door takes its inputs, an event sink and a cancel token, and returns a plain result; what a
user can get wrong is checked first, before any long work. Importing this package imports nothing.
"""
