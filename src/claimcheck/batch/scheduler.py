"""``--scheduler ADDRESS``: make sure a Dask scheduler answers there before the run takes the lock.

dask.distributed's ``Client(address, timeout=…)`` does not bound its handshake: pointed at a port
where something else listens (an HTTP server), it waited minutes holding the build lock, and a dead
address ended in two tracebacks after the run folder was made. The probe connects and asks the
scheduler who it is, all within one deadline, before anything is locked or written.
"""

from __future__ import annotations

import asyncio

TIMEOUT = 10.0  # seconds for the connection and the scheduler's answer together


class SchedulerUnreachable(RuntimeError):
    """No Dask scheduler answered at the address; the message is one line."""


def _check_reachable(address: str, timeout: float) -> None:
    """For a TCP address, whether anything accepts a connection there (a refused or unroutable
    address is told apart from a listener that is no scheduler)."""
    import socket

    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        if scheme not in ("tcp", "tls"):
            return
        host, port = parse_host_port(location, default_port=8786)
    except ValueError as exc:
        raise SchedulerUnreachable(f"{address} is not a Dask scheduler address ({exc})") from None
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        raise SchedulerUnreachable(f"cannot connect to a Dask scheduler at {address}: "
                                   f"{exc.strerror or type(exc).__name__}") from None


def check_scheduler(address: str, timeout: float | None = None) -> None:
    """Return once a Dask scheduler at ``address`` has answered; else raise ``SchedulerUnreachable``."""
    from distributed.comm import connect

    timeout = TIMEOUT if timeout is None else timeout
    _check_reachable(address, timeout)

    async def identity():
        comm = await connect(address, timeout=timeout)
        try:
            await comm.write({"op": "identity"})
            return await comm.read()
        finally:
            comm.abort()

    try:
        answer = asyncio.run(asyncio.wait_for(identity(), timeout))
    except (asyncio.TimeoutError, TimeoutError):
        raise SchedulerUnreachable(f"no Dask scheduler answered at {address} within {timeout:g} s "
                                   "(something else listens there?)") from None
    except ValueError as exc:  # an unknown scheme or a malformed address
        raise SchedulerUnreachable(f"{address} is not a Dask scheduler address ({exc})") from None
    except OSError as exc:
        raise SchedulerUnreachable(f"cannot connect to a Dask scheduler at {address}: "
                                   f"{' '.join(str(exc).split()) or type(exc).__name__}") from None
    except Exception as exc:  # a peer speaking something else: a comm closed, undecodable frames
        raise SchedulerUnreachable(f"no Dask scheduler at {address}: the peer answered what Dask cannot read "
                                   f"({type(exc).__name__})") from None
    if not isinstance(answer, dict) or answer.get("type") != "Scheduler":
        raise SchedulerUnreachable(f"{address} answered, but is no Dask scheduler "
                                   f"({str(answer.get('type') if isinstance(answer, dict) else answer)[:40]})")
