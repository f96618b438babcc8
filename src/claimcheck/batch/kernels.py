"""The kernels of a batch worker: one held and reused across its notebooks, or a fresh one per notebook.

Starting a kernel and importing pandas and matplotlib into it costs more than most notebooks' own
cells. So by default a worker holds one kernel for all its notebooks: the shared imports happen
once, and before each notebook ``kernel_state`` brings the kernel back to the state it had right
after them (variables, execution counter, modules and ``sys.path``, working folder, environment,
library settings: see there); every claimcheck module is imported afresh by each notebook. A
kernel is kept only after a notebook that ran to its end: one that died, timed out or failed is
stopped, and the next notebook gets a new kernel. With ``fresh`` (``--fresh-kernels``) every
notebook gets a kernel of its own, started ahead while the previous notebook runs.

Kernels talk over Unix sockets whose files are named after the owning process, so that a run
killed with SIGKILL leaves files the next run can tell from a live one's and remove.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import sys
import threading
import time
import uuid
from functools import lru_cache
from pathlib import Path
from queue import Empty

from claimcheck import paths

KERNEL_FILES = "claimcheck-"  # prefix of a batch kernel's connection file and IPC sockets in Jupyter's runtime folder
# imported once into a held kernel, before its baseline (claimcheck's modules are then dropped again):
# the modules the check notebooks import, and so what those import (pandas, matplotlib's tickers:
# the charts are SVG written directly, so neither pyplot nor a drawing backend is loaded)
PRELOAD = ("pandas", "IPython.display", "claimcheck.show.notebook", "claimcheck.show.report",
           "claimcheck.show.render", "claimcheck.show.tables", "claimcheck.registry.coverage",
           "claimcheck.draft.review")
STATE_CODE = Path(__file__).with_name("kernel_state.py")  # executed inside a held kernel


def _kernel_files_prefix() -> str:
    """``claimcheck-<pid>-<id>``: the pid of the process that owns the kernel, so that the files of
    a dead owner can be told from those of a live one (another run, another user's tests)."""
    return f"{KERNEL_FILES}{os.getpid()}-{uuid.uuid4().hex[:12]}"


class RuntimeFolderTooDeep(RuntimeError):
    """Jupyter's runtime folder is too deep for a kernel's IPC sockets; the message is one line."""


def check_runtime_dir() -> None:
    """Raise ``RuntimeFolderTooDeep`` when a kernel's IPC socket in Jupyter's runtime folder would
    not fit a Unix socket address (107 bytes on Linux): every kernel would fail to bind there, and
    a run would wait for kernels that never answer. Checked for the longest name a batch gives a
    socket (a 7-digit pid), so it holds for every worker whatever its pid."""
    import zmq
    from jupyter_core.paths import jupyter_runtime_dir

    folder = Path(jupyter_runtime_dir())
    longest = len(os.fsencode(folder / f"{KERNEL_FILES}{'9' * 7}-{'f' * 12}-99"))
    limit = getattr(zmq, "IPC_PATH_MAX_LEN", 107) or 107
    if longest > limit:
        raise RuntimeFolderTooDeep(
            f"Jupyter's runtime folder {folder} is too deep for a kernel's sockets (their paths would be up to "
            f"{longest} bytes; at most {limit} fit): set JUPYTER_RUNTIME_DIR to a shorter folder")


def remove_dead_kernel_files(runtime_dir: Path | None = None) -> list[Path]:
    """Delete the connection files and IPC sockets left by batch processes that no longer exist.

    A process killed with SIGKILL cannot remove its kernels' files; the next run does. Files of a
    live process are kept, whoever it is; a name this batch did not write is never touched.
    """
    from jupyter_core.paths import jupyter_runtime_dir

    folder = Path(runtime_dir or jupyter_runtime_dir())
    removed = []
    for path in folder.glob(f"{KERNEL_FILES}*") if folder.is_dir() else []:
        owner = path.name[len(KERNEL_FILES):].split("-", 1)[0]
        # a pid has at most 7 digits (pid_max ≤ 2**22); older versions named files by a 12-digit id
        if owner.isdigit() and len(owner) <= 7 and not _alive(int(owner)):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs; a zombie (dead, not yet reaped by whoever adopted it) does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    if not Path("/proc").is_dir():  # no way to see a zombie here
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:  # it ended meanwhile
        return False


def die_with_parent():
    """A ``preexec_fn`` that has Linux SIGKILL the child when the process starting it dies (even by
    SIGKILL), or None elsewhere.

    ipykernel's own watchdog is a thread polling its parent once a second: a kernel busy in C code
    that holds the GIL (a large pandas operation, a regular expression) never lets it run, and such
    kernels outlived a killed run by minutes. The kernel is its own session (jupyter_client starts
    it so), so a signal to the run's process group does not reach it either; the parent-death
    signal is delivered by the kernel of the operating system and needs no GIL. It survives the
    ``exec`` of the kernel's command; it follows the thread that started the kernel, and a kernel
    whose thread ended is found dead and replaced (``for_notebook``)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import signal

    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork, not in the child
    parent = os.getpid()

    def arm() -> None:
        prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)

    return arm


@lru_cache(maxsize=1)
def ipc_kernel_manager():
    """A kernel manager whose kernel talks over Unix sockets in Jupyter's runtime folder, not TCP.

    Local only, so nothing listens on a port, and ipykernel has no reason to warn about
    unencrypted TCP for every notebook of the batch. Its connection file sits beside the sockets
    (not in /tmp), both named after the owning process (see ``remove_dead_kernel_files``). It
    remembers the clients it hands out, so that those of a kernel nbclient does not own (started
    ahead, or held) can be closed.

    Two fixed waits of jupyter_client are taken out where they live: the client's 0.2 s wait for
    IOPub to stay quiet once the kernel is ready, and the 0.1 s poll interval while a killed
    kernel is reaped.
    """
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.paths import jupyter_runtime_dir

    class ReadyClient(AsyncKernelClient):
        async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
            """jupyter_client's handshake (a ``kernel_info_reply`` on shell, then one IOPub message
            to show IOPub is connected), then drain what IOPub already holds without waiting 0.2 s
            for more: anything later belongs to the kernel_info requests, and nbclient takes
            only the messages whose parent is the cell it runs."""
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    reply = None
                if reply is not None and reply["msg_type"] == "kernel_info_reply":
                    try:
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:  # IOPub not connected yet: ask again
                        pass
                    else:
                        self._handle_kernel_info_reply(reply)
                        break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
            while await self.iopub_channel.msg_ready():
                await self.iopub_channel.get_msg(timeout=0)

        wait_for_ready = _async_wait_for_ready  # AsyncKernelClient binds the public name to its own

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            runtime = Path(jupyter_runtime_dir())
            runtime.mkdir(parents=True, exist_ok=True)
            prefix = runtime / _kernel_files_prefix()
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(prefix))
            kwargs.setdefault("connection_file", f"{prefix}.json")
            kwargs.setdefault("client_factory", ReadyClient)
            super().__init__(**kwargs)
            self.handed_out = []

        def client(self, **kwargs):
            self.handed_out.append(super().client(**kwargs))
            return self.handed_out[-1]

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            """Launch with a parent-death signal: the kernel dies the moment its worker does."""
            kw.setdefault("preexec_fn", die_with_parent())
            return await super()._async_launch_kernel(kernel_cmd, **kw)

        async def _async_wait(self, pollinterval: float = 0.1) -> None:
            """Until the kernel's process has ended: a killed process is reaped within
            milliseconds, so poll every 2 ms rather than jupyter_client's 100 ms."""
            while await self._async_is_alive():
                await asyncio.sleep(0.002)

    return IPCKernelManager


def start_kernel():
    """A kernel manager with its kernel launched (not yet booted) in the notebooks folder."""
    from jupyter_core.utils import run_sync

    manager = ipc_kernel_manager()(kernel_name="python3")
    # as nbclient starts its kernels: history in memory, not written to the user's IPython profile
    run_sync(manager.start_kernel)(cwd=str(paths.notebooks_dir()),  # returns once launched, not booted
                                   extra_arguments=["--HistoryManager.hist_file=:memory:"])
    return manager


def _close_clients(manager) -> None:
    for client in manager.handed_out:
        client.stop_channels()
    manager.handed_out.clear()


def stop_kernel(manager) -> None:
    from jupyter_core.utils import run_sync

    _close_clients(manager)
    if run_sync(manager.is_alive)():
        run_sync(manager.shutdown_kernel)(now=True)  # every output is saved by now; removes its files
    else:  # died: its connection file and IPC sockets are still there
        run_sync(manager.cleanup_resources)()


def _is_alive(manager) -> bool:
    from jupyter_core.utils import run_sync

    return run_sync(manager.is_alive)()


# Per thread (a Dask worker may run several jobs at once, each thread with its own kernels):
# ``spare``, a kernel started ahead for the next notebook; ``held``, the kernel reused across
# notebooks, once its baseline is taken.
_mine = threading.local()
_all_held: set = set()  # every thread's held kernel, stopped when the process ends
_all_lock = threading.Lock()


def start_ahead() -> None:
    """Start a kernel for this worker's next notebook; if it fails, that notebook starts its own,
    and reports the failure as its outcome if it persists."""
    try:
        _mine.spare = start_kernel()
    except Exception:
        _mine.spare = None


def take_spare():
    """This worker's kernel started ahead, if it is still alive (else None)."""
    manager, _mine.spare = getattr(_mine, "spare", None), None
    if manager is not None and not _is_alive(manager):
        stop_kernel(manager)
        return None
    return manager


def discard_spare() -> None:
    manager = take_spare()
    if manager is not None:
        stop_kernel(manager)


def release() -> None:
    """Stop this thread's kernel started ahead and every held kernel of the process."""
    discard_spare()
    with _all_lock:
        held = list(_all_held)
        _all_held.clear()
    _mine.held = None
    for manager in held:
        try:
            stop_kernel(manager)
        except Exception:  # the process is ending: a kernel that cannot be stopped dies with it
            pass


def for_notebook(reuse: bool, start_next: bool = False, timeout: float = 60):
    """The kernel manager a notebook runs in, or None for nbclient to start (and stop) its own.

    ``reuse``: this thread's held kernel, brought back to its baseline (taken first if the kernel
    is new); a kernel that cannot be brought back is stopped and the notebook runs in a kernel of
    its own. Otherwise the kernel started ahead, if any; ``start_next`` starts the next one.
    """
    if not reuse:
        manager = take_spare()
        if start_next:
            start_ahead()
        return manager
    manager = getattr(_mine, "held", None)
    if manager is not None and not _is_alive(manager):
        _forget(manager)
        stop_kernel(manager)
        manager = None
    try:
        if manager is None:
            manager = take_spare() or start_kernel()
            _hold(manager)
            _run_quietly(manager, _baseline_code(), timeout)
        _run_quietly(manager, _restore_code(), timeout)
    except Exception:
        if manager is not None:
            _forget(manager)
            stop_kernel(manager)
        return None
    return manager


def done_with(manager, keep: bool) -> None:
    """After a notebook: close its clients; keep the held kernel if ``keep``, else stop the kernel."""
    if manager is None:
        return
    if keep and manager is getattr(_mine, "held", None):
        _close_clients(manager)
        return
    _forget(manager)
    stop_kernel(manager)


def _hold(manager) -> None:
    _mine.held = manager
    with _all_lock:
        if not _all_held:  # once per process: pool workers leave by os._exit, which runs no atexit
            from multiprocessing.util import Finalize

            atexit.register(release)
            Finalize(None, release, exitpriority=10)
        _all_held.add(manager)


def _forget(manager) -> None:
    if manager is getattr(_mine, "held", None):
        _mine.held = None
    with _all_lock:
        _all_held.discard(manager)


def _baseline_code() -> str:
    launch_env = dict(os.environ)  # what the kernel was started with, in this worker
    return (f"_claimcheck_ns = {{'__name__': '_claimcheck_kernel_state'}}\n"
            f"exec(compile(open({str(STATE_CODE)!r}, encoding='utf-8').read(), {str(STATE_CODE)!r}, 'exec'), "
            f"_claimcheck_ns)\n"
            f"get_ipython()._claimcheck_baseline = _claimcheck_ns['Baseline']({PRELOAD!r}, {launch_env!r})\n")


def _restore_code() -> str:
    """As a kernel started now would be: this worker's environment, in the notebooks folder."""
    return f"get_ipython()._claimcheck_baseline.restore({dict(os.environ)!r}, {str(paths.notebooks_dir())!r})"


def _run_quietly(manager, code: str, timeout: float) -> None:
    """Execute ``code`` in the kernel without a trace in its history or counter; raise if it fails."""
    from jupyter_core.utils import run_sync

    client = manager.client()
    client.start_channels()
    try:
        run_sync(client.wait_for_ready)(timeout=timeout)
        msg_id = client.execute(code, silent=True, store_history=False)
        deadline = time.monotonic() + timeout
        while True:
            reply = run_sync(client.get_shell_msg)(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")
    finally:
        client.stop_channels()
        manager.handed_out.remove(client)
