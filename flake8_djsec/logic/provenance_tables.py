"""
The provenance analysis's knowledge, as data: sanitizers, sources and propagators.

As in Pysa's model files and semgrep's taint rules, what a library function does
to a value is a table entry, not a branch of the engine: a call listed here
returns text the code controls (escaped HTML, a quoted identifier, a number),
whatever its arguments are. The rule pages (``violations/code.py``) list them.
"""

from __future__ import annotations

import re
from typing import Final

#: Calls (qualified names after imports) that return escaped or sanitised HTML.
HTML_SANITIZERS: Final = frozenset((
    'django.utils.html.escape',
    'django.utils.html.conditional_escape',
    'django.utils.html.format_html',
    'django.utils.html.format_html_join',
    'django.utils.html.strip_tags',
    'django.utils.html.escapejs',
    'django.utils.html.json_script',
    'django.utils.html.avoid_wrapping',
    'django.template.defaultfilters.escape',
    'django.template.defaultfilters.force_escape',
    'django.template.defaultfilters.striptags',
    'django.template.loader.render_to_string',
    'django.template.loader.get_template',
    'django.utils.text.slugify',
    'django.template.defaultfilters.slugify',
    'django.utils.http.urlencode',
    'django.utils.http.urlquote',
    'django.utils.encoding.iri_to_uri',
    'django.urls.reverse',
    'django.urls.reverse_lazy',
    'django.core.urlresolvers.reverse',
    'django.contrib.humanize.templatetags.humanize.intcomma',
    'django.contrib.humanize.templatetags.humanize.naturaltime',
    'urllib.parse.quote',
    'urllib.parse.quote_plus',
    'urllib.parse.urlencode',
    'html.escape',
    'markupsafe.escape',
    'bleach.clean',
    'bleach.linkify',
    'nh3.clean',
    'pygments.highlight',
))
#: The same calls named without an import we can see (a star import, a module attribute).
HTML_SANITIZER_NAMES: Final = frozenset((
    'escape', 'conditional_escape', 'format_html', 'format_html_join', 'strip_tags',
    'escapejs', 'json_script', 'render_to_string', 'slugify', 'reverse', 'reverse_lazy',
    'force_escape', 'intcomma', 'naturaltime', 'urlencode', 'quote', 'quote_plus',
))
#: Methods, on any receiver, whose result is escaped HTML or a URL the code builds.
HTML_SANITIZER_METHODS: Final = frozenset((
    'get_absolute_url', 'linkify', 'render_to_string', 'get_admin_url', 'urlencode',
))
#: Receivers of ``.clean()`` that are HTML sanitisers (``bleach.Cleaner``, ``nh3``).
SANITIZER_RECEIVER_WORDS: Final = ('bleach', 'nh3', 'cleaner', 'sanitiz')
#: Calls whose value is a template: ``<template>.render(...)`` auto-escapes.
TEMPLATE_FACTORIES: Final = frozenset((
    'Template', 'get_template', 'select_template', 'from_string',
))

#: Calls that return an SQL identifier quoted by the database backend, or ORM-compiled SQL.
SQL_SANITIZER_METHODS: Final = frozenset((
    'quote_name', 'quote_name_unless_alias', 'qn', 'as_sql', 'compile', 'sql_with_params',
    'get_compiler',
))
#: psycopg's composition API (``sql.SQL(...).format(sql.Identifier(...))``): quoted by psycopg.
PSYCOPG_COMPOSABLES: Final = frozenset(('SQL', 'Identifier', 'Literal', 'Placeholder', 'Composed'))

#: Attributes whose value the code (or the database's schema) fixes: model metadata, keys.
SAFE_ATTRIBUTES: Final = frozenset((
    'db_table', 'model_name', 'app_label', 'object_name', 'label_lower',
    'pk', 'id', 'column', 'attname', 'db_column', 'verbose_name', 'verbose_name_plural',
    'vendor', 'alias', 'media', 'errors', 'rendered_content',
))

#: Attribute endings of keys and counts: a relation's column (``author_id``), ``_pk``, ``_count``.
KEY_ATTRIBUTE_SUFFIXES: Final = ('_id', '_pk', '_count')
#: Whole attribute names of counts (``voucher_set.count``): ``account`` ends alike, so not a suffix.
COUNT_ATTRIBUTES: Final = frozenset(('count',))
#: Attributes safe in HTML only: a SlugField's letters, digits, ``-`` and ``_`` (``--`` is SQL).
HTML_SAFE_ATTRIBUTES: Final = frozenset(('slug',))

#: Calls whose result is a number, a boolean or None: formatted in, it cannot inject text.
NUMERIC_CALLS: Final = frozenset((
    'len', 'int', 'float', 'bool', 'abs', 'round', 'sum', 'ord', 'hash', 'id', 'count',
    'index', 'find', 'rfind', 'isoformat', 'timestamp', 'Decimal', 'uuid4', 'isdigit',
    'range', 'enumerate', 'time', 'now', 'today', 'date', 'total_seconds', 'exists',
    'startswith', 'endswith', 'isinstance',
))
#: Calls that pass their arguments' text through: the result is as safe as they are.
PROPAGATING_CALLS: Final = frozenset((
    'str', 'repr', 'sorted', 'list', 'tuple', 'set', 'reversed', 'zip', 'dict', 'frozenset',
    'min', 'max', 'format', 'next', 'iter', 'filter', 'OrderedDict', 'force_str', 'force_text',
    'smart_str', 'smart_text', 'str_format', 'capfirst', 'lazy_str', 'format_lazy', 'iteritems',
    'itervalues', 'iterkeys', 'force_unicode', 'force_bytes',
))
#: Translation functions: their text comes from the project's translators.
GETTEXT_CALLS: Final = frozenset((
    '_', 'gettext', 'gettext_lazy', 'ugettext', 'ugettext_lazy', 'pgettext', 'pgettext_lazy',
    'ngettext', 'ngettext_lazy', 'npgettext', 'npgettext_lazy', 'gettext_noop', '_lazy',
))
#: Methods whose result is made only of their receiver's and arguments' text.
STRING_METHODS: Final = frozenset((
    'join', 'format', 'replace', 'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'title',
    'capitalize', 'ljust', 'rjust', 'center', 'removeprefix', 'removesuffix', 'split',
    'splitlines', 'rsplit', 'items', 'keys', 'values', 'get', 'copy', 'encode', 'decode',
    'casefold', 'swapcase', 'zfill', 'expandtabs', 'partition', 'rpartition', 'pop',
    'setdefault', 'format_map',
))

#: Names of the request object: its attributes are user input.
REQUEST_NAMES: Final = frozenset(('request', 'req'))
#: Calls returning model instances: attributes of what they bind are model fields.
MODEL_CALLS: Final = frozenset((
    'get', 'first', 'last', 'get_object_or_404', 'get_object', 'create', 'latest', 'earliest',
    'all', 'filter', 'exclude', 'select_related', 'prefetch_related', 'order_by', 'iterator',
))

#: Sources: calls whose result is text nobody escaped (reported, where other calls are not).
TEXT_SOURCES: Final = frozenset((
    'json.dumps', 'dumps', 'markdown.markdown', 'markdown', 'commonmark', 'mistune.html',
    'textile', 'read', 'decode', 'getvalue', 'input',
))
#: Words in a call's name that say it renders user-written markup.
TEXT_SOURCE_WORDS: Final = ('markdown', 'textile', 'restructuredtext')

_FILTER: Final = 'filter'
#: Decorators (and registrars, ``register.filter("x", f)``) of functions the framework calls
#: with what users send or store: template tags and filters, views.
ENTRY_DECORATORS: Final = frozenset((
    _FILTER, 'simple_tag', 'inclusion_tag', 'tag', 'simple_block_tag', 'global_function',
    'api_view', 'action', 'require_GET', 'require_POST', 'require_safe', 'require_http_methods',
    'login_required', 'permission_required', 'staff_member_required', 'user_passes_test',
    'csrf_exempt', 'csrf_protect', 'ensure_csrf_cookie', 'never_cache', 'cache_page',
    'display',
))
#: Methods Django, DRF and django-tables2 call with submitted or stored data.
ENTRY_METHODS: Final = frozenset((
    'render', 'format_value', 'get_context', 'value_from_datadict', 'to_internal_value',
    'to_representation', 'validate', 'run_validation', 'clean', 'to_python', 'prepare_value',
    'create_option', 'label_from_instance', 'from_db_value', 'get_prep_value', 'value_to_string',
    'dispatch', 'form_valid', 'form_invalid', 'get_context_data', 'handle_starttag', 'handle_data',
))
#: Prefixes of such methods (``validate_title``, ``clean_body``, ``render_name``).
ENTRY_METHOD_PREFIXES: Final = ('validate_', 'clean_', 'render_')

#: Model field classes (by name ending) whose values are numbers, dates, booleans or UUIDs.
NUMBER_FIELD_SUFFIXES: Final = (
    'IntegerField', 'AutoField', 'FloatField', 'DecimalField', 'BooleanField', 'DateField',
    'DateTimeField', 'TimeField', 'DurationField', 'UUIDField',
)
#: File fields: ``<name>.url`` is the storage's URL of a cleaned file name, percent-encoded.
FILE_FIELDS: Final = frozenset(('FileField', 'ImageField'))
#: ``<name>.url`` of a model declared elsewhere whose name says it is a file: a storage URL too.
FILE_FIELD_NAME: Final = re.compile(
    r'(?:^|_)(?:files?|images?|img|photo|picture|avatar|logo|icon|thumbnail|thumb|svg'
    + r'|attachment|upload|banner|cover)\.url$',
)
#: Relation fields: ``<name>_id`` holds the related row's key.
KEY_FIELDS: Final = frozenset(('ForeignKey', 'OneToOneField'))
#: JSON encoders known not to escape HTML: ``json.dumps(..., cls=...)`` stays a source.
PLAIN_JSON_ENCODERS: Final = frozenset(('JSONEncoder', 'DjangoJSONEncoder'))
#: Parameters of those methods that carry the data (``name``, ``attrs`` are the code's).
DATA_PARAMETERS: Final = frozenset((
    'value', 'values', 'data', 'record', 'context', 'instance', 'obj', 'item', 'row', 'text',
    'content', 'html', 'initial', 'label',
))
#: Attributes of an enum member (``Kind.DELEGATE.value``): fixed by the code.
MEMBER_ATTRIBUTES: Final = frozenset(('value', 'label', 'name'))
#: Filter decorators: the first parameter is the filtered value, the argument is the template's.
FILTER_DECORATORS: Final = frozenset((_FILTER,))
#: Methods of management commands: their arguments are the operator's command line.
COMMAND_METHODS: Final = frozenset(('handle', 'handle_label', 'handle_app_config'))
#: Methods that put their arguments in the object they are called on.
MUTATORS: Final = frozenset((
    'append', 'extend', 'insert', 'add', 'update', 'setdefault', 'appendleft', 'push',
))
#: Lookups whose result is an item of the receiver or the default, never the key.
LOOKUPS: Final = frozenset(('get', 'setdefault', 'pop'))
#: Types whose text cannot inject: a value checked to be one (``isinstance(x, int)``) is safe.
SAFE_TYPES: Final = frozenset((
    'int', 'float', 'bool', 'datetime', 'date', 'time', 'timedelta', 'Decimal', 'UUID',
))
#: ``_meta`` attributes fixed by the model's code (``label`` on ``_meta`` only: a field elsewhere).
META_ATTRIBUTES: Final = frozenset(('label',))
#: QuerySet methods: their results are model rows (users' data when formatted in).
QUERYSET_CALLS: Final = frozenset((
    _FILTER, 'exclude', 'order_by', 'select_related', 'prefetch_related', 'annotate',
    'distinct', 'only', 'defer', 'get_queryset',
))
#: Methods of a markdown object (``MarkdownIt(...).render``, ``Markdown(...).convert``): a source.
MARKUP_METHODS: Final = frozenset(('render', 'convert'))
#: Request methods that build a URL from the validated host and the path they are given.
REQUEST_BUILDERS: Final = frozenset(('build_absolute_uri',))
#: Libraries whose renderers return raw HTML from markup (a call imported from one is a source).
TEXT_SOURCE_MODULES: Final = frozenset((
    'markdown', 'markdown_it', 'mistune', 'commonmark', 'markdown2', 'textile', 'marko', 'cmarkgfm',
))
#: Words in a markdown extension's name that say it escapes or cleans HTML.
ESCAPING_WORDS: Final = ('escape', 'bleach', 'sanitiz', 'nh3')
