"""Camera frames: where they come from (`sources`), how they are shrunk and encoded (`encode`), and the
capture loop that paces them (`capture`).

OpenCV (`cv2`) is imported only when a source opens or a frame is encoded, so importing this package is
cheap. Everything here runs on a capture thread or in a plain function; the session layer
(`livetui.session.camera_stream`) bridges it to the event loop.
"""
