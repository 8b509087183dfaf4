"""Audio in and out: microphone and file sources, speaker and file sinks, and the player between them.

Formats are fixed at the edges of the session: the microphone is PCM16 mono 16 kHz in short blocks
(:mod:`.pcm`), the model's speech PCM16 mono 24 kHz. Sources and sinks that work at another rate resample
with soxr. `sounddevice` (PortAudio) is imported only when a device is opened or listed
(:mod:`.devices`), so a machine without PortAudio or without a sound card still runs everything else.
"""
