"""The record of a session: a journal of every event as it happens, and exports made from it.

Each session gets a directory under the user data directory (`livetui.config.data_dir`):
``sessions/<start time>-<short id>/`` holding ``events.jsonl`` (one event per line, appended and flushed
as it happens), the sidecar tracks ``model.wav`` and ``mic.wav`` (the audio, kept out of the journal), and
``frames/`` (the camera frames sent). `livetui.record.export` turns a directory back into a Markdown or
JSON transcript, SRT or VTT captions, or a WAV of both tracks. Nothing here imports Textual.
"""
