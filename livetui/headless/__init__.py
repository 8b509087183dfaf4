"""Scripted sessions with no UI (`livetui run`): the script, its steps, and the command."""
