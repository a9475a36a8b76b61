"""Sweeps on a Dask distributed cluster: the chunks of engine.sweep go to the scheduler at
an address (``dask scheduler``) and run on its workers (``dask worker``), each of which has
XOR Lab installed. Dask is the optional extra ``xor-lab[cluster]``; it is imported only when a
scheduler is asked for.

A chunk is a pure function of its arguments (engine.sweep.run_chunk), so a chunk that ran on
a worker is exactly what it would be on this computer, and a worker lost mid-chunk costs only
that chunk, which the scheduler hands to another worker. Results come back as each chunk ends
and are kept here, so no finished chunk is held on a worker that could be lost.
"""

import contextlib
import re
from concurrent.futures import CancelledError

import engine

#: How long to wait for the scheduler to answer, and for a cluster with no workers to get
#: one. Short: a scheduler on the network answers in milliseconds, and a window closed while
#: connecting waits for this.
CONNECT_SECONDS = 1.5
WORKER_SECONDS = 5.0
_ADDRESS = re.compile(r"^(?:(tcp|tls)://)?(\[[0-9A-Fa-f:.]+\]|[\w.-]+):(\d{1,5})$", re.ASCII)
INSTALL = "pip install 'xor-lab[cluster]'"


class ClusterError(Exception):
    """The cluster cannot run the sweep; the message is one line that says why."""


def scheduler_address(text: str) -> str:
    """``text`` as a scheduler address 'tcp://host:port' ('host:port' means TCP); ValueError
    naming the form expected otherwise."""
    match = _ADDRESS.match(text.strip())
    if not match or not 0 < int(match.group(3)) < 65536:
        raise ValueError(f"{text.strip()!r} is not a scheduler address: give "
                         "tcp://HOST:PORT, as `dask scheduler` prints it")
    return f"{match.group(1) or 'tcp'}://{match.group(2)}:{match.group(3)}"


def _engine_version() -> str:
    """Run on each worker: the XOR Lab version it would train with."""
    return engine.__version__


def connect(address: str):
    """A ``distributed.Client`` of the scheduler at ``address`` with at least one worker,
    each running this version of XOR Lab; ClusterError otherwise. Close it when done."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(f"a scheduler needs Dask's distributed scheduler: {INSTALL}") \
            from None
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:  # ValueError: a bad host name
        raise ClusterError(f"cannot reach the scheduler at {address}: "
                           f"{_reason(error)}") from None
    try:
        _check_workers(client, address)
    except BaseException:
        client.close()
        raise
    return client


def _check_workers(client, address):
    try:
        client.wait_for_workers(1, timeout=WORKER_SECONDS)
    except TimeoutError:
        raise ClusterError(f"the scheduler at {address} has no workers (start some with "
                           f"`dask worker {address}`)") from None
    try:
        versions = client.run(_engine_version)
    except Exception as error:  # noqa: BLE001 - whatever a worker raised, said in one line
        raise ClusterError(f"a worker of {address} cannot run XOR Lab ({_reason(error)}): "
                           f"{INSTALL} on every worker") from None
    wrong = sorted(worker for worker, version in versions.items()
                   if version != engine.__version__)
    if wrong:
        raise ClusterError(f"worker {wrong[0]} runs XOR Lab {versions[wrong[0]]}, this is "
                           f"{engine.__version__}: install the same version on every worker")


def run_on(client, address: str, feed) -> bool:
    """``feed(executor)`` on the cluster's executor (see engine.sweep); a scheduler or
    workers lost for good become a ClusterError. Chunks still queued are cancelled if the
    feeding stops early."""
    executor = client.get_executor(pure=False)
    try:
        return feed(executor)
    except (CancelledError, OSError) as error:  # distributed's CommClosedError is an OSError
        raise ClusterError(f"lost the scheduler at {address}: {_reason(error)}") from None
    except Exception as error:
        if type(error).__name__ == "KilledWorker":  # a chunk that killed every worker
            raise ClusterError(f"the workers of {address} kept dying on a chunk: "
                               f"{_reason(error)}") from None
        if client.status != "running":
            # With the scheduler gone a chunk's future can end in a state distributed's
            # executor does not expect, and it raises what it then finds (an AttributeError
            # about a chunk's result was seen): the loss is the error to report.
            raise ClusterError(f"lost the scheduler at {address} (its client is "
                               f"{client.status})") from None
        raise
    finally:
        # cancels what is still queued; with the scheduler gone the client is closed and
        # cannot (ClosedClientError), nor needs to
        with contextlib.suppress(Exception):
            executor.shutdown(wait=False)


def threads(client) -> int:
    """How many chunks the cluster runs at once."""
    return max(1, sum(client.nthreads().values()))


def _reason(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 160 else text[:159] + "…"
