"""The garbage collector skips what the app keeps from start-up, and gets it back when the app ends."""

from __future__ import annotations

import gc

from livetui.config import Settings
from livetui.server.app import LiveServer
from livetui.session.connect import connect_to
from livetui.ui.app import make_app
from tests.ui.waiting import until_live


async def test_start_up_objects_are_frozen_while_the_app_runs(
    live_server: LiveServer, settings: Settings
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        frozen = gc.get_freeze_count()
        assert frozen > 1000  # the modules, the stylesheet and the widgets, at the least
    assert gc.get_freeze_count() == 0  # handed back: an ended app's widgets can be collected
