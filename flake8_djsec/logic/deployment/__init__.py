"""
What the repository says runs in production: deployment modules and their environment.

Pure readers, no flake8 and no evaluation: each reads one kind of file (compose
files, Dockerfiles, env files, Procfile, ``app.json``, ``fly.toml``,
``render.yaml``, ``uwsgi.ini``, ``gunicorn.conf.py``, Kubernetes manifests,
systemd units; and, to rule modules out, pytest/tox configuration and CI
workflows) and reports the processes it declares, each with the file and line
that said it. ``repository.read`` runs them once per project root and run.
A file that cannot be read safely (too large, binary, malformed, an alias bomb,
a cycle) is unknown: said once, never a guess.
"""
