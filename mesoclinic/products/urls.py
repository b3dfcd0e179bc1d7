from django.urls import path

from . import views

app_name = "products"
urlpatterns = [
    path("", views.catalogue, name="list"),
    path("new", views.create, name="create"),
    path("low-stock", views.low_stock, name="low_stock"),
    path("<uuid:code>/", views.detail, name="detail"),
    path("<uuid:code>/edit", views.edit, name="edit"),
    path("<uuid:code>/lots/new", views.receive, name="receive"),
    path("lots/<uuid:code>/", views.lot_detail, name="lot"),
    path("lots/<uuid:code>/open", views.open_lot, name="open"),
    path("lots/<uuid:code>/adjust", views.adjust, name="adjust"),
    path("lots/<uuid:code>/discard", views.discard, name="discard"),
    path("lots/<uuid:code>/recall", views.recall, name="recall"),
]
