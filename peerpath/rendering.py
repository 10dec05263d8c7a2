"""What it costs to render a page, made smaller without changing a byte of the output.

Profiling the trust page (issue 19) put about 40% of a request in Jinja, and most of that in
two places of the NHS.UK templates:

- the header and footer, the largest components (and the search box of `/`), rendered on
  every page although their output depends only on their parameters (the trust's name,
  where its links lead, the signed-in coordinator's navigation). `component(name, params)`
  renders them through a bounded per-process memo whose key is the parameters themselves,
  every value with its type (a `Markup` is not a `str`, `True` is not `1`), and the macro
  is called with the parameters rebuilt from that key: what is rendered cannot depend on
  anything the key does not hold, so one trust never gets another's fragment and a
  renamed trust or a changed setting is a new key on the very next request. The macros
  are imported without context (no request, no nonce, no CSRF token can reach them).
  Only components whose parameters hold no applicant data are memoised (MEMOISED).
- Jinja's `indent` filter, which the component templates use about 180 times: given
  `Markup`, it escapes every line again through `Markup`'s operators. `indent` below gives
  the same result working on `str` and marking the result once.

Two more costs were Jinja's own, paid on every attribute and every import:

- `params.label` on a dict first tries `getattr`, and only after the AttributeError (and,
  for a missing key, a KeyError) reads the item. `Environment.getattr` below reads a plain
  dict's item straight away when the name is not one of dict's own attributes: for a dict
  that is exactly what Jinja does, without the two exceptions.
- every `{% from ... import %}` subtracts the imported template's globals (a ChainMap) from
  the caller's; `make_globals` returns a ChainMap whose `keys()` is a set, so that
  subtraction runs in C.
- `nhsukAttributes`, called by every component (about 30 times a page, mostly with no
  attributes at all), is memoised as the header is: by its exact argument, the macro's own
  output.

Templates are compiled once per process (auto-reload only in debug) and their bytecode is
kept in Jinja's per-user cache directory, so a new gunicorn worker starts warm.
"""

from __future__ import annotations

import threading
from collections import ChainMap

from cachetools import LRUCache
from flask import Flask
from flask.templating import Environment as FlaskEnvironment
from jinja2 import FileSystemBytecodeCache, Undefined, pass_eval_context
from jinja2.filters import do_indent
from markupsafe import Markup

# Component directories memoised by `component(...)` (the `/` page's search box holds what
# the visitor typed to find a trust, never anything about an applicant; its tags are fixed
# words).
MEMOISED = ("header", "footer", "search-input", "tag")
MEMO_SIZE = 2048  # fragments per process: a header is about 3 KB, so at most ~6 MB
ATTRIBUTES = "nhsuk/macros/attributes.jinja"
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Globals(ChainMap):
    """A template's globals, as Jinja's ChainMap, with `keys()` a set (see make_globals)."""

    def keys(self):
        return set().union(*self.maps)


class Environment(FlaskEnvironment):
    """Flask's Jinja environment with the two shortcuts described at the top."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def make_globals(self, d):
        return _Globals({} if d is None else d, self.globals)


class Uncacheable(TypeError):
    """A parameter value the memo cannot key exactly (it is rendered directly)."""


def freeze(value):
    """A hashable key that tells apart every value the components could render
    differently."""
    if isinstance(value, Markup):
        return ("m", str(value))
    if isinstance(value, str):
        return ("s", value)
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int):
        return ("i", value)
    if isinstance(value, float):
        return ("f", value)
    if value is None:
        return ("n",)
    if isinstance(value, Undefined):
        return ("u",)
    if isinstance(value, dict):
        return ("d", tuple((freeze(k), freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return ("l", tuple(freeze(v) for v in value))
    raise Uncacheable(type(value).__name__)


def thaw(key, undefined: type[Undefined]):
    kind = key[0]
    if kind == "m":
        return Markup(key[1])  # noqa: S704 - it was Markup when frozen
    if kind in "sbif":
        return key[1]
    if kind == "n":
        return None
    if kind == "u":
        return undefined()
    if kind == "d":
        return {thaw(k, undefined): thaw(v, undefined) for k, v in key[1]}
    return [thaw(v, undefined) for v in key[1]]


class _LRU:
    """A bounded, thread-safe LRU (cachetools) of rendered fragments: `rendered(key, render)`."""

    def __init__(self, size: int):
        self.entries: LRUCache = LRUCache(size)
        self.lock = threading.Lock()

    def rendered(self, key, render):
        with self.lock:
            found = self.entries.get(key)
        if found is None:
            found = render()
            with self.lock:
                self.entries[key] = found
        return found

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


class FragmentMemo(_LRU):
    """Rendered components, keyed by (name, autoescape, frozen params)."""

    def __init__(self, env, size: int = MEMO_SIZE):
        super().__init__(size)
        self.env = env
        self.macros: dict = {}

    def macro(self, name: str):
        if name not in self.macros:
            module = self.env.get_template(f"nhsuk/components/{name}/macro.jinja").module
            first, *rest = name.split("-")  # "search-input" defines searchInput
            self.macros[name] = getattr(module, first + "".join(w.title() for w in rest))
        return self.macros[name]

    def __call__(self, name: str, params: dict | None = None, eval_ctx=None) -> Markup:
        """The component's output. Given the calling template's EvalContext (as
        `component` in templates passes it), the macro escapes and marks its output as
        that template does, exactly as an imported macro called there would."""
        params = params or {}
        call = [eval_ctx] if eval_ctx is not None else []
        if name not in MEMOISED:
            return self.macro(name)(*call, params)
        try:
            key = (name, None if eval_ctx is None else eval_ctx.autoescape, freeze(params))
        except Uncacheable:
            return self.macro(name)(*call, params)
        return self.rendered(key, lambda: self.macro(name)(
            *call, thaw(key[2], self.env.undefined)))


def memoise_attributes(env, size: int = MEMO_SIZE):
    """Put a memoised `nhsukAttributes` in the attributes template's module, where every
    component's `{% from ... import nhsukAttributes %}` finds it. Its output depends only on
    its argument and on the caller's autoescaping, both in the key; the macro is called with
    the argument rebuilt from the key, as the header's is."""
    module = env.get_template(ATTRIBUTES).module
    macro, memo = module.nhsukAttributes, _LRU(size)

    @pass_eval_context
    def nhsuk_attributes(eval_ctx, attributes=None):
        try:
            key = (eval_ctx.autoescape, freeze(attributes))
        except Uncacheable:
            return macro(eval_ctx, attributes)
        return memo.rendered(key, lambda: macro(eval_ctx, thaw(key[1], env.undefined)))

    module.nhsukAttributes = nhsuk_attributes
    return memo


def indent(s, width: int | str = 4, first: bool = False, blank: bool = False):
    """Jinja's `indent`, the same output, without re-wrapping each line of `Markup`."""
    if not isinstance(s, str):
        return do_indent(s, width, first, blank)  # Jinja's own errors for odd values
    indention = width if isinstance(width, str) else " " * width
    lines = (str(s) + "\n").splitlines()  # as Jinja: the added newline is the quirk
    if blank:
        out = ("\n" + indention).join(lines)
    else:
        out = lines.pop(0)
        if lines:
            out += "\n" + "\n".join(indention + line if line else line for line in lines)
    if first:
        out = indention + out
    # As Jinja: the lines are the Markup's own, the indention and newlines marked as they are.
    return Markup(out) if isinstance(s, Markup) else out  # noqa: S704


def init_rendering(app: Flask) -> None:
    env = app.jinja_env
    env.auto_reload = bool(app.debug or app.config.get("TEMPLATES_AUTO_RELOAD"))
    if not app.config.get("TESTING"):
        env.bytecode_cache = FileSystemBytecodeCache()
    env.filters["indent"] = indent
    memo = FragmentMemo(env)

    @pass_eval_context
    def component(eval_ctx, name: str, params: dict | None = None) -> Markup:
        return memo(name, params, eval_ctx)

    env.globals["component"] = component
    app.extensions["fragment_memo"] = memo
    app.extensions["attributes_memo"] = memoise_attributes(env)
