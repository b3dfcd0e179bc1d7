import os

from django.core.asgi import get_asgi_application

from mesoclinic.lib import localdirs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesoclinic.settings")
localdirs.ensure()
application = get_asgi_application()
