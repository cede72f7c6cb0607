"""Command-line interface; see :mod:`stancekit.cli.app`."""
