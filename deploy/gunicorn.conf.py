"""gunicorn settings for Mesoclinic (`gunicorn -c deploy/gunicorn.conf.py`). Every value can
be set from the environment; the defaults suit a small clinic on one machine."""

import multiprocessing
import os

wsgi_app = "mesoclinic.wsgi:application"
bind = os.getenv("BIND", "127.0.0.1:8000")  # behind the reverse proxy; 0.0.0.0:8000 in a container
workers = int(os.getenv("WEB_WORKERS", str(min(4, multiprocessing.cpu_count() * 2 + 1))))
threads = int(os.getenv("WEB_THREADS", "2"))
timeout = int(os.getenv("WEB_TIMEOUT", "60"))  # a photo measure takes about a second
graceful_timeout = 30
keepalive = 5
max_requests = int(os.getenv("WEB_MAX_REQUESTS", "2000"))  # recycle workers: no slow leaks
max_requests_jitter = 200
# The proxy in front sets X-Forwarded-For / X-Forwarded-Proto; gunicorn believes it only
# from these addresses (Django's TRUSTED_PROXIES and SECURE_PROXY_SSL_HEADER do the rest).
forwarded_allow_ips = os.getenv("TRUSTED_PROXIES", "127.0.0.1")
limit_request_line = 8190
limit_request_fields = 100
accesslog = "-"
errorlog = "-"
loglevel = os.getenv("LOG_LEVEL", "info").lower()
# no request bodies or query strings in the access log: they can hold patient data
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
