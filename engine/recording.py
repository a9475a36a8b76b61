"""Recording: a run's moments (Snapshots) captured every K iterations, for an animation of
at most MAX_SECONDS at FPS frames per second, whatever the run's length.

Moments are captured at start, start + K, start + 2K, … (K = ``every``, starting at 1). When
the buffer is full every other one is dropped and K doubles, as engine/history.py does for
its points, so the clip stays evenly spaced in iterations and bounded in memory; the moment
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
    """What a Frame says about a recording in progress: frames (moments) so far, iterations
    apart."""

    frames: int
    every: int


class Recording:
    """Moments (anything with an ``iteration``, a Snapshot in a session) captured from
    iteration ``start`` on, every ``every`` iterations."""

    def __init__(self, start: int, captures: int = _CAPTURES):
        if captures < 2 or captures % 2:
            raise ValueError(f"a recording holds an even number >= 2 of captures (got "
                             f"{captures})")
        self.start = start
        self.every = 1
        self.moments = []
        self._captures = captures

    @property
    def status(self) -> RecordingStatus:
        return RecordingStatus(len(self.moments), self.every)

    def until_next(self, iteration: int) -> int:
        """Updates from ``iteration`` to the next capture (1 … every)."""
        return self.every - (iteration - self.start) % self.every

    def wants(self, iteration: int) -> bool:
        """Whether ``iteration`` is a capture point not yet captured."""
        return ((iteration - self.start) % self.every == 0
                and (not self.moments or self.moments[-1].iteration < iteration))

    def capture(self, moment):
        """Keep ``moment`` (taken at a ``wants`` iteration), thinning the buffer when full."""
        if len(self.moments) == self._captures:
            self.moments = self.moments[::2]
            self.every *= 2
            if not self.wants(moment.iteration):
                return
        self.moments.append(moment)

    def finish(self, moment) -> list:
        """The moments, ending with ``moment`` (the run's state now) when it is newer."""
        if not self.moments or self.moments[-1].iteration < moment.iteration:
            self.moments.append(moment)
        return list(self.moments)
