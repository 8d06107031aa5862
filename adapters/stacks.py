"""The one table of stacks: the only place a stack is named.

A stack is what one conformance run covers: the adapter modules whose bindings it runs, the Framework
primitives they run on, and how to install it.  Its name is the records' ``framework``, the nox session,
the results file and the ``--framework`` value.  Everything else (sessions, extras, the tests' framework
set, the plugin's help) derives from ``STACKS``.  Importing this module imports no framework.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ._core import installed_version


@dataclass(frozen=True)
class Stack:
    name: str  # records' framework, nox session, results file, --framework
    modules: tuple  # adapter modules (under adapters/) whose BINDINGS it runs
    framework: str  # the adapter module whose FRAMEWORK (the primitives) they run on
    requirements: tuple  # the pinned pip requirements
    venv: str  # the shared venv family
    release: str  # another release: release.format(version) replaces requirements[0]
    history: tuple  # the releases `nox -s history` tests, oldest first, the pin (requirements[0]'s) last
    packages: tuple  # what version() reports: {package: version}
    env: dict = field(default_factory=dict)  # set in os.environ before the framework is imported
    pinned_only: tuple = ()  # requirements left out at another release (they do not import beside it)
    no_deps: tuple = ()  # requirements installed without their dependencies (the other pins provide them)
    primitives: str = "FRAMEWORK"  # the attribute of the framework module that holds them
    slow: bool = False  # its run takes many minutes (README, Speed): `nox -s tests` starts it first

    @property
    def pin(self):
        """The pinned release of requirements[0], the one the history varies."""
        return self.requirements[0].split("==", 1)[1]

    @property
    def regress(self):
        """The older release `nox -s regress` compares against the pin: the history's last but one."""
        return self.history[-2]

    def install(self, version=None):
        """The pip requirements for the pin (version None) or for another release."""
        if version is None or version == self.pin:
            return list(self.requirements)
        return [self.release.format(version), *(r for r in self.requirements[1:] if r not in self.pinned_only)]

    def version(self):
        return {p: installed_version(p) for p in self.packages}


STACKS = {s.name: s for s in (
    Stack("torch", modules=("torch",), framework="torch", requirements=("torch==2.14.1", "torchvision==0.29.1"),
          venv="torch", release="torch=={}", history=("2.13.0", "2.14.1"), packages=("torch", "torchvision"),
          pinned_only=("torchvision==0.29.1",)),  # torchvision does not import beside the CPU-only torch 2.13.0
    Stack("tensorflow", modules=("tf_nn", "keras", "keras_ops", "tf_compat"), framework="tf_nn",
          requirements=("tensorflow-cpu==2.21.0",),
          venv="tensorflow", release="tensorflow-cpu=={}", history=("2.17.1", "2.18.1", "2.19.1", "2.20.0", "2.21.0"),
          packages=("tensorflow", "keras"),
          env={"KERAS_BACKEND": "tensorflow"}, slow=True),
    Stack("sklearn", modules=("sklearn",), framework="sklearn", requirements=("scikit-learn==1.9.1",),
          venv="sklearn", release="scikit-learn=={}", packages=("sklearn",),
          history=("1.4.2", "1.5.2", "1.6.1", "1.7.2", "1.8.0", "1.9.1")),  # 1.4.2: the first built for numpy 2
    Stack("paddle", modules=("paddle",), framework="paddle", requirements=("paddlepaddle==3.3.1",), venv="paddle",
          release="paddlepaddle=={}", history=("3.0.0", "3.1.1", "3.2.2", "3.3.0", "3.3.1"), packages=("paddle",),
          env={"OMP_NUM_THREADS": "1"}),  # one thread: deterministic reductions, and kind to a shared machine
    Stack("tf_keras", modules=("tf_keras",), framework="tf_keras",
          requirements=("tf-keras==2.21.0", "tensorflow-cpu==2.21.0"),
          venv="tensorflow", release="tf-keras=={}", history=("2.17.0", "2.18.0", "2.19.0", "2.20.1", "2.21.0"),
          packages=("tf_keras", "tensorflow"),
          pinned_only=("tensorflow-cpu==2.21.0",),  # tf-keras 2.N requires tensorflow 2.N ...
          no_deps=("tf-keras==2.21.0",)),  # ... by the name "tensorflow", which would replace tensorflow-cpu's files
    # Keras 3 on its other backends: the same adapters/keras.py bindings on the backend's own tensors and autodiff;
    # on JAX under jax.jit, as Keras's fit runs them there (adapters/optax.py JittedJax)
    Stack("keras-jax", modules=("keras",), framework="optax", primitives="JITTED",
          requirements=("keras==3.15.1", "jax==0.10.2", "jaxlib==0.10.2"), venv="jax", release="keras=={}",
          history=("3.14.1", "3.15.1"), packages=("keras", "jax"), env={"KERAS_BACKEND": "jax"}, slow=True),
    Stack("keras-torch", modules=("keras",), framework="torch", requirements=("keras==3.15.1", "torch==2.14.1"),
          venv="torch", release="keras=={}", history=("3.11.3", "3.12.4", "3.13.2", "3.14.1", "3.15.1"),
          packages=("keras", "torch"),
          env={"KERAS_BACKEND": "torch"}),
    Stack("optax", modules=("optax",), framework="optax", requirements=("optax==0.2.8", "jax==0.10.2",
          "jaxlib==0.10.2"), venv="jax", release="optax=={}", history=("0.2.4", "0.2.5", "0.2.6", "0.2.7", "0.2.8"),
          packages=("optax", "jax"), slow=True),  # eager JAX compiles every op for every new shape
    # optax as a train step runs it: every call under jax.jit (adapters/optax.py JittedJax); XLA changes answers
    # at the edges (an infinite score, a NaN's row), so it is a stack of its own beside the eager one
    Stack("optax-jit", modules=("optax",), framework="optax", primitives="JITTED",
          requirements=("optax==0.2.8", "jax==0.10.2", "jaxlib==0.10.2"), venv="jax", release="optax=={}",
          history=("0.2.4", "0.2.5", "0.2.6", "0.2.7", "0.2.8"), packages=("optax", "jax"), slow=True),
)}
