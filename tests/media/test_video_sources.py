"""Frame sources: image and video files, the test pattern, and cameras that are not there."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from livetui.media.video.sources import (
    CameraSource,
    CameraUnavailable,
    FileSource,
    TestPattern,
    open_source,
)
from tests.frames import FakeClock, gradient, solid


def test_an_image_file_gives_its_picture_every_time(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    cv2.imwrite(str(path), gradient(64, 48))
    source = FileSource(path)
    source.open()
    assert source.grab() and source.grab()
    assert np.array_equal(source.retrieve(), gradient(64, 48))
    assert source.name == "photo.png" and not source.paced
    source.close()


def write_video(path: Path, colours: list[tuple[int, int, int]], fps: float = 10) -> None:
    """A short MJPEG video, one solid colour per frame."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (64, 48))
    assert writer.isOpened()
    for colour in colours:
        writer.write(solid(colour, 64, 48))
    writer.release()


def test_a_video_file_plays_at_its_own_rate_and_loops(tmp_path: Path) -> None:
    path = tmp_path / "clip.avi"
    colours = [(0, 0, 250), (0, 250, 0), (250, 0, 0)]
    write_video(path, colours, fps=10)
    clock = FakeClock()
    source = FileSource(path, clock=clock)
    source.open()
    seen = []
    for step in range(5):  # 0.0, 0.1, 0.2 s: the three frames; 0.3 s: past the end, so the first again
        clock.now = step / 10
        assert source.grab()
        seen.append(int(np.argmax(source.retrieve()[24, 32])))
    source.close()
    assert seen == [2, 1, 0, 2, 1]


def test_a_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(CameraUnavailable, match=r"^no camera file: .*nothing\.jpg does not exist$"):
        FileSource(tmp_path / "nothing.jpg").open()


def test_a_file_that_is_no_picture_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a picture")
    with pytest.raises(CameraUnavailable, match="not an image or a video OpenCV can read"):
        FileSource(path).open()


@pytest.mark.parametrize("device", [97, "/dev/no-such-camera"])
def test_a_missing_camera_is_one_clear_line(device: int | str, capfd: pytest.CaptureFixture[str]) -> None:
    source = CameraSource(device)
    with pytest.raises(CameraUnavailable) as caught:
        source.open()
    message = str(caught.value)
    assert message.startswith("no camera: ") and "\n" not in message
    assert capfd.readouterr().err == "", "OpenCV's own warnings are kept off the terminal"
    assert not source.grab()


def test_the_test_pattern_moves() -> None:
    clock = FakeClock()
    pattern = TestPattern(320, 240, clock=clock)
    pattern.open()
    assert pattern.grab()
    first = pattern.retrieve()
    clock.now = 0.5
    assert pattern.grab()
    second = pattern.retrieve()
    assert first.shape == (240, 320, 3)
    assert not np.array_equal(first, second)


def test_settings_name_a_source(tmp_path: Path) -> None:
    assert open_source(None, None) is None
    assert isinstance(open_source("test", None), TestPattern)
    camera = open_source("2", None)
    assert isinstance(camera, CameraSource) and camera.device == 2 and camera.name == "camera 2"
    path_camera = open_source("/dev/video5", None)
    assert isinstance(path_camera, CameraSource) and path_camera.device == "/dev/video5"
    file_source = open_source(None, tmp_path / "a.jpg")
    assert isinstance(file_source, FileSource) and file_source.name == "a.jpg"
