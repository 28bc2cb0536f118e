"""Compiled code for the methods ``@dataclass`` generates, built with the package like ``.pyc``.

Why: CPython (3.11 to 3.13) compiles the source of every dataclass's generated methods
(``__init__``, ``__repr__``, ``__eq__``; for a frozen record also ``__hash__``,
``__setattr__`` and ``__delattr__``) each time the class statement runs: about 3 M instructions
(~1 ms here) per frozen record, for ~70 records a Lambda cold start creates, more than a third
of the skill's own share of it. That source depends only on the class's fields and options,
so it can be compiled once, when the Lambda package is built (``heel_coach.lambda_package``).

``install()`` replaces the name ``exec`` inside the ``dataclasses`` module, whose generated
methods are all made by ``exec(text, globals, namespace)``: a text found in the cache runs
its stored code object, any other text is compiled exactly as ``exec`` compiles it. The
records stay the standard library's dataclasses with the same methods: only the compiling is
skipped. The cache is keyed by the exact source text, so an edited record misses it and is
compiled as usual; a file written by another Python version (magic number) is ignored.

Second layer: even with the code cached, ``@dataclass`` still works out the fields and writes
every method's source each time. The build therefore also records, per record, *what the
decorator added to the class*, as a recipe: a generated method is its code object plus where
each value it closes over or defaults to comes from (the class itself, a name in the class
body or one of its fields' defaults, a ``dataclasses`` constant, or a literal); a Field or the
params are their slots. A cold start whose class statement has exactly the recorded *shape*
(module, name, options, bases, every name in the class body, each field's options, every
literal in the body and every annotation) replays the recipe: the same attributes, made from
the class being decorated. Every literal a recipe holds is part of the shape, so an edited
record misses its recipe; anything else is taken from the class, never from the build. A record
a recipe cannot express (``slots=True`` makes a new class; a ``ClassVar``, ``InitVar`` or
``KW_ONLY`` annotation depends on names bound in its module) goes through ``dataclasses``.
The methods and the Field objects are made when first used (``_Lazy``): a cold start makes
~45 records and calls the ``__init__`` of about a dozen. Measured: 321 M -> 311 M instructions
per cold start with the recipes, -12 M more with the methods made on first use; a test
compares every record of a built package made both ways, attribute by attribute.
"""

from __future__ import annotations

import abc
import builtins
import dataclasses
import marshal
import reprlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import CellType, CodeType, FunctionType
from typing import Any

from heel_coach.errors import HeelCoachError
from heel_coach.resources import PACKAGE_DIR, read_for_this_python, write_for_this_python

__all__ = [
    "Recorded",
    "cache_path",
    "install",
    "installed",
    "materialize",
    "read_cache",
    "recording",
    "uninstall",
    "write_cache",
]

Recipe = tuple[Any, ...]
"""How to make one value at a cold start, from marshal-able parts (see ``_describe``)."""
ClassKey = tuple[Any, ...]
"""The shape of a class statement, as ``_shape`` sees it before ``@dataclass`` runs."""


class Recorded:
    """What the build records: per record shape, the attributes ``@dataclass`` added; for a
    record that has no such recipe, the code of each source text compiled for it."""

    def __init__(self) -> None:
        self.codes: dict[str, CodeType] = {}
        self.classes: dict[ClassKey, Recipe] = {}


def cache_path(package_dir: Path = PACKAGE_DIR) -> Path:
    """``heel_coach/__pycache__/dataclass-code.<python tag>.bin``, beside the modules' .pyc."""
    return package_dir / "__pycache__" / f"dataclass-code.{sys.implementation.cache_tag}.bin"


def _compile(text: str) -> CodeType:
    """What ``exec(text)`` compiles inside ``dataclasses`` (a module without __future__ imports)."""
    return compile(text, "<string>", "exec", dont_inherit=True)


class Cache:
    """A cache file as a cold start uses it. Everything stays marshalled until a record needs
    it: a class's shape and recipe by (module, qualified name), and the code of the source
    texts of records without a recipe."""

    def __init__(self, codes: dict[str, bytes], classes: dict[tuple[str, str], bytes]) -> None:
        self.codes = codes
        self.classes = classes

    def __bool__(self) -> bool:
        return bool(self.codes or self.classes)

    def recipe(self, key: ClassKey) -> Recipe | None:
        """The recipe recorded for a class of exactly this shape, if any."""
        stored = self.classes.get(key[:2])
        if stored is None:
            return None
        shape, recipe = marshal.loads(stored)
        return recipe if shape == key else None


def read_cache(path: Path | None = None) -> Cache:
    """The cache at ``path``; empty when the file is missing, foreign or damaged."""
    empty = Cache({}, {})
    data = read_for_this_python(path or cache_path())
    if data is None:
        return empty
    try:
        content = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return empty
    if not isinstance(content, dict):
        return empty
    codes, classes = content.get("codes"), content.get("classes")
    if not isinstance(codes, dict) or not isinstance(classes, dict):
        return empty
    return Cache(codes, classes)


def write_cache(recorded: Recorded, path: Path | None = None) -> Path:
    """Write what was recorded, for this Python (its magic number first, as in a .pyc)."""
    content = {
        "codes": {text: marshal.dumps(code) for text, code in recorded.codes.items()},
        "classes": {key[:2]: marshal.dumps((key, recipe)) for key, recipe in recorded.classes.items()},
    }
    return write_for_this_python(path or cache_path(), marshal.dumps(content))


# -- what a class statement looks like, and what @dataclass added to it -----------------------

_LITERALS = (str, int, float, bool, bytes, type(None))
_MODULE_BOUND = ("ClassVar", "InitVar", "KW_ONLY")


def _literal(value: Any) -> bool:
    """A value the shape can hold itself, so a recipe may hold it too."""
    if type(value) is tuple:
        return all(_literal(v) for v in value)
    return type(value) in _LITERALS  # exactly: a StrEnum member is a str, but not a literal


def _shape(cls: type, options: tuple[Any, ...]) -> ClassKey | None:
    """Everything in a class statement that decides what ``@dataclass`` adds, other than values
    a recipe takes from the class itself: None when dataclasses must decide (a ClassVar, InitVar
    or KW_ONLY annotation depends on names bound in the module, not on the text alone)."""
    namespace = cls.__dict__
    annotations = namespace.get("__annotations__", {})
    for annotation in annotations.values():
        if not isinstance(annotation, str) or any(word in annotation for word in _MODULE_BOUND):
            return None
    body: list[Any] = []
    for name, value in namespace.items():
        if isinstance(value, dataclasses.Field):
            options_of = tuple(
                option if _literal(option) else type(option).__qualname__  # kw_only may be MISSING
                for option in (value.init, value.repr, value.hash, value.compare, value.kw_only)
            )
            default = value.default if _literal(value.default) else type(value.default).__qualname__
            factory = value.default_factory is dataclasses.MISSING
            body.append((name, "field", options_of, default, factory, len(value.metadata)))
        elif _literal(value):
            body.append((name, value))  # a literal default is in the recipe: the shape keys it
        else:
            body.append((name, type(value).__qualname__))
    bases = tuple(
        (base.__module__, base.__qualname__, tuple(getattr(base, "__dataclass_fields__", ())))
        for base in cls.__mro__[1:]
    )
    post_init = hasattr(cls, "__post_init__")
    return (
        cls.__module__,
        cls.__qualname__,
        options,
        bases,
        tuple(annotations.items()),
        tuple(body),
        post_init,
    )


class _Uncacheable(HeelCoachError):
    """A value a recipe cannot express: that record is left to dataclasses (never leaves the
    recording)."""


# A recipe node is either a literal (the value itself: the shape keys every literal) or a list
# ``[kind, ...]`` saying where the value comes from (marshal keeps lists and tuples apart, and a
# literal needs no call at a cold start): "cls"; "ns"/"default"/"factory" + a name in the
# class body; "dc"/"builtin" + a name in those modules; "tuple"/"dict" of nodes; "field"
# (a Field: the body's own one, completed, or a new one) and "params"; "fn" (a generated
# method) and "guard" (reprlib's recursion guard around ``__repr__``).


class _Context:
    """Where a value @dataclass used can come from, found by identity when recording."""

    def __init__(self, cls: type, before: dict[str, Any]) -> None:
        self.cls = cls
        self.globals = sys.modules[cls.__module__].__dict__
        known: dict[int, list[Any]] = {}
        for name, value in vars(builtins).items():
            known.setdefault(id(value), ["builtin", name])
        for name, value in vars(dataclasses).items():
            known.setdefault(id(value), ["dc", name])
        self.fields: dict[int, str] = {}  # Field objects of the class body, which @dataclass fills in
        for name, value in before.items():
            known[id(value)] = ["ns", name]
            if isinstance(value, dataclasses.Field):
                self.fields[id(value)] = name
                known.setdefault(id(value.default), ["default", name])
                known.setdefault(id(value.default_factory), ["factory", name])
        self.known = known


def _describe(value: Any, ctx: _Context) -> Any:
    """The recipe node for ``value``."""
    if value is ctx.cls:
        return ["cls"]
    if _literal(value):
        return value
    if id(value) in ctx.fields:  # the body's own field(...), completed by @dataclass
        return ["field", ctx.fields[id(value)], *_slots(value, ctx)]
    if id(value) in ctx.known:
        return ctx.known[id(value)]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return ["dict", tuple(value), tuple(_describe(v, ctx) for v in value.values())]
    if type(value) is tuple:
        return ["tuple", tuple(_describe(v, ctx) for v in value)]
    if type(value) is dataclasses.Field:
        return ["field", None, *_slots(value, ctx)]
    if type(value) is dataclasses._DataclassParams:  # type: ignore[attr-defined]
        return ["params", *_slots(value, ctx)]
    if isinstance(value, FunctionType):
        return _describe_function(value, ctx)
    raise _Uncacheable(type(value).__qualname__)


def _slots(value: Any, ctx: _Context) -> tuple[tuple[tuple[str, Any], ...], tuple[tuple[str, Any], ...]]:
    """A Field's or the params' slots: literal ones, then sourced ones."""
    nodes = [(slot, _describe(getattr(value, slot), ctx)) for slot in type(value).__slots__]
    return (
        tuple((s, n) for s, n in nodes if type(n) is not list),
        tuple((s, n) for s, n in nodes if type(n) is list),
    )


def _describe_function(fn: FunctionType, ctx: _Context) -> list[Any]:
    """A generated method (code from ``exec``, the module's globals), or reprlib's recursion
    guard around one, which dataclasses puts on ``__repr__``."""
    wrapped = getattr(fn, "__wrapped__", None)
    if wrapped is not None:
        origin = fn.__code__.co_filename
        if origin == dataclasses.__file__ and fn.__code__.co_qualname.startswith("_recursive_repr."):
            guard = "dataclasses"
        elif origin == reprlib.__file__ and fn.__code__.co_qualname.startswith("recursive_repr."):
            guard = "reprlib"
        else:
            raise _Uncacheable(fn.__code__.co_qualname)
        return ["guard", guard, fn.__qualname__, _describe(wrapped, ctx)]
    if fn.__code__.co_filename != "<string>" or fn.__globals__ is not ctx.globals or vars(fn) or fn.__doc__:
        raise _Uncacheable(fn.__qualname__)
    return [
        "fn",
        fn.__code__,
        fn.__name__,
        fn.__qualname__,
        tuple(_describe(cell.cell_contents, ctx) for cell in fn.__closure__ or ()),
        _describe(fn.__defaults__, ctx),
        _describe(fn.__kwdefaults__, ctx),
        _describe(fn.__annotations__, ctx),
    ]


def _record(cls: type, before: dict[str, Any]) -> Recipe:
    """What @dataclass changed in ``cls``: attributes set (in order) and attributes removed."""
    ctx = _Context(cls, before)
    after = cls.__dict__
    added: list[tuple[Any, ...]] = []
    for name, value in after.items():
        if name in before and before[name] is value:
            continue
        node = _describe(value, ctx)
        if name in _LAZY and type(node) is list:  # made when first used: kept marshalled
            added.append((name, _LAZY_MARK, marshal.dumps(node)))
        else:
            added.append((name, node))
    removed = tuple(name for name in before if name not in after)
    return (tuple(added), removed)


# -- a cold start: the recipe made into values, from the class being decorated ----------------

_LAZY = frozenset(
    {"__dataclass_fields__", "__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"}
    | {"__lt__", "__le__", "__gt__", "__ge__"}
)
"""Attributes a replayed record makes when first used: a cold start instantiates a fraction of
its records, compares or prints fewer, and the methods' code need not even be unmarshalled
until then (see ``_Lazy``)."""
_LAZY_MARK = "lazy"


class _Lazy:
    """Stands in for one attribute of a replayed record until it is first used, then puts the
    real one on the class (``materialize``). A method is a stand-in function that makes the
    method and calls it; ``__dataclass_fields__`` is a descriptor that makes the Field objects
    when read (``fields()``, ``replace()``, ``is_dataclass()`` all read it)."""

    __slots__ = ("cls", "made", "module", "name", "namespace", "raw")

    def __init__(self, cls: type, name: str, raw: bytes, namespace: dict[str, Any], module: dict[str, Any]):
        self.cls, self.name, self.raw, self.namespace, self.module = cls, name, raw, namespace, module
        self.made: Any = None

    def materialize(self) -> Any:
        """The real attribute, made once (a stand-in kept elsewhere, e.g. ``init =
        cls.__init__`` taken before the first call, reuses it). Two threads may both make it:
        either result is the same method, and the last one set stays."""
        if self.made is None:
            self.made = _make(marshal.loads(self.raw), self.cls, self.namespace, self.module)
            setattr(self.cls, self.name, self.made)
        return self.made

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        return self.materialize()  # only __dataclass_fields__ is set as the _Lazy itself

    def method(self) -> Callable[..., Any]:
        """A function standing in for the method: Python calls methods like ``__init__``
        and ``__hash__`` through the type's slots, which must find a function."""
        materialize = self.materialize

        def stand_in(*args: Any, **kwargs: Any) -> Any:
            return materialize()(*args, **kwargs)

        stand_in.__name__ = self.name
        stand_in.__qualname__ = f"{self.cls.__qualname__}.{self.name}"
        stand_in.__module__ = self.cls.__module__
        stand_in._dataclass_lazy = self  # type: ignore[attr-defined]
        return stand_in


def materialize(cls: type) -> type:
    """Make every attribute of a replayed record that is still a stand-in (for introspection
    that reads ``__init__``'s signature or compares the class's methods, e.g. tests)."""
    for value in list(vars(cls).values()):
        lazy = value if isinstance(value, _Lazy) else getattr(value, "_dataclass_lazy", None)
        if isinstance(lazy, _Lazy) and lazy.cls is cls:
            lazy.materialize()
    return cls


def _make(node: Any, cls: type, namespace: dict[str, Any], module: dict[str, Any]) -> Any:
    if type(node) is not list:
        return node
    kind = node[0]
    if kind == "ns":
        return namespace[node[1]]
    if kind == "dc":
        return getattr(dataclasses, node[1])
    if kind == "cls":
        return cls
    if kind == "fn":
        _, code, name, qualname, closure, defaults, kwdefaults, annotations = node
        fn = FunctionType(
            code,
            module,
            name,
            _make(defaults, cls, namespace, module),
            tuple(CellType(_make(n, cls, namespace, module)) for n in closure),
        )
        fn.__qualname__ = qualname
        if kwdefaults is not None:
            fn.__kwdefaults__ = _make(kwdefaults, cls, namespace, module)
        fn.__annotations__ = _make(annotations, cls, namespace, module)
        return fn
    if kind == "field" or kind == "params":
        if kind == "params":
            value = object.__new__(dataclasses._DataclassParams)  # type: ignore[attr-defined]
        elif node[1] is None:
            value = object.__new__(dataclasses.Field)
        else:
            value = namespace[node[1]]
        literal, sourced = node[-2], node[-1]
        for slot, v in literal:
            setattr(value, slot, v)
        for slot, n in sourced:
            setattr(value, slot, _make(n, cls, namespace, module))
        return value
    if kind == "dict":
        return dict(zip(node[1], [_make(n, cls, namespace, module) for n in node[2]], strict=True))
    if kind == "tuple":
        return tuple([_make(n, cls, namespace, module) for n in node[1]])
    if kind == "default":
        return namespace[node[1]].default
    if kind == "factory":
        return namespace[node[1]].default_factory
    if kind == "builtin":
        return getattr(builtins, node[1])
    if kind == "guard":
        inner = _make(node[3], cls, namespace, module)
        if node[1] == "dataclasses":
            guarded = dataclasses._recursive_repr(inner)  # type: ignore[attr-defined]
        else:
            guarded = reprlib.recursive_repr()(inner)
        guarded.__qualname__ = node[2]
        return guarded
    raise ValueError(f"unknown recipe node {kind!r}")


def _replay(cls: type, recipe: Recipe) -> None:
    """Set on ``cls`` what @dataclass set on the recorded class of the same shape."""
    added, removed = recipe
    namespace = dict(cls.__dict__)  # the class statement's values, before anything is set
    module = sys.modules[cls.__module__].__dict__
    for name, *node in added:
        if len(node) == 2:  # (name, "lazy", marshalled node); else (name, node)
            lazy = _Lazy(cls, name, node[1], namespace, module)
            setattr(cls, name, lazy if name == "__dataclass_fields__" else lazy.method())
        else:
            setattr(cls, name, _make(node[0], cls, namespace, module))
    for name in removed:
        delattr(cls, name)
    abc.update_abstractmethods(cls)


# -- installing and recording -------------------------------------------------------------------

_REAL_PROCESS_CLASS = dataclasses._process_class  # type: ignore[attr-defined]


def install(path: Path | None = None) -> bool:
    """Use the cache for every dataclass created from now on; False (and nothing changed) when
    there is no usable cache file. Meant for a process that is the skill's own (a Lambda
    container), where it stays installed: a later request may import a feature lazily."""
    if "exec" in vars(dataclasses):
        return True  # already installed
    cache = read_cache(path)
    if not cache:
        return False
    codes = cache.codes

    def cached_exec(source: Any, globals: Any = None, locals: Any = None) -> None:
        if isinstance(source, str):
            cached = codes.get(source)
            source = marshal.loads(cached) if cached is not None else _compile(source)
        exec(source, globals, locals)

    def replaying_process_class(cls: type, *options: Any) -> type:
        key = _shape(cls, options)
        recipe = None if key is None else cache.recipe(key)
        if recipe is None:
            return _REAL_PROCESS_CLASS(cls, *options)
        _replay(cls, recipe)
        return cls

    dataclasses.exec = cached_exec  # type: ignore[attr-defined]
    dataclasses._process_class = replaying_process_class  # type: ignore[attr-defined]
    return True


def uninstall() -> None:
    """Back to compiling every time (tests)."""
    vars(dataclasses).pop("exec", None)
    dataclasses._process_class = _REAL_PROCESS_CLASS  # type: ignore[attr-defined]


@contextmanager
def installed(path: Path | None = None) -> Iterator[bool]:
    """``install()`` for the length of a block (tests, measurements)."""
    was = "exec" in vars(dataclasses)
    try:
        yield install(path)
    finally:
        if not was:
            uninstall()


@contextmanager
def recording(package: str = "heel_coach") -> Iterator[Recorded]:
    """Inside the block, the code of every method dataclasses generate for a record defined in
    ``package``, and what the decorator adds to each such record, are kept for
    ``write_cache``. Records created before the block are not seen, so it must enclose the
    first import of the package's modules."""
    if "exec" in vars(dataclasses):
        raise RuntimeError("a dataclass code cache is installed: record in a fresh interpreter")
    recorded = Recorded()

    def ours(module: str) -> bool:
        return module == package or module.startswith(package + ".")

    texts: list[tuple[str, CodeType]] = []  # what was compiled for the record being made

    def recording_exec(source: Any, globals: Any = None, locals: Any = None) -> None:
        if isinstance(source, str):
            text, source = source, _compile(source)
            if ours(str((globals or {}).get("__name__", ""))):
                texts.append((text, source))
        exec(source, globals, locals)

    def recording_process_class(cls: type, *options: Any) -> type:
        key = _shape(cls, options) if ours(cls.__module__) else None
        before = dict(cls.__dict__)
        texts.clear()
        result: type = _REAL_PROCESS_CLASS(cls, *options)
        if key is not None and result is cls:  # slots=True makes a new class: not replayable
            try:
                recorded.classes[key] = _record(cls, before)
                return result  # the recipe holds the code
            except _Uncacheable:
                pass
        recorded.codes.update(texts)
        return result

    dataclasses.exec = recording_exec  # type: ignore[attr-defined]
    dataclasses._process_class = recording_process_class  # type: ignore[attr-defined]
    try:
        yield recorded
    finally:
        uninstall()
