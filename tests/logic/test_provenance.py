"""The value-provenance analysis on its own: safe, or the unsafe part named."""

from __future__ import annotations

import ast
import sys

import pytest

from flake8_djsec.logic import provenance


def _verdict(source: str, sanitizers: provenance.Sanitizers = provenance.HTML) -> provenance.Verdict:
    """Judge the first argument of the last call to ``sink()`` in the source."""
    tree = ast.parse(source)
    imports: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            imports.update({
                alias.asname or alias.name: '{0}.{1}'.format(node.module, alias.name)
                for alias in node.names
            })
    sinks = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == 'sink'
    ]
    call = max(sinks, key=lambda node: (node.lineno, node.col_offset))
    return provenance.Provenance(tree.body, imports, sanitizers).judge(call.args[0], call)


@pytest.mark.parametrize('source', [
    'sink("<b>")',
    'X = "<b>"\ndef f():\n    sink(X + "<i>")',
    'def f(n):\n    sink("&#9733;" * int(n))',
    'def f(n):\n    sink(f"<b>{n:d}</b>")',
    'def f(n):\n    sink("<b>%d</b>" % n)',
    'def f():\n    for x in ["a", "b"]:\n        sink(x)',
    'def f(x):\n    if x in ("a", "b"):\n        sink(x)',
    'def f(x):\n    if x not in ("a", "b"):\n        raise ValueError\n    sink(x)',
    'def g():\n    return "<b>"\ndef f():\n    sink(g() + g())',
    'def g(t):\n    return "<b>" + t\ndef f():\n    sink(g("x"))',
    'from django.utils.html import escape\ndef f(x):\n    x = escape(x)\n    sink("<b>" + x)',
    'from django.utils.html import escape\ndef f(xs):\n    sink("".join(escape(x) for x in xs))',
    'class C:\n    T = "<b>"\n    def m(self):\n        sink(self.T)',
    'from app.constants import ICON\nsink(ICON)',
    'D = {"a": "<b>"}\ndef f(k):\n    sink(D[k])',
    'def f(u):\n    sink(u.get_absolute_url())',
    'from django.template import Template\ndef f(c):\n    sink(Template("{{ x }}").render(c))',
])
def test_safe(source: str) -> None:
    """Constants, numbers, checked values, sanitisers and the module's own helpers are safe."""
    assert provenance.Provenance  # the module imports without flake8
    assert _verdict(source).safe


@pytest.mark.parametrize(('source', 'unsafe', 'how'), [
    ('def f(author):\n    sink(f"<b>{author}</b>")', 'the function argument author', 'an f-string'),
    ('def v(request):\n    sink("<b>" + request.GET["q"])', "request.GET['q']", 'concatenation'),
    (
        'def f(pk):\n    review = Review.objects.get(pk=pk)\n    sink("<p>%s</p>" % review.body)',
        'the model field review.body', '% formatting',
    ),
    ('def g(t):\n    return "<b>" + t\ndef f(a):\n    sink(g(a))', 'the function argument a', 'concatenation'),
    ('def f(x):\n    if x in ("a",):\n        pass\n    sink(x)', 'the function argument x', ''),
    ('def f(xs):\n    sink(", ".join(xs))', 'the function argument xs', 'join()'),
    ('def f(x):\n    y = x\n    y += "<i>"\n    sink(y)', 'the function argument x', ''),
    ('def f(x):\n    sink(helper(x))', 'the result of helper()', ''),
])
def test_unsafe_part_is_named(source: str, unsafe: str, how: str) -> None:
    """The first part that is not provably safe, and the formatting that builds it in."""
    verdict = _verdict(source)
    assert not verdict.safe
    assert (verdict.unsafe, verdict.how) == (unsafe, how)


def test_sql_sanitizers() -> None:
    """Quoted names, model tables and ORM-compiled SQL are safe only for SQL."""
    quoted = 'def f(c, t):\n    sink("SELECT * FROM %s" % c.ops.quote_name(t))'
    assert _verdict(quoted, provenance.SQL).safe
    assert not _verdict(quoted, provenance.HTML).safe
    compiled = 'def f(q, c, k):\n    w, p = q.where.as_sql(c, k)\n    sink("SELECT 1 WHERE " + w)'
    assert _verdict(compiled, provenance.SQL).safe


def test_recursive_helpers_end() -> None:
    """A function that calls itself is inlined a bounded number of times, then undecided."""
    source = 'def g(t):\n    return g(t) + "<b>"\ndef f():\n    sink(g("x"))'
    assert _verdict(source).kind == provenance.UNKNOWN


@pytest.mark.parametrize('operator', ['+', '%'])
def test_deep_expressions_never_raise(operator: str) -> None:
    """Thousands of operands stay within the bound: undecided or judged, never RecursionError."""
    chain = operator.join(['x'] * (sys.getrecursionlimit() * 2))
    verdict = _verdict('def f(x):\n    sink({0})'.format(chain))
    assert not verdict.safe


def test_self_referencing_names_end() -> None:
    """``a = b; b = a`` loops are followed until the budget, then undecided or unsafe."""
    source = 'a = b\nb = a\ndef f():\n    sink(a)'
    assert not _verdict(source).safe


@pytest.mark.parametrize('source', [
    # Every call in the module passes a constant (or the default, or a loop over constants).
    'def g(t):\n    sink("DROP " + t)\ndef f():\n    g("a")\n    g(t="b")',
    'def g(t, cols=("a", "b")):\n    for c in cols:\n        sink(t + c)\ndef f():\n    g("x")',
    'T = ("a", "b")\ndef g(t):\n    sink(t)\ndef f():\n    return [g(x) for x in T]',
    'class C:\n    def _m(self, t):\n        sink(t)\n    def n(self):\n        self._m("x")',
    # A recursive call passes what is already being judged.
    'def g(t, n=0):\n    if n:\n        g(t, n - 1)\n    sink(t)\ndef f():\n    g("x")',
    # Numbers: arithmetic, number fields of the module's models, keys.
    'def f(request):\n    sink("<b>%s</b>" % (len(request.GET) + 1))',
    'class M(Model):\n    n = models.IntegerField()\n    def f(self):\n        sink(f"<b>{self.n}</b>")',
    'def f(request, o):\n    sink(f"<b>{o.author_id}</b>")',
    'def f(request, o):\n    sink(f"<b>{o.count}</b> {o.reply_count}")',
    'class M(Model):\n    img = models.ImageField()\n    def f(self):\n        sink(f"<img src={self.img.url}>")',
    'def f(request):\n    sink(f"<b>{Kind.DRAFT.value}</b>")',
])
def test_safe_through_callers(source: str) -> None:
    """A parameter is as safe as what the module's calls pass; numbers and keys are safe."""
    assert _verdict(source).safe


@pytest.mark.parametrize(('source', 'unsafe', 'kind'), [
    # No call in the module and no entry point: not reported (its callers are elsewhere).
    ('def g(t):\n    sink("DROP " + t)', 'the function argument t', provenance.PASSED),
    ('class Q:\n    def by(self, o):\n        sink(o)', 'the function argument o', provenance.PASSED),
    # Handed over as a value: callers we do not see.
    ('def g(t):\n    sink(t)\ndef f():\n    g("a")\nHOOKS = [g]', 'the function argument t', provenance.PASSED),
    # Entry points: views, template filters, methods Django calls with data.
    ('def v(request, slug):\n    sink(slug)', 'the function argument slug', provenance.ARGUMENT),
    ('@register.filter\ndef f(value):\n    sink(value)', 'the function argument value', provenance.ARGUMENT),
    ('def f(value):\n    sink(value)\nregister.filter("f", f)', 'the function argument value', provenance.ARGUMENT),
    (
        'class W(Widget):\n    def render(self, name, value):\n        sink(value)',
        'the function argument value', provenance.ARGUMENT,
    ),
    (
        'class W(Widget):\n    def render(self, name, value):\n        sink(name)',
        'the function argument name', provenance.PASSED,
    ),
    # What a caller passes is named where it comes from.
    ('def g(t):\n    sink(t)\ndef v(request):\n    g("a")\n    g(request.GET["q"])', "request.GET['q']", provenance.REQUEST),
    ('def g(t):\n    sink(t)\ndef v(request):\n    g(request.GET.get("q"))', "request.GET.get('q')", provenance.REQUEST),
    # An item of a collection argument is reported even with no caller in sight.
    ('def g(context):\n    sink(context["comment"])', "context['comment'] of the function argument context", provenance.ARGUMENT),
    # Other modules' values and raised exceptions are not seen.
    ('from x import Admin\ndef v(request):\n    sink(Admin.legend)', 'the attribute Admin.legend', provenance.CALL),
    # What a function returns is usually a model row: its attributes are data.
    ('def v(request):\n    p = get_page(request)\n    sink(p.title)', 'the attribute p.title', provenance.FIELD),
    ('def v(request):\n    p = Page(title="x")\n    sink(p.title)', 'the attribute p.title', provenance.CALL),
    ('def v(request):\n    sink(Page(title="x"))', 'the result of Page()', provenance.OBJECT),
    (
        'def v(request, qs):\n    sink(", ".join(str(r) for r in qs.filter(a=1)))',
        'the model rows of qs.filter()', provenance.FIELD,
    ),
    ('def v(request, f):\n    sink(f"<b>{f.label}</b>")', 'the attribute f.label', provenance.FIELD),
    ('def v(request):\n    try:\n        pass\n    except ValueError as e:\n        sink(str(e))', 'the exception e', provenance.CALL),
    ('import json\ndef v(request):\n    sink(json.dumps(request.GET, cls=Escaping))', 'the result of json.dumps()', provenance.CALL),
    (
        'import json\nfrom django.core.serializers.json import DjangoJSONEncoder\n'
        'def v(request):\n    sink(json.dumps(request.GET, cls=DjangoJSONEncoder))',
        'the result of json.dumps()', provenance.SOURCE,
    ),
])
def test_arguments_and_unseen_values(source: str, unsafe: str, kind: str) -> None:
    """Which arguments and values are reported (ARGUMENT, REQUEST, SOURCE) and which are not."""
    verdict = _verdict(source)
    assert not verdict.safe
    assert (verdict.unsafe, verdict.kind) == (unsafe, kind)


def test_reported_part_beats_unseen_part() -> None:
    """A string with an unseen part (another module's result) and a user's part is reported."""
    verdict = _verdict('def v(request):\n    sink(f"{helper()}{request.GET[\'q\']}")')
    assert (verdict.unsafe, verdict.kind) == ("request.GET['q']", provenance.REQUEST)


@pytest.mark.parametrize('source', [
    # Django's needs_autoescape idiom: the identity branch is the template's choice.
    'from django.utils.html import conditional_escape\n@register.filter(needs_autoescape=True)\n'
    'def f(o, autoescape=True):\n    if autoescape:\n        esc = conditional_escape\n'
    '    else:\n        def esc(x):\n            return x\n    sink("<b>%s</b>" % esc(o.name))',
    'from pkg import __docs__\ndef f(request):\n    sink(__docs__)',
    'class M(Model):\n    s = CharField(choices=C)\n    def f(self):\n        sink(f"<b>{self.s}</b>")',
    'P = {"a": ("<b>", 1)}\ndef f(request):\n    return [sink(p.count) + sink(p[0]) for k, p in P.items()]',
    'def f(request):\n    for x in ["a", "b"]:\n        sink(x.upper())',
    'def f(request, form):\n    sink(str(form.media) + str(form.errors))',
])
def test_safe_idioms(source: str) -> None:
    """Escaping aliases, dunder constants, filter arguments, choices, constants' elements."""
    assert _verdict(source).safe


@pytest.mark.parametrize(('source', 'unsafe', 'kind'), [
    (
        'class Command(BaseCommand):\n    def handle(self, *args, **options):\n'
        '        sink("DROP " + options["schema"])',
        'the command-line option options', provenance.COMMAND,
    ),
    (
        'class M(Model):\n    t = CharField()\n    def f(self):\n        sink(f"<b>{self.t}</b>")',
        'the model field self.t', provenance.FIELD,
    ),
    (
        '@register.simple_tag\ndef f(rows):\n    return [sink(r.title) for r in rows]',
        'the attribute r.title', provenance.FIELD,
    ),
    ('def f(request):\n    for r in load():\n        sink(r.title)', 'the attribute r.title', provenance.FIELD),
    (
        'P = {"a": Pref(d="<b>")}\ndef f(request):\n    return [sink(p.d) for k, p in P.items()]',
        'the attribute p.d', provenance.CALL,
    ),
    ('@register.filter\ndef f(value, arg=""):\n    sink(arg)', 'the function argument arg', provenance.PASSED),
])
def test_commands_fields_and_elements(source: str, unsafe: str, kind: str) -> None:
    """Command options are the operator's; a model's text fields and an argument's elements are data."""
    verdict = _verdict(source)
    assert not verdict.safe
    assert (verdict.unsafe, verdict.kind) == (unsafe, kind)


@pytest.mark.parametrize(('source', 'safe'), [
    ('class W:\n    def __init__(self, u):\n        self.u = u\n    def r(self):\n        sink(self.u)\nW("a")', True),
    ('class W:\n    def __init__(self, u):\n        self.u = u\n    def r(self):\n        sink(self.u)\ndef v(request):\n    W(request.GET["q"])', False),
    ('class B:\n    m = "a"\n    def r(self):\n        sink(self.m)\nclass C(B):\n    def __init__(self):\n        self.m = "b"', True),
    ('class B:\n    m = "a"\n    def r(self):\n        sink(self.m)\n    def s(self, request):\n        self.m = request.GET["q"]', False),
    ('class B:\n    def r(self, request):\n        self.p = []\n        self.p.append(request.GET["q"])\n        sink("".join(self.p))', False),
    ('D = {"a": "<b>"}\ndef v(request):\n    sink(D.get(request.GET["k"], ""))', True),
])
def test_attributes_the_class_sets(source: str, safe: bool) -> None:
    """``self.x`` is what the class's methods (and its module relatives') set it to."""
    assert _verdict(source).safe is safe


@pytest.mark.parametrize('source', [
    'from datetime import datetime\ndef f(request, d):\n    assert isinstance(d, datetime)\n    sink(f"<b>{d}</b>")',
    'def f(request, n):\n    if not isinstance(n, (int, float)):\n        raise TypeError\n    sink(f"<b>{n}</b>")',
    'def f(request, n):\n    if type(n) is int:\n        sink(f"<b>{n}</b>")',
])
def test_type_checked_values(source: str) -> None:
    """A value checked to be a number or a date is safe where the check holds."""
    assert _verdict(source).safe


def test_formatted_parts_name_the_text_before_each_placeholder() -> None:
    """f-strings, .format() (positional, numbered, named) and % (positional, named), through names."""
    tree = ast.parse(
        'def f(a, b, c):\n'
        '    q = "SELECT {0} FROM t WHERE x = {x}".format(a, x=b)\n'
        '    r = "AND y = \'%s\' AND z = %(z)s" % (c,)\n'
        '    sink(q + r + f"LIMIT {a}")\n',
    )
    call = tree.body[0].body[-1].value
    judge = provenance.Provenance(tree.body, {}, provenance.SQL)
    parts = [(before, ast.unparse(part)) for before, part in judge.formatted_parts(call.args[0], call)]
    assert ('SELECT ', 'a') in parts
    assert (' FROM t WHERE x = ', 'b') in parts
    assert ("AND y = '", 'c') in parts
    assert ('LIMIT ', 'a') in parts


@pytest.mark.parametrize(('source', 'safe'), [
    # A source's output is as safe as its input: markdown of a docstring, json of constants.
    ('from markdown import markdown\ndef f(request, view):\n    sink(markdown(view.__doc__))', True),
    ('import json\ndef f(request):\n    sink(json.dumps({"a": 1}))', True),
    ('from markdown_it import MarkdownIt\n@register.filter\ndef f(text):\n    md = MarkdownIt()\n    sink(md.render(text))', False),
    ('from markdown import Markdown\n@register.filter\ndef f(text):\n    sink(Markdown().convert(text))', False),
    # The project's own markdown helper (imported) may clean its output: not a source by its name.
    ('from app.md import render_markdown\n@register.filter\ndef f(text):\n    sink(render_markdown(text))', False),
    # Class-body names read earlier names of the same body.
    ('class C:\n    a = "<b>"\n    b = f"{a}<i>"\n    def m(self, request):\n        sink(self.b)', True),
    ('class C:\n    a = "x"\n    b = f"<b>{a}</b>"\n    c = f"{b} {a}"\n    def m(self, request):\n        sink(self.c)', True),
    # Another module's objects are not seen (not reported); request URLs built from a safe path are safe.
    ('from django.core.cache import cache\ndef f(request):\n    sink(cache.get("k"))', False),
    ('def f(request):\n    sink(request.build_absolute_uri("/a/"))', True),
    ('def f(request):\n    sink(request.build_absolute_uri())', False),
    # The argument reaches on the path that does not reassign it.
    ('@register.filter\ndef f(value):\n    if value is None:\n        value = ""\n    sink(value)', False),
])
def test_sources_class_bodies_and_paths(source: str, safe: bool) -> None:
    """Sources judged by their input, class-body names, unseen objects, partial reassignment."""
    assert _verdict(source).safe is safe


def test_unseen_objects_are_not_reported() -> None:
    """What an imported object holds is another module's: a weak (silent) kind."""
    verdict = _verdict('from django.core.cache import cache\ndef f(request):\n    sink(cache.get("k"))')
    assert verdict.kind in provenance.WEAK


def test_star_imported_names_are_imports() -> None:
    """A name no statement binds, in a module with a star import, is taken as imported."""
    assert _verdict('from app.constants import *\ndef f(request):\n    sink(ICON)').safe
    verdict = _verdict('from app.choices import *\ndef f(request):\n    sink(Colors.text)')
    assert verdict.kind in provenance.WEAK
    assert _verdict('def f(request):\n    sink(unbound)').kind == provenance.VALUE


def test_project_markdown_helpers_are_not_sources() -> None:
    """A source is known by its library when imported; the name decides only unresolved calls."""
    imported = _verdict('from app.md import render_markdown\n@register.filter\ndef f(text):\n    sink(render_markdown(text))')
    assert imported.kind == provenance.CALL
    library = _verdict('from markdown import markdown\n@register.filter\ndef f(text):\n    sink(markdown(text))')
    assert library.kind == provenance.SOURCE


def test_markdown_with_an_escaping_extension_is_not_reported() -> None:
    """An extension named as escaping HTML: not proof, so silent (weak), not safe."""
    verdict = _verdict(
        'from markdown import markdown\n@register.filter\ndef f(text):\n'
        '    sink(markdown(text, extensions=["djblets.markdown.extensions.escape_html"]))',
    )
    assert not verdict.safe
    assert verdict.kind in provenance.WEAK


def test_markdown_of_an_unreached_argument_follows_the_arguments_rule() -> None:
    """markdown(x) of a bare argument no call passes is silent; of a filter's value, reported."""
    helper = _verdict('import markdown\ndef describe(text):\n    sink(markdown.markdown(text))')
    assert helper.kind == provenance.PASSED
    called = _verdict(
        'import markdown\ndef describe(text):\n    sink(markdown.markdown(text))\n'
        'class T(Model):\n    def html(self):\n        return describe(self.body)',
    )
    assert called.kind == provenance.SOURCE


@pytest.mark.parametrize(('source', 'safe'), [
    ('def f(form, name):\n    bound = form[name]\n    sink(str(bound.errors) + str(bound))', True),
    ('def f(self, name):\n    sink("<td>%s</td>" % self.admin_form[name])', True),
    ('def f(request):\n    form = ReviewForm(request.POST)\n    sink(f"<p>{form[\'title\']}</p>")', True),
    ('def f(request):\n    form = request.POST\n    sink(f"<p>{form[\'title\']}</p>")', False),
    ('def f(request):\n    form = {"title": request.GET["q"]}\n    sink(f"<p>{form[\'title\']}</p>")', False),
])
def test_bound_fields_are_rendered(source: str, safe: bool) -> None:
    """``form[name]`` is a BoundField (its value escaped), unless the name holds the request's data."""
    assert _verdict(source).safe is safe


def test_bound_fields_are_html_only() -> None:
    """In SQL a form's item is no identifier: not provably safe."""
    source = 'def f(form, name):\n    sink("SELECT %s" % form[name])'
    assert not _verdict(source, provenance.SQL).safe
