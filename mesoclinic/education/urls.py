from django.urls import path

from . import views

app_name = "education"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("ask", views.ask_page, name="ask"),
    path("versions/<uuid:code>/approve", views.version_approve, name="approve"),
    path("<slug:slug>/", views.article_detail, name="detail"),
    path("<slug:slug>/edit", views.article_edit, name="edit"),
]
