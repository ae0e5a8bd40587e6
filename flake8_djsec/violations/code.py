"""DJS160-169: dangerous code."""

from __future__ import annotations

from typing import final

from flake8_djsec.violations.base import Scope, Severity, Violation


@final
class MarkSafeViolation(Violation):
    """
    ``mark_safe()`` or ``SafeString()`` is called on a string the source does not fix.

    Reasoning:
        ``mark_safe`` turns off Django's auto-escaping for the string: if
        any part of it comes from a user (a name, a comment, a query
        parameter, a database field), that user can inject HTML and script
        into the page. Building the string with an f-string, ``%``,
        ``.format()`` or ``+`` before marking it safe is the classic
        cross-site scripting bug.

    Solution:
        Build HTML with ``format_html()`` (or ``format_html_join()``), which
        escapes every argument, or render a template. Keep ``mark_safe``
        for string literals.

    Configuration:
        ``--djsec-test-patterns`` (``djsec-test-patterns`` in ``setup.cfg``):
        comma-separated patterns of test code, where DJS160 and DJS161 stay
        silent: a folder anywhere on the path (``tests/``), a file name glob
        (``test_*.py``) or a path glob. Default: ``tests/, test/,
        test_*.py, *_tests.py, *_test.py, tests.py, conftest.py``; a value
        replaces the whole list.

    Known problems:
        The argument is judged by a value-provenance analysis
        (``logic/provenance.py``, its tables in ``logic/provenance_tables.py``).
        It is safe when made only of: literals, module and class constants
        (``self.ICON``, ``Icons.CHECK``), UPPER_CASE names imported from the
        project (taken as constants, not read), numbers (``int()``,
        ``len()``, ``%d``, ``{n:d}``, ``"&#9733;" * int(score)``), a loop
        variable over a literal collection, a value checked against a
        constant list (``if x in SIZES:``, or ``if x not in SIZES: return``
        before), an item of a constant dict, translations of literals, the
        module's own functions (their ``return`` values, with the call's
        arguments in place of the parameters, six calls deep), and the
        results of the sanitisers: ``escape``, ``conditional_escape``,
        ``format_html``, ``format_html_join``, ``strip_tags``, ``escapejs``,
        ``json_script``, ``render_to_string``, ``<template>.render()``
        (``Template("...").render(...)``, ``get_template(...).render``),
        ``bleach.clean``/``linkify``, ``nh3.clean``, ``pygments.highlight``,
        ``slugify``, ``urllib.parse.quote``/``urlencode``, ``QueryDict.urlencode()``,
        ``reverse()``, ``get_absolute_url()``, and attributes that are keys
        (``pk``, ``id``, a relation's column ``author_id``, ``_count``),
        slugs (``page.slug``), the URL of a field named as a
        file (``obj.photo.url``, ``obj.icon.svg_file.url``) (by name: a free
        text field so named is missed),
        the number, date and key fields of the module's own models
        (``IntegerField``, ``ForeignKey``'s ``<name>_id``, a field with
        ``choices``), arithmetic (``n + 1``), an enum member's
        ``.value``/``.label``, dunder names imported (``__version__``), a
        form's ``media`` and ``errors`` (rendered escaped), Django's
        ``needs_autoescape`` idiom (``esc = conditional_escape``; the identity
        branch runs when the template turned escaping off), attributes of
        the elements of a constant (``for name, pref in PREFERENCES.items()``:
        not reported when the elements are other modules' objects). Values are
        followed through local and module variables (the assignments that
        reach the call, ``+=`` included), f-strings, ``%``, ``.format()``,
        ``+``, ``join`` and comprehensions. The message names the part that
        is not provably safe: ``the function argument author``,
        ``request.GET['q']``, ``the model field review.body``, ``the result
        of markdown()``.

        A bare function argument is reported where users' data can reach it:
        an entry point (a template tag or filter, a view: a public function
        or method taking ``request``, a method Django calls with data:
        ``Widget.render``'s ``value``, ``validate_<field>``, ``render_<column>``,
        ``to_internal_value``...); a filter's argument (``{{ x|f:"arg" }}``,
        its second parameter) is the template's, not reported. Elsewhere the
        module's own calls of the
        function (``f(...)``, ``self.f(...)``) are followed, six calls deep:
        when every one passes a safe value (a constant, a default, a loop over
        constants) the argument is safe, and the message of an unsafe one
        names what that caller passes (``request.GET['q']``). A function no
        call in the module reaches, or one also handed over as a value (a
        callback), is not reported: its callers are in other modules, not
        seen (precision first; a QuerySet method or a helper called from
        views elsewhere is silent). An item of a collection argument
        (``context["comment"]``) and an attribute of an argument
        (``order.note``) are reported even then.

        What a function of another module returns is not seen and not
        reported (precision first), except its attributes (``page =
        get_page(); page.title``, ``for page in get_pages(): page.title``:
        usually a model row's fields, reported) and QuerySet results
        (``qs.filter(...)``: the model rows, whose text is users' data).
        Not reported either: attributes of an object another module's class
        builds (``Preference(...).description``), of an imported name
        (``admin.site``, ``OtherView.template``), a caught exception's text
        (``str(e)``; ``e.message`` is reported), and ``label`` only on
        ``_meta``, nor what an imported object holds (``cache.get(key)``);
        in a module with a star import, a name no statement binds is taken
        as imported (UPPER_CASE: a constant).
        Except the sources that return unescaped text (``markdown()``,
        ``json.dumps()``, names holding ``markdown`` when no import says where
        they come from (one imported from the project, ``render_markdown``, may
        clean its output and is not a source; nor is ``markdown(text,
        extensions=[...escape_html...])``, whose extension says it escapes),
        ``render()``/``convert()``
        of a ``MarkdownIt(...)``/``Markdown(...)`` object): reported when their
        input is not provably safe either (an argument no visible call
        passes stays silent, as elsewhere), safe when it is (``markdown(view.__doc__)``:
        docstrings and other dunder attributes are the code's), silent when it
        is another module's. Names of a class body read the earlier
        statements of the body. An argument reassigned on one path only
        (``if value is None: value = ""``) still reaches on the other. ``json.dumps(...,
        cls=Encoder)`` is not reported when the encoder is another module's
        class or one of this module that calls an escaping function (it may
        escape; not proven), and is with ``DjangoJSONEncoder`` (which does
        not escape). ``self.x`` is what the class body and the methods of the
        class and of its relatives in the module set it to (``self.x = v``,
        ``self.x.append(v)``, ``self.x[k] = v``; a constructor's arguments
        are what the module's ``Class(...)`` calls pass). Not seen: an
        attribute set from another module or through another name for the
        same object, or declared in another module (``self.instance.count``
        of a model defined elsewhere is reported). ``d.get(key)`` is an item
        of ``d`` (the key is not part of it).
        a sanitiser of your own (silence the line, or wrap it in
        ``format_html``), ``mark_safe`` used as a decorator. Sinks:
        ``mark_safe``, ``SafeString``/``SafeText`` and classes of the module
        that derive from ``SafeData``, through imports and aliases; the
        result of a sink is judged where the sink is, not again.

        Test code reports nothing (``--djsec-test-patterns``), nor do
        ``@pytest.fixture`` functions, nor a line marked ``# nosec`` (bare,
        or naming bandit's ``B308`` or ``B703``), nor one whose ``# noqa``
        names ruff's ``S308``/``S703``.

    Example::

        # Correct:
        format_html("<b>{}</b>", user.name)

        # Wrong:
        mark_safe(f"<b>{user.name}</b>")

    References:
        - https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe
        - https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html
        - https://cwe.mitre.org/data/definitions/79.html

    .. versionadded:: 0.1.0
    """

    code = 160
    error_template = (
        '{function}() on {argument}: its text is not escaped; '
        'build the HTML with format_html() instead'
    )
    scope = Scope.code
    severity = Severity.high
    cwe = 79


@final
class RawSqlViolation(Violation):
    """
    Raw SQL is built by string formatting and passed to ``raw()``, ``extra()``, ``RawSQL()`` or ``execute()``.

    Reasoning:
        A value formatted into SQL with an f-string, ``%``, ``.format()`` or
        ``+`` is SQL injection as soon as it holds a quote: the database
        runs whatever the attacker wrote. Query parameters are sent apart
        from the statement and are never parsed as SQL.

    Solution:
        Keep the SQL a literal with placeholders and pass the values as
        parameters: ``cursor.execute(sql, [value])``,
        ``Model.objects.raw(sql, [value])``, ``RawSQL(sql, [value])``,
        ``.extra(where=["id = %s"], params=[value])``. Quote identifiers
        with ``connection.ops.quote_name()``.

    Known problems:
        Reports ``QuerySet.extra``'s ``select``, ``where``, ``tables`` and
        ``order_by``, ``RawSQL`` (imports and aliases followed), and the
        first argument of any ``.raw()``, ``.execute()`` and
        ``.executemany()`` call whose literal text reads as SQL (a word such
        as SELECT, FROM, WHERE, INSERT), when the SQL is built by
        formatting (f-string, ``%``, ``.format()``, ``+``, ``join``) and a
        part of it is not provably safe. The same provenance analysis as
        DJS160 judges the parts (variables, the module's own functions,
        comprehensions, constants, numbers, checked values), with the SQL
        sanitisers: ``connection.ops.quote_name()`` (``qn``,
        ``quote_name_unless_alias``), a model's ``_meta.db_table`` (also of
        ``apps.get_model(...)``), ``pk``/``id``, psycopg's
        ``sql.SQL(...).format(sql.Identifier(...))``, and SQL compiled by
        the ORM (``where.as_sql(compiler, connection)``,
        ``compiler.compile()``, ``query.sql_with_params()``). Whether the
        compiled SQL's params are then passed to ``execute`` is not
        checked. SQL passed in whole (``cursor.execute(sql)`` with ``sql`` a
        parameter) is not reported: the caller builds it. Keys and numbers
        (``pk``, ``author_id``, ``n + 1``, number fields of the module's
        models, an enum member's ``.value``) are safe. A bare function
        argument is reported in an entry point (a view: a public function or
        method taking ``request``; a template tag or filter); elsewhere the
        module's own calls of the function are followed (a migration's
        helpers called with its table names are safe; a helper a view calls
        with ``request.GET["q"]`` is reported, naming it). An argument of a
        function no call in the module reaches (a QuerySet method, a helper
        other modules call) is reported where it is formatted in as a value
        (after ``=``, ``<``, ``LIKE``, ``IN (``, ``LIMIT``, inside ``'...'``):
        it could have been a query parameter, whoever the callers are. As an
        identifier (``FROM {table}``, ``SEQUENCE {name}``, ``msar.{func}(``)
        it cannot be one, its callers decide, and they are not seen: not
        reported (precision first). A value checked to be a number or a date
        (``assert isinstance(moment, datetime)``, ``type(n) is int``) is safe.
        A management command's ``handle()`` options (``options["schema"]``)
        are the operator's command line, not reported; what it reads from the
        database is. Migrations are code and are judged the same way. SQL or values
        returned by another module's functions, and attributes of them or of
        imported names, are not seen and not reported; identifiers from your
        own allow-list function neither. Test code
        (``--djsec-test-patterns``), ``@pytest.fixture`` functions and
        lines marked ``# nosec`` (bare, or naming bandit's ``B608``,
        ``B610`` or ``B611``, or a ``# noqa`` naming ruff's ``S608``,
        ``S610`` or ``S611``) report nothing.

    Example::

        # Correct:
        cursor.execute("SELECT * FROM shop_order WHERE id = %s", [order_id])

        # Wrong:
        cursor.execute(f"SELECT * FROM shop_order WHERE id = {order_id}")

    References:
        - https://docs.djangoproject.com/en/stable/topics/db/sql/#passing-parameters-into-raw
        - https://docs.djangoproject.com/en/stable/topics/security/#sql-injection-protection
        - https://cwe.mitre.org/data/definitions/89.html

    .. versionadded:: 0.1.0
    """

    code = 161
    error_template = (
        'SQL built by {how} from {unsafe} passed to {sink}: SQL injection; '
        'keep the SQL a literal and pass the values as parameters'
    )
    scope = Scope.code
    severity = Severity.high
    cwe = 89
