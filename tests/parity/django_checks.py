"""
Run Django's own security checks on settings modules: JSON in on stdin, JSON out on stdout.

This script runs in a virtual environment that holds one Django series (built by
``scripts/parity.sh``), in a process started with an empty environment. It imports nothing
from flake8_djsec. Each module is loaded the way ``manage.py check --deploy`` loads
``DJANGO_SETTINGS_MODULE``: written to a file, imported by ``django.conf.Settings`` (which
also applies Django's load-time validation), then judged by
``run_checks(include_deployment_checks=True, tags=["security", "compatibility"])``.

Input: ``{"modules": ["<source>", ...]}``. Output: ``{"django": "5.2.8", "results":
[{"ids": ["security.W004", ...], "error": null}, ...]}``, one result per module, in order;
``error`` holds the exception when Django could not load the module or a check raised.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import traceback
import warnings

TAGS = ('security', 'compatibility')


def judge(index, source, directory):
    """Load one module as Django would and return the ids of the checks it fails."""
    from django.conf import Settings, settings
    from django.core.checks import run_checks

    name = 'djsec_parity_{0}'.format(index)
    folder = os.path.join(directory, name)
    os.mkdir(folder)
    with open(os.path.join(folder, 'settings.py'), 'w', encoding='utf-8') as handle:
        handle.write(source)
    os.environ.clear()  # Settings() sets TZ: every module starts from an empty environment
    sys.path.insert(0, folder)
    sys.modules.pop('settings', None)
    try:
        settings._wrapped = Settings('settings')
        messages = run_checks(include_deployment_checks=True, tags=list(TAGS))
    except Exception as error:  # the module does not load, or a check raises
        return {'ids': [], 'error': ''.join(traceback.format_exception_only(type(error), error)).strip()}
    finally:
        sys.path.remove(folder)
        os.environ.clear()
    # As `manage.py check --deploy` shows them: SILENCED_SYSTEM_CHECKS drops an id.
    return {'ids': sorted(message.id for message in messages if not message.is_silenced()), 'error': None}


def main():
    """Judge every module of the request."""
    request = json.load(sys.stdin)
    warnings.simplefilter('ignore')
    import django

    directory = tempfile.mkdtemp(prefix='djsec-parity-')
    results = [judge(index, source, directory) for index, source in enumerate(request['modules'])]
    json.dump({'django': django.get_version(), 'results': results}, sys.stdout)
    return 0


if __name__ == '__main__':
    sys.exit(main())
