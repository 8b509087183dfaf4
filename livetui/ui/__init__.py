"""The Textual app: screens, widgets and their styles (`styles/*.tcss`, shipped inside the package).

Only this layer imports Textual. It consumes the engine's domain events (`livetui.events`) wrapped in
Textual messages (`livetui.ui.messages`) and drives the engine through `LiveSession`'s methods. Import
`livetui.ui.app.make_app` to build the app.
"""
