"""The app's screens: the main screen (chat, panes, composer, status bar) and the help screen."""
