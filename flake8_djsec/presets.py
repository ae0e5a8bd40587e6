"""Which rules and visitors run, by file role. Registration is explicit."""

from __future__ import annotations

from typing import Final

from flake8_djsec.rules import auth, csp, csrf, headers, https, secrets
from flake8_djsec.rules.base import Rule
from flake8_djsec.visitors import admin as admin_visitor
from flake8_djsec.visitors import csrf as csrf_visitor
from flake8_djsec.visitors import markup, sql
from flake8_djsec.visitors.base import CodeRule

#: Groups of source words: a file that holds every word of one group may let a rule fire.
Triggers = tuple[tuple[str, ...], ...]
TriggeredRule = tuple[CodeRule, Triggers]

#: Rules over the merged values of a deployment settings module.
SETTINGS_RULES: Final[tuple[Rule, ...]] = (
    secrets.check_debug,
    secrets.check_secret_key_in_source,
    secrets.check_secret_key,
    secrets.check_secret_key_fallbacks,
    secrets.check_allowed_hosts,
    secrets.check_credentials,
    secrets.check_debug_propagate_exceptions,
    https.check_ssl_redirect,
    https.check_hsts,
    https.check_hsts_duration,
    https.check_session_cookie_secure,
    https.check_csrf_cookie_secure,
    https.check_proxy_ssl_header,
    csrf.check_session_cookie_httponly,
    csrf.check_csrf_middleware,
    csrf.check_samesite,
    csrf.check_trusted_origins,
    csrf.check_cors,
    headers.check_security_middleware,
    headers.check_xframe,
    headers.check_content_type_nosniff,
    headers.check_referrer_policy,
    headers.check_leaky_referrer_policy,
    headers.check_cross_origin_opener_policy,
    headers.check_permissions_policy,
    headers.check_browser_xss_filter,
    csp.check_csp_missing,
    csp.check_csp_unsafe_scripts,
    csp.check_csp_sources,
    csp.check_csp_setting_type,
    csp.check_csp_nonce_processor,
    csp.check_csp_legacy_settings,
    csp.check_csp_report_only,
    csp.check_csp_exclude_prefixes,
    auth.check_brute_force_protection,
    auth.check_axes_wiring,
    auth.check_password_hashers,
    auth.check_password_validators,
)

#: Code rules, each with the groups of source words without which it cannot fire: it runs on a
#: file that holds every word of one of its groups (on a buffer without text, always).
TRIGGERED_CODE_RULES: Final[tuple[TriggeredRule, ...]] = (
    (csrf_visitor.check_csrf_exempt, (('csrf_exempt',),)),
    (admin_visitor.check_admin_url, (admin_visitor.TRIGGER,)),
    (markup.check_mark_safe, tuple((word,) for word in markup.TRIGGERS)),
    (sql.check_raw_sql, tuple((word,) for word in sql.TRIGGERS)),
)

#: Code rules, run on every Python file that holds their words.
CODE_RULES: Final[tuple[CodeRule, ...]] = tuple(rule for rule, _ in TRIGGERED_CODE_RULES)

#: Names whose reads the code index records (for every code rule).
WATCHED_NAMES: Final = csrf_visitor.WATCHED

#: Source words without which no code rule can fire, in groups: a file that holds every word of
#: no group is never indexed.
CODE_TRIGGERS: Final = tuple(
    words for _, groups in TRIGGERED_CODE_RULES for words in groups
)
