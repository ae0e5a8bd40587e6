"""What the command passes between processes: a job's settings, each file's outcome."""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Mapping
from typing import final

from flake8_djsec.options.config import DEFAULT_TEST_PATTERNS, DjsecConfig


@final
@dataclasses.dataclass(frozen=True, order=True)
class Finding:
    """One reported finding, in flake8's terms (``column`` counts from 1)."""

    path: str
    line: int
    column: int
    code: str
    text: str


@final
@dataclasses.dataclass(frozen=True)
class Outcome:
    """A file's findings, or why it was skipped (flake8's E902/E999 line)."""

    path: str
    findings: tuple[Finding, ...] = ()
    skipped: str | None = None


@final
@dataclasses.dataclass(frozen=True)
class Job:
    """What every file's check needs: picklable, so a worker process receives it whole."""

    env: Mapping[str, str]
    settings_patterns: tuple[str, ...]
    dev_patterns: tuple[str, ...]
    hsts_min_seconds: int
    django_version: tuple[int, int]
    django_csp_version: tuple[int, int] | None
    deploy_settings: tuple[str, ...]
    django_version_origin: str
    django_csp_version_origin: str
    version_defaults: frozenset[str]
    disable_noqa: bool
    env_files: tuple[str, ...] = ()
    test_patterns: tuple[str, ...] = DEFAULT_TEST_PATTERNS

    @classmethod
    def of(cls, config: DjsecConfig, *, disable_noqa: bool) -> Job:
        """Pack a config (its environment as a plain dict) with the noqa switch."""
        fields = {field.name: getattr(config, field.name) for field in dataclasses.fields(config)}
        fields['env'] = dict(config.env)
        return cls(**fields, disable_noqa=disable_noqa)

    def config(self) -> DjsecConfig:
        """Unpack the plugin's config."""
        names = [field.name for field in dataclasses.fields(DjsecConfig)]
        fields = {name: getattr(self, name) for name in names}
        fields['env'] = types.MappingProxyType(dict(self.env))
        return DjsecConfig(**fields)
