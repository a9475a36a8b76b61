"""The compiled kernel (``engine.kernel``, numba): loaded on demand, prepared in the
background, and numpy whenever it is not there.

numba caches its compiled loops on disk, by default beside the sources, which an installed
copy may not be allowed to write; without a writable home it fails with "cannot cache
function … no locator available", a RuntimeError rather than an ImportError. So the cache
goes to the user's cache folder (platformdirs) unless NUMBA_CACHE_DIR is set, to a temporary
folder when that cannot be written, and any failure to import, compile, load or cache the
kernel turns it off for the process with one line on stderr: training goes on in numpy, the
reference the kernel is tested against (they agree to ~1e-14).

A first run compiles each loop for 10–30 s. ``prepare`` has a child process do that (a
compile here would hold the interpreter lock throughout, slowing the numpy training and the
window meanwhile, and a window closed mid-compile would wait for it), then loads the loop
from the cache in a thread, so that a session can train in numpy meanwhile and switch once
``is_ready``.
"""

import atexit
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

_lock = threading.RLock()
_module = None
_failure: str | None = None
_ready: set = set()  # the loops (``loop_of``) compiled or loaded from the cache
_preparing: set = set()
_children: set = set()  # compiling processes, ended if the app exits first
#: Set when the app exits: a thread whose child was ended then must not compile in-process
#: (LLVM compiling while the interpreter shuts down aborted the process once).
_exiting = threading.Event()


def cache_folder() -> str:
    """Where numba keeps the compiled loops: NUMBA_CACHE_DIR if set, else the user's cache
    folder, else (not writable) a temporary one (then each run compiles again)."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return os.environ["NUMBA_CACHE_DIR"]
    try:
        import platformdirs

        folder = Path(platformdirs.user_cache_dir("xor-lab", appauthor=False)) / "numba"
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK | os.X_OK):
            return str(folder)
    except (ImportError, OSError):
        pass
    return tempfile.mkdtemp(prefix="xor-lab-numba-")


def use_cache_folder():
    """Point numba at ``cache_folder()``. Call it before numba is imported: numba reads
    NUMBA_CACHE_DIR once, at its import."""
    os.environ["NUMBA_CACHE_DIR"] = cache_folder()


def load_kernel():
    """``engine.kernel``, imported on first use; None (after one notice on stderr) when it
    cannot be, or has failed since."""
    global _module
    with _lock:
        if _module is None and _failure is None:
            use_cache_folder()
            try:
                from engine import kernel
            except Exception as error:  # noqa: BLE001 - numba fails in many ways; numpy stays
                disable(error)
            else:
                _module = kernel
        return _module if _failure is None else None


def disable(error: Exception):
    """The kernel failed (to import, compile, load or cache): numpy from now on."""
    global _failure
    with _lock:
        if _failure is None:
            _failure = f"{type(error).__name__}: {error}".splitlines()[0]
            print(f"xor-lab: compiled training unavailable ({_failure}); using numpy",
                  file=sys.stderr)


def failure() -> str | None:
    """Why the kernel is off (None: it is not)."""
    return _failure


def loop_of(config) -> str:
    """Which compiled loop trains ``config``: one for a single hidden layer, one for any."""
    return "one hidden layer" if len(config.hidden) == 1 else "any depth"


def mark_ready(config):
    _ready.add(loop_of(config))


def is_ready(config) -> bool:
    """Whether ``config``'s loop is compiled (or loaded) and the kernel has not failed."""
    return _failure is None and loop_of(config) in _ready


def prepare(config, warm_up):
    """Compile (or load) ``config``'s loop in a thread by calling ``warm_up()`` (a compiled
    step of a throwaway network), unless it is ready, being prepared, or the kernel is off.
    A failure turns the kernel off."""
    loop = loop_of(config)
    with _lock:
        if _failure is not None or loop in _ready or loop in _preparing:
            return
        _preparing.add(loop)

    def run():
        _compile_in_child(config)  # if it fails, warm_up compiles here, or fails too
        if _exiting.is_set():
            return
        try:
            warm_up()
        except Exception as error:  # noqa: BLE001 - any failure: numpy stays
            disable(error)
        else:
            _ready.add(loop)
        finally:
            _preparing.discard(loop)

    # A daemon: a window closed mid-compile must not wait for it (numba writes its cache
    # files whole, so an interrupted compile leaves none).
    threading.Thread(target=run, name="numba-prepare", daemon=True).start()


def _compile_in_child(config):
    """Compile ``config``'s loop into the cache in a child process; wait for it."""
    use_cache_folder()
    if _exiting.is_set():
        return
    child = subprocess.Popen(
        [sys.executable, "-m", "engine.compiled", json.dumps(config.to_dict())],
        cwd=Path(__file__).resolve().parents[1], stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _children.add(child)
    try:
        child.wait()
    finally:
        _children.discard(child)


@atexit.register
def _end_children():
    _exiting.set()
    for child in list(_children):
        child.terminate()


if __name__ == "__main__":  # the child of _compile_in_child
    from engine.config import TrainingConfig
    from engine.trainer import Trainer

    Trainer(TrainingConfig.from_dict(json.loads(sys.argv[1])), compiled=True,
            history_capacity=4).step(1)
