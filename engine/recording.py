"""Recording: a run's frames captured every K iterations, for an animation of at most
MAX_SECONDS at FPS frames per second, whatever the run's length.

Frames are captured at start, start + K, start + 2K, … (K = ``every``, starting at 1). When
the buffer is full every other frame is dropped and K doubles, as engine/history.py does for
its points, so the clip stays evenly spaced in iterations and bounded in memory; the frame
where the run ends (convergence at 390,111, say) is added last.
"""

from dataclasses import dataclass

FPS = 20
MAX_SECONDS = 15
MAX_FRAMES = FPS * MAX_SECONDS
#: Evenly spaced captures: two fewer than MAX_FRAMES (an even count, halved exactly), so
#: that the run's last frame still fits.
_CAPTURES = MAX_FRAMES - 2


@dataclass(frozen=True)
class RecordingStatus:
    """What a Frame says about a recording in progress: frames so far, iterations apart."""

    frames: int
    every: int


class Recording:
    """Frames captured from iteration ``start`` on, every ``every`` iterations."""

    def __init__(self, start: int, captures: int = _CAPTURES):
        if captures < 2 or captures % 2:
            raise ValueError(f"a recording holds an even number >= 2 of captures (got "
                             f"{captures})")
        self.start = start
        self.every = 1
        self.frames = []
        self._captures = captures

    @property
    def status(self) -> RecordingStatus:
        return RecordingStatus(len(self.frames), self.every)

    def until_next(self, iteration: int) -> int:
        """Updates from ``iteration`` to the next capture (1 … every)."""
        return self.every - (iteration - self.start) % self.every

    def wants(self, iteration: int) -> bool:
        """Whether ``iteration`` is a capture point not yet captured."""
        return ((iteration - self.start) % self.every == 0
                and (not self.frames or self.frames[-1].snapshot.iteration < iteration))

    def capture(self, frame):
        """Keep ``frame`` (taken at a ``wants`` iteration), thinning the buffer when full."""
        if len(self.frames) == self._captures:
            self.frames = self.frames[::2]
            self.every *= 2
            if not self.wants(frame.snapshot.iteration):
                return
        self.frames.append(frame)

    def finish(self, frame) -> list:
        """The frames, ending with ``frame`` (the run's state now) when it is newer."""
        if not self.frames or self.frames[-1].snapshot.iteration < frame.snapshot.iteration:
            self.frames.append(frame)
        return list(self.frames)
