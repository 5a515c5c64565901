"""``python -m amur.cli``."""

from amur.cli import main

main()
