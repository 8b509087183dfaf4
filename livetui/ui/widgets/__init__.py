"""The widgets of the main screen, one module per area: chat log, composer, status bar, side panes."""
