from django.urls import path

from jedel.facilities.views import board as board_views

app_name = "board"
urlpatterns = [
    path("", board_views.board_page, name="board"),
    path("about/", board_views.about_page, name="about"),
]
