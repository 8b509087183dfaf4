"""The Textual app: screens, widgets and their styles (`styles/*.tcss`, shipped inside the package).

Only this layer imports Textual. It consumes the session's domain events (`livetui.events`) wrapped in
Textual messages (`livetui.ui.messages`) and drives the session through its `Runtime`'s methods
(`livetui.session.runtime`), never the engine, voice, camera or journal themselves. Import
`livetui.ui.app.make_app` to build the app.
"""
