"""Progress and cancel hooks for long calls, as a front end such as a QGIS
algorithm needs them: set for a block of code with placedef.hooks()."""
import contextlib
import contextvars
from typing import Callable, Iterator, NamedTuple, Optional


class Hooks(NamedTuple):
    progress: Optional[Callable[[int, int], object]]
    cancelled: Optional[Callable[[], bool]]


_current: "contextvars.ContextVar[Optional[Hooks]]" = contextvars.ContextVar("placedef_hooks", default=None)


def current() -> Optional[Hooks]:
    """The hooks in force on this thread (read by the compiled module at each long call)."""
    return _current.get()


@contextlib.contextmanager
def hooks(progress: Optional[Callable[[int, int], object]] = None,
          cancelled: Optional[Callable[[], bool]] = None) -> Iterator[None]:
    """Hooks for the long calls made inside the ``with`` block, on this thread.

    Every 50 ms of a long call (opening a layer, a job, writing its outputs), on
    the calling thread: ``progress(done, total)`` is called when the engine has
    reported new progress (overlay and matrix report their pairs, a footprints
    ensemble its runs), and
    ``cancelled()`` is asked whether to stop; once it returns True the engine stops
    within about a second and the call raises :class:`placedef.CancelledError`.
    An exception raised by a hook stops the call too, and is raised once it has
    stopped. Ctrl-C raises KeyboardInterrupt the same way, with or without hooks.

    >>> import placedef
    >>> steps = []
    >>> with placedef.hooks(progress=lambda done, total: steps.append((done, total))):
    ...     pieces = placedef.overlay("shapefiles/lsoa_2011.gpkg", "shapefiles/ced_2025.gpkg")
    >>> len(pieces.to_pandas()) > 0
    True
    """
    token = _current.set(Hooks(progress, cancelled))
    try:
        yield
    finally:
        _current.reset(token)
