import os

SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "v3Qn8sLr2kT6xWm9pB4cZ7hJ1dF5gY0aE8uI3oK6jH2wN9qR4tX7bV1mC5zS8lD",
)
ALLOWED_HOSTS = ["shop.example.com"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
