"""`python3 -m harness`: what bin/bench runs."""
import sys

from .cli import main

sys.exit(main())
