import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ROOT_URLCONF = "proj.urls"
ALLOWED_HOSTS = ["example.com"]
MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "db.sqlite3",
        "PASSWORD": "written-in-the-repository",
    },
    "replica": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "replica.sqlite3",
        "PASSWORD": os.environ.get("REPLICA_PASSWORD", ""),
    },
}
