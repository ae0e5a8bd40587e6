class SecureCookies:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
