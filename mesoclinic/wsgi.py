import os

from django.core.wsgi import get_wsgi_application

from mesoclinic.lib import localdirs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesoclinic.settings")
localdirs.ensure()
application = get_wsgi_application()
