"""`python -m livetui` runs the command line."""

from livetui.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
