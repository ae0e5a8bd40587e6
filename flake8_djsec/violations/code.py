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

    Known problems:
        Imports are followed (``from django.utils import safestring``, aliases,
        ``import django.utils.safestring as s``), and so are names assigned
        in the same function or at module level. An argument counts as
        safe when it is a literal, an f-string or ``%`` formatting of
        literals or numbers, a translation of a literal, or the result of
        ``format_html``, ``format_html_join``, ``escape``,
        ``conditional_escape``, ``escapejs``, ``json_script`` or
        ``render_to_string``. Anything else (a parameter, a call to your
        own function) is reported, even when you know it is escaped:
        silence the line then. ``mark_safe`` used as a decorator is not
        reported.

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
        as SELECT, FROM, WHERE, INSERT). A name is followed to its
        assignments above the call in the same function (``sql =
        f"...{x}"``, ``sql += ...``). Counted as safe inside the SQL:
        literals, names bound to literals, numbers (``%d``, ``{n:d}``,
        ``len()``, ``int()``), ``quote_name()`` and a model's
        ``_meta.db_table``, and placeholder lists such as
        ``", ".join(["%s"] * len(ids))``. A value that is formatted in
        although you know it is trusted (a table name from your code) is
        still reported: silence the line then. SQL built in another
        function is not seen.

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
        'SQL built by {how} passed to {sink}: SQL injection; '
        'keep the SQL a literal and pass the values as parameters'
    )
    scope = Scope.code
    severity = Severity.high
    cwe = 89
