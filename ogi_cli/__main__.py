"""`python -m ogi_cli`."""

from ogi_cli import main

raise SystemExit(main())
