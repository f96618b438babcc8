"""Runs inside a reused kernel: note the kernel's state once, and bring it back before each notebook.

The batch (``claimcheck.batch.kernels``) executes this file's text in the kernel rather than
importing it, so it is no module of the kernel and imports nothing of claimcheck's. What a
notebook can leave behind, and what brings it back:

- its variables, ``In``/``Out`` and the execution counter: IPython's ``reset`` (counter back to 1);
- modules it imported (claimcheck's among them, with their caches) and ``sys.path`` entries: every
  module not in the baseline is dropped, from its package too, so the next notebook imports it afresh;
- the working folder and the environment: set to what a kernel started now would get;
- library settings: matplotlib's rcParams, unit converters and open figures, pandas' options,
  numpy's print options and error handling, the warning filters (and which warnings were shown
  once), IPython's event callbacks and display formatters, ``sys.argv`` and the standard streams.

The baseline is taken after the shared imports (pandas, matplotlib, …) and without any claimcheck
module. A notebook that patches a library's classes or functions in place is not undone: run
such notebooks with ``--fresh-kernels``.
"""

import copy
import importlib
import os
import sys
import warnings

OWN = "claimcheck"  # imported afresh by every notebook: none of its module state is carried over


def _own(name: str) -> bool:
    return name == OWN or name.startswith(OWN + ".")


class Baseline:
    def __init__(self, preload, launch_env):
        from IPython import get_ipython

        self.shell = get_ipython()
        for name in preload:
            try:
                importlib.import_module(name)
            except ImportError:  # an optional import: the notebook will say so itself if it needs it
                pass
        for name in [m for m in sys.modules if _own(m)]:
            del sys.modules[name]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # reading a deprecated setting says so
            self.libraries = [(take, put, take()) for take, put in _library_settings()]  # its imports are kept too
        # what the kernel's launch and start-up (and the shared imports) added to the environment
        self.env_added = {k: v for k, v in os.environ.items() if launch_env.get(k) != v}
        self.modules = set(sys.modules)
        self.path = list(sys.path)
        self.argv = list(sys.argv)
        self.streams = (sys.stdout, sys.stderr, sys.displayhook, sys.excepthook)
        self.warnings = list(warnings.filters)
        self.events = {name: list(callbacks) for name, callbacks in self.shell.events.callbacks.items()}
        self.formatters = {mime: (dict(f.type_printers), dict(f.deferred_printers), f.enabled)
                           for mime, f in self.shell.display_formatter.formatters.items()}

    def restore(self, env, cwd):
        """The state of the kernel when the baseline was taken, in ``cwd`` with the environment ``env``."""
        shell = self.shell
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
        shell.reset(new_session=True)  # variables, In/Out, history; the execution counter back to 1
        for name in set(sys.modules) - self.modules:
            module = sys.modules.pop(name)
            package, _, attribute = name.rpartition(".")
            if package in self.modules and getattr(sys.modules.get(package), attribute, None) is module:
                # the import also set it on its package, which stays: "from http import cookiejar"
                # would find the dropped module there while "import http.cookiejar" makes a new one
                delattr(sys.modules[package], attribute)
        sys.path[:] = self.path
        for entry in set(sys.path_importer_cache) - set(self.path):
            sys.path_importer_cache.pop(entry, None)
        importlib.invalidate_caches()
        sys.argv[:] = self.argv
        sys.stdout, sys.stderr, sys.displayhook, sys.excepthook = self.streams
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update({**env, **self.env_added})
        warnings.filters[:] = self.warnings
        warnings._filters_mutated()  # every module's record of warnings shown once is void
        for name, callbacks in self.events.items():
            shell.events.callbacks[name][:] = callbacks
        for mime, (types, deferred, enabled) in self.formatters.items():
            formatter = shell.display_formatter.formatters[mime]
            formatter.type_printers, formatter.deferred_printers, formatter.enabled = dict(types), dict(deferred), enabled
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # reading or restoring a deprecated setting says so
            for take, put, saved in self.libraries:
                if take() != saved:
                    put(saved)


def _library_settings():
    """(read, write) pairs of the module-level settings of the libraries in the baseline."""
    pairs = []
    if "matplotlib" in sys.modules:
        import matplotlib
        import matplotlib.units

        def take_rc():
            return copy.deepcopy(dict(dict.items(matplotlib.rcParams)))  # raw: reading 'backend' would resolve it

        def put_rc(saved):
            dict.clear(matplotlib.rcParams)
            dict.update(matplotlib.rcParams, copy.deepcopy(saved))

        def put_units(saved):
            matplotlib.units.registry.clear()
            matplotlib.units.registry.update(saved)

        pairs += [(take_rc, put_rc), (lambda: dict(matplotlib.units.registry), put_units)]
    if "pandas" in sys.modules:
        import pandas
        from pandas._config import config

        def take_pandas():
            return {key: config.get_option(key) for key in config._registered_options}

        def put_pandas(saved):
            for key, value in saved.items():
                if config.get_option(key) != value:
                    pandas.set_option(key, value)

        pairs.append((take_pandas, put_pandas))
    if "numpy" in sys.modules:
        import numpy

        pairs += [(numpy.get_printoptions, lambda saved: numpy.set_printoptions(**saved)),
                  (numpy.geterr, lambda saved: numpy.seterr(**saved))]
    return pairs
