from django.urls import path

from . import views

app_name = "billing"
urlpatterns = [
    path("", views.home, name="home"),
    path("close", views.daily_close, name="close"),
    path("export.csv", views.export, name="export"),
    path("prices", views.prices, name="prices"),
    path("patients/<uuid:code>/", views.account, name="account"),
    path("patients/<uuid:code>/pay", views.pay, name="pay"),
    path("patients/<uuid:code>/panel", views.panel, name="panel"),
    path("sessions/<uuid:code>/invoice", views.invoice_session, name="invoice_session"),
    path("plans/<uuid:code>/package", views.sell_package, name="sell_package"),
    path("invoices/<uuid:code>/", views.invoice, name="invoice"),
    path("invoices/<uuid:code>/pdf", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<uuid:code>/credit", views.credit, name="credit"),
    path("payments/<uuid:code>/refund", views.refund, name="refund"),
    path("appointments/<uuid:code>/deposit", views.deposit, name="deposit"),
]
