"""``python -m stancekit``: the command line (same as the ``stancekit`` script)."""

from stancekit.cli.app import main

main()
