"""The history tests use the app's isolated settings (their own data directory, no key, no blink)."""

from tests.ui.conftest import isolated_config, no_cursor_blink, settings

__all__ = ["isolated_config", "no_cursor_blink", "settings"]
