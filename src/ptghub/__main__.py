"""``python -m ptghub``: the same as the ``ptghub`` command."""

from ptghub.cli import main

main()
