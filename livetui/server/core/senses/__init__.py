"""The local server's senses: what it makes of the audio and pictures a client streams to it."""
