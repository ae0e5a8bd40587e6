class BaseSettings:
    SECRET_KEY = "django-insecure-5e8kt7d3h9sczc960xrn_ex0jb2yjjaxxwv42s8q1m4n7b0c3v6x"
    DEBUG = False
    ALLOWED_HOSTS = ["shop.example.com"]
    INSTALLED_APPS = ["django.contrib.sessions"]
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
