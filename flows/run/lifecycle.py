"""The processes a run starts end with it: Prefect's temporary server and the worker
processes stop when the ``newsclean`` process ends, however it ends.

- ``start_temporary_server``: Prefect's temporary API server, started by the CLI before the
  flow (Prefect then reuses it), with one retry and a message that says what to raise.
- ``die_with_parent``: in a child process, exit when the parent is gone (a SIGKILLed CLI
  cannot stop its children; they stop themselves).
- ``exit_on_sigterm``: SIGTERM ends the CLI like Ctrl-C, so that cleanup runs.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time

SERVER_TIMEOUT_SETTING = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"


class ServerStartError(RuntimeError):
    """Prefect's temporary server did not answer in time, on every attempt."""


def _kill_with_parent() -> None:
    """In a child before exec: the kernel sends it SIGTERM when the parent process dies (Linux;
    elsewhere there is no prctl and the workers' watch thread still stops them)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def die_with_parent(poll_seconds: float = 1.0) -> None:
    """Exit this process as soon as its parent is gone (it is re-parented): a worker of a
    killed run must not live on holding memory.  Starts a daemon thread; returns at once.

    >>> die_with_parent(poll_seconds=60)  # in a process whose parent lives: nothing happens
    """
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(poll_seconds)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


class Terminated(SystemExit):
    """The process got SIGTERM (exit status 143)."""


def exit_on_sigterm() -> None:
    """SIGTERM raises ``Terminated`` in the main thread: ``finally`` blocks and ``atexit``
    handlers (Prefect stops its temporary server in one) run as on Ctrl-C."""

    def handler(signum, frame):
        raise Terminated(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def server_timeout() -> float:
    """Seconds Prefect's temporary server gets to start (``PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS``)."""
    from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

    return float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())


def start_temporary_server(attempts: int = 2) -> str | None:
    """Start Prefect's temporary server unless ``PREFECT_API_URL`` names one; its API URL.

    The server process is started so that it ends with this process (``_kill_with_parent``);
    Prefect's own client finds it running and uses it.  Each attempt waits
    ``server_timeout()`` seconds; a failed attempt's process is stopped before the next.
    Raises ``ServerStartError`` saying what to raise."""
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return None
    from prefect.server.api.server import SubprocessASGIServer

    class Server(SubprocessASGIServer):
        def _run_uvicorn_command(self):
            import subprocess

            popen = subprocess.Popen

            def with_parent(*args, **kwargs):
                return popen(*args, preexec_fn=_kill_with_parent, **kwargs)

            subprocess.Popen = with_parent
            try:
                return super()._run_uvicorn_command()
            finally:
                subprocess.Popen = popen

    timeout = server_timeout()
    for _attempt in range(1, attempts + 1):
        server = Server()  # keyed like Prefect's own (port None): its client reuses this one
        try:
            server.start(timeout=timeout)
            return server.api_url
        except Exception:  # noqa: BLE001 - Prefect raises RuntimeError; the message below says what to do
            server.stop()
    raise ServerStartError(
        f"Prefect's temporary server did not start within {timeout:g} s ({attempts} attempts); the machine may be busy: "
        f"set {SERVER_TIMEOUT_SETTING} higher (e.g. 180) or point PREFECT_API_URL at a running Prefect server"
    )


def check_api(url: str, timeout: float = 10.0) -> None:
    """The Prefect server at ``url`` answers its health check; else ``ConnectionError`` with one line."""
    import httpx

    try:
        response = httpx.get(f"{url.rstrip('/')}/health", timeout=timeout)
        response.raise_for_status()
    except (httpx.HTTPError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConnectionError(
            f"the Prefect server at PREFECT_API_URL={url} does not answer ({reason}); start it, or unset "
            "PREFECT_API_URL to run on a temporary server"
        ) from None
