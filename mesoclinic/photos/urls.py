from django.urls import path

from . import views

app_name = "photos"
urlpatterns = [
    path("patients/<uuid:code>/", views.gallery, name="gallery"),
    path("patients/<uuid:code>/consent", views.consent, name="consent"),
    path("patients/<uuid:code>/upload", views.upload, name="upload"),
    path("patients/<uuid:code>/compare", views.compare_page, name="compare"),
    path("consents/<uuid:code>/withdraw", views.withdraw, name="withdraw"),
    path("<uuid:code>/", views.detail, name="detail"),
    path("<uuid:code>/<str:kind>.jpg", views.image, name="file"),
    path("compare/<uuid:a>/<uuid:b>/<str:which>.jpg", views.aligned, name="aligned"),
]
