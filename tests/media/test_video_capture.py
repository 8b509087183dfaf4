"""The capture loop: pacing by a fake clock, snapshots, shrinking and encoding, and the latest-wins slot."""

from __future__ import annotations

import asyncio

import pytest

from livetui.media.video.capture import CaptureLoop, CaptureOptions, EncodedFrame, LatestSlot, Throttle
from livetui.media.video.encode import decode_image, fit_within
from tests.frames import FakeCamera, FakeClock, gradient, solid


def run_capture(camera: FakeCamera, clock: FakeClock, options: CaptureOptions) -> list[EncodedFrame]:
    """Run the loop over every picture of `camera` on this thread; the frames it published."""
    published: list[EncodedFrame] = []
    CaptureLoop(camera, options, published.append, clock=clock).run()
    return published


@pytest.mark.parametrize(("fps", "expected"), [(1.0, 10), (2.0, 20), (0.5, 5), (30.0, 300), (60.0, 300)])
def test_frames_are_throttled_to_the_rate(fps: float, expected: int) -> None:
    clock = FakeClock()
    camera = FakeCamera(count=300, fps=30, clock=clock)  # ten seconds of a 30 fps camera
    frames = run_capture(camera, clock, CaptureOptions(fps=fps))
    assert len(frames) == expected
    assert camera.grabbed == 300, "a camera is drained at its own rate"
    assert camera.retrieved == expected, "only the frames that go out are decoded"
    assert (camera.opened, camera.closed) == (1, 1)


def test_at_one_fps_frames_go_out_on_the_second() -> None:
    clock = FakeClock()
    frames = run_capture(FakeCamera(count=100, fps=25, clock=clock), clock, CaptureOptions(fps=1))
    assert [frame.captured_at for frame in frames] == [0.0, 1.0, 2.0, 3.0]


def test_a_snapshot_goes_out_at_once_and_the_rate_restarts_from_it() -> None:
    clock = FakeClock()
    camera = FakeCamera(count=100, fps=10, clock=clock)
    published: list[EncodedFrame] = []
    loop = CaptureLoop(camera, CaptureOptions(fps=1), published.append, clock=clock)
    camera.on_grab = lambda index: loop.snapshot() if index == 15 else None
    loop.run()
    assert [(f.captured_at, f.snapshot) for f in published] == [
        (0.0, False),
        (1.0, False),
        (1.5, True),
        (2.5, False),
        (3.5, False),
        (4.5, False),
        (5.5, False),
        (6.5, False),
        (7.5, False),
        (8.5, False),
        (9.5, False),
    ]


def test_stop_ends_the_loop_and_closes_the_source() -> None:
    clock = FakeClock()
    camera = FakeCamera(count=1000, fps=10, clock=clock)
    loop = CaptureLoop(camera, CaptureOptions(fps=10), lambda frame: None, clock=clock)
    camera.on_grab = lambda index: loop.stop() if index == 4 else None
    loop.run()
    assert (loop.frames, camera.grabbed, camera.closed) == (4, 5, 1)


def test_once_publishes_a_single_frame() -> None:
    clock = FakeClock()
    camera = FakeCamera(count=50, fps=10, clock=clock)
    published: list[EncodedFrame] = []
    CaptureLoop(camera, CaptureOptions(), published.append, clock=clock).run(once=True)
    assert [f.snapshot for f in published] == [True]
    assert camera.grabbed == 1


@pytest.mark.parametrize(
    ("size", "max_side", "expected"),
    [((1920, 1080), 768, (768, 432)), ((640, 480), 768, (640, 480)), ((480, 1000), 500, (240, 500))],
)
def test_frames_are_shrunk_to_the_longest_side(
    size: tuple[int, int], max_side: int, expected: tuple[int, int]
) -> None:
    assert fit_within(*size, max_side) == expected
    clock = FakeClock()
    camera = FakeCamera(count=1, fps=1, clock=clock, picture=solid((10, 200, 30), *size))
    (frame,) = run_capture(camera, clock, CaptureOptions(max_side=max_side))
    assert (frame.width, frame.height) == expected
    assert decode_image(frame.jpeg).shape == (expected[1], expected[0], 3)


def test_quality_changes_the_jpeg() -> None:
    clock = FakeClock()
    sizes = []
    for quality in (30, 95):
        camera = FakeCamera(count=1, fps=1, clock=clock, picture=gradient(320, 240))
        (frame,) = run_capture(camera, clock, CaptureOptions(quality=quality))
        assert frame.jpeg[:2] == b"\xff\xd8", "a JPEG"
        sizes.append(len(frame.jpeg))
    assert sizes[0] < sizes[1]


def test_the_throttle_keeps_a_grid_and_skips_missed_slots() -> None:
    throttle = Throttle(2.0)
    assert [throttle.due(t) for t in (0.0, 0.2, 0.5, 0.9, 1.0)] == [True, False, True, False, True]
    assert throttle.due(3.7) and throttle.wait_time(3.7) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        Throttle(0)


async def test_the_slot_keeps_only_the_latest_item() -> None:
    slot: LatestSlot[int] = LatestSlot()
    for item in (1, 2, 3):
        slot.put(item)
    assert await slot.get() == 3
    assert slot.replaced == 2
    waiter = asyncio.create_task(slot.get())
    slot.put_threadsafe(4)
    assert await waiter == 4
