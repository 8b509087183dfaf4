"""``python -m livetui.server``: the same as ``livetui serve``."""

import sys

from livetui.server.main import main

sys.exit(main())
