from django.urls import path

from . import views, views_calendar, views_desk, views_setup, views_waiting

app_name = "scheduling"
urlpatterns = [
    path("", views.day, name="day"),
    path("week", views.week, name="week"),
    path("calendar", views_calendar.calendar, name="calendar"),
    path("desk", views_desk.desk, name="desk"),
    path("appointments/<uuid:code>/arrival", views_desk.arrival, name="arrival"),
    path("calendar/move", views_calendar.calendar_move, name="calendar_move"),
    path("calendar/book", views_calendar.calendar_book, name="calendar_book"),
    path("plans/<uuid:code>/book", views.book_plan, name="book_plan"),
    path("patients/<uuid:code>/", views.patient, name="patient"),
    path("patients/<uuid:code>/book", views.book_one, name="book_one"),
    path("patients/<uuid:code>/waiting", views_waiting.waiting_add, name="waiting_add"),
    path("patients/<uuid:code>/feeds", views_setup.feed_create, name="feed_create"),
    path("appointments/<uuid:code>/", views.appointment, name="appointment"),
    path("appointments/<uuid:code>/move", views.move, name="move"),
    path("appointments/<uuid:code>/cancel", views.cancel, name="cancel"),
    path("appointments/<uuid:code>/attendance", views.attendance, name="attendance"),
    path("waiting", views_waiting.waiting, name="waiting"),
    path("waiting/<uuid:code>/book", views_waiting.waiting_book, name="waiting_book"),
    path("waiting/<uuid:code>/remove", views_waiting.waiting_remove, name="waiting_remove"),
    path("setup", views_setup.setup, name="setup"),
    path("setup/<slug:what>", views_setup.setup_save, name="setup_save"),
    path(
        "practitioners/<uuid:code>/feeds", views_setup.practitioner_feed, name="practitioner_feed"
    ),
    path("feeds/<uuid:code>/revoke", views_setup.feed_revoke, name="feed_revoke"),
    path("ical/<str:secret>.ics", views_setup.feed, name="feed"),
]
