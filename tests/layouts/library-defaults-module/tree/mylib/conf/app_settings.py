DEBUG = True
INSTALLED_APPS = ["django.contrib.sessions", "mylib"]
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LIB_MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
